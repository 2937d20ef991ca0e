# t_offline.sh -- `mailrpc sync` keeps an offline cache and `--offline`
# answers from it: the first sync of ~20 messages (one of 3 MiB) moves
# them all, a sync after two changes moves under 5% of that (bytes counted
# by a recording relay); offline folders/ls/search/cat match the online
# output with the server stopped and connect nowhere; --headers-only and
# --max-size leave bodies out (offline cat says so); a sync cut off by the
# relay resumes without refetching finished bodies and continues the
# partial large one from its offset; other users and mailboxes have caches
# of their own.
. "$(dirname "$0")/lib.sh"
setup_realm alice bob
export XDG_CACHE_HOME=$T/cache
start_server

login_users alice bob
msg() { printf 'From: carol@example.org\r\nSubject: %s\r\n\r\nhello %s\r\n' "$1" "$1" >"$T/m"; as alice put "$2" "$T/m"; }
size_of() { stat -c %s "$1" 2>/dev/null || echo 0; }
fetches() { tail -n +"$1" "$SERVER_LOG" | grep "proc=MSG_FETCH"; }
lines() { wc -l <"$SERVER_LOG"; }


# ---- fixture: 19 small messages and one of 3 MiB in the middle -----------
for i in $(seq 1 9); do msg "small $i" Inbox >/dev/null; done
{ printf 'From: dave@example.org\r\nSubject: big one\r\n\r\n'; head -c 2400000 /dev/urandom | base64 -w 76; } >"$T/big"
big=$(as alice put Inbox "$T/big")
for i in $(seq 10 16); do msg "small $i" Inbox >/dev/null; done
for i in 17 18 19; do msg "draft $i" Drafts >/dev/null; done
check "fixture: the large message is over 3 MiB" test "$(size_of "$T/big")" -gt 3145728

# ---- first sync, then only the changes -----------------------------------
relay_start 0 0
M="-s localhost:$RP"
as alice $M sync >"$T/sync1.out" 2>&1
check "first sync succeeds" grep -q "bodies fetched" "$T/sync1.out"
first=$(size_of "$REC")
new=$(msg "after" Inbox)
as alice flag "$big" +flagged >/dev/null
as alice $M sync >"$T/sync2.out" 2>&1
second=$(( $(size_of "$REC") - first ))
echo "# bytes moved: first sync $first, second sync $second"
check "second sync moves under 5% of the first ($second of $first bytes)" \
	test $((second * 20)) -lt "$first"
expect_contains "second sync: 2 changed, 1 body" "$(cat "$T/sync2.out")" "2 changed, 0 removed, 1 bodies"

# Online answers, to compare with the offline ones once the server is gone.
as alice --json ls >"$T/ls.on"; as alice ls --sort size --reverse >"$T/lstext.on"
as alice --json folders >"$T/folders.on"
as alice --json search --subject SMALL >"$T/search.on"
as alice --json search --body "hello small 1" >"$T/searchbody.on"
as alice cat "$big" | sha256sum >"$T/big.on"
as alice cat "$new" >"$T/new.on"
stop_server
before=$(size_of "$REC")

# ---- offline, server stopped ---------------------------------------------
sortjson() { jq -S "sort_by(.$1)" "$2"; }
as alice $M --offline --json ls >"$T/ls.off"
same "offline ls --json equals online" "$(sortjson id "$T/ls.off")" "$(sortjson id "$T/ls.on")"
as alice $M --offline ls --sort size --reverse >"$T/lstext.off"
check "offline ls text (sorted by size) equals online" cmp -s "$T/lstext.off" "$T/lstext.on"
as alice $M --offline --json folders >"$T/folders.off"
same "offline folders --json equals online" "$(sortjson path "$T/folders.off")" \
	"$(sortjson path "$T/folders.on")"
as alice $M --offline --json search --subject SMALL >"$T/search.off"
same "offline search equals online" "$(sortjson id "$T/search.off")" "$(sortjson id "$T/search.on")"
as alice $M --offline --json search --body "hello small 1" >"$T/searchbody.off"
same "offline search --body equals online" "$(sortjson id "$T/searchbody.off")" \
	"$(sortjson id "$T/searchbody.on")"
same "offline cat of the large message is byte-exact" "$(as alice $M --offline cat "$big" | sha256sum)" \
	"$(cat "$T/big.on")"
check "offline cat of the new message is byte-exact" cmp -s <(as alice $M --offline cat "$new") "$T/new.on"
same "offline commands connect nowhere" "$(size_of "$REC")" "$before"
out=$(as alice $M --offline whoami 2>&1)
expect_contains "--offline refuses commands that need the server" "$out" "--offline works with"
out=$(as bob $M --offline ls 2>&1)
expect_contains "another user's cache is separate" "$out" "nothing is cached"
out=$(as alice $M -m bob --offline ls 2>&1)
expect_contains "another mailbox's cache is separate" "$out" "nothing is cached"
out=$(as alice -s localhost:1 --offline ls 2>&1)
expect_contains "another server's cache is separate" "$out" "nothing is cached"
relay_stop

# ---- limits ----------------------------------------------------------------
start_server
relay_start "$RP" 0
XDG_CACHE_HOME=$T/cache.headers as alice $M sync --headers-only >/dev/null
out=$(XDG_CACHE_HOME=$T/cache.headers as alice $M --offline cat "$new" 2>&1)
expect_contains "--headers-only caches no bodies" "$out" \
	"message $new is not in the offline cache (sync without --headers-only)"
check "--headers-only still caches summaries" \
	test "$(XDG_CACHE_HOME=$T/cache.headers as alice $M --offline --json ls | jq length)" -eq 18
XDG_CACHE_HOME=$T/cache.max as alice $M sync --max-size 100000 >"$T/max.out"
expect_contains "--max-size: one body skipped" "$(cat "$T/max.out")" "1 skipped"
out=$(XDG_CACHE_HOME=$T/cache.max as alice $M --offline cat "$big" 2>&1)
expect_contains "--max-size leaves the large body out" "$out" "is not in the offline cache"
check "--max-size keeps the small bodies" cmp -s <(XDG_CACHE_HOME=$T/cache.max as alice $M --offline cat "$new") "$T/new.on"
XDG_CACHE_HOME=$T/cache.headers as alice $M sync Drafts >/dev/null
check "sync FOLDER: that folder's bodies come" test -n "$(XDG_CACHE_HOME=$T/cache.headers as alice $M --offline cat \
	"$(XDG_CACHE_HOME=$T/cache.headers as alice $M --offline --json ls Drafts | jq '.[0].id')")"

# ---- resync: a folder renamed away and made anew starts over ---------------
as alice mkfolder Work >/dev/null
old=$(msg "old work" Work)
as alice $M sync >/dev/null
as alice mvfolder Work Old >/dev/null
as alice mkfolder Work >/dev/null
fresh=$(msg "new work" Work)
as alice $M sync >/dev/null
same "resync: the new Work holds only its own message" \
	"$(as alice $M --offline --json ls Work | jq -c 'map(.id)')" "[$fresh]"
same "resync: the old message is cached under Old" \
	"$(as alice $M --offline --json ls Old | jq -c 'map(.id)')" "[$old]"

# ---- a delegate syncs what it may read ---------------------------------------
as alice acl Inbox set bob@MAILRPC.TEST lr >/dev/null
as alice acl Drafts set bob@MAILRPC.TEST l >/dev/null  # listed, not readable
check "a delegate's sync of all folders skips those it cannot read" as bob $M -m alice sync
same "the delegate's offline Inbox matches alice's" \
	"$(as bob $M -m alice --offline --json ls | jq -c 'map(.id)')" \
	"$(as alice $M --offline --json ls | jq -c 'map(.id)')"
relay_stop

# ---- an interrupted sync resumes ---------------------------------------------
export XDG_CACHE_HOME=$T/cache.cut
relay_start "$RP" 2000000
mark=$(lines)
# --retries 0: one run surviving cuts is t_retry's; this is about the next run.
check "a sync cut after 2 MB fails" bash -c "! KRB5CCNAME=FILE:$T/cc.alice $BIN/bin/mailrpc --retries 0 $M sync >/dev/null 2>&1"
first_run=$(fetches $((mark + 1)))
check "the cut came inside the large body" grep -q "id=$big offset=[1-9]" <<<"$first_run"
relay_stop
relay_start "$RP" 0
mark=$(lines)
check "the sync run again finishes" as alice $M sync
rerun=$(fetches $((mark + 1)))
refetched=0
for id in $(seq 1 $((big - 1))); do
	grep -q "id=$id offset=0" <<<"$rerun" && refetched=$((refetched + 1))
done
same "the rerun fetches no finished body again" "$refetched" 0
offset=$(grep -m1 -o "id=$big offset=[0-9]*" <<<"$rerun" | cut -d= -f3)
check "the large body continues from offset ${offset:-none}" test "${offset:-0}" -gt 0
same "the resumed large body is byte-exact" "$(as alice $M --offline cat "$big" | sha256sum)" \
	"$(cat "$T/big.on")"
relay_stop

exit $((failures > 0))
