# t_policy.sh -- the store's policy (mailrpc-admin policy) is applied alike
# by every process, with no flag given to any: a put through mailrpcd and
# a delivery through mailrpc-deliver meet the same size limit and the same
# default quota, and a change reaches a running server at its next call,
# on a connection opened before the change.
. "$(dirname "$0")/lib.sh"
setup_realm alice bob
export XDG_CACHE_HOME=$T/cache
start_server
ADMIN() { "$BIN/bin/mailrpc-admin" --store "$T/store" "$@"; }
deliver() { "$BIN/bin/mailrpc-deliver" --store "$T/store" "$@"; }
login_users alice bob
count() { as "$1" --json ls "$2" | jq length; }

out=$(ADMIN policy)
expect_contains "policy: max-message is 50M by default" "$out" "max-message      50M        default"
expect_contains "policy: no default quota by default" "$out" "default-quota    0          default"
expect_contains "policy: tombstones kept 30 days by default" "$out" "tombstone-age    30d        default"
check "policy set max-message 100K" ADMIN policy set max-message 100K
check "policy set default-quota 300K" ADMIN policy set default-quota 300K
out=$(ADMIN policy)
expect_contains "policy shows what was set" "$out" "max-message      100K       set"
out=$(ADMIN policy set max-message 0 2>&1); rc=$?
check "policy: a value below its bounds is refused (exit $rc)" test "$rc" -eq 64
expect_contains "policy: ... saying the bounds" "$out" "from 1 to 4G"
out=$(ADMIN policy set no-such-key 1 2>&1)
expect_contains "policy: an unknown key lists the keys" "$out" "keys: default-quota max-message"

# ---- the size limit: the same for a put and a delivery ----
head -c $((100 * 1024 + 1)) /dev/urandom >"$T/over"
head -c $((99 * 1024)) /dev/urandom >"$T/under"
out=$(as alice put Inbox "$T/over" 2>&1); rc=$?
check "put over max-message: refused (exit $rc)" test "$rc" -ne 0
expect_contains "put over max-message: says too big" "$out" "message too big"
deliver -d bob <"$T/over" 2>"$T/err"; rc=$?
check "delivery over max-message: bounced (exit $rc)" test "$rc" -eq 65
expect_contains "delivery over max-message: names the policy's limit" "$(cat "$T/err")" \
	"over the size limit of 102400 bytes"
check "put under max-message: stored" as alice put Inbox "$T/under"
check "delivery under max-message: stored" deliver -d bob <"$T/under"

# ---- the default quota: the same for a put and a delivery ----
head -c $((90 * 1024)) /dev/urandom >"$T/90k"
head -c $((40 * 1024)) /dev/urandom >"$T/40k"
for i in 1 2; do as alice put Drafts "$T/90k" >/dev/null; deliver -d bob <"$T/90k"; done
# 99K + 180K held each: 40K more is over 300K
out=$(as alice put Drafts "$T/40k" 2>&1); rc=$?
check "put over the default quota: refused (exit $rc)" test "$rc" -ne 0
expect_contains "put over the default quota: says quota" "$out" "quota exceeded"
deliver -d bob <"$T/40k" 2>"$T/err"; rc=$?
check "delivery over the default quota: deferred (exit $rc)" test "$rc" -eq 75
expect_contains "delivery over the default quota: says quota" "$(cat "$T/err")" "bob: mailbox over quota"
check "nothing more stored for alice" test "$(count alice Drafts)" -eq 2
check "nothing more stored for bob" test "$(count bob Inbox)" -eq 3
# QUOTA tells its owner the limit in force: the policy's default...
same "mailrpc quota: the limit is the policy's default-quota" \
	"$(as bob --json quota | jq -c '[.limit, .messages]')" "[307200,3]"
# ...and a mailbox's own quota, which still wins over the default.
ADMIN quota bob 1M >/dev/null
same "mailrpc quota: a mailbox's own quota is its limit" "$(as bob --json quota | jq .limit)" \
	1048576
check "delivery under bob's own quota: stored" deliver -d bob <"$T/40k"

# ---- a change reaches a running server, on an open connection ----
ADMIN policy unset default-quota
check "default quota unset: alice's put is stored now" as alice put Drafts "$T/40k"
ADMIN policy set max-message 1K
head -c 2048 /dev/urandom >"$T/2k"
KRB5CCNAME=FILE:$T/cc.alice "$TOOLS/session" "localhost:$PORT" append Drafts "$T/2k" \
	"$T/changed" >"$T/append.out" 2>&1 &
PIDS+=($!)
wait_for 100 grep -q '^first:' "$T/append.out"
same "max-message 1K: a 2K append is refused" "$(grep '^first:' "$T/append.out")" \
	"first: message too big for this server"
ADMIN policy set max-message 4K
touch "$T/changed"
wait_for 100 grep -q '^second:' "$T/append.out"
same "max-message 4K: the same connection's next append is stored" \
	"$(grep '^second:' "$T/append.out")" "second: ok"
served=$(grep 'proc=MSG_APPEND' "$SERVER_LOG" | tail -2 | grep -o 'mailrpcd\[[0-9]*\]' | sort -u)
check "one connection process served both appends ($served)" test "$(wc -l <<<"$served")" -eq 1

# ---- the old flags are gone ----
out=$(deliver -d bob --quota 0 <"$T/40k" 2>&1); rc=$?
check "mailrpc-deliver --quota: deferred, not bounced (exit $rc)" test "$rc" -eq 75
expect_contains "mailrpc-deliver --quota: says where limits are now" "$out" \
	"--quota is no longer an option: limits are the store's policy (mailrpc-admin policy)"
out=$(deliver -d bob --max-message=5K <"$T/40k" 2>&1); rc=$?
check "mailrpc-deliver --max-message=5K: deferred (exit $rc)" test "$rc" -eq 75
# Bounded: a mailrpcd that took the flag would start serving.
for flag in --quota --max-message --tombstone-days; do
	timeout 10 "$BIN/bin/mailrpcd" --listen "127.0.0.1:$(free_port)" --store "$T/store" \
		--keytab "$KEYTAB" --principal mailrpc@localhost --foreground "$flag" 1 \
		>"$T/old.out" 2>&1; rc=$?
	check "mailrpcd $flag: refused at start (exit $rc)" test "$rc" -eq 64
done
