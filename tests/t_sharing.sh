# t_sharing.sh -- folder rights (RFC 4314 letters) checked on every call:
# a matrix per right for a delegate, rights for "anyone", strangers who
# cannot tell what exists, send-on-behalf, public folders, revocation
# taking effect on an open connection.
. "$(dirname "$0")/lib.sh"
setup_realm alice bob carol dave padmin public
export XDG_CACHE_HOME=$T/cache
start_server --public-admin padmin@MAILRPC.TEST
R=@MAILRPC.TEST
MSG=$TESTS_DIR/corpus/01-plain-lf.eml

# as USER CMD...: runs mailrpc with USER's ticket (own cache per user).
login_users alice bob carol dave padmin

# ok NAME CMD...: must succeed.  no NAME WANT CMD...: must fail saying WANT.
ok() { local n=$1; shift; local out; if out=$("$@" 2>&1); then pass "$n"; else fail "$n" "$out"; fi; }
no() {
	local n=$1 want=$2 out; shift 2
	if out=$("$@" 2>&1); then fail "$n" "succeeded: $out"; else expect_contains "$n" "$out" "$want"; fi
}

as alice mkfolder Shared
id=$(as alice put Shared "$MSG")
# grant LETTERS: bob holds exactly these rights on Shared (and nothing else).
grant() { as alice acl Shared set "bob$R" "$1"; }

grant l
ok  "l: bob sees Shared in alice's folders" bash -c "KRB5CCNAME=FILE:$T/cc.bob '$BIN/bin/mailrpc' -m alice --json folders | jq -e 'map(.path) == [\"Shared\"]'"
no  "l: without r bob cannot list it" "operation not permitted" as bob -m alice ls Shared
no  "l: without r bob cannot read a message" "operation not permitted" as bob -m alice cat "$id"
grant lr
ok  "r: bob lists Shared" as bob -m alice ls Shared
ok  "r: bob reads the message" as bob -m alice cat "$id"
no  "r: without s bob cannot mark it seen" "operation not permitted" as bob -m alice flag "$id" +seen
no  "r: without i bob cannot put" "operation not permitted" as bob -m alice put Shared "$MSG"
grant lrs
ok  "s: bob marks it seen" as bob -m alice flag "$id" +seen
no  "s: without w bob cannot flag it" "operation not permitted" as bob -m alice flag "$id" +flagged
grant lrw
ok  "w: bob flags it" as bob -m alice flag "$id" +flagged
no  "w: without s bob cannot change seen" "operation not permitted" as bob -m alice flag "$id" -seen
grant li
ok  "i: bob puts into Shared" as bob -m alice put Shared "$MSG"
no  "i: without k bob cannot make subfolders" "operation not permitted" as bob -m alice mkfolder Shared/Sub
grant lk
ok  "k: bob makes Shared/Sub" as bob -m alice mkfolder Shared/Sub
as alice acl Shared/Sub set "bob$R" l
no  "k: without x on Sub bob cannot delete it" "operation not permitted" as bob -m alice rmfolder Shared/Sub
as alice acl Shared/Sub set "bob$R" lx
ok  "x: bob deletes Shared/Sub" as bob -m alice rmfolder Shared/Sub
grant lrt
id2=$(as alice put Shared "$MSG")
ok  "t: bob deletes a message (to Deleted Items)" as bob -m alice rm "$id2"
check "t: it is in alice's Deleted Items (under a new id)" bash -c "KRB5CCNAME=FILE:$T/cc.alice '$BIN/bin/mailrpc' --json ls 'Deleted Items' | jq -e 'map(select(.id > $id2)) | length == 1'"
id3=$(as alice put Shared "$MSG")
no  "t: without e bob cannot delete permanently" "operation not permitted" as bob -m alice rm --hard "$id3"
grant lrte
ok  "e: bob deletes permanently" as bob -m alice rm --hard "$id3"
no  "e: without a bob cannot read the ACL" "operation not permitted" as bob -m alice acl Shared
grant la
ok  "a: bob reads the ACL" as bob -m alice acl Shared
ok  "a: bob grants carol" as bob -m alice acl Shared set "carol$R" lr
ok  "a: carol lists Shared" as carol -m alice ls Shared
as alice acl Shared rm "carol$R"

# "anyone": every authenticated user of the realm.
as alice mkfolder Everyone
as alice put Everyone "$MSG" >/dev/null
as alice acl Everyone set anyone lr
ok  "anyone lr: carol lists Everyone" as carol -m alice ls Everyone
ok  "anyone lr: dave lists Everyone" as dave -m alice ls Everyone
no  "anyone lr: dave cannot put there" "operation not permitted" as dave -m alice put Everyone "$MSG"
no  "anyone lr: gives nothing on Shared" "no such folder" as dave -m alice ls Shared

# Strangers cannot tell what exists.
out1=$(as dave -m alice ls Shared 2>&1); out2=$(as dave -m alice ls Nothing 2>&1)
check "stranger: existing and missing folders read the same" test "${out1%: *}" = "${out2%: *}"
expect_contains "stranger: and say no such folder" "$out1" "no such folder"
out1=$(as dave -m alice cat "$id" 2>&1); out2=$(as dave -m alice cat 987654 2>&1)
check "stranger: existing and missing ids read the same" test "${out1%: *}" = "${out2%: *}"
expect_contains "stranger: and say no such message" "$out1" "no such message"
out1=$(as dave -m bob --json folders 2>&1); out2=$(as dave -m nosuchuser --json folders 2>&1)
check "stranger: another's mailbox and a missing one list the same ($out1)" test "$out1" = "$out2"
out1=$(as dave -m alice --json folders 2>&1)
check "stranger: sees only what anyone may see" test "$(jq -c 'map(.path)' <<<"$out1")" = '["Everyone"]'
out1=$(as dave -m alice acl Inbox 2>&1); out2=$(as dave -m alice acl Nope 2>&1)
check "stranger: ACLs of existing and missing folders read the same" test "${out1%: *}" = "${out2%: *}"

# Send on behalf: needs p on the mailbox's Outbox.
no  "without p: bob cannot send as alice" "you may not send as alice@example.org" as bob send --from alice --to carol "$MSG"
check "without p: carol got nothing" test "$(as carol --json ls Inbox | jq length)" -eq 0
as alice acl Outbox set "bob$R" lp
ok  "with p: bob sends as alice" as bob send --from alice --to carol "$MSG"
cid=$(as carol --json ls Inbox | jq '.[0].id')
as carol cat "$cid" >"$T/onbehalf"
check "with p: carol's copy names bob in Sender:" grep -q "^Sender: bob@example.org$" "$T/onbehalf"
check "with p: the rest is the message, byte-exact" cmp -s <(tail -n +2 "$T/onbehalf") "$MSG"
check "with p: the copy is in alice's Sent Items" test "$(as alice --json ls 'Sent Items' | jq length)" -eq 1
check "with p: nothing in bob's Sent Items" test "$(as bob --json ls 'Sent Items' | jq length)" -eq 0

# Public folders.
no  "public: a user cannot make a top-level public folder" "operation not permitted" as bob -m public mkfolder Mine
ok  "public: the --public-admin makes one" as padmin -m public mkfolder News
no  "public: before a grant, bob cannot see it" "no such folder" as bob -m public ls News
ok  "public: admin grants anyone lri" as padmin -m public acl News set anyone lri
pid=$(as bob -m public put News "$MSG")
check "public: bob posts ($pid)" test -n "$pid"
ok  "public: carol reads bob's post" as carol -m public cat "$pid"
ok  "public: admin grants carol a on the root" as padmin -m public acl / set "carol$R" a
ok  "public: with a on the root, carol makes a top-level folder" as carol -m public mkfolder Carols
ok  "public: admin revokes anyone" as padmin -m public acl News rm anyone
no  "public: after revoking, carol cannot read" "no such message" as carol -m public cat "$pid"
no  "public: after revoking, News is gone for dave" "no such folder" as dave -m public ls News

# A principal named "public" must not own the public folders.
kinit_as public "FILE:$T/cc.public"
no  "public: a principal named public gets no mailbox" "does not map to a mailbox" as public whoami
no  "public: nor work in the public folders as their owner" "does not map to a mailbox" as public -m public mkfolder Hijack

# Revoking a right while the delegate's connection is open.
as alice acl Shared set "bob$R" lr
KRB5CCNAME=FILE:$T/cc.bob "$TOOLS/session" "localhost:$PORT" revoke alice/Shared "$T/revoked" >"$T/revoke.out" 2>&1 &
SESSION=$!
PIDS+=($SESSION)
wait_for 100 grep -q "^first" "$T/revoke.out"
as alice acl Shared rm "bob$R"
touch "$T/revoked"
wait "$SESSION"
out=$(cat "$T/revoke.out")
expect_contains "open connection: listed before the revocation" "$out" "first: ok"
expect_contains "open connection: refused right after it" "$out" "second: no such folder"

# The server's log line shows what a client named made safe: a principal or
# a folder holding a line break, a quote or spaces cannot end the line or
# pass for another field (every client-supplied field goes through
# log_safe, whatever the call's outcome).
forged=$'x\ncall proc=WHOAMI principal=root@X mailbox=root level=privacy peer=1 result=OK'
as alice acl Shared set "$forged" lr >/dev/null 2>&1
as alice mkfolder $'Evil"\rdone' >/dev/null 2>&1
as alice ls "Sent Items" >/dev/null
check "log: no line forged by an ACL principal" bash -c "! grep -q '^call proc=WHOAMI principal=root@X' '$SERVER_LOG' && ! grep -q ' call proc=WHOAMI principal=root@X' '$SERVER_LOG'"
check "log: the principal is logged escaped" \
	grep -qF 'principal=x\x0acall\x20proc=WHOAMI\x20principal=root@X' "$SERVER_LOG"
check "log: the folder is logged escaped" grep -qF 'folder=Evil\x22\x0ddone' "$SERVER_LOG"
check "log: a folder with a space reads back whole" grep -qF 'folder=Sent\x20Items' "$SERVER_LOG"
