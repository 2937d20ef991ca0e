# t_inet_submit.sh -- SMTP submission for standard clients (issue 13), by
# Postfix itself, set up from docs/postfix.md (main.cf, master.cf and the
# Cyrus SASL file are extracted from the document): STARTTLS, then AUTH
# GSSAPI with a real ticket (python3-gssapi); AUTH before STARTTLS
# refused; MAIL
# FROM of another user's address refused (smtpd_sender_login_maps from
# mailrpc-map); accepted mail delivered locally through mailrpc-deliver
# and to remote.test (a second Postfix on 127.0.0.2, Maildir).
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/inet_lib.sh"
/usr/bin/python3 -c "import gssapi" 2>/dev/null || { echo "FAIL setup: python3-gssapi is missing"; exit 1; }
setup_realm alice bob
export XDG_CACHE_HOME=$T/cache
chmod 711 "$T"
mkdir -p "$T/bin" "$T/remote" "$T/etc/sasl"
HOST=$(hostname)
# smtp/HOST for Postfix's GSSAPI (Cyrus SASL names the server by the
# host name).
kadmin.local -q "addprinc -randkey smtp/$HOST" >/dev/null 2>&1 || { echo "FAIL setup: addprinc smtp/$HOST"; exit 1; }
kadmin.local -q "ktadd -k $T/etc/smtp.keytab smtp/$HOST" >/dev/null
chown root:postfix "$T/etc/smtp.keytab" && chmod 640 "$T/etc/smtp.keytab"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=$HOST" \
	-keyout "$T/etc/smtpd.key" -out "$T/etc/smtpd.crt" >/dev/null 2>&1 ||
	{ echo "FAIL setup: openssl req"; exit 1; }

install -m 755 "$BIN/bin/mailrpc-deliver" "$BIN/bin/mailrpc-map" "$T/bin/"
start_server
login_users alice bob
chown -R "$DELIVERY_USER:" "$T/store" "$T/remote"


PF1=$T/pf1 PF2=$T/pf2
P1=$(free_port) P2=$(free_port) PS=$(free_port)
# The documented paths, made this test's.
docs() { doc_block "$1" | sed -e "s|/etc/postfix/|$T/etc/|g"; }
docs "sasl smtpd.conf" >"$T/etc/sasl/smtpd.conf"
pf_start "$PF1" 127.0.0.1 "$P1" "myhostname = $HOST
mydestination =
default_transport = error:this test relays only to remote.test
transport_maps = inline:{ remote.test=smtp:[127.0.0.2]:$P2 }
# The test realm's krb5.conf, for GSSAPI (smtpd) and mailrpc-map (spawn).
export_environment = TZ MAIL_CONFIG LANG KRB5_CONFIG=$KRB5_CONFIG
$(docs main.cf)
$(docs "submission main.cf" | sed "/^import_environment/s|\$| KRB5_CONFIG=$KRB5_CONFIG|")" "$(doc_block master.cf)
$(docs "submission master.cf" | sed "s|^submission |127.0.0.1:$PS |")"
pf_start "$PF2" 127.0.0.2 "$P2" "myhostname = mx.remote.test
mydestination =
default_transport = error:this test relays nothing
virtual_mailbox_domains = remote.test
virtual_mailbox_base = $T/remote
virtual_mailbox_maps = inline:{ carol@remote.test=carol/ }
virtual_uid_maps = static:65534
virtual_gid_maps = static:65534" ""
wait_for 100 bash -c "exec 3<>/dev/tcp/127.0.0.1/$PS" || { echo "FAIL setup: no submission port"; exit 1; }

# submit MODE USER FROM RCPT SUBJECT: a Python smtplib client; prints
# what happened, exits 0 if the server accepted the message.
submit() {
	KRB5CCNAME=FILE:$T/cc.$2 /usr/bin/python3 - "$PS" "$HOST" "$@" <<'PY'
import base64, smtplib, ssl, sys
import gssapi
port, host, mode, user, sender, rcpt, subject = sys.argv[1:8]
s = smtplib.SMTP("127.0.0.1", int(port), timeout=20)
s.ehlo("client.test")
if mode != "gssapi-no-tls":
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    s.starttls(context=ctx)
    s.ehlo("client.test")
def gssapi_auth():
    # RFC 4752: the context tokens, then the security layer message.
    name = gssapi.Name("smtp@" + host, gssapi.NameType.hostbased_service)
    c = gssapi.SecurityContext(name=name, usage="initiate")
    token = c.step()
    code, resp = s.docmd("AUTH", "GSSAPI " + base64.b64encode(token).decode())
    while code == 334 and not c.complete:
        token = c.step(base64.b64decode(resp))
        code, resp = s.docmd(base64.b64encode(token or b"").decode())
    if code == 334:
        layers = c.unwrap(base64.b64decode(resp)).message
        reply = c.wrap(b"\x01" + layers[1:4] + user.encode(), False).message
        code, resp = s.docmd(base64.b64encode(reply).decode())
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, resp)
try:
    gssapi_auth()
    msg = ("From: %s\r\nTo: %s\r\nSubject: %s\r\n\r\nsubmitted by %s\r\n"
           % (sender, rcpt, subject, mode))
    s.sendmail(sender, [rcpt], msg)
    print("accepted")
except smtplib.SMTPException as e:
    print("refused:", e)
    sys.exit(1)
finally:
    try:
        s.quit()
    except Exception:
        pass
PY
}
inbox_has() { as "$1" --json ls Inbox | jq -e --arg s "$2" 'map(.subject) | index($s)' >/dev/null; }
remote_has() { grep -rqF -- "$1" "$T/remote/carol/new" 2>/dev/null; }

# ---- AUTH GSSAPI with a real ticket ----
out=$(submit gssapi alice alice@example.org bob@example.org "gssapi local" 2>&1)
same "GSSAPI: alice submits to bob" "$out" "accepted"
[ "$out" = accepted ] || grep -E "sasl|SASL|warning" "$PF1/maillog" | tail -5 | sed 's/^/# /'
check "GSSAPI: delivered to bob's Inbox through mailrpc-deliver" wait_for 150 inbox_has bob "gssapi local"
out=$(submit gssapi alice alice@example.org carol@remote.test "gssapi remote" 2>&1)
same "GSSAPI: alice submits to carol@remote.test" "$out" "accepted"
check "GSSAPI: delivered at remote.test" wait_for 150 remote_has "Subject: gssapi remote"

# ---- AUTH before STARTTLS; sending as someone else ----
out=$(submit gssapi-no-tls bob bob@example.org alice@example.org "no tls" 2>&1)
expect_contains "AUTH before STARTTLS is refused" "$out" "Must issue a STARTTLS command first"
out=$(submit gssapi bob alice@example.org carol@remote.test "forged" 2>&1)
expect_contains "MAIL FROM another user's address is refused" "$out" "not owned by user bob"
same "... and nothing of it was delivered" "$(grep -rlF "Subject: forged" "$T/remote" 2>/dev/null | wc -l)" 0
out=$(submit gssapi alice bob@example.org carol@remote.test "forged too" 2>&1)
expect_contains "... nor bob's by alice" "$out" "not owned by user alice"
as bob acl Outbox set "alice@MAILRPC.TEST" p
out=$(submit gssapi alice bob@example.org carol@remote.test "on behalf" 2>&1)
same "with p on bob's Outbox, alice may use his address (at once)" "$out" "accepted"
check "... delivered" wait_for 150 remote_has "Subject: on behalf"
