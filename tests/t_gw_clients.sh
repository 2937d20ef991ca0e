# t_gw_clients.sh -- real mail clients from Debian log in to the gateway
# with their own SASL GSSAPI code and a real ticket: curl (IMAP, implicit
# TLS, SASL-IR), mbsync (IMAP, STARTTLS, Cyrus SASL's GSSAPI plugin) and
# fetchmail (POP3, STLS, its own GSSAPI, with an authorization id).  Each
# then gets as far as the first mailbox command, which this part of the
# gateway answers "not available yet".
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/gw_lib.sh"
setup_realm alice
kinit_as alice
make_cert
export HOME=$T # fetchmail and mbsync look for their files there

start_gateway imap
IMAP_LOG=$GW_LOG IMAP_PORT=$GW_PORT IMAP_TLS_PORT=$GW_TLS_PORT
start_gateway pop3
POP3_LOG=$GW_LOG POP3_PORT=$GW_PORT

logins() { grep -c "alice@MAILRPC.TEST logged in as mailbox alice" "$1"; }

# curl: an empty user name means "the ticket's principal".
out=$(timeout 30 curl -sS -v -k --login-options AUTH=GSSAPI -u : \
	"imaps://localhost:$IMAP_TLS_PORT/" 2>&1)
expect_contains "curl: AUTHENTICATE GSSAPI with an initial response logs in" "$out" \
	"A002 OK [CAPABILITY"
expect_contains "curl: then LIST is answered 'not available yet'" "$out" "not available yet"
same "curl: the gateway logged one login" "$(logins "$IMAP_LOG")" 1

mkdir -p "$T/maildir"
cat >"$T/mbsyncrc" <<CONF
IMAPAccount gw
Host localhost
Port $IMAP_PORT
User alice
AuthMechs GSSAPI
SSLType STARTTLS
CertificateFile $T/cert.pem

IMAPStore remote
Account gw

MaildirStore local
Path $T/maildir/
Inbox $T/maildir/INBOX

Channel c
Far :remote:
Near :local:
Patterns INBOX
CONF
out=$(timeout 30 mbsync -c "$T/mbsyncrc" -V -a 2>&1)
expect_contains "mbsync: STARTTLS" "$out" "Connection is now encrypted"
expect_contains "mbsync: logged in with GSSAPI and asked for the folders" "$out" \
	"LIST is not available yet"
same "mbsync: the gateway logged a second login" "$(logins "$IMAP_LOG")" 2

out=$(timeout 30 fetchmail -f /dev/null --nodetach -v -p POP3 -P "$POP3_PORT" --auth gssapi \
	--sslproto 'tls1.2+' --nosslcertck -u alice -k localhost 2>&1)
expect_contains "fetchmail: STLS" "$out" "POP3> STLS"
expect_contains "fetchmail: AUTH GSSAPI logs in" "$out" "POP3< +OK Logged in"
expect_contains "fetchmail: then STAT is answered 'not available yet'" "$out" \
	"STAT is not available yet"
same "fetchmail: the gateway logged one login" "$(logins "$POP3_LOG")" 1
