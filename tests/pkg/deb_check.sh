#!/bin/bash
# deb_check.sh DIR -- the Debian packages in DIR (made by make deb)
# unpacked into a scratch root with dpkg -x, and checked: each file where
# policy puts it and in the package the issue names, the config files
# marked as conffiles and read by the packaged daemons without an error,
# no rpath, the postinst making the mailrpc user and a 0750 store.
# Reports PASS/FAIL lines and ends "N passed, M failed"; status 1 on any
# failure.  Run by make deb-check (slow: not part of make check).
set -u
DIR=$(cd "${1:?usage: deb_check.sh DIR}" && pwd)
R=$(mktemp -d "${TMPDIR:-/tmp}/mailrpc-deb.XXXXXX")
trap 'rm -rf "$R"' EXIT
passed=0 failed=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }
check() { local n=$1; shift; if "$@"; then pass "$n"; else fail "$n" "command failed: $*"; fi; }

MA=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
# package NAME PATH...: each PATH is in package NAME.
package() {
	local name=$1 deb list path missing=0; shift
	deb=$(ls "$DIR/${name}"_*.deb 2>/dev/null | head -1)
	[ -n "$deb" ] || { fail "package $name" "not built"; return; }
	list=$(dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|')
	for path in "$@"; do
		grep -qx -- "$path" <<<"$list" ||
			{ fail "$name holds $path" "not in the package"; missing=1; }
	done
	[ "$missing" -eq 1 ] || pass "$name holds its $# files"
	dpkg-deb -x "$deb" "$R"
}
package mailrpcd /usr/sbin/mailrpcd /usr/sbin/mailrpc-admin /usr/sbin/mailrpc-deliver \
	/usr/sbin/mailrpc-map /etc/mailrpc/mailrpcd.conf /lib/systemd/system/mailrpcd.service \
	/usr/share/man/man8/mailrpcd.8.gz /usr/share/man/man8/mailrpc-admin.8.gz \
	/usr/share/man/man8/mailrpc-deliver.8.gz /usr/share/man/man8/mailrpc-map.8.gz \
	/usr/share/man/man5/mailrpcd.conf.5.gz
package mailrpc-gateway /usr/sbin/mailrpc-imapd /usr/sbin/mailrpc-pop3d \
	/etc/mailrpc/mailrpc-imapd.conf /etc/mailrpc/mailrpc-pop3d.conf \
	/lib/systemd/system/mailrpc-imapd.service /lib/systemd/system/mailrpc-pop3d.service \
	/usr/share/man/man8/mailrpc-imapd.8.gz /usr/share/man/man8/mailrpc-pop3d.8.gz
package mailrpc-client /usr/bin/mailrpc /usr/share/man/man1/mailrpc.1.gz
package libmailrpc1 "/usr/lib/$MA/libmailrpc.so.1.0.0" "/usr/lib/$MA/libmailrpc.so.1"
package libmailrpc-dev /usr/include/mailrpc.h "/usr/lib/$MA/libmailrpc.so" \
	"/usr/lib/$MA/pkgconfig/mailrpc.pc" /usr/share/man/man3/libmailrpc.3.gz

check "the CLI is not in the server package" bash -c "! dpkg-deb -c '$DIR'/mailrpcd_*.deb | grep -q 'usr/bin/mailrpc\$'"
check "libmailrpc.so.1 has soname libmailrpc.so.1" \
	test "$(objdump -p "$R/usr/lib/$MA/libmailrpc.so.1.0.0" | awk '/SONAME/ {print $2}')" = libmailrpc.so.1
check "the CLI has no rpath" bash -c "! readelf -d '$R/usr/bin/mailrpc' | grep -qE 'RPATH|RUNPATH'"
check "the pkg-config file names the multiarch libdir" grep -qx "libdir=/usr/lib/$MA" "$R/usr/lib/$MA/pkgconfig/mailrpc.pc"
out=$(LD_LIBRARY_PATH=$R/usr/lib/$MA "$R/usr/bin/mailrpc" --help 2>&1)
case $out in *"usage: mailrpc"*) pass "the packaged CLI runs with the packaged library" ;;
*) fail "the packaged CLI runs" "$out" ;; esac
# Postfix's spawn(8) runs it: one socketmap request in, a netstring out.
out=$(printf '5:foo x,' | "$R/usr/sbin/mailrpc-map" --store "$R/var/lib/mailrpc" 2>&1)
case $out in *":PERM unknown map"*) pass "the packaged mailrpc-map answers a socketmap request" ;;
*) fail "the packaged mailrpc-map answers" "$out" ;; esac

for pkg in mailrpcd mailrpc-gateway; do
	conffiles=$(dpkg-deb -f "$DIR/${pkg}"_*.deb Conffiles 2>/dev/null; dpkg-deb -I "$DIR/${pkg}"_*.deb conffiles 2>/dev/null)
	for f in $(dpkg-deb -c "$DIR/${pkg}"_*.deb | awk '{print $6}' | sed -n 's|^\./\(etc/.*[^/]\)$|/\1|p'); do
		grep -qx -- "$f" <<<"$conffiles" && pass "$f is a conffile" || fail "$f is a conffile" "not listed"
	done
done

# The shipped files parse: what stops the daemon is the setting the admin
# must make (principal, certificate), not a bad key (status 78).
out=$("$R/usr/sbin/mailrpcd" --config "$R/etc/mailrpc/mailrpcd.conf" --check-config 2>&1); rc=$?
[ "$rc" -eq 64 ] && [[ $out == *"--principal SERVICE@HOST is required"* ]] &&
	pass "shipped mailrpcd.conf parses; principal left to the admin" ||
	fail "shipped mailrpcd.conf" "status $rc: $out"
for p in imapd pop3d; do
	out=$("$R/usr/sbin/mailrpc-$p" --config "$R/etc/mailrpc/mailrpc-$p.conf" --check-config 2>&1); rc=$?
	[ "$rc" -eq 64 ] && [[ $out == *"--cert FILE and --key FILE are required"* ]] &&
		pass "shipped mailrpc-$p.conf parses; certificate left to the admin" ||
		fail "shipped mailrpc-$p.conf" "status $rc: $out"
done

postinst=$(dpkg-deb -I "$DIR"/mailrpcd_*.deb postinst)
[[ $postinst == *"adduser --system --group"*"mailrpc"* ]] && pass "postinst makes the mailrpc system user" ||
	fail "postinst makes the mailrpc user" "no adduser --system"
[[ $postinst == *"-o mailrpc -g mailrpc -m 0750 /var/lib/mailrpc"* ]] && pass "postinst makes /var/lib/mailrpc 0750" ||
	fail "postinst makes /var/lib/mailrpc" "not found"
check "no keytab is shipped" bash -c "! dpkg-deb -c '$DIR'/mailrpcd_*.deb | grep -q keytab\$"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
