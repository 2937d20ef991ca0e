# t_faults_sync.sh -- a flush that fails after a visible commit (issue 15
# item 12): LMDB made the delivery's transaction visible, then syncing
# its meta page failed (tests/shim/failsync.c makes exactly that sync
# fail with EIO).  The message is stored, so mailrpc-deliver must exit 0:
# exiting 75 would have the MTA deliver it again, a duplicate.  The
# failure is logged, and the next write flushes the meta page.
. "$(dirname "$0")/lib.sh"
ADMIN() { "$BIN/bin/mailrpc-admin" --store "$T/store" "$@"; }
mkdir "$T/store"
ADMIN create alice >/dev/null || { echo "FAIL setup: mailbox"; exit 1; }
# The sanitizer runtime must come first; the shim is preloaded before it.
export ASAN_OPTIONS="$ASAN_OPTIONS:verify_asan_link_order=0"
deliver() {
	LD_PRELOAD=$BIN/tests/failsync.so "$BIN/bin/mailrpc-deliver" --store "$T/store" "$@"
}
count() { ADMIN usage alice | awk 'NR == 1 { print $2 }'; }

printf 'From: bob@example.com\r\nSubject: once\r\n\r\nhi\r\n' >"$T/m"
deliver -d alice <"$T/m" 2>"$T/err"
rc=$?
same "the commit was visible: mailrpc-deliver exits 0, not 75" "$rc" 0
expect_contains "the failed flush is logged" "$(cat "$T/err")" \
	"mdb_env_sync after a commit: Input/output error"
same "the message is stored once" "$(count)" 1
check "a later delivery (its flush fails too) is stored as well" deliver -d alice <"$T/m"
same "two deliveries, two messages" "$(count)" 2
out=$(ADMIN verify 2>&1)
check "verify is clean ($(echo "$out" | tail -1))" ADMIN verify

exit $((failures > 0))
