# t_gw_imap.sh -- mailrpc-imapd end to end (tests/gw/imap_session.py):
# TLS before passwords, password and GSSAPI logins against a real KDC,
# STARTTLS injection, garbage, literals.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/gw_lib.sh"
setup_realm alice bob
kinit_as alice
make_cert
start_gateway imap --auth-fail-delay 1 --max-line 4096

GW_FAIL_DELAY=1 GW_MAX_LINE=4096 GW_PORT=$GW_PORT GW_TLS_PORT=$GW_TLS_PORT GW_LOG=$GW_LOG \
	gw_py imap_session.py
