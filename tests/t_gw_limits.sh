# t_gw_limits.sh -- connection limits and login timeouts of both gateway
# personalities (tests/gw/limits.py): a flood of unauthenticated
# connections from one address is capped without locking others out.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/gw_lib.sh"
setup_realm alice
make_cert
for proto in imap pop3; do
	start_gateway "$proto" --max-per-peer 3 --login-timeout 3 --pidfile "$T/gw.pid"
	same "$proto: --pidfile holds the gateway's pid" "$(cat "$T/gw.pid")" "$GW_PID"
	GW_PER_PEER=3 GW_LOGIN_TIMEOUT=3 GW_PORT=$GW_PORT GW_LOG=$GW_LOG gw_py limits.py "$proto"
	# SIGTERM with a client connected: it is told, and everything ends.
	"$PY" "$TESTS_DIR/gw/hold.py" "$GW_PORT" "$T/held.$proto" &
	holder=$!
	PIDS+=("$holder")
	wait_for 50 grep -q . "$T/held.$proto"
	stop_gateway
	wait "$holder"
	check "$proto: SIGTERM stopped the gateway and logged it" grep -q "stopped" "$GW_LOG"
	check "$proto: a connected client was told the server is shutting down" \
		grep -q "Server shutting down" "$T/held.$proto"
	check "$proto: the pidfile is removed at exit" test ! -e "$T/gw.pid"

	start_gateway "$proto" --max-connections 2
	gw_py total_limit.py "$proto" "$GW_PORT" 2
	stop_gateway
done
