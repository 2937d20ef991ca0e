# t_limits_readers.sh -- LMDB's reader table (issue 15 item 1): an idle
# connection process holds no reader slot (the store is opened with
# MDB_NOTLS), and when the table is full anyway a reader gets a clear
# "busy" while mailrpc-deliver still delivers.
. "$(dirname "$0")/lib.sh"
setup_realm alice
export XDG_CACHE_HOME=$T/cache
start_server
login_users alice
deliver() { "$BIN/bin/mailrpc-deliver" --store "$T/store" "$@"; }
# readers: slots of the table held by a live process (mdb_stat lists them).
readers() { mdb_stat -r "$T/store" | awk '$1 ~ /^[0-9]+$/ && $1 > 0 { n++ } END { print n + 0 }'; }

# Ten idle sessions, each of which has read the store.
for i in $(seq 1 10); do
	KRB5CCNAME=FILE:$T/cc.alice "$TOOLS/session" "localhost:$PORT" hold 30 \
		>"$T/hold.$i" 2>&1 &
	PIDS+=($!)
done
all_ready() { [ "$(cat "$T"/hold.* | grep -c ready)" -eq 10 ]; }
check "ten sessions connected and idle" wait_for 200 all_ready
same "they hold no reader slot" "$(readers)" 0

# A full table: another process takes every slot.
"$TOOLS/holdreaders" "$T/store" "$T/readers.ready" "$T/readers.go" &
holder=$!
PIDS+=("$holder")
check "the reader table is full" wait_for 100 test -s "$T/readers.ready"
out=$(as alice ls Inbox 2>&1)
expect_contains "a reader is refused clearly: busy" "$out" "busy"
printf 'From: bob@example.com\r\nSubject: while full\r\n\r\nhi\r\n' >"$T/m"
deliver -d alice <"$T/m" 2>"$T/deliver.err"
same "mailrpc-deliver still delivers (exit 0)" "$?" 0
touch "$T/readers.go"
wait "$holder"
out=$(as alice --json ls Inbox 2>&1)
expect_contains "the message delivered while the table was full is there" "$out" \
	'"subject":"while full"'

exit $((failures > 0))
