# t_idle.sh -- --idle-timeout: a connection that sends nothing for that
# long is closed and its process ends; one busy in a WAIT longer than the
# idle timeout is not cut.
. "$(dirname "$0")/lib.sh"
setup_realm alice
kinit_as alice
start_server --idle-timeout 2 --wait-timeout 4

"$TOOLS/session" "localhost:$PORT" hold 30 >"$T/held" 2>&1 &
held=$!
PIDS+=("$held")
check "a session connected" wait_for 100 grep -q ready "$T/held"
check "after 2 idle seconds the server closes it" \
	wait_for 100 grep -q "idle for 2 s, closing" "$SERVER_LOG"
peer=$(grep -o 'peer=[^:]*:[0-9]*: idle' "$SERVER_LOG" | head -1 | sed 's/: idle//')
check "the log names the idle peer ($peer)" test -n "$peer"
# Connection processes are the listener's children; none is left.
no_connections() { ! pgrep -P "$SERVER_PID" >/dev/null; }
check "its connection process is gone" wait_for 50 no_connections
idle_lines() { grep -c "idle for 2 s, closing" "$SERVER_LOG"; }
before=$(idle_lines)

# A WAIT of 4 s (longer than the idle timeout) runs to its end.
mailrpc wait Inbox >"$T/wait.out" 2>"$T/wait.err" &
waiter=$!
PIDS+=("$waiter")
sleep 3
printf 'From: bob\r\nSubject: hello\r\n\r\nhi\r\n' >"$T/m"
mailrpc put Inbox "$T/m" >/dev/null
wait "$waiter"
check "the WAIT reported the new mail ($(cat "$T/wait.out"))" grep -q "Inbox" "$T/wait.out"
check "no connection was closed as idle while it waited 3 s" test "$(idle_lines)" -eq "$before"
