# t_config.sh -- config files for the daemons (issue 16): key = value
# lines named like the long flags, flags win, --check-config prints the
# effective settings and checks the keytab (and the gateway's
# certificate), and every unknown key or bad value is refused naming
# FILE:LINE with status 78 (EX_CONFIG).  A server started from a file
# alone serves with the file's settings; a flag given as well overrides.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/gw_lib.sh"
setup_realm alice
make_cert

CONF=$T/mailrpcd.conf
# conf LINES...: writes $CONF, one argument a line.
conf() { printf '%s\n' "$@" >"$CONF"; }
good_lines=("# mailrpcd test settings" "" "store = $T/store" "keytab = $KEYTAB"
	"principal = mailrpc@localhost" "min-level = integrity" "idle-timeout = 60")

# ---- --check-config: the effective settings, then the keytab ----
conf "${good_lines[@]}" "listen = 127.0.0.1:1"
out=$("$BIN/bin/mailrpcd" --config "$CONF" --check-config --idle-timeout 30 2>&1); rc=$?
same "check-config of a good file: status 0" "$rc" 0
expect_contains "... names the file" "$out" "settings from $CONF"
expect_contains "... prints the file's values" "$out" "min-level = integrity"
expect_contains "... with the flag over the file" "$out" "idle-timeout = 30"
expect_contains "... and the defaults" "$out" "wait-timeout = 300"
expect_contains "... and checks the keytab" "$out" "keytab $KEYTAB: holds a usable key for mailrpc@localhost"
expect_contains "... and says it is fine" "$out" "configuration OK"
# The printed settings are a config file themselves, and read back alike.
grep -v '^#' <<<"$out" >"$T/printed.conf"
out2=$("$BIN/bin/mailrpcd" --config "$T/printed.conf" --check-config 2>&1)
same "the printed settings read back the same" "$(grep -v '^#' <<<"$out2")" "$(cat "$T/printed.conf")"

# bad_file NAME WANT LINES...: --check-config refuses the file, status 78,
# one message naming FILE:LINE.
bad_file() {
	local name=$1 want=$2; shift 2
	conf "$@"
	out=$("$BIN/bin/mailrpcd" --config "$CONF" --check-config 2>&1); rc=$?
	same "$name: status 78" "$rc" 78
	expect_contains "$name: names file and line" "$out" "mailrpcd: $CONF:$want"
}
bad_file "unknown key" "8: unknown key 'min_level'" "${good_lines[@]}" "min_level = privacy"
bad_file "a flag's spelling is not a key" "1: unknown key '--listen'" "--listen = 127.0.0.1:1"
bad_file "bad level" "6: min-level must be auth, integrity or privacy, not 'secret'" \
	"${good_lines[@]:0:5}" "min-level = secret"
bad_file "out of range" "2: wait-timeout must be 1..3600, not '7200'" "" "wait-timeout = 7200"
bad_file "not a number" "1: idle-timeout must be 1..86400, not '15m'" "idle-timeout = 15m"
bad_file "bad principal" "1: principal takes the host-based form" "principal = mailrpc/localhost@R"
bad_file "a line without =" "3: expected 'key = value'" "" "# fine" "register"
bad_file "a yes/no key" "1: register takes yes or no, not 'maybe'" "register = maybe"
bad_file "a key set twice" "3: listen is already set on line 1" "listen = a:1" "" "listen = b:2"

out=$("$BIN/bin/mailrpcd" --config "$T/nonexistent.conf" --check-config 2>&1); rc=$?
same "a missing --config file: status 78" "$rc" 78
expect_contains "... named" "$out" "$T/nonexistent.conf: No such file or directory"
conf "${good_lines[@]}"
out=$("$BIN/bin/mailrpcd" --config "$CONF" --listen 127.0.0.1:1 --idle-timeout 0 2>&1); rc=$?
same "a bad flag value: usage error 64" "$rc" 64
expect_contains "... names the flag" "$out" "--idle-timeout must be 1..86400, not '0'"

conf "${good_lines[@]/#keytab = */keytab = $T/nonexistent.keytab}" "listen = 127.0.0.1:1"
out=$("$BIN/bin/mailrpcd" --config "$CONF" --check-config 2>&1); rc=$?
same "check-config with a missing keytab: status 1" "$rc" 1
expect_contains "... names the keytab" "$out" "cannot read keytab $T/nonexistent.keytab"

# ---- a server from the file alone; then a flag over the file ----
PORT=$(free_port)
conf "${good_lines[@]}" "listen = 127.0.0.1:$PORT" "foreground = yes"
SERVER_LOG=$T/mailrpcd.file.log
"$BIN/bin/mailrpcd" --config "$CONF" >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!
PIDS+=("$SERVER_PID")
wait_for 200 grep -q "listening on" "$SERVER_LOG" || fail "server from the file" "$(cat "$SERVER_LOG")"
expect_contains "the server took the file's address and level" "$(cat "$SERVER_LOG")" \
	"listening on 127.0.0.1:$PORT (port $PORT) as mailrpc@localhost, minimum level integrity"
kinit_as alice
out=$(mailrpc -s "localhost:$PORT" -l integrity whoami 2>&1)
expect_contains "the file's min-level = integrity lets integrity in" "$out" "level:      integrity"
# No reload: SIGHUP is answered in the log, and the server goes on.
kill -HUP "$SERVER_PID"
wait_for 50 grep -q "SIGHUP: settings are read only at start" "$SERVER_LOG"
expect_contains "SIGHUP says to restart instead of reloading" "$(cat "$SERVER_LOG")" \
	"restart mailrpcd to apply them"
out=$(mailrpc -s "localhost:$PORT" -l integrity whoami 2>&1)
expect_contains "... and the server goes on serving" "$out" "level:      integrity"
stop_server

PORT=$(free_port)
conf "${good_lines[@]}" "listen = 127.0.0.1:$PORT" "foreground = yes"
SERVER_LOG=$T/mailrpcd.flag.log
"$BIN/bin/mailrpcd" --config "$CONF" --min-level privacy >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!
PIDS+=("$SERVER_PID")
wait_for 200 grep -q "listening on" "$SERVER_LOG" || fail "server with a flag" "$(cat "$SERVER_LOG")"
out=$(mailrpc -s "localhost:$PORT" -l integrity whoami 2>&1)
expect_contains "--min-level privacy over the file refuses integrity" "$out" "server requires privacy"
stop_server

# ---- the gateway: the same rules, and its certificate checked ----
GWCONF=$T/imapd.conf
printf '%s\n' "listen = 127.0.0.1:1" "listen = 127.0.0.1:2" "cert = $T/cert.pem" \
	"key = $T/key.pem" "keytab = $KEYTAB" "store = $T/store" "hostname = localhost" "auth-fail-delay = 0.5" \
	>"$GWCONF"
out=$("$BIN/bin/mailrpc-imapd" --config "$GWCONF" --check-config --listen 127.0.0.1:3 2>&1); rc=$?
same "gateway check-config: status 0" "$rc" 0
expect_contains "... the --listen flag replaced the file's list" "$out" "listen = 127.0.0.1:3"
expect_not_contains "... of both of the file's" "$out" "listen = 127.0.0.1:1"
expect_contains "... fractions of a second" "$out" "auth-fail-delay = 0.5"
expect_contains "... the keytab checked" "$out" "holds a usable key for imap@localhost"
expect_contains "... the certificate checked" "$out" "certificate $T/cert.pem and key $T/key.pem: usable together"
out=$("$BIN/bin/mailrpc-pop3d" --config "$GWCONF" --check-config --cert "$T/key.pem" 2>&1); rc=$?
same "gateway check-config with a bad certificate: status 1" "$rc" 1
expect_contains "... says so" "$out" "is not usable (PEM expected)"
printf 'max-line = 10\n' >>"$GWCONF"
out=$("$BIN/bin/mailrpc-pop3d" --config "$GWCONF" --check-config 2>&1); rc=$?
same "gateway bad value: status 78" "$rc" 78
expect_contains "... names file and line" "$out" "mailrpc-pop3d: $GWCONF:9: max-line must be 1024..1048576 bytes"
printf 'min-level = privacy\n' >"$GWCONF"
out=$("$BIN/bin/mailrpc-imapd" --config "$GWCONF" --check-config 2>&1); rc=$?
same "a mailrpcd key in the gateway's file: status 78" "$rc" 78
expect_contains "... unknown there" "$out" "$GWCONF:1: unknown key 'min-level'"

# No reload in the gateway either: SIGHUP leaves it serving.
start_gateway imap
kill -HUP "$GW_PID"
sleep 0.5
check "the gateway survives SIGHUP" kill -0 "$GW_PID"
out=$(timeout 10 "$PY" -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
print(s.recv(4096).decode())' "$GW_PORT" 2>&1)
expect_contains "... and greets a new connection" "$out" "* OK"
stop_gateway
