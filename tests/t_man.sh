# t_man.sh -- the manual pages (issue 16): make install puts each in its
# section, groff -ww and man -l render each without a warning, and every
# option a daemon's --help lists (generated from its flag table) is
# documented in its page and, as a key, in mailrpcd.conf(5), so a flag
# added later without a line in the manual fails here.  The same for what
# the other programs say they have: each command of mailrpc-admin and
# mailrpc --help, each policy key with the default and bounds mailrpc-admin
# itself reports, each map mailrpc-map answers, each MAILRPC_E_ code of
# mailrpc.h and each MAILRPC_ variable the library or CLI reads.
. "$(dirname "$0")/lib.sh"

make -s -C "$TOP" MANDIR="$T/man" install-man >"$T/install.log" 2>&1 ||
	fail "make install-man" "$(cat "$T/install.log")"
want="man1/mailrpc.1 man3/libmailrpc.3 man5/mailrpcd.conf.5 man8/mailrpcd.8 man8/mailrpc-admin.8
man8/mailrpc-deliver.8 man8/mailrpc-imapd.8 man8/mailrpc-pop3d.8 man8/mailrpc-map.8"
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

# man_escaped WORD: WORD as a page writes it (each - as \-).
man_escaped() { printf '%s' "${1//-/\\-}"; }

# has_item PAGE NAME: PAGE has an item or synopsis naming NAME: a line
# ".B NAME", ".BI NAME ...", ".BR \"NAME ...\"", or NAME after \fP (a second
# command in one item, "disable USER, enable USER").
has_item() {
	local name
	name=$(man_escaped "$2")
	grep -qE -- "^\.B[IR]? \"?${name//\\/\\\\}([ \"]|$)|\\\\fP${name//\\/\\\\}[ \"]" "$TOP/man/$1"
}

# commands_documented PROGRAM PAGE: every command PROGRAM --help lists
# under "commands:" is an item of PAGE.
commands_documented() {
	local program=$1 page=$2 cmd cmds missing=
	cmds=$("$BIN/bin/$program" --help | sed -n '/^commands:/,$s/^  \([a-z]\+\) .*/\1/p')
	[ -n "$cmds" ] || { fail "$program --help lists commands" "none found"; return; }
	for cmd in $cmds; do
		has_item "$page" "$cmd" || missing="$missing $cmd"
	done
	same "every command of $program is in $page" "$missing" ""
}
commands_documented mailrpc-admin mailrpc-admin.8
commands_documented mailrpc mailrpc.1

# item_text PAGE NAME: the text of the .TP item whose tag is ".B NAME",
# up to the next item or paragraph.
item_text() {
	local tag
	tag=".B $(man_escaped "$2")"
	awk -v tag="$tag" '$0 == tag { on = 1; next }
		on && /^\.(TP|PP|SH|SS)/ { exit }
		on { print }' "$TOP/man/$1" | tr '\n' ' '
}

# Each policy key, with the default and the bounds mailrpc-admin gives
# (its table: server/store/store_policy.c), as the page says them.
mkdir -p "$T/store"
keys=$("$BIN/bin/mailrpc-admin" --store "$T/store" policy | awk 'NR > 1 { print $1 " " $2 }')
[ -n "$keys" ] || fail "mailrpc-admin policy lists keys" "none found"
missing=
while read -r key default; do
	[ -n "$key" ] || continue
	bounds=$("$BIN/bin/mailrpc-admin" --store "$T/store" policy set "$key" x 2>&1 |
		sed -n 's/.*, \(from [^ ]* to [^;]*\);.*/\1/p')
	text=$(item_text mailrpc-admin.8 "$key")
	case $text in
	*"Default $default"*"$bounds"*) ;;
	*) missing="$missing $key (want \"Default $default\" and \"$bounds\")" ;;
	esac
done <<<"$keys"
same "every policy key is in mailrpc-admin.8 with its default and bounds" "$missing" ""

# mailrpc-map: its option, and each map it answers (its reply to an
# unknown map names them all).
synopsis=$("$BIN/bin/mailrpc-map" --help)
expect_contains "mailrpc-map --help names --store" "$synopsis" "--store DIR"
check "mailrpc-map.8 documents --store" grep -qF -- "$(man_escaped --store)" "$TOP/man/mailrpc-map.8"
maps=$(printf '5:foo x,' | "$BIN/bin/mailrpc-map" --store "$T/store" |
	sed -n 's/.*unknown map (\([^)]*\)).*/\1/p' | grep -oE '[a-z]+' | grep -vx or)
[ -n "$maps" ] || fail "mailrpc-map names its maps" "no list in its reply to an unknown map"
missing=
for map in $maps; do
	grep -qE "^\.BI $map \"" "$TOP/man/mailrpc-map.8" || missing="$missing $map"
done
same "every map mailrpc-map answers is in mailrpc-map.8" "$missing" ""

# libmailrpc: every status code of the header in its page.
missing=
for code in $(grep -o 'MAILRPC_E_[A-Z]*' "$TOP/stub/mailrpc.h" | sort -u); do
	grep -qw "$code" "$TOP/man/libmailrpc.3" || missing="$missing $code"
done
same "every MAILRPC_E_ code of mailrpc.h is in libmailrpc.3" "$missing" ""

# env_documented SOURCES PAGE...: every MAILRPC_ variable the C files
# SOURCES (a glob under TOP) read is an item of each PAGE's ENVIRONMENT.
env_documented() {
	local sources=$1 page var vars missing=; shift
	# shellcheck disable=SC2086 # the glob is meant to expand
	vars=$(cat "$TOP"/$sources | grep -o 'getenv("MAILRPC_[A-Z_]*")' |
		sed 's/getenv("\(.*\)")/\1/' | sort -u)
	[ -n "$vars" ] || { fail "$sources read MAILRPC_ variables" "none found"; return; }
	for var in $vars; do
		for page in "$@"; do
			sed -n '/^\.SH ENVIRONMENT/,/^\.SH /p' "$TOP/man/$page" | grep -qx ".B $var" ||
				missing="$missing $var($page)"
		done
	done
	same "every MAILRPC_ variable of $sources is in $*" "$missing" ""
}
env_documented 'stub/*.c' libmailrpc.3 mailrpc.1
env_documented 'client/*.c' mailrpc.1
