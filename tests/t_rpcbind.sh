# t_rpcbind.sh -- mailrpcd --register (issue 16), in a network namespace
# the test makes (with a mount namespace, so the private rpcbind's
# /run/rpcbind.sock hides nobody else's): rpcbind runs there, mailrpcd
# registers, rpcinfo -p lists program 0x2005A11C version 2 on TCP at the
# server's port, mailrpc -s HOST with no port finds the server through
# rpcbind, and a clean stop unregisters it.
if [ -z "${MAILRPC_IN_NETNS:-}" ]; then
	command -v rpcbind >/dev/null && command -v rpcinfo >/dev/null ||
		{ echo "SKIP t_rpcbind: rpcbind and rpcinfo are not installed"; exit 77; }
	unshare --net --mount true 2>/dev/null ||
		{ echo "SKIP t_rpcbind: cannot make a network namespace (needs root)"; exit 77; }
	MAILRPC_IN_NETNS=1 exec unshare --net --mount --propagation private -- bash "$0" "$@"
fi
ip link set lo up && mount -t tmpfs -o mode=0755 tmpfs /run ||
	{ echo "FAIL setup: namespace loopback and /run"; exit 1; }
. "$(dirname "$0")/lib.sh"
setup_realm alice
kinit_as alice

PROG=$((0x2005A11C))
rpcbind -f >"$T/rpcbind.log" 2>&1 &
PIDS+=("$!")
wait_for 50 rpcinfo -p 127.0.0.1 >/dev/null || { echo "FAIL setup: rpcbind"; exit 1; }

# registered: the lines of rpcinfo -p for mailrpc.
registered() { rpcinfo -p 127.0.0.1 | awk -v p="$PROG" '$1 == p'; }

same "nothing registered before the server" "$(registered)" ""
start_server --register
same "rpcinfo -p lists program 0x2005A11C version 2 on TCP at the server's port" \
	"$(registered | awk '{print $2, $3, $4}')" "2 tcp $PORT"

out=$(mailrpc -s localhost whoami 2>&1)
expect_contains "mailrpc -s localhost (no port) finds the server through rpcbind" "$out" \
	"mailbox:    alice"
out=$(mailrpc -s 127.0.0.1 --principal mailrpc@localhost whoami 2>&1)
expect_contains "... by address too, at privacy" "$out" "level:      privacy"
out=$(MAILRPC_SERVER=localhost mailrpc folders 2>&1); rc=$?
same "... and from MAILRPC_SERVER" "$rc" 0

stop_server
same "a clean stop unregisters it" "$(registered)" ""
out=$(mailrpc -s localhost whoami 2>&1); rc=$?
check "without a registration the client fails" test "$rc" -ne 0
expect_contains "... saying nothing is registered" "$out" \
	"no mailrpc server is registered with rpcbind on localhost"
