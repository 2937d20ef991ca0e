# t_admin.sh -- mailrpc-admin beside a running mailrpcd: mailbox life
# cycle, disabling, quota, dump -> delete -> restore giving an identical
# mailbox, and verify catching a broken invariant.  Backups under abuse:
# a principal that would forge dump lines is refused, names with spaces
# and '%' survive, the dump is private and never written through a link,
# a dump taken while another client moves messages back and forth holds
# each message once, more than 1000 folders go through, and a truncated,
# miscounted, altered or unknown-line dump restores nothing and names the
# line; a version 1 dump (before escaping) still restores.
. "$(dirname "$0")/lib.sh"
setup_realm alice bob mallory
export XDG_CACHE_HOME=$T/cache
start_server
ADMIN() { "$BIN/bin/mailrpc-admin" --store "$T/store" "$@"; }
for u in alice bob mallory; do kinit_as $u "FILE:$T/cc.$u"; done

# dumpids FILE: "MESSAGES_DECLARED MESSAGE_LINES UNIQUE_IDS" of a version 2
# dump, skipping each body by its size (a body may hold any line).
dumpids() {
	python3 - "$1" <<'PY'
import sys
f = open(sys.argv[1], "rb")
declared, ids = None, []
for line in iter(f.readline, b""):
    if line.startswith(b"messages "):
        declared = int(line.split()[1])
    elif line.startswith(b"message "):
        ids.append(int(line.split()[1]))
        f.read(int(line.split()[4]) + 1)
print(declared, len(ids), len(set(ids)))
PY
}

check "create: a new mailbox" ADMIN create carol
out=$(ADMIN create carol 2>&1); rc=$?
check "create: twice is refused" test "$rc" -ne 0
expect_contains "create: says it exists" "$out" "already exists"
as alice whoami >/dev/null
out=$(ADMIN list)
expect_contains "list: shows alice" "$out" "alice"
expect_contains "list: shows carol" "$out" "carol"
as bob whoami >/dev/null
printf 'From: bob@example.org\nSubject: welcome\n\nhello\n' >"$T/from-bob"
out=$(as bob send --to carol "$T/from-bob")
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
# Names the dump must escape: spaces, '%', a non-ASCII letter.
as alice mkfolder "Projects/100% sure"
as alice put "Projects/100% sure" "$TESTS_DIR/corpus/01-plain-lf.eml" >/dev/null
as alice acl "Projects/100% sure" set "j$(printf '\xc3\xb6')rg 50%@MAILRPC.TEST" lrs

# A principal that would forge dump lines (an ACL entry for mallory and a
# quota) if written unescaped: the store refuses it.
forged=$(printf 'x\tl\nacl Inbox\tmallory@MAILRPC.TEST\tlrswipkxtea\nquota 5\tl')
out=$(as alice acl Inbox set "$forged" lr 2>&1); rc=$?
check "acl: a principal with a tab and newlines is refused" test "$rc" -ne 0
expect_contains "acl: refused as an invalid request" "$out" "invalid request"
out=$(as alice acl Inbox set "$(printf 'bell\a@MAILRPC.TEST')" lr 2>&1); rc=$?
check "acl: any control character in a principal is refused" test "$rc" -ne 0
check "acl: nothing of the forged principal was stored" \
	test "$(as alice --json acl Inbox | jq 'length')" -eq 0
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

check "dump: writes the backup (umask 022)" bash -c "umask 022; '$BIN/bin/mailrpc-admin' --store '$T/store' dump alice '$T/alice.dump' 2>/dev/null"
check "dump: the backup is private (mode 600 whatever the umask)" \
	test "$(stat -c %a "$T/alice.dump")" = 600
expect_contains "dump: names with space and % are escaped" "$(grep -a '^acl ' "$T/alice.dump")" \
	"acl Projects/100%25%20sure j$(printf '\xc3\xb6')rg%2050%25@MAILRPC.TEST lrs"
echo "keep me" >"$T/victim"
ln -s "$T/victim" "$T/link.dump"
out=$(ADMIN dump alice "$T/link.dump" 2>&1); rc=$?
check "dump: refuses to write through a symbolic link" test "$rc" -ne 0
check "dump: the link's target is untouched" test "$(cat "$T/victim")" = "keep me"
out=$(ADMIN dump alice "$T/alice.dump" 2>&1); rc=$?
check "dump: never overwrites an existing file" test "$rc" -ne 0
expect_contains "dump: says the file exists" "$out" "File exists"
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
out=$(as mallory -m alice ls Inbox 2>&1); rc=$?
check "restore: no forged ACL entry (mallory cannot read alice's Inbox)" test "$rc" -ne 0
expect_contains "restore: no forged quota" "$(ADMIN usage alice)" "quota default"
out=$(ADMIN restore alice "$T/alice.dump" 2>&1); rc=$?
check "restore: refuses to overwrite an existing mailbox" test "$rc" -ne 0

out=$(ADMIN verify); rc=$?
check "verify: a healthy store has no problems ($out)" test "$rc" -eq 0
"$TOOLS/breakstore" "$T/store" count alice Projects
out=$(ADMIN verify); rc=$?
check "verify: a broken count is reported" test "$rc" -ne 0
expect_contains "verify: names the folder" "$out" 'folder "Projects" says 1/'

# ---- a damaged dump restores nothing and names the line ----------------
# refused NAME FILE TEXT: restoring FILE as a new mailbox fails, says TEXT
# and creates nothing.
refused() {
	local out rc
	out=$(ADMIN restore ghost "$2" 2>&1); rc=$?
	check "restore $1: refused" test "$rc" -ne 0
	expect_contains "restore $1: says why, with the line" "$out" "$3"
	expect_contains "restore $1: says nothing was restored" "$out" "nothing restored"
	out=$(ADMIN usage ghost 2>&1); rc=$?
	check "restore $1: no mailbox was created" test "$rc" -ne 0
}
D=$T/alice.dump
size=$(stat -c %s "$D")
head -c $((size / 2)) "$D" >"$T/half.dump"
refused "of a dump cut in half" "$T/half.dump" "(truncated?)"
head -c $((size - 4)) "$D" >"$T/noend.dump"
refused "of a dump without its end" "$T/noend.dump" "(truncated?)"
sed '8s/^messages .*/messages 999/' "$D" >"$T/count.dump"
refused "of a dump declaring more messages than it has" "$T/count.dump" \
	"line $(wc -l <"$D"): the head declares 999 message lines, the dump has"
sed '8s/^messages .*/messages 1/' "$D" >"$T/count1.dump"
refused "of a dump declaring fewer messages than it has" "$T/count1.dump" \
	"more message lines than the head declares (1)"
sed '8a frobnicate 1' "$D" >"$T/unknown.dump"
refused "of a dump with an unknown line" "$T/unknown.dump" "line 9: unknown line"
python3 - "$D" "$T/altered.dump" <<'PY'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
at = data.index(b"\nmessage ") + 1
body = data.index(b"\n", at) + 1
data[body + 3] ^= 0x20
open(sys.argv[2], "wb").write(data)
PY
refused "of a dump with an altered body" "$T/altered.dump" "does not match its SHA-256"
{ cat "$D"; echo "acl / mallory@MAILRPC.TEST lrswipkxtea"; } >"$T/after-end.dump"
refused "of a dump with lines after its end" "$T/after-end.dump" "data after \"end\""
sed '10s/^folder \(.*\)$/folder \1%0aquota%205/' "$D" >"$T/ctl.dump"
refused "of a name with an escaped newline" "$T/ctl.dump" "line 10: folder path holds a control character"
printf 'mailrpc-dump 3\n' >"$T/v3.dump"
refused "of an unknown version" "$T/v3.dump" "line 1: a dump version this mailrpc-admin does not know"
# Names the store would refuse ("Inbox/.." is no folder name, a folder
# name must be UTF-8) are refused before anything is written, not halfway
# (found by fuzz_restore: tests/fuzz/corpus/fuzz_restore/crash-*).
python3 - "$D" "$T/dotdot.dump" "$T/latin1.dump" <<'PY2'
import re, sys
data = open(sys.argv[1], "rb").read()
data = re.sub(rb"(?m)^folders (\d+)$", lambda m: b"folders %d" % (int(m.group(1)) + 1), data, 1)
open(sys.argv[2], "wb").write(data.replace(b"\nfolder Inbox\n", b"\nfolder Inbox\nfolder Inbox/..\n", 1))
open(sys.argv[3], "wb").write(data.replace(b"\nfolder Inbox\n", b"\nfolder Inbox\nfolder Inbox/It\x92s\n", 1))
PY2
refused "of a folder path the store refuses" "$T/dotdot.dump" \
	"line $(grep -an '^folder Inbox/\.\.$' "$T/dotdot.dump" | cut -d: -f1): folder path is not a name the store accepts"
refused "of a folder path that is not UTF-8" "$T/latin1.dump" "folder path is not a name the store accepts"
# A message over the store's max-message is refused before anything is
# written; a mailbox over the store's default-quota still restores whole
# (the default-quota applies to new mailboxes, not to a restored one).
check "policy set max-message 1K" ADMIN policy set max-message 1K
refused "of a message over max-message" "$D" "message larger than the store's max-message policy"
check "policy set max-message 50M" ADMIN policy set max-message 50M
check "policy set default-quota 1K" ADMIN policy set default-quota 1K
out=$(ADMIN restore overquota "$D" 2>&1); rc=$?
check "restore: a mailbox over the default-quota restores whole ($out)" test "$rc" -eq 0
expect_contains "restore: with the dump's quota, not the default" "$(ADMIN usage overquota)" "quota default"
check "policy set default-quota 0" ADMIN policy set default-quota 0
check "restore over the default-quota: the mailbox can be deleted" ADMIN delete overquota --yes

# ---- a version 1 dump (raw text, tabs between fields) still restores ----
body=$(printf 'From: old@example.org\nSubject: from version 1\n\nkept\n')
sha=$(printf '%s\n' "$body" | sha256sum | cut -d' ' -f1)
{
	printf 'mailrpc-dump 1\nmailbox oldie\nnext-id 10\nquota 0\ndisabled 0\n'
	printf 'folder Deleted Items\nfolder Drafts\nfolder Inbox\nfolder Old 100%%\nfolder Outbox\nfolder Sent Items\n'
	printf 'acl Old 100%%\tbob@MAILRPC.TEST\tlr\n'
	printf 'message 7 1 1704067200 %d %s\tOld 100%%\n%s\n\n' $(( ${#body} + 1 )) "$sha" "$body"
	printf 'end\n'
} >"$T/v1.dump"
out=$(ADMIN restore oldie "$T/v1.dump" 2>&1); rc=$?
check "restore of a version 1 dump ($out)" test "$rc" -eq 0
got=$(as bob --json -m oldie ls "Old 100%" | jq -c 'map({id, received, flags, subject})')
same "version 1: the message, its id, date, flags and the ACL came back" "$got" \
	'[{"id":7,"received":1704067200,"flags":["seen"],"subject":"from version 1"}]'
check "version 1: the body is byte-exact" \
	bash -c "KRB5CCNAME=FILE:$T/cc.bob '$BIN/bin/mailrpc' -m oldie cat 7 | cmp -s <(printf '%s\n' '$body') -"

# ---- a dump while another client moves messages back and forth --------
as bob mkfolder A && as bob mkfolder B
"$TOOLS/seedstore" "$T/store" bob A 1500 1 && "$TOOLS/seedstore" "$T/store" bob B 1500 2 ||
	{ echo "FAIL setup: seedstore"; exit 1; }
ids_a=$(as bob --json ls A --limit 0 | jq -r '.[].id' | tr '\n' ' ')
ids_b=$(as bob --json ls B --limit 0 | jq -r '.[].id' | tr '\n' ' ')
ADMIN dump bob "$T/bob.base" 2>/dev/null
read -r total _ <<<"$(dumpids "$T/bob.base")"
check "mover set-up: $total messages, 3000 of them in A and B" test "$total" -ge 3000
# mover: swaps A and B and back, at most 100 times, following the new id
# each move gives a message (mv prints them); counts its moves.
mover() {
	local round
	for round in $(seq 1 100); do
		ids_a=$(as bob mv $ids_a B) && ids_b=$(as bob mv $ids_b A) || return
		echo $((4 * round - 2)) >"$T/moves"
		ids_a=$(as bob mv $ids_a A) && ids_b=$(as bob mv $ids_b B) || return
		echo $((4 * round)) >"$T/moves"
	done
}
echo 0 >"$T/moves"
mover &
MOVER=$!
PIDS+=("$MOVER")
moving() { test "$(cat "$T/moves")" -gt 0; }
wait_for 300 moving
before=$(cat "$T/moves")
bad=0
for i in 1 2 3 4 5; do
	ADMIN dump bob "$T/bob.$i" 2>/dev/null || bad=$((bad + 1))
	got=$(dumpids "$T/bob.$i")
	[ "$got" = "$total $total $total" ] || { bad=$((bad + 1)); echo "# dump $i: declared, lines, unique ids: $got (want $total each)"; }
done
after=$(cat "$T/moves")
kill "$MOVER" 2>/dev/null
wait "$MOVER" 2>/dev/null
check "dump during moves: 5 dumps, each with every message exactly once" test "$bad" -eq 0
check "the mover really moved messages during the dumps ($before -> $after moves)" \
	test "$after" -gt "$before"

# ---- more folders than one listing holds (1000) -----------------------
python3 - "$T/many.dump" <<'PY'
import hashlib, sys
folders = sorted([b"Deleted Items", b"Drafts", b"Inbox", b"Outbox", b"Sent Items"]
                 + [b"F%04d" % i for i in range(1100)] + [b"F1099/sub"])
body = b"Subject: folder 1100\n\nbody\n"
out = [b"mailrpc-dump 2", b"mailbox many", b"next-id 2", b"quota 0", b"disabled 0",
       b"folders %d" % len(folders), b"acls 0", b"messages 1"]
out += [b"folder " + f.replace(b" ", b"%20") for f in folders]
out += [b"message 1 0 1704067200 %d %s F1099/sub" % (len(body), hashlib.sha256(body).hexdigest().encode())]
open(sys.argv[1], "wb").write(b"\n".join(out) + b"\n" + body + b"\nend\n")
PY
out=$(ADMIN restore many "$T/many.dump" 2>&1); rc=$?
check "restore: 1106 folders ($out)" test "$rc" -eq 0
out=$(ADMIN dump many "$T/many.again" 2>&1); rc=$?
check "dump: 1106 folders, more than one listing ($out)" test "$rc" -eq 0
check "dump: the same folders came back" \
	cmp -s <(grep -a '^folder ' "$T/many.dump") <(grep -a '^folder ' "$T/many.again")
check "dump: all 1106 of them" test "$(grep -ac '^folder ' "$T/many.again")" -eq 1106
