# t_admin.sh -- mailrpc-admin beside a running mailrpcd: mailbox life
# cycle, disabling, quota, dump -> delete -> restore giving an identical
# mailbox, and verify catching a broken invariant.
. "$(dirname "$0")/lib.sh"
setup_realm alice bob
export XDG_CACHE_HOME=$T/cache
start_server
ADMIN() { "$BIN/bin/mailrpc-admin" --store "$T/store" "$@"; }
for u in alice bob; do kinit_as $u "FILE:$T/cc.$u"; done

check "create: a new mailbox" ADMIN create carol
out=$(ADMIN create carol 2>&1); rc=$?
check "create: twice is refused" test "$rc" -ne 0
expect_contains "create: says it exists" "$out" "already exists"
as alice whoami >/dev/null
out=$(ADMIN list)
expect_contains "list: shows alice" "$out" "alice"
expect_contains "list: shows carol" "$out" "carol"
as bob whoami >/dev/null
out=$(as bob send --to carol "$TESTS_DIR/corpus/01-plain-lf.eml")
expect_contains "a created mailbox receives mail before its owner logs in" "$out" "sent to 1 recipient"

check "disable: alice" ADMIN disable alice
out=$(as alice whoami 2>&1); rc=$?
check "disabled: every call refused" test "$rc" -ne 0
expect_contains "disabled: with a clear error" "$out" "mailbox disabled by the administrator"
out=$(as bob send --to alice "$TESTS_DIR/corpus/01-plain-lf.eml" 2>&1); rc=$?
check "disabled: cannot receive" test "$rc" -ne 0
check "enable: alice" ADMIN enable alice
check "enabled: alice works again" as alice whoami

check "quota: set" ADMIN quota alice 5000
out=$(ADMIN usage alice)
expect_contains "usage: shows the quota" "$out" "quota 5000"
head -c 6000 /dev/urandom >"$T/6k"
out=$(as alice put Inbox "$T/6k" 2>&1); rc=$?
check "quota: enforced for the client" test "$rc" -ne 0
ADMIN quota alice 0

# A mailbox worth backing up: folders, flags, ACLs, byte-exact bodies.
as alice mkfolder "Projects"
as alice mkfolder "Projects/Big Plan"
for f in "$TESTS_DIR"/corpus/*.eml; do as alice put "Projects/Big Plan" "$f" >/dev/null; done
first=$(as alice --json ls "Projects/Big Plan" | jq '.[0].id')
as alice flag "$first" +seen +flagged
as alice rm --hard "$(as alice put Inbox "$TESTS_DIR/corpus/03-no-final-newline.eml")"
as alice acl Projects set bob@MAILRPC.TEST lr
as alice acl "Projects/Big Plan" set anyone l
snapshot() {
	as alice --json folders | jq -c 'sort_by(.path)'
	for f in $(as alice --json folders | jq -r '.[].path | @base64'); do
		p=$(base64 -d <<<"$f")
		as alice --json ls "$p" --limit 0 | jq -c 'map({id, folder, flags, size, received, sha256, subject})'
		as alice --json acl "$p"
	done
}
snapshot >"$T/before"
check "snapshot covers folders, messages and ACLs" \
	bash -c "grep -q 'Big Plan' '$T/before' && grep -q 'bob@MAILRPC.TEST' '$T/before' && test \$(wc -l <'$T/before') -gt 6"
ids=$(as alice --json ls "Projects/Big Plan" | jq -r '.[].id')
for i in $ids; do as alice cat "$i" >"$T/body.$i"; done

check "dump: writes the backup" ADMIN dump alice "$T/alice.dump"
out=$(ADMIN delete alice 2>&1); rc=$?
check "delete: needs --yes" test "$rc" -eq 64
check "delete: with --yes" ADMIN delete alice --yes
out=$(ADMIN usage alice 2>&1); rc=$?
check "delete: the mailbox is gone" test "$rc" -ne 0
check "verify: clean after delete (no orphaned bodies)" ADMIN verify
check "restore: from the dump" ADMIN restore alice "$T/alice.dump"
snapshot >"$T/after"
check "restore: same folders, ids, flags, summaries, ACLs" cmp -s "$T/before" "$T/after"
bad=0
for i in $ids; do as alice cat "$i" | cmp -s "$T/body.$i" - || bad=$((bad + 1)); done
check "restore: every body byte-exact under its old id" test "$bad" -eq 0
new=$(as alice put Inbox "$TESTS_DIR/corpus/01-plain-lf.eml")
maxold=$(tr ' ' '\n' <<<"$ids" | sort -n | tail -1)
check "restore: ids are still never reused ($new > $maxold and the deleted one)" test "$new" -gt $((maxold + 1))
check "restore: bob's right came back" as bob -m alice ls Projects
out=$(ADMIN restore alice "$T/alice.dump" 2>&1); rc=$?
check "restore: refuses to overwrite an existing mailbox" test "$rc" -ne 0

out=$(ADMIN verify); rc=$?
check "verify: a healthy store has no problems ($out)" test "$rc" -eq 0
"$TOOLS/breakstore" "$T/store" count alice Projects
out=$(ADMIN verify); rc=$?
check "verify: a broken count is reported" test "$rc" -ne 0
expect_contains "verify: names the folder" "$out" 'folder "Projects" says 1/'
