# t_wait_many.sh -- many users each WAITing at once (issue 15, "push at
# scale"): more waiters than the kernel's per-user inotify instances
# (fs.inotify.max_user_instances, 128 by default; every connection process
# runs as mailrpcd's user) all sleep, and each whose mailbox gets mail
# wakes within 1 s of its delivery.  WAITERS sets how many (default 150;
# `make soak` runs 1000).
. "$(dirname "$0")/lib.sh"
N=${WAITERS:-150}
many_users u "$N"
export XDG_CACHE_HOME=$T/cache
ADMIN() { "$BIN/bin/mailrpc-admin" --store "$T/store" "$@"; }
deliver() { "$BIN/bin/mailrpc-deliver" --store "$T/store" "$@"; }
# All of them connect at once from one address (mailrpcd reads its
# connection limits at start).
check "policy set max-preauth-peer $N" ADMIN policy set max-preauth-peer "$N"
start_server --wait-timeout 120

now() { date +%s.%N; }
# waiter U: WAITs on U's Inbox, then records when it woke.
waiter() {
	as "$1" wait Inbox >"$T/wait.$1" 2>&1
	now >"$T/woke.$1"
}
for u in "${users[@]}"; do
	waiter "$u" &
	PIDS+=($!)
done
# Every waiter has its connection process (the listener's children).
# Bounded in time, not in tries: among a thousand processes one look
# takes a good part of a second.  A waiter that gave up (its woke file
# is there) will never connect: no use waiting for it.
connected() { [ "$(pgrep -c -P "$SERVER_PID")" -ge "$N" ]; }
settled() { [ $(($(pgrep -c -P "$SERVER_PID") + $(ls "$T" | grep -c '^woke\.'))) -ge "$N" ]; }
t0=$SECONDS limit=$((N > 150 ? N * 2 / 5 : 60))
while ! settled && [ $((SECONDS - t0)) -lt "$limit" ]; do sleep 0.5; done
echo "# $(pgrep -c -P "$SERVER_PID") connected in $((SECONDS - t0)) s"
check "$N waiters connected" connected
sleep 2 # each has made its WAIT call
asleep=$(ls "$T"/woke.* 2>/dev/null | wc -l)
same "none woke before its mail came" "$asleep" 0

# Mail for every other user; the rest get none and must sleep on.
late=0 woken=0 slept=0 slowest=0 t0=$SECONDS
for i in $(seq 1 2 "$N"); do
	printf 'From: x@example.com\r\nSubject: for u%s\r\n\r\nhi\r\n' "$i" >"$T/m"
	now >"$T/sent.u$i"
	deliver -d "u$i" <"$T/m" || echo "# delivery to u$i failed"
done
echo "# $(((N + 1) / 2)) deliveries took $((SECONDS - t0)) s"
sleep 2
for i in $(seq 1 "$N"); do
	if [ $((i % 2)) -eq 1 ]; then
		if [ -f "$T/woke.u$i" ]; then
			woken=$((woken + 1))
			lag=$(echo "$(cat "$T/woke.u$i") - $(cat "$T/sent.u$i")" | bc)
			[ "$(echo "$lag > $slowest" | bc)" -eq 1 ] && slowest=$lag
			[ "$(echo "$lag < 1.0" | bc)" -eq 1 ] || { late=$((late + 1)); echo "# u$i woke after $lag s"; }
		fi
	elif [ -f "$T/woke.u$i" ]; then
		slept=$((slept + 1))
	fi
done
echo "# the slowest woke $slowest s after its delivery began"
same "every waiter that got mail woke" "$woken" $(((N + 1) / 2))
same "each within 1 s of its delivery" "$late" 0
same "no waiter without mail woke" "$slept" 0
out=$(cat "$T"/wait.u1)
expect_contains "a woken waiter reports its folder" "$out" "Inbox"

exit $((failures > 0))
