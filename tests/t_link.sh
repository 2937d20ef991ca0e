# t_link.sh -- libmailrpc's link layer: a client newer than the server is
# told "server too old for X", never a raw RPC error (tests/tools/newclient:
# a procedure the server lacks, a protocol version it does not serve); a
# delegate's connection cut again and again reopens the other mailbox on
# every new link; each call's transaction id and RPCSEC_GSS sequence number
# are read back from its header.
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
m=$(mark)
MAILRPC_DOWNLOAD_STREAMS=3 as bob -m alice get "$big" -o "$T/big.par" 2>"$T/par.err"
check "a parallel get of alice's message is byte-exact" \
	test "$(sha <"$T/big.par")" = "$(sha <"$T/big")"
n=$(tail -n +"$m" "$SERVER_LOG" | grep "proc=MSG_FETCH .*id=$big" | grep -o 'peer=[^ ]*' | sort -u |
	wc -l)
check "its extra connections, made like the first, read alice's mailbox too ($n)" test "$n" -ge 2

# ---- each call's ids, read back from its encoded header ------------------
head -c $((600 * 1024)) /dev/urandom >"$T/ids"
MAILRPC_DEBUG_LINK=1 as alice put Inbox "$T/ids" >/dev/null 2>"$T/ids.err"
seqs=$(grep -o ' seq=[0-9]*' "$T/ids.err" | cut -d= -f2 | tr '\n' ' ')
want=$(seq 1 "$(grep -c ' seq=' "$T/ids.err")" | tr '\n' ' ')
check "calls on one context carry RPCSEC_GSS sequence numbers 1, 2, 3... ($seqs)" \
	test -n "$seqs" -a "$seqs" = "$want"
xids=$(grep -o ' xid=[0-9a-f]*' "$T/ids.err")
check "and distinct transaction ids" \
	test "$(sort -u <<<"$xids" | wc -l)" -eq "$(wc -l <<<"$xids")" -a -z "$(grep 'xid=00000000' <<<"$xids")"

exit $((failures > 0))
