# t_link.sh -- libmailrpc's link layer and client state directory:
# a client newer than the server is told "server too old for X", never a
# raw RPC error (tests/tools/newclient: a procedure the server lacks, a
# protocol version it does not serve), and one older than it "client too
# old for this server"; a delegate's connection cut again
# and again reopens the other mailbox on every new link; each call's
# transaction id and RPCSEC_GSS sequence number are read back from its
# header; the state directory is made private, refused when others could
# write to it or own it, and nothing planted in it (a symbolic link where
# put's resume file or the offline cache goes) is ever written through.
. "$(dirname "$0")/lib.sh"
setup_realm alice bob
export XDG_CACHE_HOME=$T/cache
start_server
login_users alice bob
mark() { echo $(($(wc -l <"$SERVER_LOG") + 1)); }
sha() { sha256sum | cut -d' ' -f1; }

# ---- a newer client against this server ----------------------------------
# The slow unwinder lets lsan.supp name the libtirpc leak these refusals hit.
newclient() {
	ASAN_OPTIONS=$ASAN_OPTIONS:fast_unwind_on_malloc=0 KRB5CCNAME=FILE:$T/cc.alice \
		"$TOOLS/newclient" "$MAILRPC_SERVER" "$@"
}
# The version this build speaks (the IDL's last), and one past it.
V=$(sed -n 's/^[[:space:]]*} = \([0-9]*\);$/\1/p' "$TOP/idl/mailrpc.x" | tail -1)
out=$(newclient proc 200 2>&1)
expect_contains "a procedure the server lacks is MAILRPC_E_TOOOLD (111)" "$out" "status=111 "
expect_contains "and is named: server too old for it" "$out" \
	"server too old for procedure 200: its mailrpc protocol version $V lacks it (upgrade mailrpcd)"
expect_not_contains "never a raw 'procedure unavailable'" "$out" "unavailable"
out=$(newclient version $((V + 1)) 2>&1)
expect_contains "a protocol version the server does not serve is MAILRPC_E_TOOOLD" "$out" "status=111 "
expect_contains "and names the operation and both versions" "$out" \
	"server too old for WHOAMI: it speaks mailrpc protocol version $V, this client needs version $((V + 1))"
expect_not_contains "never a raw 'version mismatch'" "$out" "mismatch"
# ---- and an older client (protocol version 1, gone from this server) -------
out=$(newclient version $((V - 1)) 2>&1)
expect_contains "a protocol version the server dropped is MAILRPC_E_TOOOLD too" "$out" "status=111 "
expect_contains "and says the client is the old one, naming both versions" "$out" \
	"client too old for this server: it speaks mailrpc protocol version $V, this client version $((V - 1)) (upgrade libmailrpc)"
out=$(newclient version "$V" 2>&1)
same "the same tool at the server's version ($V) works" "$out" "status=0"
expect_contains "the server goes on serving" "$(as alice whoami)" "mailbox:    alice"

# ---- a delegate's link cut every 256 KiB reopens the mailbox -------------
as alice mkfolder Shared >/dev/null
as alice acl Shared set "bob@$MAILRPC_REALM" lr >/dev/null
head -c $((1536 * 1024)) /dev/urandom >"$T/big"
big=$(as alice put Shared "$T/big")
relay_start 0 $((256 * 1024))
m=$(mark)
MAILRPC_DOWNLOAD_STREAMS=1 as bob -m alice -s "localhost:$RP" get "$big" -o "$T/big.bob" \
	2>"$T/bob.err"
check "bob's get of alice's message through the cuts is byte-exact ($(cat "$T/bob.err"))" \
	test "$(sha <"$T/big.bob")" = "$(sha <"$T/big")"
n=$(tail -n +"$m" "$SERVER_LOG" | grep "proc=MAILBOX_OPEN .*result=OK" | grep -o 'peer=[^ ]*' |
	sort -u | wc -l)
check "every new link opened alice's mailbox again ($n links)" test "$n" -ge 3
relay_stop
# Big enough for a parallel get in sealed chunks (252 KiB: 8 at least).
# Through a relay that adds 20 ms each way, so that the first connection
# needs most of a second for the 13 chunks: on a loaded machine it could
# otherwise take them all before the extra ones were set up.
head -c $((3 * 1024 * 1024)) /dev/urandom >"$T/big3"
big=$(as alice put Shared "$T/big3")
"$TOOLS/delay" 127.0.0.1 0 127.0.0.1 "$PORT" 20 >"$T/delay.out" 2>&1 &
PIDS+=($!)
wait_for 100 grep -q '^port ' "$T/delay.out" || { echo "FAIL setup: delay relay"; exit 1; }
DP=$(awk '/^port /{print $2}' "$T/delay.out")
m=$(mark)
MAILRPC_DOWNLOAD_STREAMS=3 as bob -m alice -s "localhost:$DP" get "$big" -o "$T/big.par" \
	2>"$T/par.err"
check "a parallel get of alice's message is byte-exact" \
	test "$(sha <"$T/big.par")" = "$(sha <"$T/big3")"
n=$(tail -n +"$m" "$SERVER_LOG" | grep "proc=MSG_FETCH .*id=$big" | grep -o 'peer=[^ ]*' | sort -u |
	wc -l)
check "its extra connections, made like the first, read alice's mailbox too ($n)" test "$n" -ge 2

# ---- each call's ids, read back from its encoded header ------------------
head -c $((600 * 1024)) /dev/urandom >"$T/ids"
MAILRPC_DEBUG_LINK=1 as alice put Inbox "$T/ids" >/dev/null 2>"$T/ids.err"
seqs=$(grep -o ' seq=[0-9]*' "$T/ids.err" | cut -d= -f2 | tr '\n' ' ')
# Number 1 went to SEAL_BEGIN, which is not a call of the library's user.
want=$(seq 2 "$(($(grep -c ' seq=' "$T/ids.err") + 1))" | tr '\n' ' ')
check "calls on one sealed context carry RPCSEC_GSS sequence numbers 2, 3, 4... ($seqs)" \
	test -n "$seqs" -a "$seqs" = "$want"
xids=$(grep -o ' xid=[0-9a-f]*' "$T/ids.err")
check "and distinct transaction ids" \
	test "$(sort -u <<<"$xids" | wc -l)" -eq "$(wc -l <<<"$xids")" -a -z "$(grep 'xid=00000000' <<<"$xids")"

# ---- the state directory -------------------------------------------------
S=$XDG_CACHE_HOME/mailrpc
check "the state directory is made private (mode $(stat -c %a "$S"))" test "$(stat -c %a "$S")" = 700
chmod 775 "$S"
out=$(as alice whoami 2>&1); rc=$?
check "a group-writable state directory is refused (rc $rc)" test "$rc" -ne 0
expect_contains "naming it and the fix" "$out" "state directory $S is writable by others than you: run chmod go-w $S"
chmod 700 "$S"
if [ "$(id -u)" -eq 0 ]; then  # only root can give it away
	chown nobody "$S"
	out=$(as alice whoami 2>&1); rc=$?
	check "a state directory owned by someone else is refused (rc $rc)" test "$rc" -ne 0
	expect_contains "naming it and its owner" "$out" \
		"state directory $S belongs to uid $(id -u nobody), not to you"
	chown "$(id -u)" "$S"
else
	echo "SKIP a state directory owned by someone else: needs root to chown"
fi
expect_contains "once fixed it is used again" "$(as alice whoami 2>&1)" "mailbox:    alice"

# ---- a symbolic link planted where put's resume file goes ----------------
# The resume file is upload-<SHA-256 of the server name and the message's
# SHA-256>; a symbolic link is planted there and at the name the old code
# wrote through (.tmp).  Every run goes through one relay cutting each
# connection after 200 KiB, so each rerun must resume the last.
{ printf 'From: alice\r\nSubject: planted\r\n\r\n'; head -c 400000 /dev/urandom | base64; } >"$T/m"
relay_start 0 $((200 * 1024))
key=$({ printf '%s' "localhost:$RP"; sha <"$T/m" | xxd -r -p; } | sha)
echo "precious" >"$T/victim"
ln -s "$T/victim" "$S/upload-$key"
ln -s "$T/victim" "$S/upload-$key.tmp"
m=$(mark)
out=$(as alice --retries 0 -s "localhost:$RP" put Inbox "$T/m" 2>&1); rc=$?
check "a put cut midway fails (rc $rc)" test "$rc" -ne 0
same "the planted links' target is untouched" "$(cat "$T/victim")" "precious"
check "the resume file is a file of its own now" test -f "$S/upload-$key" -a ! -L "$S/upload-$key"
check "with mode 0600" test "$(stat -c %a "$S/upload-$key")" = 600
id=""
for attempt in 1 2 3 4 5; do
	id=$(as alice --retries 0 -s "localhost:$RP" put Inbox "$T/m" 2>/dev/null) && break
done
relay_stop
begins=$(tail -n +"$m" "$SERVER_LOG" | grep -c "proc=UPLOAD_BEGIN")
check "runs again resume it to the end (id ${id:-none}, $begins upload begun)" \
	test -n "$id" -a "$begins" -eq 1
check "and the message is byte-exact" test "$(as alice cat "$id" | sha)" = "$(sha <"$T/m")"
same "the planted links' target is still untouched" "$(cat "$T/victim")" "precious"

# ---- a symbolic link planted where the offline cache goes ----------------
# An empty target: LMDB would take it for a new cache and write to it.
cache=$S/cache-$({ printf '%s\0~%s' "$MAILRPC_SERVER" "alice@$MAILRPC_REALM"; } | sha).mdb
: >"$T/empty-victim"
ln -s "$T/empty-victim" "$cache"
out=$(as alice sync 2>&1); rc=$?
check "a sync into a planted link fails (rc $rc)" test "$rc" -ne 0
expect_contains "saying so" "$out" "$cache is a symbolic link, which is never followed: remove it"
check "and leaves its target untouched ($(stat -c %s "$T/empty-victim") bytes)" \
	test "$(stat -c %s "$T/empty-victim")" -eq 0
rm "$cache"
out=$(as alice sync 2>&1); rc=$?
check "with the link gone the sync works (rc $rc)" test "$rc" -eq 0
check "and its files are private" \
	test "$(stat -c %a "$cache")" = 600 -a "$(stat -c %a "$cache-lock")" = 600
exit $((failures > 0))
