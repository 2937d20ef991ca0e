# t_messages.sh -- messages end to end: listing (JSON contract, every sort
# order both ways, paging, byte-budget pages), flags, move/copy/delete,
# search, and two users kept apart.
. "$(dirname "$0")/lib.sh"
setup_realm
kinit_as alice
start_server

jq_check() {
	if jq -e "$3" >/dev/null <<<"$2"; then pass "$1"; else fail "$1" "jq $3 on: $2"; fi
}

# same NAME GOT WANT: the two (multi-line) texts are equal.
same() {
	if [ "$2" == "$3" ]; then pass "$1"; else fail "$1" "got [$(echo $2)] want [$(echo $3)]"; fi
}

fails_with() {
	local name=$1 expected=$2 out rc; shift 2
	out=$("$@" 2>&1); rc=$?
	if [ "$rc" -ne 1 ]; then fail "$name" "exit status $rc (want 1): $out"; return; fi
	if [ "$(wc -l <<<"$out")" -ne 1 ]; then fail "$name" "not one line: $out"; return; fi
	expect_contains "$name" "$out" "$expected"
}

usage_error() {
	local name=$1 rc; shift
	"$@" >/dev/null 2>&1; rc=$?
	check "$name" test "$rc" -eq 64
}

ids() { jq -r '.[].id'; }

# Message i: From, Subject and size each follow their own permutation of
# 0..29, so every sort order differs from id order.  Case alternates to
# show the sorts ignore ASCII case.
gen_msg() {
	local i=$1 fkey=$(( (i * 7) % 30 )) skey=$(( (i * 11) % 30 )) pad=$(( (i * 13) % 30 * 37 ))
	local u=u s=s
	if (( i % 2 )); then u=U; s=S; fi
	printf 'From: %sser %02d <u%02d@example.org>\r\n' "$u" "$fkey" "$fkey"
	printf 'To: team-%d@example.org\r\nCc: cc%02d@example.org\r\n' $(( i % 3 )) "$i"
	printf '%subject %02d\r\n' "Subject: $s" "$skey"
	printf 'Date: Mon, 01 Jan 2024 00:00:%02d +0000\r\nMessage-ID: <msg-%02d@example.org>\r\n' "$i" "$i"
	printf '\r\nBody of message %02d.\r\n' "$i"
	(( i == 17 )) && printf 'The password is zanzibar.\r\n'
	printf '%*s\r\n' "$pad" '' | tr ' ' x
}

# ---- 30 messages in the Inbox, and what every sort must give ------------
: >"$T/meta"
for i in $(seq 1 30); do
	gen_msg "$i" >"$T/m$i"
	id=$(mailrpc put Inbox "$T/m$i") || { fail "put message $i" "$id"; exit 1; }
	echo "$id $(( (i * 7) % 30 )) $(( (i * 11) % 30 )) $(wc -c <"$T/m$i") $i" >>"$T/meta"
done
pass "put 30 messages"
id_of() { awk -v i="$1" '$5 == i { print $1 }' "$T/meta"; }

want_order() { # KEY-COLUMN: ids by that column, ties by id
	sort -k"$1,$1n" -k1,1n "$T/meta" | awk '{ print $1 }'
}
declare -A col=([id]=1 [date]=1 [size]=4 [from]=2 [subject]=3)

json=$(mailrpc --json ls)
jq_check "ls lists 30 messages" "$json" 'length == 30'
jq_check "ls json has the contract keys and types" "$json" '
	all(.[]; (.id | type == "number") and .folder == "Inbox" and (.from | type == "string")
	and (.to | type == "string") and (.cc | type == "string") and (.subject | type == "string")
	and (.date | type == "string") and (.message_id | type == "string")
	and (.received | type == "number") and (.size | type == "number")
	and (.flags == []) and (.sha256 | test("^[0-9a-f]{64}$")))'
m5=$(id_of 5)
jq_check "summary fields are the headers" "$json" "
	.[] | select(.id == $m5) | .from == \"User 05 <u05@example.org>\"
	and .to == \"team-2@example.org\" and .cc == \"cc05@example.org\"
	and .subject == \"Subject 25\" and .message_id == \"<msg-05@example.org>\"
	and .date == \"Mon, 01 Jan 2024 00:00:05 +0000\""
jq_check "size and sha256 are the stored bytes" "$json" "
	.[] | select(.id == $m5) | .size == $(wc -c <"$T/m5")
	and .sha256 == \"$(sha256sum "$T/m5" | cut -d' ' -f1)\""

for key in id date size from subject; do
	want=$(want_order "${col[$key]}")
	same "ls --sort $key" "$(mailrpc --json ls --sort "$key" | ids)" "$want"
	same "ls --sort $key --reverse" "$(mailrpc --json ls --sort "$key" --reverse | ids)" \
		"$(tac <<<"$want")"
done
same "ls sorts by id by default" "$(mailrpc --json ls | ids)" "$(want_order 1)"

want=$(want_order 4)
same "paging: --offset 5 --limit 7" "$(mailrpc --json ls --sort size --offset 5 --limit 7 | ids)" \
	"$(sed -n '6,12p' <<<"$want")"
same "paging: reversed page" "$(mailrpc --json ls --sort size --reverse --offset 3 --limit 4 | ids)" \
	"$(tac <<<"$want" | sed -n '4,7p')"
same "paging: last partial page" "$(mailrpc --json ls --sort size --offset 27 --limit 10 | ids)" \
	"$(sed -n '28,30p' <<<"$want")"
same "paging: pages put together are the whole list" \
	"$(for o in 0 8 16 24; do mailrpc --json ls --sort size --offset $o --limit 8 | ids; done)" "$want"
jq_check "paging: offset past the end is empty" "$(mailrpc --json ls --offset 30)" 'length == 0'
jq_check "--limit 0 means all" "$(mailrpc --json ls --limit 0)" 'length == 30'

out=$(mailrpc ls --sort size --limit 3)
check "text ls: one line per message" test "$(wc -l <<<"$out")" -eq 3
first=$(head -1 <<<"$out")
id=$(head -1 <<<"$want")
expect_contains "text line starts with the id" "$first" "$id  -----  "
expect_contains "text line has the From" "$first" "ser "
expect_contains "text line has the subject" "$first" "ubject "
check "text line ends with the size" grep -qE ' [0-9.]+[KM]?$' <<<"$first"

# ---- flags and unread counts --------------------------------------------
m1=$(id_of 1) m2=$(id_of 2) m3=$(id_of 3)
check "flag +seen on three" mailrpc flag "$m1" "$m2" "$m3" +seen
jq_check "--unread leaves them out" "$(mailrpc --json ls --unread)" "
	length == 27 and all(.[]; .id != $m1 and .id != $m2 and .id != $m3)"
jq_check "folders counts the unread" "$(mailrpc --json folders)" '
	.[] | select(.path == "Inbox") | .total == 30 and .unread == 27'
check "flag -seen on one" mailrpc flag "$m2" -seen
jq_check "unread count follows -seen" "$(mailrpc --json folders)" '
	.[] | select(.path == "Inbox") | .unread == 28'
check "flag several changes at once" mailrpc flag "$m1" +flagged +answered -seen +draft
jq_check "json flags name every flag" "$(mailrpc --json ls)" "
	(.[] | select(.id == $m1) | .flags) == [\"flagged\",\"answered\",\"draft\"] and
	(.[] | select(.id == $m3) | .flags) == [\"seen\"]"
expect_contains "text flags show letters" "$(mailrpc ls | grep -E "^ *$m3  ")" "S---"
expect_contains "text flags show every letter" "$(mailrpc ls | grep -E "^ *$m1  ")" "-FAD"
jq_check "--unread with sort and paging" "$(mailrpc --json ls --unread --sort size --limit 5)" \
	"length == 5 and all(.[]; .flags | index(\"seen\") | not)"
fails_with "flag an unknown id" "no such message: 999999" mailrpc flag 999999 +seen
fails_with "flag names the missing id in a batch" "no such message: 999998" \
	mailrpc flag "$m1" 999998 +seen
jq_check "flag is all or nothing" "$(mailrpc --json ls)" "
	.[] | select(.id == $m1) | .flags | index(\"seen\") | not"
usage_error "flag without a change is a usage error" mailrpc flag "$m1"
usage_error "flag without an id is a usage error" mailrpc flag +seen
usage_error "flag with an unknown flag is a usage error" mailrpc flag "$m1" +urgent
usage_error "flag set and cleared at once is a usage error" mailrpc flag "$m1" +seen -seen

# ---- move, copy, delete ----------------------------------------------------
m4=$(id_of 4) m6=$(id_of 6) m7=$(id_of 7) m8=$(id_of 8)
n4=$(mailrpc mv "$m4" Drafts)
check "mv to Drafts prints the new id ($n4)" test -n "$n4"
check "mv gives the message a new id in its folder, above every id there was" \
	test "${n4:-0}" -gt "$(mailrpc --json ls | jq 'map(.id) | max')"
jq_check "mv puts it in Drafts under that id" "$(mailrpc --json ls Drafts)" "
	length == 1 and .[0].id == ${n4:-0} and .[0].folder == \"Drafts\" and
	.[0].sha256 == \"$(sha256sum "$T/m4" | cut -d' ' -f1)\""
jq_check "mv takes it out of the Inbox" "$(mailrpc --json ls)" "
	length == 29 and all(.[]; .id != $m4)"
fails_with "the old id is gone" "no such message: $m4" mailrpc cat "$m4"
out=$(mailrpc cp "$m6" "$m7" Drafts)
check "cp prints one new id per message" test "$(wc -l <<<"$out")" -eq 2
c6=$(head -1 <<<"$out")
check "cp gives a new id" test "$c6" != "$m6"
json=$(mailrpc --json ls Drafts)
jq_check "copy is in Drafts with the same bytes" "$json" "
	length == 3 and (.[] | select(.id == $c6) | .sha256) ==
	\"$(sha256sum "$T/m6" | cut -d' ' -f1)\""
jq_check "original stays in the Inbox" "$(mailrpc --json ls)" "any(.[]; .id == $m6)"
jq_check "cp --json prints an array of new ids" "$(mailrpc --json cp "$m8" Drafts)" '
	type == "array" and length == 1 and (.[0] | type == "number")'
fails_with "mv an unknown id" "no such message: 999999" mailrpc mv 999999 Drafts
fails_with "mv to an unknown folder" "no such folder: Nowhere" mailrpc mv "$m6" Nowhere
fails_with "cp an unknown id" "no such message: 999999" mailrpc cp 999999 Drafts
out=$(mailrpc mv "$m6" 999999 "$m7" Drafts 2>"$T/mv.err")
expect_contains "mv stops at the unknown id and names it" "$(cat "$T/mv.err")" "no such message: 999999"
expect_contains "mv says how many were moved first" "$(cat "$T/mv.err")" "1 of 3"
n6=$out
jq_check "ids before the failure were moved, and their new ids printed ($n6)" \
	"$(mailrpc --json ls Drafts)" "any(.[]; .id == ${n6:-0} and
	.sha256 == \"$(sha256sum "$T/m6" | cut -d' ' -f1)\") and all(.[]; .id != $m6)"
usage_error "mv without a folder is a usage error" mailrpc mv "$m6"
usage_error "mv with a bad id is a usage error" mailrpc mv abc Drafts

m9=$(id_of 9) m10=$(id_of 10)
check "rm moves to Deleted Items" mailrpc rm "$m9"
d9=$(mailrpc --json ls 'Deleted Items' | jq '.[0].id')
jq_check "the deleted message is in Deleted Items under a new id" \
	"$(mailrpc --json ls 'Deleted Items')" "length == 1 and .[0].id > $m9 and
	.[0].sha256 == \"$(sha256sum "$T/m9" | cut -d' ' -f1)\""
fails_with "its old id is gone" "no such message: $m9" mailrpc flag "$m9" +seen
check "rm there deletes for good" mailrpc rm "$d9"
jq_check "Deleted Items is empty" "$(mailrpc --json ls 'Deleted Items')" 'length == 0'
fails_with "a deleted message is gone" "no such message: $d9" mailrpc flag "$d9" +seen
check "rm --hard deletes at once" mailrpc rm --hard "$m10"
jq_check "rm --hard skips Deleted Items" "$(mailrpc --json ls 'Deleted Items')" 'length == 0'
jq_check "rm --hard removes it from the Inbox" "$(mailrpc --json ls)" "all(.[]; .id != $m10)"
fails_with "rm an unknown id" "no such message: 999999" mailrpc rm 999999
usage_error "rm without ids is a usage error" mailrpc rm
usage_error "rm with a bad id is a usage error" mailrpc rm 12x

# ---- search ---------------------------------------------------------------
by_meta() { awk "$1"' { print $1 }' "$T/meta" | sort -n; }
gone="\$1 != $m9 && \$1 != $m10"
# The Inbox now lacks m4 (moved), m6 (moved), m9, m10; Drafts holds copies.
same "search --from (case-insensitive)" "$(mailrpc --json search --from 'user 0' Inbox | ids)" \
	"$(by_meta "\$2 < 10 && $gone && \$1 != $m4 && \$1 != $m6")"
same "search --to" "$(mailrpc --json search --to team-1@ Inbox | ids)" \
	"$(by_meta "\$5 % 3 == 1 && $gone && \$1 != $m4")"
same "search --subject" "$(mailrpc --json search --subject 'SUBJECT 1' Inbox | ids)" \
	"$(by_meta "\$3 >= 10 && \$3 < 20 && $gone && \$1 != $m4 && \$1 != $m6")"
m17=$(id_of 17)
same "search --body finds the body only" "$(mailrpc --json search --body zanzibar | ids)" "$m17"
# Message 4 (From u28, now in Drafts) is found from anywhere.
jq_check "search spans every folder" "$(mailrpc --json search --from 'u28@')" "
	length == 1 and .[0].id == ${n4:-0} and .[0].folder == \"Drafts\""
jq_check "search in one folder stays there" "$(mailrpc --json search Inbox --from 'u28@')" \
	'length == 0'
jq_check "search criteria must all match" \
	"$(mailrpc --json search --subject 'subject 0' --to team-0@)" \
	'all(.[]; (.subject | ascii_downcase | startswith("subject 0")) and (.to | startswith("team-0@")))
	 and length > 0'
jq_check "search results come in id order" "$(mailrpc --json search --body message)" \
	'[.[].id] == ([.[].id] | sort) and length > 20'
out=$(mailrpc search --from 'u28@')
expect_contains "search text output shows the folder" "$out" "Drafts"
fails_with "search in an unknown folder" "no such folder: Nowhere" mailrpc search Nowhere --body x

# ---- pages cut by the reply byte budget -----------------------------------
# 80 summaries of ~3.6 KB each do not fit one reply: the library must ask
# for the rest itself.
check "mkfolder Big" mailrpc mkfolder Big
long=$(printf 'y%.0s' $(seq 900))
for i in $(seq 1 80); do
	printf 'From: %s%02d\r\nTo: %s\r\nCc: %s\r\nSubject: %s\r\n\r\nbig %d\r\n' \
		"$long" "$i" "$long" "$long" "$long" "$i" | mailrpc put Big >/dev/null ||
		{ fail "put big message $i" "put failed"; break; }
done
before=$(grep -c 'proc=MSG_LIST' "$SERVER_LOG")
json=$(mailrpc --json ls Big)
after=$(grep -c 'proc=MSG_LIST' "$SERVER_LOG")
jq_check "a listing over the byte budget is complete" "$json" '
	length == 80 and ([.[].id] == ([.[].id] | sort)) and all(.[]; .from | length > 900)'
check "that listing took more than one call" test $((after - before)) -ge 2
jq_check "a limit across budget pages is kept" "$(mailrpc --json ls Big --offset 5 --limit 70)" \
	"length == 70 and .[0].id == $(jq '.[5].id' <<<"$json")"

# ---- batches over MAILRPC_IDS_MAX (4096) ids -------------------------------
# Move/copy/delete go id by id, so the library splits them into calls;
# flags are all-or-nothing, so it refuses instead.
one=$(id_of 11)
before=$(grep -c 'proc=MSG_COPY' "$SERVER_LOG")
mailrpc cp $(yes "$one" | head -5000) Big >"$T/copies"
check "cp of 5000 ids gives 5000 new ids" test "$(sort -u "$T/copies" | wc -l)" -eq 5000
check "cp of 5000 ids took two calls" \
	test $(( $(grep -c 'proc=MSG_COPY' "$SERVER_LOG") - before )) -eq 2
usage_error "flag of more than 4096 ids is a usage error" mailrpc flag $(cat "$T/copies") +seen
check "flag of 4096 ids at once" mailrpc flag $(head -4096 "$T/copies") +seen
jq_check "folders counts the copies and the flags" "$(mailrpc --json folders)" '
	.[] | select(.path == "Big") | .total == 5080 and .unread == 984'
check "rm --hard of 5000 ids" mailrpc rm --hard $(cat "$T/copies")
jq_check "the copies are gone" "$(mailrpc --json folders)" '
	.[] | select(.path == "Big") | .total == 80'

# ---- two users --------------------------------------------------------------
# Ids are per mailbox: bob's first message is 1 too, but alice's highest id
# is one bob never had.
big=$(jq '.[-1].id' <<<"$json")
kinit_as bob
check "bob's first call makes his mailbox" mailrpc folders >/dev/null
kinit_as alice
printf 'From: alice\r\nSubject: hello bob\r\n\r\nhi\r\n' >"$T/tobob"
sent=$(mailrpc send --to bob "$T/tobob")
check "alice sends to bob" test -n "$sent"
jq_check "alice keeps a copy in Sent Items" "$(mailrpc --json ls 'Sent Items')" '
	length == 1 and .[0].subject == "hello bob"'
kinit_as bob
jq_check "bob's Inbox has only what was sent to him" "$(mailrpc --json ls)" '
	length == 1 and .[0].subject == "hello bob"'
jq_check "bob's search finds none of alice's messages" "$(mailrpc --json search)" 'length == 1'
jq_check "bob's folders count only his message" "$(mailrpc --json folders)" '
	([.[].total] | add) == 1 and length == 5'
fails_with "bob cannot list alice's folder" "no such folder: Big" mailrpc ls Big
fails_with "bob cannot flag alice's message" "no such message: $big" mailrpc flag "$big" +seen
fails_with "bob cannot move alice's message" "no such message: $big" mailrpc mv "$big" Drafts
fails_with "bob cannot copy alice's message" "no such message: $big" mailrpc cp "$big" Drafts
fails_with "bob cannot delete alice's message" "no such message: $big" mailrpc rm --hard "$big"
kinit_as alice
jq_check "alice's message is untouched" "$(mailrpc --json ls Big)" "
	length == 80 and (.[] | select(.id == $big) | .flags == [])"
