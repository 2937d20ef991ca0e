# t_inet_submit.sh -- SMTP submission for standard clients (issue 13), by
# Postfix itself, set up from docs/postfix.md (main.cf, master.cf, the
# Cyrus SASL file and saslauthd's settings are extracted from the
# document): STARTTLS, then AUTH GSSAPI with a real ticket (python3-gssapi)
# or AUTH PLAIN with a real password that saslauthd checks against the
# test KDC; a wrong password, and a password a fake KDC vouches for,
# refused; AUTH before STARTTLS refused; MAIL FROM of another user's
# address refused (smtpd_sender_login_maps from mailrpc-map); accepted
# mail delivered locally through mailrpc-deliver and to remote.test (a
# second Postfix on 127.0.0.2, Maildir).
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/inet_lib.sh"
/usr/bin/python3 -c "import gssapi" 2>/dev/null || { echo "FAIL setup: python3-gssapi is missing"; exit 1; }
command -v saslauthd >/dev/null || { echo "FAIL setup: saslauthd is missing (scripts/install-deps installs sasl2-bin)"; exit 1; }
setup_realm alice bob
export XDG_CACHE_HOME=$T/cache
chmod 711 "$T"
mkdir -p "$T/bin" "$T/remote" "$T/etc"
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

P1=$(free_port) P2=$(free_port) PS=$(free_port)
# The documented paths and host name, made this test's.
SASLAUTHD_DIR=$T/saslauthd
PF1=$T/pf1 PF2=$T/pf2
# Debian's Postfix reads Cyrus SASL's smtpd.conf from its config
# directory's sasl/ (/etc/postfix/sasl) and nowhere else.
docs() {
	doc_block "$1" | sed -e "s|/etc/postfix/sasl|$PF1/etc/sasl|g" -e "s|/etc/postfix/|$T/etc/|g" \
		-e "s|/var/run/saslauthd|$SASLAUTHD_DIR|g" \
		-e "s|/etc/saslauthd-krb5.conf|$T/etc/saslauthd-krb5.conf|g" -e "s|mail\.example\.org|$HOST|g"
}
mkdir -p "$PF1/etc/sasl"
docs "sasl smtpd.conf" >"$PF1/etc/sasl/smtpd.conf"
# Postfix's smtpd (user postfix) must reach the socket; the documented
# set-up does it with the group sasl.
mkdir -m 710 "$SASLAUTHD_DIR" && chown root:postfix "$SASLAUTHD_DIR"

# start_saslauthd KRB5-CONFIG [KEYTAB]: saslauthd as /etc/default/saslauthd
# in the document starts it (the Debian init script's arguments), in the
# foreground (-d), asking the KDC that configuration names and verifying
# its tickets with the documented keytab (or KEYTAB).  In a session of its
# own: on exit saslauthd signals its whole process group.
SASLAUTHD_PID=
start_saslauthd() {
	docs "saslauthd.conf" | sed "${2:+s|^krb5_keytab: .*|krb5_keytab: $2|}" >"$T/etc/saslauthd-krb5.conf"
	(
		eval "$(docs "saslauthd defaults")"
		# shellcheck disable=SC2086 # OPTIONS is a word list, as in the init script
		KRB5_CONFIG=$1 exec setsid saslauthd -a "$MECHANISMS" -O "$MECH_OPTIONS" $OPTIONS -n "$THREADS" -d
	) >>"$T/saslauthd.log" 2>&1 &
	SASLAUTHD_PID=$!
	PIDS+=("$SASLAUTHD_PID")
	wait_for 100 test -S "$SASLAUTHD_DIR/mux" || { sed 's/^/# /' "$T/saslauthd.log"; echo "FAIL setup: saslauthd did not start"; exit 1; }
}
# gone PID: it has exited (a zombie of this shell counts: kill -0 still
# reaches it until it is waited for).
gone() { ! kill -0 "$1" 2>/dev/null || [ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" = Z ]; }
# saslauthd can hang at exit reaping its workers (seen once, under load):
# 10 s, then its whole session (setsid: group id = its pid) is killed.
stop_saslauthd() {
	kill "$SASLAUTHD_PID" 2>/dev/null
	wait_for 100 gone "$SASLAUTHD_PID" || kill -KILL -- -"$SASLAUTHD_PID" 2>/dev/null
	wait "$SASLAUTHD_PID" 2>/dev/null
	wait_for 100 bash -c "! test -e $SASLAUTHD_DIR/mux" || rm -f "$SASLAUTHD_DIR/mux"
}
start_saslauthd "$KRB5_CONFIG"
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
# what happened, exits 0 if the server accepted the message.  MODE is
# gssapi or plain, with -no-tls to skip STARTTLS; plain logs in as USER
# with the password in $PASSWORD.  MODE ehlo prints the AUTH mechanisms
# offered before and after STARTTLS.
submit() {
	KRB5CCNAME=FILE:$T/cc.$2 /usr/bin/python3 - "$PS" "$HOST" "$@" <<'PY'
import base64, os, smtplib, ssl, sys
import gssapi
port, host, mode, user, sender, rcpt, subject = sys.argv[1:8]
s = smtplib.SMTP("127.0.0.1", int(port), timeout=20)
s.ehlo("client.test")
offered = [s.esmtp_features.get("auth", "(none)").strip()]
if not mode.endswith("-no-tls"):
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    s.starttls(context=ctx)
    s.ehlo("client.test")
    offered.append(s.esmtp_features.get("auth", "(none)").strip())
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
    if mode == "ehlo":
        print("offered:", " | ".join(offered))
        sys.exit(0)
    if mode.startswith("plain"):
        s.user, s.password = user, os.environ["PASSWORD"]
        s.auth("PLAIN", s.auth_plain)
    else:
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

# ---- AUTH PLAIN: the password checked against the KDC by saslauthd ----
AUTH_FAILED="(535, b'5.7.8 Error: authentication failed: authentication failure')"
out=$(submit ehlo alice - - - 2>&1)
same "PLAIN and GSSAPI offered only inside TLS, nothing else" "$out" "offered: (none) | GSSAPI PLAIN"
out=$(PASSWORD=alice-pw submit plain alice alice@example.org bob@example.org "plain local" 2>&1)
same "PLAIN: alice submits to bob with her Kerberos password" "$out" "accepted"
[ "$out" = accepted ] || { grep -E "sasl|SASL|warning" "$PF1/maillog" | tail -5; tail -5 "$T/saslauthd.log"; } | sed 's/^/# /'
check "PLAIN: delivered to bob's Inbox through mailrpc-deliver" wait_for 150 inbox_has bob "plain local"
out=$(PASSWORD=alice-pw submit plain alice@MAILRPC.TEST alice@example.org carol@remote.test "plain remote" 2>&1)
same "PLAIN: alice@MAILRPC.TEST submits to carol@remote.test" "$out" "accepted"
check "PLAIN: delivered at remote.test" wait_for 150 remote_has "Subject: plain remote"
out=$(PASSWORD=bob-pw submit plain alice alice@example.org bob@example.org "wrong password" 2>&1)
expect_contains "PLAIN: a wrong password is refused" "$out" "$AUTH_FAILED"
check "... saslauthd asked the KDC and it said no" grep -q "auth failure: \[user=alice\] \[service=smtp\]" "$T/saslauthd.log"
out=$(PASSWORD=x submit plain nosuchuser alice@example.org bob@example.org "unknown user" 2>&1)
expect_contains "PLAIN: an unknown user is refused" "$out" "$AUTH_FAILED"
out=$(PASSWORD=alice-pw submit plain-no-tls alice alice@example.org bob@example.org "plain no tls" 2>&1)
expect_contains "PLAIN before STARTTLS is refused" "$out" "Must issue a STARTTLS command first"
out=$(PASSWORD=bob-pw submit plain bob alice@example.org carol@remote.test "plain forged" 2>&1)
expect_contains "PLAIN: bob may not use alice's address" "$out" "not owned by user bob"
same "... nothing refused above was delivered" \
	"$(grep -rlE "Subject: (wrong password|unknown user|plain no tls|plain forged)" "$T/remote" "$T/store" 2>/dev/null | wc -l)" 0

# ---- A fake KDC cannot let anyone in ----
# A second KDC answers for the same realm and knows alice with a password
# its owner chose.  saslauthd asked that KDC gets a ticket for alice, but
# the ticket it then gets for smtp/HOST does not decrypt with Postfix's
# keytab, so the login is refused.  Control: the same saslauthd with the
# rogue realm's own smtp/HOST key lets the rogue password in, so what
# stops it is the keytab verification alone.
"$TOP/scripts/realm" create "$T/rogue" alice >"$T/rogue.log" 2>&1 ||
	{ sed 's/^/# /' "$T/rogue.log"; echo "FAIL setup: rogue realm"; exit 1; }
rogue_kadmin() {
	KRB5_CONFIG=$T/rogue/krb5.conf KRB5_KDC_PROFILE=$T/rogue/kdc.conf \
		kadmin.local -r MAILRPC.TEST -q "$1" >/dev/null 2>&1
}
if ! rogue_kadmin "cpw -pw attacker-pw alice" || ! rogue_kadmin "addprinc -randkey smtp/$HOST" ||
	! rogue_kadmin "ktadd -k $T/rogue/smtp.keytab smtp/$HOST"; then
	echo "FAIL setup: rogue realm's password and smtp key"
	exit 1
fi
stop_saslauthd
start_saslauthd "$T/rogue/krb5.conf"
out=$(PASSWORD=attacker-pw submit plain alice alice@example.org bob@example.org "rogue kdc" 2>&1)
expect_contains "rogue KDC, Postfix's keytab: the rogue password is refused" "$out" "$AUTH_FAILED"
check "... because the ticket did not verify against the keytab" \
	grep -q "auth failure: \[user=alice\] .*\[reason=krb5_verify_init_creds failed\]" "$T/saslauthd.log"
stop_saslauthd
start_saslauthd "$T/rogue/krb5.conf" "$T/rogue/smtp.keytab"
out=$(PASSWORD=attacker-pw submit plain alice alice@example.org carol@remote.test "rogue control" 2>&1)
same "control: rogue KDC with its own smtp key lets the rogue password in" "$out" "accepted"
stop_saslauthd
start_saslauthd "$KRB5_CONFIG"
out=$(PASSWORD=attacker-pw submit plain alice alice@example.org bob@example.org "rogue pw real kdc" 2>&1)
expect_contains "real KDC: the rogue password is refused" "$out" "$AUTH_FAILED"

# ---- The KDC gone: password logins are refused, nothing else breaks ----
"$TOP/scripts/realm" stop "$T/realm"
out=$(PASSWORD=alice-pw submit plain alice alice@example.org bob@example.org "kdc down" 2>&1)
expect_contains "KDC down: a PLAIN login is refused" "$out" "$AUTH_FAILED"
same "... nothing refused was delivered" \
	"$(grep -rlE "Subject: (rogue kdc|rogue pw real kdc|kdc down)" "$T/remote" "$T/store" 2>/dev/null | wc -l)" 0
