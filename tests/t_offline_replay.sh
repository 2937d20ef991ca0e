# t_offline_replay.sh -- changes made with --offline (flag, mv, rm, send)
# show in the cached view at once and are replayed by the next sync,
# exactly once: a replayed flag change whose reply is lost (relay) and a
# queued send whose commit reply is lost are each done once; a message
# deleted on the server while its offline change waited stays deleted and
# the user is told; a flag changed on the server that the offline change
# did not touch survives; for the same flag the offline change wins; a
# queued send the server refuses is kept in Drafts (once, even when the
# reply of that append is lost).
. "$(dirname "$0")/lib.sh"
setup_realm alice bob
export XDG_CACHE_HOME=$T/cache
start_server

login_users alice bob
msg() { printf 'From: carol@example.org\r\nSubject: %s\r\n\r\nhello %s\r\n' "$1" "$1" >"$T/m"; as alice put "$2" "$T/m"; }
# flags ID [--offline]: a message's flags as "seen,flagged" (online or from the cache).
flags() { as alice $M ${2:-} --json search | jq -r --argjson i "$1" '.[] | select(.id == $i) | .flags | join(",")'; }
folder_of() { as alice $M ${2:-} --json search | jq -r --argjson i "$1" '.[] | select(.id == $i) | .folder'; }
subjects() { as "$1" --json ls "$2" | jq -r '[.[].subject] | sort | join(",")'; }
mark() { echo $(($(wc -l <"$SERVER_LOG") + 1)); }
# The cache is per server name: every cached command goes through one relay
# port, restarted to lose a reply when needed.
RPORT=$(free_port)
relay_start "$RPORT" 0
M="-s localhost:$RPORT"

a=$(msg a Inbox); b=$(msg b Inbox); c=$(msg c Inbox); d=$(msg d Inbox); e=$(msg e Inbox)
as alice flag "$d" +flagged >/dev/null
as alice $M sync >/dev/null

# ---- offline: recorded, and shown at once ---------------------------------
as alice $M --offline flag "$a" +flagged
as alice $M --offline mv "$b" Drafts
as alice $M --offline rm "$c"
as alice $M --offline flag "$d" -flagged
as alice $M --offline flag "$e" +seen
printf 'From: alice\r\nTo: bob\r\nSubject: queued\r\n\r\nsent while offline\r\n' >"$T/q"
q=$(as alice $M --offline --json send --to bob "$T/q" | jq -r .queued_id)
check "offline send queues the message under a local id ($q)" test "${q:-0}" -gt 4503599627370495
same "offline: the flag shows at once" "$(flags "$a" --offline)" "flagged"
same "offline: the move shows at once" "$(folder_of "$b" --offline)" "Drafts"
same "offline: the delete shows at once (Deleted Items)" "$(folder_of "$c" --offline)" "Deleted Items"
same "offline: the queued message is in the cached Outbox" \
	"$(as alice $M --offline --json ls Outbox | jq -r '.[].subject')" "queued"
check "offline: the queued message reads back byte-exact" cmp -s <(as alice $M --offline cat "$q") "$T/q"
same "offline: Inbox count in folders follows" \
	"$(as alice $M --offline --json folders | jq '.[] | select(.path == "Inbox") | .total')" "3"
same "nothing reached the server yet" "$(flags "$a")|$(folder_of "$b")" "|Inbox"
out=$(as alice $M --offline flag "$q" +seen 2>&1)
expect_contains "a queued message cannot be changed" "$out" "waits in the Outbox"

# ---- meanwhile on the server ----------------------------------------------
as alice flag "$a" +seen >/dev/null      # another flag: must survive
as alice flag "$d" +answered >/dev/null  # d: flagged cleared offline, answered here
as alice rm --hard "$e" >/dev/null       # e: gone; its offline +seen must not revive it

# ---- sync: replay, with the first MSG_FLAGS reply lost --------------------
relay_stop
relay_start "$RPORT" 0 "$(proc MSG_FLAGS)"
m=$(mark)
as alice $M --json sync >"$T/sync.json" 2>"$T/sync.err"
check "the sync succeeds" test -s "$T/sync.json"
same "replayed 5, dropped 1" "$(jq -c '[.replayed, .dropped]' "$T/sync.json")" "[5,1]"
expect_contains "the user is told of the dropped change" "$(cat "$T/sync.err")" \
	"dropped: flag $e +seen: message $e is gone from the server"
expect_contains "and of the replayed ones" "$(cat "$T/sync.err")" "replayed: mv $b Drafts"
check "--json lists each change" jq -e '.replay | length == 6' "$T/sync.json"
expect_contains "the lost MSG_FLAGS reply: its repeat was answered from the record" \
	"$(tail -n +"$m" "$SERVER_LOG" | grep 'proc=MSG_FLAGS ')" "repeated op"
same "server: offline +flagged and server +seen both stand" "$(flags "$a")" "seen,flagged"
# A move gives a message a new id where it goes: the replay says which.
b2=$(sed -n "s/.*replayed: mv $b Drafts (now \([0-9]*\)).*/\1/p" "$T/sync.err")
c2=$(sed -n "s/.*replayed: rm $c (now \([0-9]*\)).*/\1/p" "$T/sync.err")
same "server: the move happened (now ${b2:-none})" "$(folder_of "${b2:-0}")|$(folder_of "$b")" "Drafts|"
same "server: the delete went to Deleted Items (now ${c2:-none})" "$(folder_of "${c2:-0}")" \
	"Deleted Items"
check "offline: the moved message's cached body was not fetched again" \
	bash -c "! tail -n +$m '$SERVER_LOG' | grep -q 'proc=MSG_FETCH .*id=${b2:-0} '"
check "it stayed in the cache, under its new id" \
	cmp -s <(as alice $M --offline cat "${b2:-0}") <(as alice cat "${b2:-0}")
same "offline: its old id is gone from the cache" "$(folder_of "$b" --offline)" ""
same "server: same flag, the offline change wins; the server's other flag stays" \
	"$(flags "$d")" "answered"
same "server: the message deleted there stays deleted" "$(folder_of "$e")" ""
same "bob got the queued message once" "$(subjects bob Inbox)" "queued"
same "alice's Sent Items has it once" "$(subjects alice "Sent Items")" "queued"
same "the cached Outbox is empty after the send" "$(as alice $M --offline --json ls Outbox | jq length)" "0"
same "the cache no longer has the deleted message" "$(folder_of "$e" --offline)" ""
same "offline view equals the server" "$(as alice $M --offline --json ls Inbox | jq -S 'sort_by(.id)')" \
	"$(as alice --json ls Inbox | jq -S 'sort_by(.id)')"

out=$(as alice $M --json sync 2>"$T/sync2.err")
same "a second sync replays nothing" "$(jq -c '[.replayed, .dropped]' <<<"$out")" "[0,0]"
same "bob still has it once" "$(subjects bob Inbox)" "queued"

# ---- a queued send whose commit reply is lost ------------------------------
printf 'From: alice\r\nTo: bob\r\nSubject: second\r\n\r\nagain\r\n' >"$T/q2"
as alice $M --offline send --to bob "$T/q2" >/dev/null
relay_stop
relay_start "$RPORT" 0 "$(proc UPLOAD_COMMIT_SEND)"
m=$(mark)
as alice $M sync >"$T/sync3.out" 2>"$T/sync3.err"
n=$(tail -n +"$m" "$SERVER_LOG" | grep -c "proc=UPLOAD_COMMIT_SEND .*result=OK")
check "the commit was sent twice ($n)" test "$n" -eq 2
same "bob got the second message once" "$(subjects bob Inbox)" "queued,second"

relay_stop
relay_start "$RPORT" 0

# ---- a move to a folder deleted on the server meanwhile --------------------
as alice mkfolder Later >/dev/null
as alice $M sync >/dev/null
as alice $M --offline mv "$a" Later
as alice rmfolder Later >/dev/null
as alice $M sync >"$T/sync4.out" 2>"$T/sync4.err"
expect_contains "a refused move is dropped and told" "$(cat "$T/sync4.err")" "dropped: mv $a Later"
same "the message stays where the server has it, offline too" \
	"$(folder_of "$a")|$(folder_of "$a" --offline)" "Inbox|Inbox"
same "and the cached folder counts are the server's again" \
	"$(as alice $M --offline --json folders | jq -S 'sort_by(.path)')" \
	"$(as alice --json folders | jq -S 'sort_by(.path)')"

# ---- a queued send the server refuses is kept in Drafts, once --------------
printf 'From: alice\r\nTo: nobody-here\r\nSubject: unsendable\r\n\r\nkeep me\r\n' >"$T/q3"
as alice $M --offline send --to nobody-here "$T/q3" >/dev/null
drafts_before=$(as alice --json ls Drafts | jq length)
relay_stop
relay_start "$RPORT" 0 "$(proc UPLOAD_COMMIT_APPEND)"  # the Drafts append's reply is lost once
m=$(mark)
as alice $M sync >"$T/sync5.out" 2>"$T/sync5.err"
err5=$(cat "$T/sync5.err")
expect_contains "a refused send is reported with the server's reason" "$err5" \
	"dropped: send"
expect_contains "and the user is told where the message is" "$err5" "kept in Drafts as"
kept=$(grep -o 'kept in Drafts as [0-9]*' "$T/sync5.err" | grep -o '[0-9]*$')
check "the message is in Drafts on the server, byte for byte" \
	test "$(as alice cat "${kept:-0}" | sha256sum)" = "$(sha256sum <"$T/q3")"
n=$(tail -n +"$m" "$SERVER_LOG" | grep -c "proc=UPLOAD_COMMIT_APPEND .*result=OK")
check "the Drafts append was sent twice ($n)" test "$n" -eq 2
same "Drafts gained exactly one message (its append reply was lost once)" \
	"$(as alice --json ls Drafts | jq length)" "$((drafts_before + 1))"
relay_stop
relay_start "$RPORT" 0
out=$(as alice $M --json sync 2>/dev/null)
same "the next sync replays nothing more" "$(jq -c '[.replayed, .dropped]' <<<"$out")" "[0,0]"
same "the cached Outbox is empty" "$(as alice $M --offline --json ls Outbox | jq length)" "0"

relay_stop
check_sanitizers
exit $((failures > 0))
