# t_delivery.sh -- send to local users, limits and quota, concurrent
# appends, and no acknowledged message lost when processes are killed.
. "$(dirname "$0")/lib.sh"
setup_realm alice bob carol
export XDG_CACHE_HOME=$T/cache
start_server
# The store's policy: no flag to mailrpcd (see t_policy.sh for delivery).
"$BIN/bin/mailrpc-admin" --store "$T/store" policy set max-message 1M
"$BIN/bin/mailrpc-admin" --store "$T/store" policy set default-quota 3M
MSG=$TESTS_DIR/corpus/02-crlf-encoded-words.eml

# inbox_count USER: messages in USER's Inbox (USER's ticket is used).
inbox_count() { kinit_as "$1"; mailrpc --json ls Inbox | jq length; }
for u in bob carol; do kinit_as $u; mailrpc whoami >/dev/null; done
kinit_as alice
mailrpc whoami >/dev/null
# The message is from jm@example.de: make that one of alice's addresses.
"$BIN/bin/mailrpc-admin" --store "$T/store" domain add example.de
"$BIN/bin/mailrpc-admin" --store "$T/store" alias add jm@example.de alice

out=$(mailrpc send --to bob,carol "$MSG")
expect_contains "send to two users" "$out" "sent to 2 recipients"
check "bob got it" test "$(inbox_count bob)" -eq 1
check "carol got it" test "$(inbox_count carol)" -eq 1
kinit_as bob
bobs=$(mailrpc --json ls Inbox | jq '.[0].id')
check "bob's copy is byte-exact" bash -c "'$BIN/bin/mailrpc' cat $bobs | cmp -s '$MSG' -"
subject=$(mailrpc --json ls Inbox | jq -r '.[0].subject')
check "encoded-word subject decoded for display ($subject)" test "$subject" = "Grüße aus Köln – mit €"
kinit_as alice
check "alice's copy is in Sent Items" test "$(mailrpc --json ls "Sent Items" | jq length)" -eq 1

out=$(mailrpc send --to bob,nosuchuser "$MSG" 2>&1); rc=$?
check "unknown recipient: send fails" test "$rc" -ne 0
expect_contains "unknown recipient: named, nothing delivered" "$out" \
	"cannot deliver to nosuchuser; nothing was delivered to anyone"
check "unknown recipient: bob got nothing more" test "$(inbox_count bob)" -eq 1
kinit_as alice
check "unknown recipient: no copy in Sent Items" test "$(mailrpc --json ls "Sent Items" | jq length)" -eq 1

# max-message 1M: a bigger message is refused and nothing is stored.
head -c $((1024 * 1024 + 1)) /dev/urandom >"$T/toobig"
before=$(mailrpc --json ls Inbox | jq length)
out=$(mailrpc put Inbox "$T/toobig" 2>&1); rc=$?
check "over max-message: refused" test "$rc" -ne 0
expect_contains "over max-message: says too big" "$out" "message too big"
check "over max-message: nothing stored" test "$(mailrpc --json ls Inbox | jq length)" -eq "$before"

# default-quota 3M: fill to just under, then one more is refused, nothing stored.
head -c $((900 * 1024)) /dev/urandom >"$T/900k"
for i in 1 2 3; do mailrpc put Drafts "$T/900k" >/dev/null; done
before=$(mailrpc --json folders | jq '[.[].total] | add')
out=$(mailrpc put Drafts "$T/900k" 2>&1); rc=$?
check "over quota: refused" test "$rc" -ne 0
expect_contains "over quota: says quota" "$out" "quota exceeded"
check "over quota: nothing stored" test "$(mailrpc --json folders | jq '[.[].total] | add')" -eq "$before"
same "quota: the limit, and what is used under it" \
	"$(mailrpc --json quota | jq -c '[.limit, .used < .limit, .used > 2700000]')" "[3145728,true,true]"
out=$(mailrpc send --to bob "$T/900k" 2>&1); rc=$?
check "over quota: a send is refused too (the Sent Items copy counts)" test "$rc" -ne 0
check "over quota: bob got nothing" test "$(inbox_count bob)" -eq 1
kinit_as alice

# Four clients append to one folder at once: no lost or duplicated ids.
"$BIN/bin/mailrpc-admin" --store "$T/store" policy unset max-message
"$BIN/bin/mailrpc-admin" --store "$T/store" policy unset default-quota
stop_server
start_server
mailrpc mkfolder Load
for c in 1 2 3 4; do
	( for i in $(seq 1 15); do
		printf 'From: c%s@example.org\nSubject: load %s-%s\n\nbody %s-%s\n' $c $c $i $c $i |
			"$BIN/bin/mailrpc" put Load || echo FAILED
	done ) >"$T/load.$c" 2>&1 &
	PIDS+=($!)
done
wait "${PIDS[@]: -4}"
check "4 concurrent appenders: every put acknowledged" test "$(cat "$T"/load.* | grep -c '^[0-9][0-9]*$')" -eq 60
check "4 concurrent appenders: 60 distinct ids" test "$(cat "$T"/load.* | sort -u | grep -c '^[0-9]')" -eq 60
check "4 concurrent appenders: folder holds exactly 60" test "$(mailrpc --json ls Load | jq length)" -eq 60

# Crash safety: kill the whole server (and, separately, one connection's
# process) during an append loop; every acknowledged message survives.
append_loop() {
	for i in $(seq 1 400); do
		printf 'Subject: crash %s\n\n%s\n' "$i" "$(head -c 3000 /dev/urandom | base64 -w0)" >"$T/m.$i"
		id=$("$BIN/bin/mailrpc" put Inbox "$T/m.$i" 2>/dev/null) || continue
		echo "$id $i" >>"$T/acked"
	done
}
: >"$T/acked"
append_loop &
LOOP=$!
PIDS+=($LOOP)
wait_for 200 test "$(wc -l <"$T/acked")" -ge 20
# Children first: once the parent is gone they no longer show as its own.
procs="$(pgrep -P "$SERVER_PID") $SERVER_PID"
kill -KILL $procs
SERVER_PID=
sleep 0.5
start_server
wait_for 200 test "$(wc -l <"$T/acked")" -ge 60
child=$(pgrep -P "$SERVER_PID" | head -1)
[ -n "$child" ] && kill -KILL "$child"
wait "$LOOP"
bad=0
while read -r id i; do
	"$BIN/bin/mailrpc" cat "$id" | cmp -s "$T/m.$i" - || bad=$((bad + 1))
done <"$T/acked"
check "after SIGKILLs: all $(wc -l <"$T/acked") acknowledged messages present and intact" test "$bad" -eq 0
