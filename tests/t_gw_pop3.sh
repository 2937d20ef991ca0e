# t_gw_pop3.sh -- mailrpc-pop3d end to end (tests/gw/pop3_session.py).
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/gw_lib.sh"
setup_realm alice bob
kinit_as alice
make_cert
start_gateway pop3 --auth-fail-delay 1 --max-line 4096

GW_FAIL_DELAY=1 GW_MAX_LINE=4096 GW_PORT=$GW_PORT GW_TLS_PORT=$GW_TLS_PORT GW_LOG=$GW_LOG \
	gw_py pop3_session.py
