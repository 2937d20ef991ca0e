# t_gw_rights.sh -- the store's rights over IMAP (tests/gw/rights.py): a
# stranger sees nothing, a delegate exactly what the ACL grants, ACL
# commands and the RPC side agreeing, revocation on an open session.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/gw_lib.sh"
setup_realm alice bob carol padmin
make_cert
start_server --public-admin padmin@MAILRPC.TEST
login_users alice bob carol padmin
export T BIN
as alice mkfolder Shared >/dev/null
printf 'Subject: shared\r\n\r\nfor the team\r\n' | as alice put Shared >/dev/null
as padmin -m public mkfolder News >/dev/null

start_gateway imap --public-admin padmin@MAILRPC.TEST
GW_TLS_PORT=$GW_TLS_PORT gw_py rights.py
