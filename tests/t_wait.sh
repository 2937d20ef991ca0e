# t_wait.sh -- WAIT and `mailrpc wait`: a delivery by mailrpc-deliver and a
# put by another client each wake a waiting client within a second; an
# idle WAIT ends at the server's --wait-timeout and the client waits
# again; the waiting server process spends no CPU; --follow keeps
# reporting; delegates may wait only on folders they can read.
. "$(dirname "$0")/lib.sh"
setup_realm
kinit_as alice
start_server --wait-timeout 2
DELIVER=$BIN/bin/mailrpc-deliver

now() { date +%s.%N; }
# elapsed START END: seconds between two now() values, 3 decimals.
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
under() { awk -v x="$1" -v max="$2" 'BEGIN { exit !(x < max) }'; }
waits_logged() { grep -c 'proc=WAIT' "$SERVER_LOG"; }
msg() { printf 'From: carol@example.org\r\nSubject: %s\r\n\r\nhello\r\n' "$1"; }

more_waits() { test "$(waits_logged)" -gt "$1"; }

# start_waiter OUT MAILRPC-ARGS...: a background `mailrpc ... wait ...`,
# once its first (blocking) WAIT is in the server.  Sets WAITER.
start_waiter() {
	local out=$1 before; shift
	before=$(waits_logged)
	mailrpc "$@" >"$out" 2>&1 &
	WAITER=$!
	PIDS+=("$WAITER")
	# The opening WAIT (max_wait 0) is logged; the blocking one follows it.
	wait_for 50 more_waits "$before" || return 1
	sleep 0.3
}

# until_exit PID TENTHS: 0 once PID has exited (bounded).
until_exit() { wait_for "$2" eval "! kill -0 $1"; }

check "mailbox made" mailrpc folders >/dev/null

# ---- woken by the delivery agent (another process, writing the store) ----
start_waiter "$T/w1" wait || fail "waiter started" "no WAIT in the log"
t0=$(now)
msg "delivered" | "$DELIVER" --store "$T/store" -d alice
until_exit "$WAITER" 30
t1=$(now)
check "waiter exited after the delivery" eval "! kill -0 $WAITER 2>/dev/null"
wait "$WAITER"; rc=$?
check "wait exits 0" test "$rc" -eq 0
expect_contains "wait names the folder with new mail" "$(cat "$T/w1")" "new mail in Inbox: 1 new"
d=$(elapsed "$t0" "$t1")
echo "# delivery woke the waiter in ${d}s"
check "woken within 1 s of a delivery ($d s)" under "$d" 1

# ---- woken by a put from another client connection ----------------------
start_waiter "$T/w2" --json wait Inbox || fail "waiter started" "no WAIT in the log"
msg "put" >"$T/m2"
mailrpc put Inbox "$T/m2" >/dev/null
t0=$(now)
until_exit "$WAITER" 30
t1=$(now)
wait "$WAITER"
d=$(elapsed "$t0" "$t1")
echo "# put woke the waiter in ${d}s"
check "woken within 1 s of another client's put ($d s)" under "$d" 1
if jq -e '.folder == "Inbox" and .new == 1 and .total == 2' "$T/w2" >/dev/null; then
	pass "wait --json says what arrived"
else
	fail "wait --json says what arrived" "$(cat "$T/w2")"
fi

# ---- idle: WAIT ends at --wait-timeout, costs no CPU, client waits again --
start_waiter "$T/w3" wait --follow || fail "waiter started" "no WAIT in the log"
child=$(pgrep -P "$SERVER_PID" | tail -1)
cpu() { awk '{ print $14 + $15 }' "/proc/$child/stat"; }
before_cpu=$(cpu); before=$(waits_logged)
sleep 4.5
after_cpu=$(cpu); after=$(waits_logged)
echo "# idle 4.5 s: $((after - before)) WAIT replies, $((after_cpu - before_cpu)) CPU ticks in the server process"
check "idle WAITs end at the timeout (2 in 4.5 s)" test $((after - before)) -eq 2
check "waiting costs the server process no CPU" test $((after_cpu - before_cpu)) -le 2
check "an idle wait does not end the client" kill -0 "$WAITER"
expect_contains "an idle WAIT reports no change" "$(grep 'proc=WAIT' "$SERVER_LOG" | tail -1)" "result=OK"
check "an idle wait prints nothing" test ! -s "$T/w3"

# ---- --follow reports every arrival -------------------------------------
msg "one" | "$DELIVER" --store "$T/store" -d alice
wait_for 20 grep -q "1 new" "$T/w3"
mailrpc mkfolder Lists
msg "two" | mailrpc put Lists >/dev/null
wait_for 20 grep -q "new mail in Lists" "$T/w3"
expect_contains "--follow reports the first" "$(cat "$T/w3")" "new mail in Inbox: 1 new"
expect_contains "--follow reports the next, in any folder" "$(cat "$T/w3")" "new mail in Lists: 1 new"
check "--follow keeps waiting" kill -0 "$WAITER"
kill "$WAITER"; wait "$WAITER" 2>/dev/null
n=$(wc -l <"$T/w3")
check "flag changes are not new mail" test "$n" -eq 2
id=$(mailrpc --json ls | jq '.[0].id')
start_waiter "$T/w4" wait || fail "waiter started" "no WAIT in the log"
mailrpc flag "$id" +seen
sleep 1
check "a flag change wakes but prints nothing" test ! -s "$T/w4"
kill "$WAITER"; wait "$WAITER" 2>/dev/null

# ---- delegates ------------------------------------------------------------
kinit_as bob
mailrpc folders >/dev/null
out=$(mailrpc -m alice wait 2>&1); rc=$?
check "a delegate may not wait on a whole mailbox" test "$rc" -eq 1
expect_contains "and is told to name a folder" "$out" "name a folder"
out=$(mailrpc -m alice wait Inbox 2>&1)
expect_contains "a folder without rights reads as missing" "$out" "no such folder: Inbox"
kinit_as alice
check "alice grants bob l" mailrpc acl Inbox set "bob@$MAILRPC_REALM" l
kinit_as bob
out=$(mailrpc -m alice wait Inbox 2>&1)
expect_contains "lookup without read is denied" "$out" "not permitted"
kinit_as alice
check "alice grants bob lr" mailrpc acl Inbox set "bob@$MAILRPC_REALM" lr
kinit_as bob
start_waiter "$T/w5" -m alice wait Inbox || fail "waiter started" "no WAIT in the log"
msg "for the delegate" | "$DELIVER" --store "$T/store" -d alice
until_exit "$WAITER" 20
expect_contains "a delegate with read rights is woken" "$(cat "$T/w5")" "new mail in Inbox"
