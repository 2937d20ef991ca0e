# t_keytab.sh -- a missing or wrong keytab stops mailrpcd at start with a
# clear message; a stale one gives clients a message they can act on.
. "$(dirname "$0")/lib.sh"
setup_realm alice
kinit_as alice

# start_bad KEYTAB: runs mailrpcd in the foreground; prints status and stderr.
start_bad() {
	local port
	port=$(free_port)
	timeout 20 "$BIN/bin/mailrpcd" --listen "127.0.0.1:$port" --store "$T/store" --keytab "$1" \
		--principal mailrpc@localhost --foreground >"$T/bad.log" 2>&1
	echo "status=$? $(cat "$T/bad.log")"
}

out=$(start_bad "$T/no-such.keytab")
expect_contains "missing keytab: exits 1" "$out" "status=1 "
expect_contains "missing keytab: says which file and why" "$out" "cannot read keytab $T/no-such.keytab: No such file or directory"

"$TOP/scripts/realm" addprinc "$T/realm" other/localhost -randkey >/dev/null 2>&1
kadmin.local -r "$MAILRPC_REALM" -q "ktadd -k $T/other.keytab other/localhost" >/dev/null 2>&1
out=$(start_bad "$T/other.keytab")
expect_contains "keytab without our principal: exits 1" "$out" "status=1 "
expect_contains "keytab without our principal: says so" "$out" "has no usable key for mailrpc@localhost"

head -c 300 /dev/urandom >"$T/garbage.keytab"
out=$(start_bad "$T/garbage.keytab")
expect_contains "garbage keytab: exits 1" "$out" "status=1 "
expect_contains "garbage keytab: names the file" "$out" "keytab $T/garbage.keytab"

cp "$KEYTAB" "$T/unreadable.keytab"; chmod 000 "$T/unreadable.keytab"
if [ "$(id -u)" -ne 0 ]; then
	out=$(start_bad "$T/unreadable.keytab")
	expect_contains "unreadable keytab: says permission" "$out" "Permission denied"
fi

# The KDC re-keys the service; the server still has the old key.
cp "$KEYTAB" "$T/stale.keytab"
kadmin.local -r "$MAILRPC_REALM" -q "ktadd -k $T/fresh.keytab mailrpc/localhost" >/dev/null 2>&1
KEYTAB=$T/stale.keytab
start_server
out=$(mailrpc whoami 2>&1); rc=$?
check "stale keytab: client fails" test "$rc" -ne 0
expect_contains "stale keytab: client is told the credential was rejected" "$out" "server rejected the Kerberos credential"
expect_not_contains "stale keytab: no libtirpc jargon" "$out" "unknown authentication error"
