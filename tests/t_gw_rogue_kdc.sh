# t_gw_rogue_kdc.sh -- a password login cannot be let in by a fake KDC.
# A second KDC, run by the test, answers for the same realm (MAILRPC.TEST)
# and knows "alice" with a password its owner chose.  The gateway asked
# that KDC gets a ticket for alice, but its ticket for imap/localhost does
# not decrypt with the real keytab, so the login is refused.  Control: the
# same gateway with the rogue realm's own keytab does let the rogue
# password in, so what stops it is the keytab verification alone.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/gw_lib.sh"
setup_realm alice
make_cert
REAL_KEYTAB=$KEYTAB
REAL_CONFIG=$KRB5_CONFIG

"$TOP/scripts/realm" create "$T/rogue" alice >"$T/rogue.log" 2>&1 ||
	{ sed 's/^/# /' "$T/rogue.log"; echo "FAIL setup: rogue realm"; exit 1; }
KRB5_CONFIG=$T/rogue/krb5.conf KRB5_KDC_PROFILE=$T/rogue/kdc.conf \
	kadmin.local -r MAILRPC.TEST -q "cpw -pw attacker-pw alice" >/dev/null 2>&1 ||
	{ echo "FAIL setup: rogue password"; exit 1; }

login() { "$PY" "$TESTS_DIR/gw/login_once.py" "$GW_TLS_PORT" "$@"; }

# The gateway's Kerberos configuration points at the rogue KDC.
export KRB5_CONFIG=$T/rogue/krb5.conf
start_gateway imap --auth-fail-delay 0.2
out=$(login alice attacker-pw)
expect_contains "rogue KDC, real keytab: the rogue password is refused" "$out" \
	"NO [AUTHENTICATIONFAILED]"
check "the log says the ticket did not verify against the keytab" \
	grep -q "did not verify against the keytab" "$GW_LOG"
stop_gateway

KEYTAB=$T/rogue/mailrpc.keytab
start_gateway imap --auth-fail-delay 0.2
out=$(login alice attacker-pw)
same "control: rogue KDC with its own keytab lets the rogue password in" "${out%% *}" OK
stop_gateway

export KRB5_CONFIG=$REAL_CONFIG
KEYTAB=$REAL_KEYTAB
start_gateway imap --auth-fail-delay 0.2
out=$(login alice attacker-pw)
expect_contains "real KDC: the rogue password is refused" "$out" "NO [AUTHENTICATIONFAILED]"
out=$(login alice alice-pw)
same "real KDC: alice's own password logs in" "${out%% *}" OK

# The KDC gone: a password login is "try later", not "wrong password".
"$TOP/scripts/realm" stop "$T/realm"
out=$(login alice alice-pw)
expect_contains "KDC down: the login is refused as unavailable" "$out" "NO [UNAVAILABLE]"
check "... and the log says the KDC could not be reached" \
	grep -q "login failed for alice: no answer from the KDC: Cannot contact any KDC" "$GW_LOG"
