# t_limits.sh -- what a logged-in user can make the server hold is bounded
# and charged to their mailbox (issue 15 items 5 and 6): unfinished
# uploads count against the quota and are limited in number, folders and
# ACL entries are limited by the store's policy, and each refusal reaches
# the client in words naming the limit.  mailrpc-admin usage shows what a
# mailbox holds.
. "$(dirname "$0")/lib.sh"
setup_realm alice bob
export XDG_CACHE_HOME=$T/cache
start_server
ADMIN() { "$BIN/bin/mailrpc-admin" --store "$T/store" "$@"; }
login_users alice bob
uploads() {
	local u=$1; shift
	KRB5CCNAME=FILE:$T/cc.$u "$TOOLS/session" "localhost:$PORT" uploads "$@"
}

# ---- item 5: unfinished uploads are charged to the quota -------------
check "quota alice 1M" ADMIN quota alice 1M
out=$(uploads alice 200 921600)
expect_contains "under a 1M quota, one 900 KB upload may wait unfinished" "$out" "begun 1"
expect_contains "the second is refused: over quota" "$out" "quota"
expect_contains "the refusal says unfinished uploads count" "$out" "unfinished uploads"
out=$(as alice quota 2>&1)
expect_contains "alice's quota shows the 900 KB upload as used" "$out" "used:     900K"

# ---- ... and limited in number ----------------------------------------
check "policy set max-uploads 5" ADMIN policy set max-uploads 5
out=$(uploads bob 10 1000)
expect_contains "bob (no quota) may leave 5 uploads unfinished" "$out" "begun 5"
expect_contains "the sixth is refused naming max-uploads" "$out" "max-uploads"
out=$(ADMIN usage bob)
expect_contains "admin usage shows bob's 5 uploads of 5000 bytes" "$out" \
	"5 unfinished uploads of 5000 bytes"

# ---- folders -----------------------------------------------------------
# The five well-known folders count: 7 leaves room for two more.
check "policy set max-folders 7" ADMIN policy set max-folders 7
check "alice makes folder A" as alice mkfolder A
check "alice makes folder B" as alice mkfolder B
out=$(as alice mkfolder C 2>&1)
expect_contains "the eighth folder is refused naming max-folders" "$out" "max-folders"
out=$(as alice folders 2>&1)
expect_not_contains "and was not made" "$out" "C"
check "deleting one makes room again" as alice rmfolder B
check "then C can be made" as alice mkfolder C
out=$(ADMIN usage alice)
expect_contains "admin usage counts alice's 7 folders" "$out" "7 folders"

# ---- item 6: ACL entries -------------------------------------------------
check "policy set max-acl-entries 3" ADMIN policy set max-acl-entries 3
for p in p1 p2 p3; do
	check "alice grants $p on A" as alice acl A set "$p@MAILRPC.TEST" lr
done
out=$(as alice acl A set p4@MAILRPC.TEST lr 2>&1)
expect_contains "a fourth entry on one folder is refused naming max-acl-entries" "$out" \
	"max-acl-entries"
check "changing an existing entry is still allowed" as alice acl A set p2@MAILRPC.TEST lrs
check "another folder has its own room" as alice acl C set p4@MAILRPC.TEST lr
out=$(as alice acl A 2>&1)
for p in p1 p2 p3; do
	expect_contains "ACL_GET returns $p" "$out" "$p@MAILRPC.TEST"
done
expect_not_contains "and not the refused p4" "$out" "p4@"
check "policy set max-acl-total 4" ADMIN policy set max-acl-total 4
out=$(as alice acl Inbox set p5@MAILRPC.TEST lr 2>&1)
expect_contains "past the mailbox's total the entry is refused naming max-acl-total" "$out" \
	"max-acl-total"

# ---- the counts stay true ----------------------------------------------
out=$(ADMIN verify 2>&1)
expect_not_contains "verify finds the counts right" "$out" "mailbox says"

exit $((failures > 0))
