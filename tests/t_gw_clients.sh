# t_gw_clients.sh -- real mail clients from Debian log in to the gateway
# with their own SASL GSSAPI code and a real ticket: curl (IMAP, implicit
# TLS, SASL-IR), mbsync (IMAP, STARTTLS, Cyrus SASL's GSSAPI plugin) and
# fetchmail (POP3, STLS, its own GSSAPI, with an authorization id).  Each
# then does its job on the mailbox: curl lists folders, mbsync syncs the
# Inbox both ways (new mail, flags, a message uploaded), fetchmail fetches.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/gw_lib.sh"
setup_realm alice
make_cert
start_server
login_users alice
export KRB5CCNAME=FILE:$T/cc.alice
MSG=$TESTS_DIR/corpus/01-plain-lf.eml
id=$(mailrpc put Inbox "$MSG")
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
expect_contains "curl: then LIST lists the Inbox" "$out" '* LIST (\HasNoChildren) "/" INBOX'
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
Sync All
Create Both
Expunge Both
SyncState *
CONF
out=$(timeout 60 mbsync -c "$T/mbsyncrc" -V -a 2>&1)
expect_contains "mbsync: STARTTLS" "$out" "Connection is now encrypted"
same "mbsync: the gateway logged a second login" "$(logins "$IMAP_LOG")" 2
got=$(find "$T/maildir/INBOX" -type f -path '*/new/*' -o -type f -path '*/cur/*' | head -1)
# mbsync adds its own X-TUID header line to what it stores; nothing else changes.
same_but_tuid() { grep -v '^X-TUID: ' "$1" | cmp -s "$MSG" -; }
check "mbsync: the Inbox message arrived in the maildir, byte-exact (but X-TUID)" \
	same_but_tuid "${got:-/dev/null}"
# Both ways: mark it seen locally and drop a new message into the maildir.
mv "$got" "$T/maildir/INBOX/cur/$(basename "${got%%:*}"):2,S"
printf 'From: alice@example.org\r\nSubject: written offline\r\n\r\nsynced up\r\n' \
	>"$T/maildir/INBOX/new/1700000000.1.local"
out=$(timeout 60 mbsync -c "$T/mbsyncrc" -V -a 2>&1)
check "mbsync: a second sync succeeds" test $? -eq 0
listing=$(mailrpc --json ls Inbox)
check "mbsync: the seen flag reached the store" \
	jq -e ".[] | select(.id == $id) | .flags == [\"seen\"]" <<<"$listing"
check "mbsync: the offline message was uploaded to the Inbox" \
	jq -e 'map(select(.subject == "written offline")) | length == 1' <<<"$listing"

out=$(timeout 30 fetchmail -f /dev/null --nodetach -v -p POP3 -P "$POP3_PORT" --auth gssapi \
	--sslproto 'tls1.2+' --nosslcertck -u alice -k --mda "tee -a $T/fetched" localhost 2>&1)
expect_contains "fetchmail: STLS" "$out" "POP3> STLS"
expect_contains "fetchmail: AUTH GSSAPI logs in" "$out" "POP3< +OK Logged in"
expect_contains "fetchmail: then fetched both Inbox messages" "$out" "2 messages for alice"
check "fetchmail: the message body came through" grep -q "Shall we have lunch at noon" "$T/fetched"
check "fetchmail: so did the one mbsync uploaded" grep -q "synced up" "$T/fetched"
same "fetchmail: the gateway logged one login" "$(logins "$POP3_LOG")" 1
