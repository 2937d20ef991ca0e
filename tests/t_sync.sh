# t_sync.sh -- SYNC and `mailrpc sync`: a first sync lists the folder; after
# a put, a flag change, a move out, a move in and a hard delete, a sync from
# the saved state returns exactly those; a second one returns nothing; a
# few hundred changes span several pages and add up; a state older than
# the tombstones kept (the store policy's tombstone-age, fractions of a day
# allowed: 0.00003 is about 2.6 s) gets "resync" and the whole folder; a delegate without
# rights gets "no such folder".  FOLDER_SYNC keeps the offline cache's
# folders current: created, renamed (messages kept, bodies not fetched
# again) and deleted (messages purged) folders show offline as on the
# server; a hierarchy state past the horizon is listed again whole.
. "$(dirname "$0")/lib.sh"
setup_realm alice bob
export XDG_CACHE_HOME=$T/cache
start_server
R=@MAILRPC.TEST

login_users alice bob
msg() { printf 'From: carol@example.org\r\nSubject: %s\r\n\r\nhello\r\n' "$1" >"$T/m"; as alice put "$2" "$T/m"; }
# sync FOLDER SINCE: alice's sync as JSON.
sync() { as alice --json sync "$1" --since "$2"; }
# ids JSON FIELD: the ids of .removed or .changed, sorted, on one line.
ids() { jq -r "[.$2[] | if type == \"object\" then .id else . end] | sort | map(tostring) | join(\" \")" <<<"$1"; }
sorted() { printf '%s\n' "$@" | sort -n | xargs; }
syncs_logged() { grep -c 'proc=SYNC' "$SERVER_LOG"; }

# ---- first sync, then exactly the changes --------------------------------
a=$(msg a Inbox); b=$(msg b Inbox); c=$(msg c Inbox); d=$(msg d Drafts)
out=$(sync Inbox 0)
same "first sync lists the folder" "$(ids "$out" changed)" "$(sorted $a $b $c)"
same "first sync removes nothing" "$(ids "$out" removed)" ""
same "first sync is no resync" "$(jq -r .resync <<<"$out")" "false"
state=$(jq -r .state <<<"$out")

n=$(msg n Inbox)
as alice flag "$a" +flagged >/dev/null
as alice mv "$b" Drafts >/dev/null
d=$(as alice mv "$d" Inbox)  # moved in: a new id in the Inbox
as alice rm --hard "$c" >/dev/null
msg elsewhere "Sent Items" >/dev/null
out=$(sync Inbox "$state")
same "sync: changed are the new, the flagged and the moved-in" "$(ids "$out" changed)" \
	"$(sorted $a $n $d)"
same "sync: removed are the moved-out and the deleted" "$(ids "$out" removed)" \
	"$(sorted $b $c)"
check "sync: the flag change is in the summary" \
	jq -e --argjson a "$a" '.changed[] | select(.id == $a) | .flags | index("flagged")' <<<"$out"
check "sync: the moved-in summary names Inbox" \
	jq -e --argjson d "$d" '.changed[] | select(.id == $d) | .folder == "Inbox"' <<<"$out"
new_state=$(jq -r .state <<<"$out")
check "sync: the state moved on" test "$new_state" -gt "$state"
out=$(sync Inbox "$new_state")
same "second sync: nothing changed" "$(ids "$out" changed)|$(ids "$out" removed)" "|"
same "second sync: same state" "$(jq -r .state <<<"$out")" "$new_state"
text=$(as alice sync Inbox --since "$state")
expect_contains "text output: removed lines" "$text" "removed $b"
expect_contains "text output: state line" "$text" "state $new_state"

# ---- a few hundred changes over several pages ----------------------------
# Long From and Subject (~1 KB each) make each summary ~2 KB, so 300 of them
# are several reply budgets.
as alice mkfolder Big >/dev/null
long=$(head -c 900 /dev/zero | tr '\0' x)
for i in $(seq 1 300); do
	printf 'From MAILER-DAEMON Mon Jan  1 00:00:00 2024\nFrom: %s%d\nSubject: %s%d\n\nbody %d\n\n' \
		"$long" "$i" "$long" "$i" "$i"
done >"$T/big.mbox"
"$BIN/bin/mailrpc-admin" --store "$T/store" import alice "$T/big.mbox" --folder Big >/dev/null
before=$(syncs_logged)
out=$(sync Big 0)
same "300 messages: all listed" "$(jq '.changed | length' <<<"$out")" "300"
pages=$(( $(syncs_logged) - before ))
check "300 messages: several pages ($pages)" test "$pages" -ge 3
state=$(jq -r .state <<<"$out")
all=($(ids "$out" changed))
as alice rm --hard "${all[@]:0:100}" >/dev/null
as alice flag "${all[@]:100:150}" +seen >/dev/null
before=$(syncs_logged)
out=$(sync Big "$state")
same "250 changes: 100 removed" "$(ids "$out" removed)" "$(sorted "${all[@]:0:100}")"
same "250 changes: 150 changed" "$(ids "$out" changed)" "$(sorted "${all[@]:100:150}")"
pages=$(( $(syncs_logged) - before ))
check "250 changes: several pages ($pages)" test "$pages" -ge 2

# ---- delegates ------------------------------------------------------------
out=$(as bob -m alice sync Inbox 2>&1)
expect_contains "delegate without rights: no such folder" "$out" "no such folder"
as alice acl Inbox set "bob$R" l >/dev/null
out=$(as bob -m alice sync Inbox 2>&1)
expect_contains "delegate with l only: not permitted (like ls)" "$out" "operation not permitted"
as alice acl Inbox set "bob$R" lr >/dev/null
check "delegate with lr syncs" as bob -m alice sync Inbox
same "a delegate's cached folders are only those it may look up" \
	"$(as bob -m alice --offline --json folders | jq -r '[.[].path] | join(",")')" "Inbox"
as alice acl Inbox rm "bob$R" >/dev/null
as bob -m alice sync >/dev/null
same "revoked: the folder leaves the delegate's cache" \
	"$(as bob -m alice --offline --json folders | jq length)" "0"
expect_contains "and so do its messages" "$(as bob -m alice --offline ls Inbox 2>&1)" "not in the offline cache"

# ---- the folder hierarchy in the offline cache -----------------------------
folders_json() { as alice "$@" --json folders | jq -S 'sort_by(.path)'; }
fsyncs_logged() { grep -c 'proc=FOLDER_SYNC' "$SERVER_LOG"; }
as alice mkfolder Proj >/dev/null
as alice mkfolder Proj/Sub >/dev/null
as alice mkfolder Gone >/dev/null
p=$(msg p Proj); ps=$(msg ps Proj/Sub); g=$(msg g Gone)
as alice sync >/dev/null
as alice mkfolder New >/dev/null
as alice mvfolder Proj Renamed >/dev/null
as alice rmfolder -r Gone >/dev/null
before=$(fsyncs_logged)
out=$(as alice --json sync)
same "folder sync: 1 new, 2 renamed (with the subfolder), 1 deleted" \
	"$(jq -c '.hierarchy | [.new, .renamed, .deleted, .resync]' <<<"$out")" "[1,2,1,false]"
same "folder sync: one FOLDER_SYNC call" "$(( $(fsyncs_logged) - before ))" "1"
same "offline folders equal the server's" "$(folders_json --offline)" "$(folders_json)"
same "a renamed folder keeps its message" "$(as alice --offline --json ls Renamed | jq -r '.[].id')" "$p"
same "and its subfolder too" "$(as alice --offline --json ls Renamed/Sub | jq -r '.[].id')" "$ps"
same "their bodies are not fetched again" "$(jq .bodies <<<"$out")" "0"
check "the renamed message reads offline" as alice --offline cat "$p"
same "a deleted folder's messages leave the cache" \
	"$(as alice --offline --json search | jq --argjson g "$g" '[.[] | select(.id == $g)] | length')" "0"
expect_contains "a deleted folder is gone offline" "$(as alice --offline ls Gone 2>&1)" "not in the offline cache"
as alice mvfolder Renamed Proj >/dev/null
as alice mvfolder New Renamed >/dev/null
as alice sync >/dev/null
same "swapped names: each folder keeps its own messages" \
	"$(as alice --offline --json ls Proj | jq -r '.[].id')|$(as alice --offline --json ls Renamed | jq length)" "$p|0"
out=$(as alice --json sync)
same "nothing changed: no folder news" "$(jq -c '.hierarchy | [.new, .renamed, .deleted]' <<<"$out")" "[0,0,0]"

# ---- past the tombstone horizon -------------------------------------------
# The store's policy, read by the running server at its next call.
"$BIN/bin/mailrpc-admin" --store "$T/store" policy set tombstone-age 0.00003
# The cache is per server name: keep one across restarts through a relay.
RPORT=$(free_port)
relay_start "$RPORT" 0
H="-s localhost:$RPORT"
as alice $H sync >/dev/null
as alice mkfolder Brief >/dev/null
as alice $H sync >/dev/null
as alice rmfolder Brief >/dev/null
as alice mkfolder Later >/dev/null
out=$(sync Inbox 0)
state=$(jq -r .state <<<"$out")
as alice rm --hard "$n" >/dev/null
out=$(sync Inbox "$state")
same "recent state: the removal" "$(ids "$out" removed)" "$n"
sleep 4
# Housekeeping runs when mailrpcd starts, then hourly.
stop_server
start_server
# Housekeeping runs just after "listening": wait for it (bounded).
check "housekeeping forgot the old tombstones" wait_for 100 grep -qE "forgot [0-9]+ tombstone" "$SERVER_LOG"
relay_stop
relay_start "$RPORT" 0
out=$(as alice $H --json sync)
same "old hierarchy state: the folders are listed again whole" "$(jq .hierarchy.resync <<<"$out")" "true"
same "and the cache has the server's folders" "$(folders_json $H --offline)" "$(folders_json)"
relay_stop
out=$(sync Inbox "$state")
same "old state: resync" "$(jq -r .resync <<<"$out")" "true"
same "old state: the whole folder instead" "$(ids "$out" changed)" "$(ids "$(sync Inbox 0)" changed)"
text=$(as alice sync Inbox --since "$state")
expect_contains "text output says resync" "$text" "resync"

exit $((failures > 0))
