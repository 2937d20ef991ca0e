# t_faults_keytab.sh -- the service key is rotated to a new kvno under load
# (issue 15, Faults): `ktadd` re-keys mailrpc/localhost and appends the new
# key to mailrpcd's keytab while clients are busy.  An open session goes
# on, a ticket for the old kvno still gets in, a new ticket (new kvno)
# gets in, and the calls made all along never fail.
. "$(dirname "$0")/lib.sh"
setup_realm alice bob
export XDG_CACHE_HOME=$T/cache
start_server
login_users alice bob
kvno_of() { KRB5CCNAME=FILE:$1 kvno "mailrpc/localhost@$MAILRPC_REALM" | sed 's/.*kvno = //'; }
old=$(kvno_of "$T/cc.bob")

KRB5CCNAME=FILE:$T/cc.alice "$TOOLS/session" "localhost:$PORT" revoke alice/Inbox \
	"$T/go" >"$T/open" 2>&1 &
PIDS+=($!)
check "a session is open" wait_for 100 grep -q "^first: ok" "$T/open"

# Load: bob stores a message after another (at most 40), counting failures.
printf 'From: bob@example.com\r\nSubject: load\r\n\r\nhi\r\n' >"$T/m"
load() {
	local i
	for i in $(seq 1 40); do
		as bob put Inbox "$T/m" >/dev/null 2>>"$T/load.err" || echo "$i" >>"$T/load.failed"
		[ -f "$T/stop" ] && break
	done
}
: >"$T/load.failed"
load &
loader=$!
PIDS+=("$loader")
sleep 1
kadmin.local -r "$MAILRPC_REALM" -q "ktadd -k $KEYTAB mailrpc/localhost" >/dev/null 2>&1
kinit_as alice "FILE:$T/cc.new"
as_new() { KRB5CCNAME=FILE:$T/cc.new "$BIN/bin/mailrpc" "$@"; }
out=$(as_new whoami 2>&1)
expect_contains "a new ticket, for the new kvno, gets in" "$out" "alice"
new=$(kvno_of "$T/cc.new")
check "the key was rotated (kvno $old -> $new)" test "$new" -gt "$old"
out=$(as bob whoami 2>&1)
expect_contains "a ticket for the old kvno still gets in" "$out" "bob"
touch "$T/go"
check "the session opened before goes on" wait_for 100 grep -q "^second: ok" "$T/open"
sleep 1
touch "$T/stop"
wait "$loader"
same "no call of the load failed ($(head -c 200 "$T/load.err" 2>/dev/null))" \
	"$(wc -l <"$T/load.failed")" 0
stored=$(as bob --json ls Inbox --limit 0 | jq length)
check "the load stored messages across the rotation ($stored)" test "$stored" -gt 1

exit $((failures > 0))
