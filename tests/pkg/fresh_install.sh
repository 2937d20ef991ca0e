#!/bin/bash
# fresh_install.sh DIR -- run by scripts/fresh-check --debs inside a bare
# Debian 12 chroot: installs the packages in DIR with apt (their Depends
# must bring everything), then checks what installing did.  PASS/FAIL
# lines, "N passed, M failed", status 1 on any failure.
set -u
DIR=$1
passed=0 failed=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }
check() { local n=$1; shift; if "$@"; then pass "$n"; else fail "$n" "command failed: $*"; fi; }

export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/tmp/apt.log 2>&1
if apt-get install -y -q --no-install-recommends "$DIR"/*.deb >>/tmp/apt.log 2>&1; then
	pass "apt installs every package with its dependencies on a bare system"
else
	tail -20 /tmp/apt.log
	fail "apt install" "see above"
fi
check "the mailrpc system user exists" bash -c 'getent passwd mailrpc | grep -q ":/var/lib/mailrpc:"'
check "its uid is a system one" bash -c 'u=$(id -u mailrpc); [ "$u" -lt 1000 ]'
same_stat=$(stat -c '%a %U %G' /var/lib/mailrpc 2>&1)
[ "$same_stat" = "750 mailrpc mailrpc" ] && pass "/var/lib/mailrpc is 0750 mailrpc:mailrpc" ||
	fail "/var/lib/mailrpc" "$same_stat"
check "no keytab was made" test ! -e /etc/mailrpc/mailrpcd.keytab
# Enabled is the link in multi-user.target.wants (a bare root has no systemctl).
for unit in mailrpcd mailrpc-imapd mailrpc-pop3d; do
	check "$unit.service is enabled" test "$(readlink /etc/systemd/system/multi-user.target.wants/$unit.service)" \
		= "/lib/systemd/system/$unit.service"
done
out=$(mailrpcd --check-config 2>&1); rc=$?
[ "$rc" -eq 64 ] && [[ $out == *"principal SERVICE@HOST is required (or principal = in /etc/mailrpc/mailrpcd.conf)"* ]] &&
	pass "mailrpcd reads /etc/mailrpc/mailrpcd.conf and asks for the principal" ||
	fail "mailrpcd --check-config" "status $rc: $out"
check "the CLI runs" bash -c 'mailrpc --help | grep -q "usage: mailrpc"'
apt-get purge -y -q mailrpc-gateway mailrpcd >>/tmp/apt.log 2>&1
check "purge keeps the store (people's mail)" test -d /var/lib/mailrpc
check "purge removes the config" test ! -e /etc/mailrpc/mailrpcd.conf
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
