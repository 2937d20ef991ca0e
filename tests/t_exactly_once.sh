# t_exactly_once.sh -- UPLOAD_COMMIT_APPEND / _SUBMIT carry an operation
# id: a commit retried after its reply was lost (same op id, even from
# another process after a server restart) gets the original id back and
# stores exactly one message; a new op id on the consumed upload fails.
. "$(dirname "$0")/lib.sh"
setup_realm
kinit_as bob
start_server
mailrpc folders >/dev/null
kinit_as alice
OPRETRY=$TOOLS/opretry
op() { "$OPRETRY" "$MAILRPC_SERVER" "$@"; }
count() { mailrpc --json ls "$1" | jq length; }

printf 'From: alice\r\nSubject: once\r\n\r\nonly once\r\n' >"$T/m"
id1=$(op append "$T/m" Inbox "$T/s1")
check "commit with an op id stores the message" test -n "$id1" -a "$(count Inbox)" -eq 1
id2=$(op retry "$T/s1" Inbox)
check "the retried commit gets the original id ($id1 = $id2)" test "$id1" = "$id2"
check "and stores nothing more" test "$(count Inbox)" -eq 1
expect_contains "the server logs the repeated op" "$(grep 'UPLOAD_COMMIT_APPEND' "$SERVER_LOG" | tail -1)" "id=$id1"

stop_server
start_server
id3=$(op retry "$T/s1" Inbox)
check "a retry after a server restart gets the original id ($id3)" test "$id1" = "$id3"
check "still exactly one message" test "$(count Inbox)" -eq 1
out=$(op other "$T/s1" Inbox)
expect_contains "a new op id on the consumed upload is refused" "$out" "error: "

sid1=$(op send "$T/m" bob "$T/s2")
sid2=$(op retry "$T/s2" bob)
check "a retried send gets the original sent id ($sid1 = $sid2)" test -n "$sid1" -a "$sid1" = "$sid2"
check "one copy in Sent Items" test "$(count 'Sent Items')" -eq 1
kinit_as bob
check "bob received exactly one" test "$(count Inbox)" -eq 1
kinit_as alice
id4=$(mailrpc put Inbox "$T/m")
check "put (library-chosen op ids) still works" test -n "$id4" -a "$(count Inbox)" -eq 2
