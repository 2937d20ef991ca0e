# t_deliver.sh -- mailrpc-deliver, the local delivery agent: byte-exact
# delivery with Return-Path and Delivered-To, each sysexits status,
# deliveries in parallel while clients read, and a delivery killed while
# it reads a slow standard input stores nothing.
. "$(dirname "$0")/lib.sh"
setup_realm bob carol dave
export XDG_CACHE_HOME=$T/cache
start_server
DELIVER=$BIN/bin/mailrpc-deliver
deliver() { "$DELIVER" --store "$T/store" "$@"; }
admin() { "$BIN/bin/mailrpc-admin" --store "$T/store" "$@"; }
# A mailbox comes into being on its owner's first call.
for u in dave carol bob; do kinit_as $u; mailrpc whoami >/dev/null; done
MSG=$TESTS_DIR/corpus/01-plain-lf.eml

newest() { mailrpc --json ls "${1:-Inbox}" --sort id --reverse --limit 1 | jq '.[0].id'; }
count() { mailrpc --json ls "${1:-Inbox}" | jq length; }
# same_as_newest FILE [FOLDER]: bob's newest message is FILE, byte for byte.
same_as_newest() { "$BIN/bin/mailrpc" cat "$(newest "${2:-Inbox}")" | cmp -s "$1" -; }
# The added lines end like the message's first line.
eol_of() {
	local first
	IFS= read -r first <"$1"
	if [[ $first == *$'\r' ]]; then printf '\r\n'; else printf '\n'; fi
}

# ---- byte-exact, with the two trace headers ----
deliver -d bob -f alice@example.org <"$MSG"; rc=$?
check "delivery exits 0" test "$rc" -eq 0
{ printf 'Return-Path: <alice@example.org>\nDelivered-To: bob\n'; cat "$MSG"; } >"$T/want"
check "a running client sees it: byte-exact with Return-Path and Delivered-To" same_as_newest "$T/want"
for f in "$TESTS_DIR"/corpus/*.eml; do
	eol=$(eol_of "$f"; echo x); eol=${eol%x}
	deliver -d bob -f "sender@example.org" <"$f"
	{ printf 'Return-Path: <sender@example.org>%sDelivered-To: bob%s' "$eol" "$eol"; cat "$f"; } >"$T/want"
	check "corpus $(basename "$f"): byte-exact, trace lines ending like its first line" same_as_newest "$T/want"
done
deliver -d bob -f "" <"$MSG"
{ printf 'Return-Path: <>\nDelivered-To: bob\n'; cat "$MSG"; } >"$T/want"
check "null sender (-f \"\") is Return-Path: <>" same_as_newest "$T/want"
deliver -d bob -f "<>" <"$MSG"
check "null sender (-f \"<>\") is Return-Path: <>" same_as_newest "$T/want"
deliver -d bob <"$MSG"
{ printf 'Delivered-To: bob\n'; cat "$MSG"; } >"$T/want"
check "without -f only Delivered-To is added" same_as_newest "$T/want"
kinit_as bob
mailrpc mkfolder Lists
deliver -d bob -m Lists -f list@example.org <"$MSG"
{ printf 'Return-Path: <list@example.org>\nDelivered-To: bob\n'; cat "$MSG"; } >"$T/want"
check "-m FOLDER delivers into that folder" same_as_newest "$T/want" Lists
before=$(count)
deliver -d bob -m "No Such Folder" -f list@example.org <"$MSG"; rc=$?
check "-m of a missing folder: delivered (exit $rc) to the Inbox instead" \
	test "$rc" -eq 0 -a "$(count)" -eq $((before + 1))

# ---- exit statuses (sysexits), one line on stderr each ----
# expect_exit NAME STATUS TEXT COMMAND...: exit status, and one stderr line with TEXT.
expect_exit() {
	local name=$1 want=$2 text=$3; shift 3
	"$@" 2>"$T/err"; local rc=$?
	check "$name: exit $want (got $rc)" test "$rc" -eq "$want"
	check "$name: one line on stderr ($(head -c 120 "$T/err"))" test "$(wc -l <"$T/err")" -eq 1
	expect_contains "$name: says why" "$(cat "$T/err")" "$text"
}
expect_exit "unknown user" 67 "nosuchuser: no such mailbox" deliver -d nosuchuser -f a@b <"$MSG"
expect_exit "unknown user again (no mailbox was created)" 67 "no such mailbox" \
	deliver -d nosuchuser -f a@b <"$MSG"
expect_exit "empty user name" 67 "no such mailbox" deliver -d "" <"$MSG"
admin disable carol >/dev/null
expect_exit "disabled mailbox" 67 "carol: mailbox disabled" deliver -d carol -f a@b <"$MSG"

head -c 2000 /dev/urandom >"$T/2000"
before=$(count)
admin policy set max-message 1000
expect_exit "over the policy's max-message" 65 "over the size limit of 1000 bytes" \
	deliver -d bob <"$T/2000"
check "over max-message: nothing stored" test "$(count)" -eq "$before"
admin policy set max-message 4K
check "under max-message 4K: delivered" deliver -d bob <"$T/2000"
admin policy unset max-message
head -c $((50 * 1024 * 1024 + 1)) /dev/zero | tr '\0' 'x' >"$T/50M+1"
expect_exit "over the default limit (50 MiB, as mailrpcd)" 65 "over the size limit" \
	deliver -d bob <"$T/50M+1"
rm -f "$T/50M+1"
expect_exit "empty input" 65 "no message on standard input" deliver -d bob </dev/null

admin quota dave 3000 >/dev/null
check "under dave's quota: delivered" deliver -d dave <"$T/2000"
expect_exit "over dave's quota" 75 "dave: mailbox over quota" deliver -d dave <"$T/2000"
kinit_as dave
check "over quota: nothing stored" test "$(count)" -eq 1
admin quota dave 0 >/dev/null
check "quota raised: the retry is delivered" deliver -d dave <"$T/2000"
check "quota raised: dave has both" test "$(count)" -eq 2
kinit_as bob
admin policy set default-quota 1000
expect_exit "over the policy's default-quota" 75 "bob: mailbox over quota" deliver -d bob <"$MSG"
admin policy unset default-quota
expect_exit "store unavailable" 75 "cannot open store" \
	"$DELIVER" --store "$T/no-such-store" -d bob <"$MSG"
mkdir "$T/empty"
expect_exit "--store names a directory without a store" 75 "cannot open store" \
	"$DELIVER" --store "$T/empty" -d bob <"$MSG"
check "no store was made there" test -z "$(ls -A "$T/empty")"

expect_exit "usage: no -d or -a" 64 "one of -d USER and -a ADDRESS is required" deliver -f a@b <"$MSG"
expect_exit "usage: no --store" 64 "--store DIR is required" "$DELIVER" -d bob <"$MSG"
expect_exit "usage: unknown option" 64 "unknown option: --bogus" deliver -d bob --bogus <"$MSG"
expect_exit "usage: option without its argument" 64 "missing argument of: -d" deliver -d <"$MSG"
expect_exit "usage: extra argument" 64 "unexpected argument: extra" deliver -d bob extra <"$MSG"
expect_exit "an option now in the store's policy defers" 75 "--max-message is no longer an option" \
	deliver -d bob --max-message lots <"$MSG"
expect_exit "usage: newline in the sender" 64 "control character" \
	deliver -d bob -f $'a@b\nX-Injected: 1' <"$MSG"

# ---- 4 deliveries at a time while 2 clients list ----
before=$(count)
writers=() readers=()
for w in 1 2 3 4; do
	(for i in $(seq 1 20); do
		printf 'From: w%s@example.org\nSubject: parallel %s-%s\n\nbody %s-%s\n' $w $w $i $w $i |
			"$DELIVER" --store "$T/store" -d bob -f "w$w@example.org" || echo "FAILED $w-$i"
	done) >"$T/writer.$w" 2>&1 &
	writers+=($!)
done
for r in 1 2; do
	(last=0
	for i in $(seq 1 30); do
		n=$("$BIN/bin/mailrpc" --json ls Inbox | jq length) || { echo "list $i failed"; continue; }
		[ "$n" -ge "$last" ] || echo "count went back from $last to $n"
		last=$n
	done) >"$T/reader.$r" 2>&1 &
	readers+=($!)
done
PIDS+=("${writers[@]}" "${readers[@]}")
wait "${writers[@]}" "${readers[@]}"
check "parallel: all 80 deliveries exited 0" test -z "$(cat "$T"/writer.*)"
check "parallel: both clients listed throughout, never losing a message" \
	test -z "$(cat "$T"/reader.*)"
check "parallel: the Inbox grew by exactly 80" test "$(count)" -eq $((before + 80))
subjects=$(mailrpc --json ls Inbox | jq -r '.[].subject' | grep '^parallel ' | sort)
check "parallel: 80 distinct messages, none twice" \
	test "$(sort -u <<<"$subjects" | wc -l)" -eq 80 -a "$(wc -l <<<"$subjects")" -eq 80

# ---- SIGKILL while reading a slow standard input ----
mkfifo "$T/slow"
"$DELIVER" --store "$T/store" -d bob -f slow@example.org <"$T/slow" 2>/dev/null &
victim=$!
PIDS+=("$victim")
exec 3>"$T/slow"
printf 'From: slow@example.org\nSubject: half a message\n\nthe first half\n' >&3
sleep 0.5
check "slow sender: the delivery is waiting for the rest" kill -0 "$victim"
kill -KILL "$victim"
{ wait "$victim"; } 2>/dev/null; rc=$?
exec 3>&-
check "slow sender: the delivery died of SIGKILL (status $rc)" test "$rc" -eq 137
check "slow sender: nothing of it was stored" \
	test "$(mailrpc --json search --subject "half a message" | jq length)" -eq 0
check "after the kill the next delivery works" deliver -d bob <"$MSG"
