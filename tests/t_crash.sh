# t_crash.sh -- crash consistency: appenders, submitters, a mover and
# mailrpc-deliver work against one mailrpcd while SIGKILL hits, at random
# moments, a connection process, the master (restarted on the same port
# and store) or a mailrpc-deliver.  Afterwards:
#   - every acknowledged message is there exactly once, byte-exact (an
#     append in alice's mailbox, a send as alice's sent copy and in bob's
#     Inbox, a delivery in carol's with its trace lines);
#   - nothing else is there but whole messages some client sent (nothing
#     unacknowledged half-there, no torn body);
#   - a call the kill cut is repeated by libmailrpc with its op id and
#     stored once; a commit the library gave up on, retried with its op id
#     after the restart, is stored once; an acknowledged one retried gets
#     its original id and stores nothing new;
#   - mailrpc-admin verify is clean after every round.
# MAILRPC_CRASH_ROUNDS rounds, of 3-6 s each (default 6, what make check
# runs; the long run is MAILRPC_CRASH_ROUNDS=100 tests/run --bin build
# t_crash.sh, about 7 minutes).  Every loop is bounded in count,
# every wait in time, the whole at 20 s a round.  Last, a kill that surely
# lands inside a call (holdwrite holds the writer lock meanwhile).
. "$(dirname "$0")/lib.sh"
ROUNDS=${MAILRPC_CRASH_ROUNDS:-6}
setup_realm alice bob carol
start_server
login_users alice bob carol
SRV=localhost:$PORT
OPRETRY=$TOOLS/opretry
ADMIN() { "$BIN/bin/mailrpc-admin" --store "$T/store" "$@"; }
mkdir -p "$T/m" "$T/st" "$T/log"
as alice mkfolder Archive >/dev/null || { echo "FAIL setup: alice's Archive"; exit 1; }
for f in append.ok send.ok deliver.ok pending; do : >"$T/log/$f"; done

# serve: mailrpcd again on the same port and store, after the master was
# killed (its connection processes may still hold the port a moment).
serve() {
	for _ in $(seq 1 50); do
		"$BIN/bin/mailrpcd" --listen "127.0.0.1:$PORT" --store "$T/store" --keytab "$KEYTAB" \
			--principal mailrpc@localhost --foreground >>"$SERVER_LOG" 2>&1 &
		SERVER_PID=$!
		PIDS+=("$SERVER_PID")
		wait_for 100 listening_more "$listening" &&
			{ listening=$((listening + 1)); return 0; }
		kill "$SERVER_PID" 2>/dev/null
		wait "$SERVER_PID" 2>/dev/null
		sleep 0.1
	done
	echo "FAIL setup: mailrpcd did not restart"
	exit 1
}
listening=1
# listening_more N: the log says "listening on" more than N times.
listening_more() { [ "$(grep -c 'listening on' "$SERVER_LOG")" -gt "$1" ]; }

# message KIND N SIZE: a message file of its own (a unique Subject, a
# body of about SIZE bytes), printed path.
message() {
	local f=$T/m/$1.$2
	{
		printf 'From: alice@MAILRPC.TEST\r\nSubject: %s %s\r\n\r\n' "$1" "$2"
		head -c "$3" /dev/urandom | base64 -w 76 | sed 's/$/\r/'
	} >"$f"
	echo "$f"
}

# commit MODE KIND N WHERE: upload and commit with a new op id (opretry);
# acknowledged: "N ID" in KIND.ok; lost: N in pending (retried later).
commit() {
	local f out
	f=$(message "$2" "$3" $((RANDOM % 20000)))
	out=$("$OPRETRY" "$SRV" "$1" "$f" "$4" "$T/st/$2.$3")
	if [[ $out =~ ^[0-9]+$ ]]; then
		echo "$3 $out" >>"$T/log/$2.ok"
	elif [ -s "$T/st/$2.$3" ]; then
		echo "$1 $2 $3 $4" >>"$T/log/pending"
	fi
}

appender() {
	local i
	for i in $(seq "$1" $(($1 + 5))); do commit append append "$i" Inbox; done
}
submitter() {
	local i
	for i in $(seq "$1" $(($1 + 3))); do commit send send "$i" bob; done
}
# Deliveries until the round's kills are done (at most 40); one is
# acknowledged by exit status 0; the agent's PID is kept for the killer.
deliverer() {
	local i f
	for i in $(seq "$1" $(($1 + 39))); do
		[ -e "$T/round.done" ] && break
		f=$(message deliver "$i" $((RANDOM % 20000)))
		"$BIN/bin/mailrpc-deliver" --store "$T/store" -d carol -f crash@example.org <"$f" \
			>/dev/null 2>&1 &
		echo $! >"$T/deliver.pid"
		wait $! && echo "$i" >>"$T/log/deliver.ok"
	done
}
# Moves alice's oldest messages between Inbox and Archive (new ids),
# until the round's kills are done (at most 20 moves).
mover() {
	local n from to ids
	for n in $(seq 1 20); do
		[ -e "$T/round.done" ] && break
		if [ $((n % 2)) -eq 1 ]; then from=Inbox to=Archive; else from=Archive to=Inbox; fi
		ids=$(as alice --retries 0 --json ls "$from" --sort id --limit 3 2>/dev/null | jq -r '.[].id' 2>/dev/null)
		# shellcheck disable=SC2086 # one argument per id
		[ -n "$ids" ] && as alice --retries 0 mv $ids "$to" >/dev/null 2>&1 &&
			echo "$ids" >>"$T/log/moves"
	done
}

# deliver_pid: the running mailrpc-deliver's PID, waiting for one at most
# a second (each lives a few milliseconds).
deliver_pid() {
	local n pid
	for n in $(seq 1 100); do
		pid=$(cat "$T/deliver.pid" 2>/dev/null)
		[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = mailrpc-deliver ] && { echo "$pid"; return; }
		sleep 0.01
	done
}

# connection_pid: one of the master's connection processes, waiting for
# one at most a second.
connection_pid() {
	local pids
	for _ in $(seq 1 100); do
		pids=$(pgrep -P "$SERVER_PID") && { shuf -n 1 <<<"$pids"; return; }
		sleep 0.01
	done
}

# kill_one N: the Nth kill; they take turns: SIGKILL a connection
# process, the master or a mailrpc-deliver -- only processes this test
# started, by PID.  Fails when there was none to kill (the turn stays).
kill_one() {
	local victim pid
	case $(($1 % 3)) in
	0) victim=connection pid=$(connection_pid) ;;
	1) pid=$SERVER_PID victim=master ;;
	2) victim=deliver pid=$(deliver_pid) ;;
	esac
	[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null || return 1
	echo "$victim" >>"$T/log/kills"
	if [ "$victim" = master ]; then
		wait "$SERVER_PID" 2>/dev/null
		sleep 0.$((RANDOM % 3))
		serve
	fi
}

export KRB5CCNAME=FILE:$T/cc.alice
deadline=$((SECONDS + 20 * ROUNDS)) kills=0
for r in $(seq 1 "$ROUNDS"); do
	[ "$SECONDS" -lt "$deadline" ] || { fail "rounds" "only $((r - 1)) of $ROUNDS in $((20 * ROUNDS)) s"; break; }
	rm -f "$T/round.done"
	appender $((r * 100)) & w1=$!
	appender $((r * 100 + 50)) & w2=$!
	submitter $((r * 100)) & w3=$!
	deliverer $((r * 100)) & w4=$!
	mover & w5=$!
	for _ in 1 2; do
		sleep "0.$((RANDOM % 9 + 1))"
		kill_one "$kills" && kills=$((kills + 1))
	done
	touch "$T/round.done"
	wait $w1 $w2 $w3 $w4 $w5
	kill -0 "$SERVER_PID" 2>/dev/null || serve
	out=$(ADMIN verify 2>&1) || fail "verify after round $r" "$out"
done
pass "$ROUNDS rounds: $(sort "$T/log/kills" | uniq -c | tr -s ' \n' ' ')kills"
check "the mover moved messages meanwhile ($(wc -w <"$T/log/moves" 2>/dev/null))" test -s "$T/log/moves"
for v in connection master deliver; do
	check "the rounds killed a $v process at least once" grep -qx "$v" "$T/log/kills"
done

# The kills above land in calls only by chance: libmailrpc then
# reconnects and repeats the call with its op id, which the server
# answers from its record when the first had been done ("repeated op").
# One that surely lands in a call: holdwrite holds the store's writer
# lock, so the upload's first write waits inside its connection process
# (the one that was not there before), which is then killed.
grep -c 'repeated op' "$SERVER_LOG" >"$T/repeats.rounds"
before=$(pgrep -P "$SERVER_PID")
"$TOOLS/holdwrite" "$T/store" alice Archive bob lr "$T/held" "$T/go" >/dev/null 2>&1 &
hold=$!
PIDS+=("$hold")
wait_for 100 test -e "$T/held" || fail "holdwrite" "did not take the writer lock"
commit append append 9000 Inbox &
committer=$!
# new_connection: a connection process that was not there before.
new_connection() { pgrep -P "$SERVER_PID" | grep -vxF "${before:-none}"; }
wait_for 100 new_connection >/dev/null
victim=$(new_connection | head -1)
sleep 0.5 # its handshake done, it waits for the lock
check "a new connection process waits for the writer lock (${victim:-none})" test -n "$victim"
kill -KILL "$victim" 2>/dev/null
touch "$T/go"
wait "$hold" "$committer"
check "killed in its call, the append is acknowledged after the library's retry" \
	grep -q '^9000 ' "$T/log/append.ok"
pass "calls repeated by op id after the rounds' kills: $(cat "$T/repeats.rounds")"

# The commits whose reply was lost, retried with their op ids: stored once.
while read -r _ kind n where; do
	out=$("$OPRETRY" "$SRV" retry "$T/st/$kind.$n" "$where")
	if [[ $out =~ ^[0-9]+$ ]]; then echo "$n $out" >>"$T/log/$kind.ok"; else echo "$kind $n: $out" >>"$T/log/retry-refused"; fi
done <"$T/log/pending"
pass "$(wc -l <"$T/log/pending") lost replies retried, $(wc -l <"$T/log/retry-refused" 2>/dev/null || echo 0) refused (nothing committed)"
# Acknowledged commits retried: their original ids, nothing new.
bad=0
while read -r n id; do
	again=$("$OPRETRY" "$SRV" retry "$T/st/append.$n" Inbox)
	[ "$again" = "$id" ] || { bad=$((bad + 1)); echo "# append $n: acknowledged as $id, retried as $again"; }
done <"$T/log/append.ok"
check "a retried acknowledged append gets its original id ($(wc -l <"$T/log/append.ok") of them)" test "$bad" -eq 0

stop_server
check "verify: the store is consistent at the end" ADMIN verify
for u in alice bob carol; do ADMIN dump "$u" "$T/$u.dump" 2>/dev/null || fail "dump $u" "failed"; done

# Every message in the dumps against what the clients were told.
out=$(python3 - "$T" <<'PY'
import collections, hashlib, os, re, sys
T = sys.argv[1]

def messages(user):
    """(folder, sha256 of the body bytes) of every message in the dump."""
    data = open(f"{T}/{user}.dump", "rb").read()
    out, at = [], 0
    for m in re.finditer(rb"(?m)^message (\d+) (\d+) (-?\d+) (\d+) ([0-9a-f]{64}) (.*)$", data):
        if m.start() < at:
            continue
        size = int(m.group(4)); start = m.end() + 1
        body = data[start:start + size]; at = start + size
        out.append((m.group(6).decode("utf-8", "replace"), hashlib.sha256(body).hexdigest()))
    return out

def sha(path, prefix=b""):
    return hashlib.sha256(prefix + open(path, "rb").read()).hexdigest()

def ok_list(kind):
    p = f"{T}/log/{kind}.ok"
    return [l.split()[0] for l in open(p)] if os.path.exists(p) else []

problems, sent = [], {}
for kind in ("append", "send", "deliver"):
    for f in os.listdir(f"{T}/m"):
        if f.startswith(kind + "."):
            sent[(kind, f.split(".")[1])] = f"{T}/m/{f}"
trace = b"Return-Path: <crash@example.org>\r\nDelivered-To: carol\r\n"
known = {"alice": {}, "bob": {}, "carol": {}}
for (kind, n), path in sent.items():
    if kind == "deliver":
        # the trace lines end like the message's first line (CRLF here)
        known["carol"][sha(path, trace)] = (kind, n)
    else:
        known["alice"][sha(path)] = (kind, n)
        if kind == "send":
            known["bob"][sha(path)] = (kind, n)
counts = {}
for user in known:
    c = collections.Counter()
    for folder, h in messages(user):
        if h in known[user]:
            c[known[user][h]] += 1
        else:
            problems.append(f"{user}/{folder}: a message no client sent whole ({h[:12]})")
    counts[user] = c
for user in known:
    for key, k in counts[user].items():
        if k > 1:
            problems.append(f"{user}: {key} stored {k} times")
acked = {"append": ["alice"], "send": ["alice", "bob"], "deliver": ["carol"]}
total = 0
for kind, users in acked.items():
    for n in ok_list(kind):
        total += 1
        for user in users:
            if counts[user][(kind, n)] != 1:
                problems.append(f"acknowledged {kind} {n} is in {user}'s mailbox {counts[user][(kind, n)]} times")
print(f"acked {total}", flush=True)
for p in problems[:20]:
    print(p)
PY
) || fail "the dumps' check" "python3 failed: $out"
acked=$(sed -n 's/^acked //p' <<<"$out")
problems=$(grep -v '^acked ' <<<"$out")
check "some messages were acknowledged ($acked)" test "${acked:-0}" -gt 0
check "every acknowledged message there once, byte-exact; nothing else, nothing twice" \
	test -z "$problems"
[ -z "$problems" ] || sed 's/^/# /' <<<"$problems"
exit $((failures > 0))
