# t_authz.sh -- rights decided in the write transaction, on every object
# an operation touches, and nothing learnt of what may not be seen:
# two RPCSEC_GSS contexts on one connection are two sessions; a recursive
# delete or a rename needs "x" on every folder it takes; a delete naming
# one id twice does not expunge it without "e"; a right revoked after the
# server read it but before it wrote is seen by that write; a stranger's
# answers to every procedure are byte for byte those of a missing (or a
# disabled) mailbox's, and a delegate's do not change with the owner's
# activity; create, rename and delete do not show hidden folders through
# "exists" or "not empty"; send on behalf needs "p" alone; a send never
# says why a recipient cannot get it.
. "$(dirname "$0")/lib.sh"
setup_realm alice bob carol dave erin frank
export XDG_CACHE_HOME=$T/cache
start_server
R=@MAILRPC.TEST
MSG=$TESTS_DIR/corpus/01-plain-lf.eml
ADMIN=("$BIN/bin/mailrpc-admin" --store "$T/store")
login_users alice bob carol dave erin frank

ok() { local n=$1; shift; local out; if out=$("$@" 2>&1); then pass "$n"; else fail "$n" "$out"; fi; }
no() {
	local n=$1 want=$2 out; shift 2
	if out=$("$@" 2>&1); then fail "$n" "succeeded: $out"; else expect_contains "$n" "$out" "$want"; fi
}
paths() { as alice --json folders | jq -r '[.[].path] | join(",")'; }
raw() { local u=$1; shift; KRB5CCNAME=FILE:$T/cc.$u "$TOOLS/rawcall" 127.0.0.1 "$PORT" "$@"; }

# ---- one session per RPCSEC_GSS context ------------------------------------
# libtirpc's server holds one context per connection at a time: the second
# comes after the first is destroyed (another ticket, say, after kinit).
as alice acl Inbox set "bob$R" l
out=$(raw bob contexts alice "FILE:$T/cc.carol" 2>&1)
expect_contains "context 1 works in the mailbox it opened" "$out" "first: Inbox"
expect_contains "context 2 on the same connection does not inherit it" "$out" \
	"second: Deleted Items,Drafts,Inbox,Outbox,Sent Items"
check "each context was its own principal's" grep -q "proc=FOLDER_LIST principal=carol$R mailbox=carol .* in=carol " "$SERVER_LOG"
as alice acl Inbox rm "bob$R"

# ---- a recursive delete and a rename need x on every folder they take -----
as alice mkfolder Team
as alice mkfolder Team/Private
secret=$(as alice put Team/Private "$MSG")
as alice acl Team set "bob$R" lx
no "rmfolder -r with x on the top only is refused" "operation not permitted" \
	as bob -m alice rmfolder -r Team
no "rmfolder (not recursive) does not say a hidden subfolder makes it non-empty" \
	"operation not permitted" as bob -m alice rmfolder Team
same "the subtree and its mail are intact" "$(paths | tr , '\n' | grep '^Team')" $'Team\nTeam/Private'
ok "the message below is intact" as alice cat "$secret"
as alice acl / set "bob$R" k
no "mvfolder with x on the top only is refused" "operation not permitted" \
	as bob -m alice mvfolder Team Moved
same "nothing moved" "$(paths | tr , '\n' | grep -c '^Moved')" "0"
as alice acl Team/Private set "bob$R" l
no "seen, the subfolder makes it non-empty" "folder is not empty" as bob -m alice rmfolder Team
no "seen but without x, still refused" "operation not permitted" as bob -m alice rmfolder -r Team
as alice acl Team/Private set "bob$R" lx
ok "with x on both, mvfolder moves both" as bob -m alice mvfolder Team Moved
same "both moved" "$(paths | tr , '\n' | grep '^Moved')" $'Moved\nMoved/Private'
ok "with x on both, rmfolder -r deletes both" as bob -m alice rmfolder -r Moved
same "both gone" "$(paths | tr , '\n' | grep -c '^Moved')" "0"
as alice acl / rm "bob$R"

# ---- create and rename onto a hidden folder --------------------------------
as alice mkfolder Box
as alice mkfolder Box/Hidden
as alice mkfolder Box/Mine
as alice acl Box set "bob$R" lk
as alice acl Box/Mine set "bob$R" lx
no "mkfolder onto a hidden folder is not told it exists" "operation not permitted" \
	as bob -m alice mkfolder Box/Hidden
no "mvfolder onto a hidden folder is not told it exists" "operation not permitted" \
	as bob -m alice mvfolder Box/Mine Box/Hidden
as alice acl Box/Hidden set "bob$R" l
no "mkfolder onto a folder it sees: exists" "already exists" as bob -m alice mkfolder Box/Hidden
no "mvfolder onto a folder it sees: exists" "already exists" \
	as bob -m alice mvfolder Box/Mine Box/Hidden

# ---- one id twice in a delete: the second is judged where the first put it -
as alice mkfolder Del
twice=$(as alice put Del "$MSG")
as alice acl Del set "bob$R" lrt
out=$(as bob -m alice rm "$twice" "$twice" 2>&1)
expect_contains "rm ID ID: the second occurrence is refused" "$out" "no such message: $twice"
expect_contains "after the first went to Deleted Items" "$out" "1 of 2"
same "it is in alice's Deleted Items, not expunged" \
	"$(as alice --json ls 'Deleted Items' | jq 'length')" "1"

# ---- a right revoked between the server's reads and its write -------------
# bob's connection is up, its server process idle with the store open; the
# revocation is written but not committed (holdwrite holds the writer
# lock) when bob's delete arrives: the server reads what it reads (the
# revocation is not visible yet), then waits for the writer lock; only
# then does the revocation commit.
as alice mkfolder Race
race=$(as alice put Race "$MSG")
as alice acl Race set "bob$R" lrt
KRB5CCNAME=FILE:$T/cc.bob "$TOOLS/session" "localhost:$PORT" delete "alice/$race" "$T/go.rm" \
	>"$T/race.out" 2>&1 &
RM=$!
PIDS+=("$RM")
wait_for 100 grep -q '^ready' "$T/race.out" || fail "revocation: bob's session is up" "$(cat "$T/race.out")"
"$TOOLS/holdwrite" "$T/store" alice Race "bob$R" - "$T/held" "$T/go" >"$T/hold.out" 2>&1 &
HOLD=$!
PIDS+=("$HOLD")
wait_for 100 test -e "$T/held" || fail "revocation: holdwrite holds the store" "$(cat "$T/hold.out")"
touch "$T/go.rm"
# Until bob's connection process waits for the writer lock (a futex: the
# only one it ever waits on), having read whatever it reads first.
waits_to_write() {
	local c
	for c in $(pgrep -P "$SERVER_PID"); do
		[ "$(cut -d' ' -f1 "/proc/$c/syscall" 2>/dev/null)" = 202 ] && return 0
	done
	return 1
}
wait_for 200 waits_to_write || fail "revocation: the delete reached the writer lock" "$(cat "$T/race.out")"
touch "$T/go"
wait "$HOLD"
wait "$RM"
expect_contains "revocation: the delete is refused, as for a message bob may no longer see" \
	"$(cat "$T/race.out")" "refused: no such message"
same "revocation: the message is still in Race" "$(as alice --json ls Race | jq -c 'map(.id)')" "[$race]"

# ---- a stranger learns nothing: every procedure, byte for byte ------------
as alice mkfolder Shared
as alice mkfolder Shared/Sub
as alice put Shared "$MSG" >/dev/null
as alice put Inbox "$MSG" >/dev/null
as erin put Inbox "$MSG" >/dev/null
"${ADMIN[@]}" disable erin >/dev/null
raw dave every alice >"$T/every.alice" 2>&1
raw dave every erin >"$T/every.erin" 2>&1
raw dave every nosuchuser >"$T/every.missing" 2>&1
check "every procedure was called ($(wc -l <"$T/every.alice") replies)" \
	test "$(wc -l <"$T/every.alice")" -eq 37
check "a stranger's answers on alice's mailbox are a missing one's" \
	cmp -s "$T/every.alice" "$T/every.missing"
check "and on a disabled mailbox too" cmp -s "$T/every.erin" "$T/every.missing"
diff "$T/every.alice" "$T/every.missing" | sed 's/^/# /' | head -6

# ---- a delegate learns nothing of what it may not see ---------------------
as alice acl Shared set "carol$R" l
raw carol every alice >"$T/carol.before" 2>&1
as alice mkfolder Shared/Later
as alice mkfolder Zzz
as alice put Inbox "$MSG" >/dev/null
as bob send --to alice "$MSG" >/dev/null
check "a delegate's answers do not change with the owner's activity" \
	cmp -s "$T/carol.before" <(raw carol every alice 2>&1)
same "acl mine: a delegate's own rights" "$(as carol -m alice acl Shared mine)" "l"
same "acl mine: the owner holds every right" "$(as alice acl Shared mine)" "lrswipkxtea"
no "acl mine: a stranger reads the folder as missing" "no such folder: Shared" \
	as dave -m alice acl Shared mine
no "quota: the owner's business" "operation not permitted" as carol -m alice quota
same "quota: the owner's" "$(as alice --json quota | jq -c '[.limit, .messages > 0]')" "[0,true]"

# ---- send on behalf: p alone --------------------------------------------
as alice acl Outbox set "frank$R" p
ok "with p alone on the Outbox, frank sends as alice" as frank send --from alice --to bob "$MSG"
# A message without From: (the server adds the mailbox's address), so
# the refusal can only be about the mailbox --from names.
printf 'Subject: no author\n\nhello\n' >"$T/bare"
no "without any right, the mailbox is as unknown as a missing one" "you may not send as alice;" \
	as dave send --from alice --to bob "$T/bare"
no "(a missing one)" "you may not send as nosuchuser;" \
	as dave send --from nosuchuser --to bob "$T/bare"
as alice acl Outbox set "dave$R" l
no "with a right but not p: refused in the same words" "you may not send as alice;" \
	as dave send --from alice --to bob "$T/bare"

# ---- a send never says why a recipient cannot get it ---------------------
"${ADMIN[@]}" quota carol 1 >/dev/null
for who in erin carol nosuchuser; do
	out=$(as bob send --to "$who" "$T/bare" 2>&1)
	same "send to $who: the same words as for any other" "$out" \
		"mailrpc: cannot deliver to $who; nothing was delivered to anyone"
done
