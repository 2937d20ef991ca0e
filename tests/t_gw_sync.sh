# t_gw_sync.sh -- an IMAP session kept up to date (tests/gw/sync.py): IDLE
# woken by the store's notification (RPC put, mailrpc-deliver, flags,
# expunges), CONDSTORE and QRESYNC, streamed APPEND and a client gone
# mid-literal.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/gw_lib.sh"
setup_realm alice
make_cert
start_server
login_users alice
export T BIN STORE=$T/store

start_gateway imap
GW_TLS_PORT=$GW_TLS_PORT gw_py sync.py
