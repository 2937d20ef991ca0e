# t_lifecycle.sh -- start-up, pidfile, clean stop on SIGTERM/SIGINT, daemon
# mode, and the installed library used by an independent program.
. "$(dirname "$0")/lib.sh"
setup_realm alice
kinit_as alice

start_server --pidfile "$T/mailrpcd.pid"
check "pidfile holds the server's pid" test "$(cat "$T/mailrpcd.pid")" = "$SERVER_PID"
"$TOOLS/session" "localhost:$PORT" hold 60 >"$T/held" 2>&1 &
HOLDER=$!
PIDS+=($HOLDER)
wait_for 100 grep -q '^ready' "$T/held"
# Its children: the connection process (and the hand-over process, if it
# is still looking at the store).
conn_procs=$(pgrep -P "$SERVER_PID" | tr '\n' ' ')
kill -TERM "$SERVER_PID"
wait "$SERVER_PID"; rc=$?
check "SIGTERM: exit status 0" test "$rc" -eq 0
check "SIGTERM: pidfile removed" test ! -e "$T/mailrpcd.pid"
check "SIGTERM: logged a clean stop" grep -q "stopped" "$SERVER_LOG"
check "SIGTERM: there was a connection process" test -n "$conn_procs"
check "SIGTERM: open connection's process ended too" \
	bash -c "for p in $conn_procs; do ! kill -0 \$p 2>/dev/null || exit 1; done"
SERVER_PID=

start_server
kill -INT "$SERVER_PID"
wait "$SERVER_PID"; rc=$?
check "SIGINT: exit status 0" test "$rc" -eq 0
SERVER_PID=

# Daemon mode: detaches, writes its pidfile, logs to syslog.
port=$(free_port)
"$BIN/bin/mailrpcd" --listen "127.0.0.1:$port" --store "$T/store" --keytab "$KEYTAB" \
	--principal mailrpc@localhost --pidfile "$T/daemon.pid"; rc=$?
check "daemon: start returns 0" test "$rc" -eq 0
wait_for 50 test -s "$T/daemon.pid"
DAEMON=$(cat "$T/daemon.pid" 2>/dev/null)
[ -n "$DAEMON" ] && PIDS+=("$DAEMON")
out=$(mailrpc -s "localhost:$port" whoami 2>&1)
expect_contains "daemon: serves" "$out" "mailbox:    alice"
[ -n "$DAEMON" ] && kill "$DAEMON"
check "daemon: stops and removes its pidfile" wait_for 100 test ! -e "$T/daemon.pid"

out=$("$BIN/bin/mailrpcd" --listen 127.0.0.1:1 --store "$T/store" 2>&1); rc=$?
check "missing flags: usage error 64" test "$rc" -eq 64
expect_contains "missing flags: names the flag" "$out" "--keytab FILE is required"
out=$("$BIN/bin/mailrpcd" --listen 127.0.0.1:1 --store "$T/store" --keytab "$KEYTAB" \
	--principal mailrpc@localhost --min-level none 2>&1); rc=$?
check "bad --min-level: usage error 64" test "$rc" -eq 64

# make install, then an independent program built with pkg-config.
start_server
make -s -C "$TOP" BUILD="$BIN" install PREFIX="$T/prefix" >"$T/install.log" 2>&1
check "install: mailrpcd, mailrpc, header, pkg-config file" test -x "$T/prefix/sbin/mailrpcd" -a \
	-x "$T/prefix/bin/mailrpc" -a -f "$T/prefix/include/mailrpc.h" -a -f "$T/prefix/lib/pkgconfig/mailrpc.pc"
soname=$(objdump -p "$T/prefix/lib/libmailrpc.so" | awk '/SONAME/ {print $2}')
check "install: library has soname libmailrpc.so.1 ($soname)" test "$soname" = libmailrpc.so.1
check "install: only the public API is exported" \
	bash -c "! nm -D --defined-only '$T/prefix/lib/libmailrpc.so' | awk '{print \$3}' | grep -v '^mailrpc_' | grep -v '^MAILRPC_' | grep -q ."
flags=$(PKG_CONFIG_PATH=$T/prefix/lib/pkgconfig pkg-config --cflags --libs mailrpc)
# A sanitizer build of the library needs its runtime in the program too.
san=
nm -D "$T/prefix/lib/libmailrpc.so" | grep -q __asan_init && san="-fsanitize=address,undefined"
cc -Wall -Wextra -Werror $san "$TOP/examples/whoami.c" $flags -Wl,-rpath,"$T/prefix/lib" -o "$T/example" 2>"$T/cc.log"
check "install: example builds with pkg-config flags alone" test -x "$T/example"
out=$("$T/example" "localhost:$PORT" 2>&1)
check "install: example talks to the server at privacy" test "$out" = "alice@MAILRPC.TEST owns mailbox alice (privacy)"
