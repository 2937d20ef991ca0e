# t_limits_conn.sh -- connection limits of the store's policy (issue 15
# item 1): one address holding bare sockets gets at most
# max-preauth-peer of them served, and cannot lock anyone else out;
# one principal gets at most max-user-conns connections at a
# time, the next is refused with a clear "too many connections".
. "$(dirname "$0")/lib.sh"
setup_realm alice bob
ADMIN() { "$BIN/bin/mailrpc-admin" --store "$T/store" "$@"; }
start_server
login_users alice bob
stop_server
check "policy set max-preauth-peer 3" ADMIN policy set max-preauth-peer 3
check "policy set max-user-conns 2" ADMIN policy set max-user-conns 2
start_server

# bare N SECONDS: N connections from 127.0.0.2 that never send a byte;
# prints how many the server closed at once and how many it kept open,
# then holds the open ones SECONDS (bounded) and exits.
bare() {
	python3 - "$PORT" "$1" "$2" <<'EOF'
import socket, sys, time
port, n, hold = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
socks = []
for _ in range(n):
    s = socket.socket()
    s.bind(("127.0.0.2", 0))
    s.connect(("127.0.0.1", port))
    socks.append(s)
time.sleep(1)
closed = 0
for s in socks:
    s.settimeout(0.2)
    try:
        if s.recv(1) == b"":
            closed += 1
    except socket.timeout:
        pass
    except OSError:
        closed += 1
print("closed %d open %d" % (closed, n - closed), flush=True)
time.sleep(hold)
EOF
}

bare 8 40 >"$T/bare.out" 2>&1 &
PIDS+=($!)
check "the bare sockets are made" wait_for 100 grep -q "^closed" "$T/bare.out"
same "one address: 3 unauthenticated connections kept, the other 5 closed at once" \
	"$(cat "$T/bare.out")" "closed 5 open 3"
turned=$(grep -c "max-preauth-peer allows, turning this one away" "$SERVER_LOG")
same "the server logged each of the 5 turned away" "$turned" 5
out=$(as alice whoami 2>&1)
expect_contains "another address still gets in while they are held" "$out" "alice"

# Per principal: alice holds 2 connections; a third is refused, bob is not.
for i in 1 2; do
	KRB5CCNAME=FILE:$T/cc.alice "$TOOLS/session" "localhost:$PORT" hold 40 \
		>"$T/hold.$i" 2>&1 &
	PIDS+=($!)
	eval "holder$i=\$!"
done
check "alice holds two connections" \
	wait_for 100 grep -q ready "$T/hold.1" && wait_for 100 grep -q ready "$T/hold.2"
out=$(as alice whoami 2>&1)
expect_contains "alice's third connection is refused: too many connections" "$out" \
	"too many connections"
expect_contains "the refusal names the policy's limit" "$out" "max-user-conns"
check "the server logged the refusal" \
	grep -q "max-user-conns allows; closing this one" "$SERVER_LOG"
out=$(as bob whoami 2>&1)
expect_contains "bob still gets in" "$out" "bob"
# shellcheck disable=SC2154
kill "$holder1"
wait "$holder1" 2>/dev/null
alice_in() { as alice whoami 2>&1 | grep -q alice; }
check "once alice closes one, she gets in again" wait_for 100 alice_in

exit $((failures > 0))
