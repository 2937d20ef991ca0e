# t_dialup.sh -- mailrpc over an emulated dial-up link (issue 7's contract).
# mailrpcd and the KDC live in one network namespace, the client in
# another; a veth pair joins them, shaped to 56 kbit/s each way with tc
# tbf, and a relay next to the server (tests/tools/delay.c) adds 60 ms each
# way to the client's connections (no netem here).  Shown: a ~1 MB mailbox syncs completely and byte-exact through a
# cut of the link (link down longer than a call's timeout, then up); a
# second sync after two changes moves under 5% of the first's bytes
# (counted on the veth); a put whose commit reply is lost (relay in the
# path) is stored exactly once; WAIT over the link fires within 1 s of a
# delivery; libmailrpc picks smaller chunks on the slow link than on
# loopback.  Byte counts and times are printed as "# " lines.
# tests/run: beside the others (it mostly waits for the slow link).
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" -eq 0 ] || skip "needs root for network namespaces"
TEST_START=$(date +%s)

# ---- two namespaces and a 56 kbit/s link, removed again on exit ---------
NS_S=mrdu-s-$$ NS_C=mrdu-c-$$ VS=mrdus$$ VC=mrduc$$
SRV=10.77.0.1 CLI=10.77.0.2
RATE=56kbit
DELAY_MS=60
net_down() {
	ip netns del "$NS_C" 2>/dev/null
	ip netns del "$NS_S" 2>/dev/null
}
dialup_cleanup() {
	cleanup
	net_down
}
trap dialup_cleanup EXIT
net_up() {
	ip netns add "$NS_S" && ip netns add "$NS_C" &&
		ip link add "$VC" netns "$NS_C" type veth peer name "$VS" netns "$NS_S" &&
		ip -n "$NS_S" addr add "$SRV/30" dev "$VS" &&
		ip -n "$NS_C" addr add "$CLI/30" dev "$VC" &&
		ip -n "$NS_S" link set lo up && ip -n "$NS_C" link set lo up &&
		ip -n "$NS_S" link set "$VS" up && ip -n "$NS_C" link set "$VC" up &&
		# burst: one full frame; limit: about 2 s of queue at this rate.
		tc -n "$NS_S" qdisc add dev "$VS" root tbf rate $RATE burst 1600 limit 15000 &&
		tc -n "$NS_C" qdisc add dev "$VC" root tbf rate $RATE burst 1600 limit 15000
}
net_up || { echo "FAIL setup: network namespaces, veth or tbf (iproute2)"; exit 1; }

ins() { ip netns exec "$NS_S" "$@"; }   # next to the server
inc() { ip netns exec "$NS_C" "$@"; }   # on the client's side of the link
# Background processes start with ip netns exec itself, never through a
# function: ip execs the command, so $! is its PID and cleanup stops it
# (a backgrounded function is a subshell, whose child would outlive it).
# The client over the link (and the delay); srv: next to the server,
# straight to mailrpcd (the truth, and a loopback for comparisons).
cl() { inc "$BIN/bin/mailrpc" -s "$SRV:$PORT" --principal mailrpc@localhost "$@"; }
srv() { ins "$BIN/bin/mailrpc" -s "127.0.0.1:$SPORT" --principal mailrpc@localhost "$@"; }
# Bytes that crossed the link, both directions (frames, as tbf counts them).
wire() {
	inc cat "/sys/class/net/$VC/statistics/rx_bytes" "/sys/class/net/$VC/statistics/tx_bytes" |
		awk '{ s += $1 } END { print s }'
}
wire_over() { test "$(wire)" -ge "$1"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
under() { awk -v x="$1" -v max="$2" 'BEGIN { exit !(x < max) }'; }
until_exit() { wait_for "$2" eval "! kill -0 $1"; }
mark() { echo $(($(wc -l <"$SERVER_LOG") + 1)); }
sha() { sha256sum | cut -d' ' -f1; }
DELIVER=$BIN/bin/mailrpc-deliver

# ---- the KDC and mailrpcd behind the link; alice's kinit crosses it -----
export REALM_KDC_ADDR=$SRV REALM_NETNS=$NS_S
setup_realm
SPORT=$(free_port)
SERVER_LOG=$T/mailrpcd.$SPORT.log
ip netns exec "$NS_S" "$BIN/bin/mailrpcd" --listen "127.0.0.1:$SPORT" --store "$T/store" --keytab "$KEYTAB" \
	--principal mailrpc@localhost --foreground >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!
PIDS+=("$SERVER_PID")
wait_for 200 grep -q "listening on" "$SERVER_LOG" ||
	{ sed 's/^/# /' "$SERVER_LOG"; echo "FAIL setup: mailrpcd did not start"; exit 1; }
ip netns exec "$NS_S" "$TOOLS/delay" "$SRV" 0 127.0.0.1 "$SPORT" "$DELAY_MS" >"$T/delay.out" 2>&1 &
PIDS+=("$!")
wait_for 100 grep -q '^port ' "$T/delay.out" || { echo "FAIL setup: delay relay"; exit 1; }
PORT=$(awk '/^port /{print $2}' "$T/delay.out")
t0=$(now)
echo alice-pw | inc kinit alice >/dev/null
check "kinit over the dial-up link ($(elapsed "$t0" "$(now)") s)" klist -s
export XDG_CACHE_HOME=$T/cache

# ---- a ~1 MB mailbox, deterministic: 12 messages, one of 300 KiB ---------
# gen N BYTES: message N with a body of BYTES bytes.
gen() {
	printf 'From: carol@example.org\r\nTo: alice@example.org\r\nSubject: dial-up %s\r\nMessage-ID: <du%s@example.org>\r\n\r\n' "$1" "$1"
	seq -f "line %g of message $1: the quick brown fox jumps over the lazy dog 0123456789" 1 100000 |
		head -c "$2"
}
"$BIN/bin/mailrpc-admin" --store "$T/store" create alice >/dev/null
for i in 1 2 3 4 5; do gen $i 63000 | ins "$DELIVER" --store "$T/store" -d alice; done
gen 6 307200 | ins "$DELIVER" --store "$T/store" -d alice
for i in 7 8 9 10 11 12; do gen $i 63000 | ins "$DELIVER" --store "$T/store" -d alice; done
srv --json ls Inbox >"$T/ls.json"
total=$(jq '[.[].size] | add' "$T/ls.json")
big=$(jq '[.[] | select(.size > 300000)][0].id' "$T/ls.json")
echo "# mailbox: $(jq length "$T/ls.json") messages, $total bytes (message $big: 300 KiB)"
check "fixture: about 1 MB ($total bytes)" test "$total" -ge 1000000 -a "$total" -le 1100000

# ---- first sync, cut for 12 s a third of the way through -----------------
# 12 s: longer than a call's 10 s timeout floor, so the connection is
# really lost and remade (--retries 6: the backoff outlasts the cut).
m=$(mark)
w0=$(wire)
t0=$(now)
MAILRPC_DEBUG_LINK=1 ip netns exec "$NS_C" "$BIN/bin/mailrpc" -s "$SRV:$PORT" --principal mailrpc@localhost \
	--retries 6 sync >"$T/sync1.out" 2>"$T/sync1.err" &
spid=$!
PIDS+=("$spid")
cut=no
if wait_for 900 wire_over $((w0 + total / 3)); then
	inc ip link set "$VC" down && cut=yes
	sleep 12
	inc ip link set "$VC" up
fi
check "the link was cut mid-sync" test "$cut" = yes
until_exit "$spid" 2400
wait "$spid"
rc=$?
t1=$(now)
first=$(($(wire) - w0))
d1=$(elapsed "$t0" "$t1")
echo "# first sync: $first bytes on the link in $d1 s (12 s of it cut); $(cat "$T/sync1.out")"
check "the first sync completes through the cut (rc $rc)" test "$rc" -eq 0
peers=$(tail -n +"$m" "$SERVER_LOG" | grep "proc=MSG_FETCH " | grep -o 'peer=[^ ]*' | sort -u | wc -l)
check "its fetches came over $peers connections (the cut broke one)" test "$peers" -ge 2
same=0 n=0
for id in $(jq '.[].id' "$T/ls.json"); do
	n=$((n + 1))
	[ "$(cl --offline cat "$id" | sha)" = "$(srv cat "$id" | sha)" ] && same=$((same + 1))
done
check "the offline cache is byte-exact with the server ($same of $n messages)" test "$same" -eq "$n"

# Chunk sizes, from the server's log: the steps between fetch offsets of
# the big message, most frequent first (the first chunk may be a guess).
steps() {
	tail -n +"$1" "$SERVER_LOG" | grep "proc=MSG_FETCH .* id=$big offset=" |
		sed 's/.* offset=\([0-9]*\).*/\1/' | sort -n -u |
		awk 'NR > 1 { print $1 - p } { p = $1 }' | sort -n | uniq -c | sort -k1,1nr -k2,2nr
}
# The most frequent step (the larger one on a tie).
step() { steps "$1" | awk 'NR == 1 { print $2 }'; }
slow_step=$(step "$m")
slow_line=$(grep "proc=9 " "$T/sync1.err" | tail -1)
# The same sync next to the server (no link), into another cache.
m=$(mark)
XDG_CACHE_HOME=$T/cache-lan MAILRPC_DEBUG_LINK=1 srv sync >/dev/null 2>"$T/sync-lan.err"
lan_step=$(step "$m")
lan_line=$(grep "proc=9 " "$T/sync-lan.err" | tail -1)
echo "# dial-up: chunks of $slow_step bytes; last fetch: ${slow_line#mailrpc: link }"
echo "# loopback: chunks of $lan_step bytes; last fetch: ${lan_line#mailrpc: link }"
check "chunks on the dial-up link ($slow_step) are smaller than on loopback ($lan_step)" \
	test "${slow_step:-0}" -gt 0 -a "${slow_step:-0}" -le 32768 -a "${lan_step:-0}" -eq 258048
slow_to=$(sed -n 's/.* timeout=\([0-9]*\)s.*/\1/p' <<<"$slow_line")
lan_to=$(sed -n 's/.* timeout=\([0-9]*\)s.*/\1/p' <<<"$lan_line")
check "a fetch's timeout is the 10 s floor on loopback ($lan_to s) and on the dial-up link ($slow_to s)" \
	test "${lan_to:-0}" -eq 10 -a "${slow_to:-0}" -ge 10 -a "${slow_to:-0}" -le 60

# ---- second sync after one new message and one flag change ---------------
gen 13 1500 | ins "$DELIVER" --store "$T/store" -d alice
srv flag "$big" +flagged >/dev/null
w0=$(wire)
t0=$(now)
cl sync >"$T/sync2.out" 2>&1
rc=$?
second=$(($(wire) - w0))
echo "# second sync: $second bytes on the link in $(elapsed "$t0" "$(now)") s; $(cat "$T/sync2.out")"
check "the second sync succeeds (rc $rc)" test "$rc" -eq 0
check "it moves under 5% of the first's bytes ($second of $first)" test $((second * 20)) -lt "$first"
expect_contains "it brings the two changes and one body" "$(cat "$T/sync2.out")" \
	"2 changed, 0 removed, 1 bodies"
new=$(srv --json ls Inbox | jq '[.[].id] | max')
check "the new message is cached byte-exact" \
	test "$(cl --offline cat "$new" | sha)" = "$(srv cat "$new" | sha)"
check "the flag change is cached" test \
	"$(cl --offline --json ls Inbox | jq -r ".[] | select(.id == $big) | .flags | join(\",\")")" = flagged

# ---- a put whose commit reply is lost: stored once -----------------------
# The relay (client side, before the link) forwards the commit
# (UPLOAD_COMMIT_APPEND) whole and cuts the connection as its reply
# starts; the library reconnects and asks again with the same op id.
srv mkfolder Once >/dev/null
ip netns exec "$NS_C" "$TOOLS/relay" 0 "$SRV" "$PORT" "$T/rec.once" 0 "$(proc UPLOAD_COMMIT_APPEND)" \
	>"$T/relay.out" 2>&1 &
PIDS+=("$!")
wait_for 100 grep -q '^port ' "$T/relay.out" || { echo "FAIL setup: relay"; exit 1; }
RP=$(awk '/^port /{print $2}' "$T/relay.out")
gen 14 20000 >"$T/once"
m=$(mark)
t0=$(now)
id=$(inc "$BIN/bin/mailrpc" -s "127.0.0.1:$RP" --principal mailrpc@localhost put Once "$T/once" 2>"$T/once.err")
echo "# put of $(stat -c %s "$T/once") bytes with its commit reply lost: $(elapsed "$t0" "$(now)") s"
check "the put succeeds (id ${id:-none}) $(cat "$T/once.err")" test -n "$id"
commits=$(tail -n +"$m" "$SERVER_LOG" | grep -c "proc=UPLOAD_COMMIT_APPEND .*result=OK")
check "the commit reached the server twice ($commits)" test "$commits" -eq 2
same_id=$(tail -n +"$m" "$SERVER_LOG" |
	grep -cE "proc=UPLOAD_COMMIT_APPEND .* id=$id( repeated op: result as first given)? result=OK")
check "both were answered with the same id (the second from the record)" test "$same_id" -eq 2
check "exactly one message is stored, the one reported" \
	test "$(srv --json ls Once | jq -c 'map(.id)')" = "[$id]"
check "byte-exact" test "$(srv cat "$id" | sha)" = "$(sha <"$T/once")"

# ---- WAIT over the link fires within a second of a delivery --------------
waits() { grep -c 'proc=WAIT' "$SERVER_LOG"; }
more_waits() { test "$(waits)" -ge "$1"; }
before=$(waits)
ip netns exec "$NS_C" "$BIN/bin/mailrpc" -s "$SRV:$PORT" --principal mailrpc@localhost \
	wait Inbox >"$T/wait.out" 2>&1 &
wpid=$!
PIDS+=("$wpid")
# The opening WAIT (max_wait 0) is logged at once, the blocking one when
# it ends; then give the second time to reach the server.
wait_for 100 more_waits $((before + 1)) || fail "waiter started" "no WAIT in the log"
sleep 1
t0=$(now)
gen 15 1500 | ins "$DELIVER" --store "$T/store" -d alice
for _ in $(seq 1 500); do
	grep -q "new mail" "$T/wait.out" && break
	sleep 0.02
done
t1=$(now)
d=$(elapsed "$t0" "$t1")
echo "# WAIT over the dial-up link: the line came $d s after the delivery started"
expect_contains "wait reports the new mail" "$(cat "$T/wait.out")" "new mail in Inbox: 1 new"
check "within 1 s of the delivery ($d s)" under "$d" 1.0
until_exit "$wpid" 50

echo "# t_dialup took $(($(date +%s) - TEST_START)) s"
exit $((failures > 0))
