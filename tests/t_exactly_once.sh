# t_exactly_once.sh -- UPLOAD_COMMIT_APPEND / _SUBMIT carry an operation
# id: a commit retried after its reply was lost (same op id, even from
# another process after a server restart) gets the original id back and
# stores exactly one message; a new op id on the consumed upload fails.
# A repeat is told apart from a first commit by the mailbox's change
# number (a first commit moves it, a repeat must not), a repeated send
# also by the server's log; log fields are matched whole (id=1 is not
# id=12).
. "$(dirname "$0")/lib.sh"
setup_realm
kinit_as bob
start_server
mailrpc folders >/dev/null
kinit_as alice
OPRETRY=$TOOLS/opretry
op() { "$OPRETRY" "$MAILRPC_SERVER" "$@"; }
count() { mailrpc --json ls "$1" | jq length; }
# state: the mailbox's change number (every committed change moves it).
state() { mailrpc --json sync Inbox --since 0 | jq .state; }
# last_log PROC: the server's last log line for PROC.
last_log() { grep "proc=$1 " "$SERVER_LOG" | tail -1; }
# has_field LINE FIELD: FIELD ("id=1") is a whole field of LINE.
has_field() { [[ " $1 " == *" $2 "* ]]; }

printf 'From: alice\r\nSubject: once\r\n\r\nonly once\r\n' >"$T/m"
s0=$(state)
id1=$(op append "$T/m" Inbox "$T/s1")
s1=$(state)
check "commit with an op id stores the message" test -n "$id1" -a "$(count Inbox)" -eq 1
check "the first commit moved the mailbox's change number ($s0 -> $s1)" test "$s1" -gt "$s0"
first=$(last_log UPLOAD_COMMIT_APPEND)
check "the server logs the first commit with its id ($id1)" has_field "$first" "id=$id1"
id2=$(op retry "$T/s1" Inbox)
check "the retried commit gets the original id ($id1 = $id2)" test "$id1" = "$id2"
check "and stores nothing more" test "$(count Inbox)" -eq 1
check "the repeat changed nothing: the change number stays ($s1 = $(state))" test "$(state)" = "$s1"
retry=$(last_log UPLOAD_COMMIT_APPEND)
check "the server logs the repeat with the original id, whole ($retry)" has_field "$retry" "id=$id1"

stop_server
start_server
id3=$(op retry "$T/s1" Inbox)
check "a retry after a server restart gets the original id ($id3)" test "$id1" = "$id3"
check "still exactly one message" test "$(count Inbox)" -eq 1
out=$(op other "$T/s1" Inbox)
expect_contains "a new op id on the consumed upload is refused" "$out" "error: "

sid1=$(op send "$T/m" bob "$T/s2")
first=$(last_log UPLOAD_COMMIT_SEND)
s1=$(state)
sid2=$(op retry "$T/s2" bob)
retry=$(last_log UPLOAD_COMMIT_SEND)
check "a retried send gets the original sent id ($sid1 = $sid2)" test -n "$sid1" -a "$sid1" = "$sid2"
check "one copy in Sent Items" test "$(count 'Sent Items')" -eq 1
check "the repeated send changed nothing ($s1 = $(state))" test "$(state)" = "$s1"
check "the first send is logged as such ($first)" bash -c "[[ '$first' != *'repeated op'* ]]"
expect_contains "the repeated send is logged as a repeat" "$retry" \
	"sent_id=$sid1 local=1 remote=0 repeated op: result as first given"
kinit_as bob
check "bob received exactly one" test "$(count Inbox)" -eq 1
kinit_as alice
id4=$(mailrpc put Inbox "$T/m")
check "put (library-chosen op ids) still works" test -n "$id4" -a "$(count Inbox)" -eq 2
