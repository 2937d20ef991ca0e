# t_realms.sh -- who owns a mailbox: only what krb5.conf's auth_to_local
# says (its DEFAULT: one-component principals of the server's realm).
# A second, trusted realm OTHER.TEST with its own KDC and its own "alice"
# reaches mailrpcd through a real cross-realm ticket, and gets nothing of
# MAILRPC.TEST's alice; alice/admin gets nothing either; an auth_to_local
# rule then admits exactly the principal it names.
. "$(dirname "$0")/lib.sh"
setup_realm alice
kinit_as alice
start_server
LOCAL_CONFIG=$KRB5_CONFIG
LOCAL_KDC_PORT=$MAILRPC_KDC_PORT

printf 'From: alice\r\nSubject: local secret\r\n\r\nfor alice@MAILRPC.TEST only\r\n' >"$T/m"
mailrpc put Inbox "$T/m" >/dev/null
check "MAILRPC.TEST's alice has one message" test "$(mailrpc --json ls Inbox | jq length)" -eq 1

# ---- the other realm, and the trust between the two -------------------------
"$TOP/scripts/realm" create --realm OTHER.TEST "$T/other" alice carol >"$T/other.log" 2>&1 ||
	{ sed 's/^/# /' "$T/other.log"; echo "FAIL setup: second realm"; exit 1; }
OTHER_KDC_PORT=$(sed -n 's/^export MAILRPC_KDC_PORT=//p' "$T/other/env.sh")
# The same cross-realm key in both databases: OTHER.TEST users may ask
# MAILRPC.TEST's KDC for service tickets.
for dir in "$T/realm" "$T/other"; do
	"$TOP/scripts/realm" addprinc "$dir" krbtgt/MAILRPC.TEST@OTHER.TEST -pw "trust-$$" \
		>/dev/null 2>&1 || { echo "FAIL setup: cross-realm key in $dir"; exit 1; }
done
cat >"$T/client-krb5.conf" <<CONF
[libdefaults]
	default_realm = OTHER.TEST
	dns_lookup_kdc = false
	dns_lookup_realm = false
	dns_canonicalize_hostname = false
	rdns = false
	udp_preference_limit = 1
[realms]
	OTHER.TEST = {
		kdc = 127.0.0.1:$OTHER_KDC_PORT
	}
	MAILRPC.TEST = {
		kdc = 127.0.0.1:$LOCAL_KDC_PORT
	}
[domain_realm]
	localhost = MAILRPC.TEST
[capaths]
	OTHER.TEST = {
		MAILRPC.TEST = .
	}
CONF

# as_other USER COMMAND...: runs COMMAND as USER@OTHER.TEST.
as_other() {
	local user=$1; shift
	KRB5_CONFIG=$T/client-krb5.conf KRB5CCNAME=FILE:$T/other-$user.cc "$@"
}
for user in alice carol; do
	echo "$user-pw" | as_other "$user" kinit "$user@OTHER.TEST" >/dev/null ||
		{ echo "FAIL setup: kinit $user@OTHER.TEST"; exit 1; }
done

# ---- alice@OTHER.TEST is not alice ------------------------------------------
out=$(as_other alice "$BIN/bin/mailrpc" whoami 2>&1)
rc=$?
expect_contains "alice@OTHER.TEST authenticated across realms (a real cross-realm ticket)" \
	"$(as_other alice klist 2>&1)" "mailrpc/localhost@MAILRPC.TEST"
check "alice@OTHER.TEST: whoami fails" test "$rc" -ne 0
expect_contains "alice@OTHER.TEST is told her realm is not served" "$out" \
	"principals of your realm are not served here"
out=$(as_other alice "$BIN/bin/mailrpc" ls Inbox 2>&1)
check "alice@OTHER.TEST cannot list an Inbox" test $? -ne 0
expect_not_contains "nor see MAILRPC.TEST alice's message" "$out" "local secret"
out=$(as_other alice "$BIN/bin/mailrpc" -m alice ls Inbox 2>&1)
expect_not_contains "nor open alice's mailbox by name" "$out" "local secret"
expect_contains "the server logged the foreign principal" "$(cat "$SERVER_LOG")" \
	"principal=alice@OTHER.TEST"
out=$(as_other carol "$BIN/bin/mailrpc" whoami 2>&1)
expect_contains "carol@OTHER.TEST: not served either" "$out" "principals of your realm are not served here"

# ---- an instance of alice is not alice ---------------------------------------
"$TOP/scripts/realm" addprinc "$T/realm" alice/admin -pw admin-pw >/dev/null 2>&1
echo admin-pw | KRB5CCNAME=FILE:$T/admin.cc kinit alice/admin >/dev/null
out=$(KRB5CCNAME=FILE:$T/admin.cc mailrpc whoami 2>&1)
check "alice/admin: whoami fails" test $? -ne 0
expect_contains "alice/admin is told it maps to no mailbox" "$out" \
	"does not map to a mailbox"
out=$(KRB5CCNAME=FILE:$T/admin.cc mailrpc ls Inbox 2>&1)
expect_not_contains "alice/admin does not see alice's message" "$out" "local secret"
check "MAILRPC.TEST's alice still has exactly her message" \
	test "$(mailrpc --json ls Inbox | jq -r '.[].subject')" = "local secret"

# ---- an auth_to_local rule admits exactly whom it names ---------------------
stop_server
sed 's|^\tMAILRPC.TEST = {|&\n\t\tauth_to_local = RULE:[1:$1@$0](carol@OTHER\\.TEST)s/@.*//\n\t\tauth_to_local = DEFAULT|' \
	"$LOCAL_CONFIG" >"$T/server-krb5.conf"
check "the rule is in the server's krb5.conf" grep -q 'carol@OTHER' "$T/server-krb5.conf"
KRB5_CONFIG=$T/server-krb5.conf start_server
out=$(as_other carol "$BIN/bin/mailrpc" --json whoami 2>&1)
check "with the rule, carol@OTHER.TEST owns mailbox carol ($out)" \
	test "$(jq -r .mailbox <<<"$out" 2>/dev/null)" = carol
out=$(as_other alice "$BIN/bin/mailrpc" whoami 2>&1)
expect_contains "alice@OTHER.TEST, whom the rule does not name, is still refused" "$out" \
	"principals of your realm are not served here"
check "and MAILRPC.TEST's alice keeps her mailbox under DEFAULT" \
	test "$(mailrpc --json whoami | jq -r .mailbox)" = alice
