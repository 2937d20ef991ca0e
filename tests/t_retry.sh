# t_retry.sh -- one run survives short link cuts: libmailrpc reconnects
# with backoff and repeats calls safe to repeat (reads, appends at an
# offset, calls with an operation id); a commit, a copy, a folder create,
# rename or delete, an ACL change, an upload begin or a one-call append
# whose reply is lost is done exactly once; with the server gone the
# client gives up within its bound.  Cuts come from tests/tools/relay.
. "$(dirname "$0")/lib.sh"
setup_realm
kinit_as alice
start_server
count() { mailrpc --json ls "$1" | jq length; }
sha() { sha256sum | cut -d' ' -f1; }
peers() { tail -n +"$1" "$SERVER_LOG" | grep "proc=$2 " | grep -o 'peer=[^ ]*' | sort -u | wc -l; }
mark() { echo $(($(wc -l <"$SERVER_LOG") + 1)); }
mailrpc mkfolder Cut >/dev/null
mailrpc mkfolder Once >/dev/null
mailrpc mkfolder Copies >/dev/null

# ---- put and get of 4 MiB, each connection cut after 1 MiB ---------------
head -c $((4 * 1024 * 1024)) /dev/urandom >"$T/big"
want=$(sha <"$T/big")
relay_start 0 $((1024 * 1024))
m=$(mark)
id=$(mailrpc -s "localhost:$RP" put Cut "$T/big" 2>"$T/put.err")
check "a put cut every 1 MiB completes in one run (id ${id:-none})" test -n "$id"
n=$(peers "$m" UPLOAD_APPEND)
check "its chunks came over several connections ($n)" test "$n" -ge 3
check "the message is stored once" test "$(count Cut)" -eq 1
check "and byte-exact" test "$(mailrpc cat "$id" | sha)" = "$want"
m=$(mark)
mailrpc -s "localhost:$RP" get "$id" -o "$T/big.back" 2>"$T/get.err"
check "a get cut every 1 MiB completes in one run" test "$(sha <"$T/big.back")" = "$want"
n=$(peers "$m" MSG_FETCH)
check "its chunks came over several connections ($n)" test "$n" -ge 3
relay_stop

# ---- a commit whose reply is lost (UPLOAD_COMMIT_APPEND) ----------------
# Over one chunk (128 KiB), so it goes begin, data, commit.
{ printf 'From: alice\r\nSubject: once\r\n\r\n'; head -c 150000 /dev/urandom | base64; } >"$T/m"
relay_start 0 0 "$(proc UPLOAD_COMMIT_APPEND)"
m=$(mark)
id=$(mailrpc -s "localhost:$RP" put Once "$T/m" 2>"$T/commit.err")
check "a put whose commit reply is lost succeeds (id ${id:-none})" test -n "$id"
n=$(tail -n +"$m" "$SERVER_LOG" | grep -c "proc=UPLOAD_COMMIT_APPEND .*result=OK")
check "the commit was sent twice ($n)" test "$n" -eq 2
check "exactly one message is stored" test "$(count Once)" -eq 1
relay_stop

# ---- a copy whose reply is lost (MSG_COPY) --------------------------------
relay_start 0 0 "$(proc MSG_COPY)"
m=$(mark)
new=$(mailrpc -s "localhost:$RP" --json cp "$id" Copies 2>"$T/cp.err")
check "a copy whose reply is lost succeeds ($new)" test -n "$new"
expect_contains "the repeat is answered from the record" \
	"$(tail -n +"$m" "$SERVER_LOG" | grep 'proc=MSG_COPY ')" "repeated op"
check "exactly one copy is made" test "$(count Copies)" -eq 1
check "the copy is the one reported" test "$(mailrpc --json ls Copies | jq -c 'map(.id)')" = "$new"
relay_stop

# ---- folder, ACL and upload calls whose reply is lost -------------------
# lost NAME WHAT ARGS...: runs mailrpc ARGS through a relay that loses the
# first reply of procedure NAME; it must succeed, its repeat answered from
# the record of the first.
lost() {
	local name=$1 what=$2 rc
	shift 2
	relay_start 0 0 "$(proc "$name")"
	m=$(mark)
	mailrpc -s "localhost:$RP" "$@" >"$T/lost.out" 2>"$T/lost.err"
	rc=$?
	check "$what whose reply is lost succeeds (rc $rc $(cat "$T/lost.err"))" test "$rc" -eq 0
	n=$(tail -n +"$m" "$SERVER_LOG" | grep -c "proc=$name .*result=OK")
	check "$what was sent twice ($n)" test "$n" -eq 2
	expect_contains "$what: the repeat is answered from the record" \
		"$(tail -n +"$m" "$SERVER_LOG" | grep "proc=$name " | tail -1)" "repeated op"
	relay_stop
}
has_folder() { mailrpc --json folders | jq -e --arg p "$1" 'map(select(.path == $p)) | length == 1' >/dev/null; }
lost FOLDER_CREATE "a mkfolder" mkfolder Lost
check "the folder is there" has_folder Lost
lost FOLDER_RENAME "a mvfolder" mvfolder Lost Found
check "it was renamed once" eval 'has_folder Found && ! has_folder Lost'
lost FOLDER_DELETE "an rmfolder" rmfolder Found
check "it is gone" eval '! has_folder Found'
lost ACL_SET "an acl set" acl Inbox set bob lr
expect_contains "bob holds the rights" "$(mailrpc acl Inbox)" "bob"
lost UPLOAD_BEGIN "a put's begin" put Once "$T/m"
ups=$(tail -n +"$m" "$SERVER_LOG" | grep "proc=UPLOAD_BEGIN " | grep -o 'upload=[0-9]*' | sort -u)
check "both begins name one upload ($(echo $ups))" test "$(wc -w <<<"$ups")" -eq 1
check "the put stored one message" test "$(count Once)" -eq 2
printf 'From: alice\r\nSubject: small\r\n\r\none call\r\n' >"$T/small"
lost MSG_APPEND "a small put (one call)" put Once "$T/small"
check "the small put stored one message" test "$(count Once)" -eq 3
mv_id=$(mailrpc --json ls Once | jq '.[0].id')
lost MSG_MOVE "an mv" mv "$mv_id" Copies
check "the mv moved it once, to the id it printed" \
	test "$(mailrpc --json ls Copies | jq -c 'map(.id) | sort | last')" = "$(cat "$T/lost.out")"

# ---- the server goes away: bounded backoff, then a clear error -----------
mailrpc wait Inbox >"$T/wait.out" 2>"$T/wait.err" &
wpid=$!
PIDS+=("$wpid")
wait_for 100 grep -q "proc=WAIT" "$SERVER_LOG"
stop_server
start=$(date +%s)
wait "$wpid"
rc=$?
took=$(($(date +%s) - start))
check "the client fails once the server is gone (rc $rc)" test "$rc" -ne 0
expect_contains "it says the connection was lost and how often it tried" \
	"$(cat "$T/wait.err")" "connection to the server lost"
expect_contains "after its bounded attempts" "$(cat "$T/wait.err")" "(gave up after 4 attempts)"
check "within the bound (${took} s, 7.5 s of backoff)" test "$took" -le 15
exit $((failures > 0))
