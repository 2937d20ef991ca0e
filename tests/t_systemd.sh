# t_systemd.sh -- the systemd units (issue 16), checked offline since
# systemd is not PID 1 here: systemd-analyze verify finds nothing to say
# about each unit in a scratch root holding the binaries, the man pages
# and the system's own units; systemd-analyze security --offline rates
# each at most 2.0 ("OK"; README quotes the scores); and readiness: the
# daemons send READY=1 with their pid on $NOTIFY_SOCKET once they
# listen, and STOPPING=1 on SIGTERM (Type=notify).
. "$(dirname "$0")/lib.sh"
command -v systemd-analyze >/dev/null || skip "systemd-analyze not installed"

R=$T/root
mkdir -p "$R/usr/sbin" "$R/lib/systemd" "$R/etc/mailrpc"
cp -a /lib/systemd/system "$R/lib/systemd/"
cp "$TOP/systemd/"*.service "$R/lib/systemd/system/"
cp "$BIN/bin/mailrpcd" "$BIN/bin/mailrpc-imapd" "$BIN/bin/mailrpc-pop3d" "$R/usr/sbin/"
make -s -C "$TOP" MANDIR="$R/usr/share/man" install-man >/dev/null 2>&1 || fail "install-man" "failed"

for unit in mailrpcd mailrpc-imapd mailrpc-pop3d; do
	out=$(MANPATH=$R/usr/share/man systemd-analyze verify --root="$R" \
		"$R/lib/systemd/system/$unit.service" 2>&1); rc=$?
	same "verify $unit.service: status 0" "$rc" 0
	same "verify $unit.service: nothing to say" "$out" ""
	out=$(systemd-analyze security --offline=true --threshold=20 --root="$R" \
		"$R/lib/systemd/system/$unit.service" 2>&1); rc=$?
	same "security $unit.service: exposure at most 2.0" "$rc" 0
	score=$(sed -n 's/.*Overall exposure level for .*: \([0-9.]*\) .*/\1/p' <<<"$out")
	echo "# $unit.service exposure: ${score:-?}"
	for setting in NoNewPrivileges ProtectSystem PrivateTmp ProtectHome RestrictAddressFamilies \
		SystemCallFilter CapabilityBoundingSet; do
		grep -q "^$setting=" "$TOP/systemd/$unit.service" ||
			fail "$unit.service sets $setting" "missing"
	done
done
check "mailrpcd.service: no capability at all" grep -qx 'CapabilityBoundingSet=' "$TOP/systemd/mailrpcd.service"
check "mailrpcd.service: writes the store only" \
	test "$(grep '^ReadWritePaths=' "$TOP/systemd/mailrpcd.service")" = "ReadWritePaths=/var/lib/mailrpc"
# A typo in a directive is reported: the verify above would catch one.
sed 's/^SystemCallFilter=@system-service$/SystemCallFilter=@system-servic/' \
	"$R/lib/systemd/system/mailrpcd.service" >"$R/lib/systemd/system/broken.service"
out=$(MANPATH=$R/usr/share/man systemd-analyze verify --root="$R" \
	"$R/lib/systemd/system/broken.service" 2>&1)
expect_contains "verify reports a broken unit" "$out" "Unknown system call group"

# ---- readiness: sd_notify on a socket of our own ----
setup_realm alice
notify_listen() { # SOCKET OUT: records the first two datagrams, 20 s at most
	"$PYTHON" - "$1" "$2" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(20)
with open(sys.argv[2], "w") as out:
    for _ in range(2):
        try:
            out.write(s.recv(4096).decode() + "\n--\n")
            out.flush()
        except socket.timeout:
            break
PY
	PIDS+=("$!")
	LISTENER=$!
}
PYTHON=/usr/bin/python3
notify_listen "$T/notify.sock" "$T/notify.out"
wait_for 50 test -S "$T/notify.sock" || fail "notify socket" "not created"
NOTIFY_SOCKET=$T/notify.sock start_server
wait_for 100 grep -q "READY=1" "$T/notify.out"
expect_contains "mailrpcd says READY=1 once it listens" "$(cat "$T/notify.out")" "READY=1"
expect_contains "... with its pid" "$(cat "$T/notify.out")" "MAINPID=$SERVER_PID"
stop_server
wait "$LISTENER" 2>/dev/null
expect_contains "mailrpcd says STOPPING=1 on SIGTERM" "$(cat "$T/notify.out")" "STOPPING=1"
