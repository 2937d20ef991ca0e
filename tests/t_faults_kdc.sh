# t_faults_kdc.sh -- the KDC goes down (issue 15, Faults): a session
# already open goes on making calls, a user who already holds a ticket
# for the service connects anew, and a user who still needs one from the
# KDC gets a clear error saying so -- while mailrpcd itself, which needs
# only its keytab, keeps serving.
. "$(dirname "$0")/lib.sh"
setup_realm alice bob
export XDG_CACHE_HOME=$T/cache
start_server
login_users alice
kinit_as bob "FILE:$T/cc.bob" # a ticket-granting ticket, no service ticket yet

# An open session that calls again after the KDC is gone.
KRB5CCNAME=FILE:$T/cc.alice "$TOOLS/session" "localhost:$PORT" revoke alice/Inbox \
	"$T/go" >"$T/open" 2>&1 &
PIDS+=($!)
check "a session is open" wait_for 100 grep -q "^first: ok" "$T/open"

"$TOP/scripts/realm" stop "$T/realm" >/dev/null 2>&1
kdc_down() { ! kinit_as alice "FILE:$T/cc.probe" 2>/dev/null; }
check "the KDC is down (kinit fails)" kdc_down
touch "$T/go"
check "the open session's next call works" wait_for 100 grep -q "^second: ok" "$T/open"
out=$(as alice whoami 2>&1)
expect_contains "a new connection with a service ticket already held works" "$out" "alice"
out=$(as bob whoami 2>&1)
rc=$?
check "a login that needs the KDC fails (exit $rc)" test "$rc" -ne 0
expect_contains "with a clear error naming Kerberos" "$out" "Kerberos"
echo "# bob sees: $out"
check "mailrpcd is still running" kill -0 "$SERVER_PID"

exit $((failures > 0))
