# t_gw_mailbox.sh -- the gateway's mailbox commands end to end with real
# clients over TLS, on the store mailrpcd serves: IMAP (tests/gw/mailbox.py)
# and POP3 (tests/gw/pop3_mailbox.py), each side seeing the other's changes.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/gw_lib.sh"
setup_realm alice bob carol
make_cert
start_server
login_users alice bob carol
export T BIN

start_gateway imap
GW_TLS_PORT=$GW_TLS_PORT gw_py mailbox.py
start_gateway pop3
GW_TLS_PORT=$GW_TLS_PORT gw_py pop3_mailbox.py

# The settings: --max-message for APPEND, --pop3-delete expunge.
start_gateway imap --max-message 100000
IMAP_TLS_PORT=$GW_TLS_PORT
start_gateway pop3 --pop3-delete expunge
IMAP_TLS_PORT=$IMAP_TLS_PORT POP3_TLS_PORT=$GW_TLS_PORT MAX_MESSAGE=100000 gw_py settings.py
