# t_man.sh -- the manual pages (issue 16): make install puts each in its
# section, groff -ww and man -l render each without a warning, and every
# option a daemon's --help lists (generated from its flag table) is
# documented in its page and, as a key, in mailrpcd.conf(5), so a flag
# added later without a line in the manual fails here.
. "$(dirname "$0")/lib.sh"

make -s -C "$TOP" MANDIR="$T/man" install-man >"$T/install.log" 2>&1 ||
	fail "make install-man" "$(cat "$T/install.log")"
want="man1/mailrpc.1 man3/libmailrpc.3 man5/mailrpcd.conf.5 man8/mailrpcd.8 man8/mailrpc-admin.8
man8/mailrpc-deliver.8 man8/mailrpc-imapd.8 man8/mailrpc-pop3d.8"
for page in $want; do
	check "installed: $page" test -f "$T/man/$page"
done

cd "$T/man" || exit 1
for page in $want; do
	out=$(groff -man -ww -z "$page" 2>&1)
	same "groff -ww: $page" "$out" ""
	out=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
	same "man -l: $page" "$out" ""
done
cd "$TOP" || exit 1

# documented PROGRAM PAGE: every --flag of PROGRAM --help appears in PAGE
# and as a key in mailrpcd.conf(5).
documented() {
	local program=$1 page=$2 flag flags
	flags=$("$BIN/bin/$program" --help | sed -n 's/^  --\([a-z-]*\).*/\1/p')
	[ -n "$flags" ] || fail "$program --help lists options" "none found"
	for flag in $flags; do
		grep -qF -- "\\-\\-${flag//-/\\-}" "$TOP/man/$page" ||
			fail "$page documents --$flag" "not found"
		case $flag in config | check-config | help) continue ;; esac
		grep -qF -- "${flag//-/\\-}" "$TOP/man/mailrpcd.conf.5" ||
			fail "mailrpcd.conf.5 documents key $flag" "not found"
	done
	pass "every option of $program is in $page and mailrpcd.conf.5"
}
documented mailrpcd mailrpcd.8
documented mailrpc-imapd mailrpc-imapd.8
documented mailrpc-pop3d mailrpc-imapd.8
