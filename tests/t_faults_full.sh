# t_faults_full.sh -- the store on a small file system that fills (issue
# 15 item 12): a put gets a clear "storage full" at the client and the
# server's log says so; mailrpc-deliver defers (75) with a line saying
# why; what was stored stays readable; once space returns the same
# message is delivered exactly once, puts work again and verify is clean.
# The test makes its own tmpfs (size=32M) as the store directory.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" -eq 0 ] || skip "needs root to mount a small file system"
setup_realm alice
export XDG_CACHE_HOME=$T/cache
ADMIN() { "$BIN/bin/mailrpc-admin" --store "$T/store" "$@"; }
deliver() { "$BIN/bin/mailrpc-deliver" --store "$T/store" "$@"; }
mkdir "$T/store"
mount -t tmpfs -o size=32M,mode=0700 tmpfs "$T/store" || skip "cannot mount a tmpfs here"
# Processes first (they hold the store open), then the file system.
fs_cleanup() {
	stop_server
	umount "$T/store" 2>/dev/null || umount -l "$T/store"
	cleanup
}
trap fs_cleanup EXIT
start_server
login_users alice

# msg SUBJECT FILE: a 512 KiB message that compresses to nothing saved.
msg() {
	{ printf 'From: bob@example.com\r\nSubject: %s\r\n\r\n' "$1"
	  head -c $((512 * 1024)) /dev/urandom | base64; } >"$2"
}
msg first "$T/m.first"
check "a message stored while there is room" as alice put Inbox "$T/m.first"

# Fill the file system, then give back a little: the next puts fill it.
dd if=/dev/zero of="$T/store/filler" bs=1M 2>/dev/null
truncate -s -2M "$T/store/filler"
full=
for i in $(seq 1 20); do
	msg "fill $i" "$T/m.fill"
	if ! out=$(as alice put Inbox "$T/m.fill" 2>&1); then
		full=$out
		break
	fi
done
expect_contains "a put on a full file system is refused: storage full" "$full" \
	"storage is full"
check "the server's log says storage full" grep -q "storage full" "$SERVER_LOG"
out=$(as alice --json ls Inbox 2>&1)
expect_contains "what was stored is still listed" "$out" '"subject":"first"'

msg delivered "$T/m.deliver"
deliver -d alice <"$T/m.deliver" 2>"$T/deliver.err"
rc=$?
same "mailrpc-deliver defers while the storage is full (exit 75)" "$rc" 75
expect_contains "and says why" "$(cat "$T/deliver.err")" "storage full"
count_subject() { as alice --json ls Inbox --limit 0 | jq "[.[] | select(.subject == \"$1\")] | length"; }
same "nothing of the deferred message was stored" "$(count_subject delivered)" 0

# Space returns: the MTA's retry delivers it, once.
rm -f "$T/store/filler"
deliver -d alice <"$T/m.deliver" 2>"$T/deliver.err"
rc=$?
same "once space returns the retry is delivered (exit 0)" "$rc" 0
same "the message is in the mailbox exactly once" "$(count_subject delivered)" 1
msg after "$T/m.after"
check "puts work again" as alice put Inbox "$T/m.after"
out=$(ADMIN verify 2>&1)
check "verify is clean ($(echo "$out" | tail -1))" ADMIN verify

exit $((failures > 0))
