# t_creds.sh -- missing and expired Kerberos tickets give errors a user can
# act on; an expired context is refused and a new ticket cures it.
. "$(dirname "$0")/lib.sh"
setup_realm alice
"$TOP/scripts/realm" addprinc "$T/realm" shorty -pw shorty-pw -maxlife '"20 seconds"' >/dev/null 2>&1
kinit_as alice
start_server

out=$(KRB5CCNAME=FILE:$T/no-such-cache mailrpc whoami 2>&1); rc=$?
check "no ticket: non-zero exit" test "$rc" -ne 0
expect_contains "no ticket: says so" "$out" "No Kerberos credentials available"
expect_contains "no ticket: says what to do" "$out" "run kinit"
expect_not_contains "no ticket: no RPC jargon" "$out" "RPC: Success"

# A context established with a valid ticket, used past its lifetime on
# the same connection: the server must refuse it (libtirpc alone would
# not), and a new kinit lets the same connection go on.
export KRB5CCNAME=FILE:$T/cc-short
kinit_as shorty
kinit_as shorty "FILE:$T/cc-short-old"
"$TOOLS/session" "localhost:$PORT" expiry "$T/renewed" >"$T/expiry.out" 2>&1 &
SESSION=$!
PIDS+=($SESSION)
wait_for 150 grep -q "^expires_in" "$T/expiry.out"

# A ticket that has already expired when the client starts.
sleep 21
out=$(KRB5CCNAME=FILE:$T/cc-short-old mailrpc whoami 2>&1); rc=$?
check "expired ticket: non-zero exit" test "$rc" -ne 0
expect_contains "expired ticket: says expired" "$out" "expired"
expect_contains "expired ticket: says what to do" "$out" "run kinit"

wait_for 300 grep -q "^refused" "$T/expiry.out"
kinit_as shorty
touch "$T/renewed"
wait "$SESSION"; rc=$?
out=$(cat "$T/expiry.out")
expect_contains "expired context: refused with a clear message" "$out" "refused: Kerberos ticket expired"
expect_contains "expired context: same connection works after kinit" "$out" "renewed: shorty"
expect_contains "and the new context works in the mailbox the old one opened (public: none seen)" \
	"$out" "folders: 0"
check "expired context: session tool succeeded" test "$rc" -eq 0
check "server logged the expired context" grep -q "Kerberos ticket of this context expired" "$SERVER_LOG"
check "the expired context's sealing keys were wiped when its lifetime passed" \
	grep -q "the sealed context's Kerberos lifetime has passed: its keys wiped" "$SERVER_LOG"
