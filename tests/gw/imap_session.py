"""imap_session.py -- mailrpc-imapd end to end with imaplib and raw lines:
capabilities before and after TLS, logins refused before TLS, password
logins (right, wrong, unknown user: same words, same delay), PLAIN with
and without SASL-IR, GSSAPI with a real ticket, implicit TLS, STARTTLS
discarding pipelined bytes, garbage and over-long lines, literals."""
import imaplib
import os
import re
import time

from gwtest import Conn, GssapiClient, elapsed, env_int, finish, read_text, report, tls_context

PORT = env_int("GW_PORT")
TLS_PORT = env_int("GW_TLS_PORT")
DELAY = float(os.environ["GW_FAIL_DELAY"])
LOG = os.environ["GW_LOG"]
MAX_LINE = env_int("GW_MAX_LINE")


def log_text():
    return read_text(LOG)


def plain_caps():
    m = imaplib.IMAP4("127.0.0.1", PORT)
    caps = m.capabilities
    report("before TLS: STARTTLS and LOGINDISABLED advertised",
           "STARTTLS" in caps and "LOGINDISABLED" in caps, caps)
    report("before TLS: no AUTH= mechanism advertised",
           not any(c.startswith("AUTH=") for c in caps), caps)
    try:
        m.login("alice", "alice-pw")
        report("before TLS: LOGIN refused", False, "LOGIN succeeded in plain text")
    except imaplib.IMAP4.error as e:
        report("before TLS: LOGIN refused with [PRIVACYREQUIRED]", "PRIVACYREQUIRED" in str(e), e)
    c = Conn(PORT)
    c.line()
    c.send(b"a AUTHENTICATE PLAIN AGFsaWNlAGFsaWNlLXB3\r\n")
    r = c.line()
    report("before TLS: AUTHENTICATE PLAIN refused", r.startswith(b"a NO [PRIVACYREQUIRED]"), r)
    c.send(b"b AUTHENTICATE GSSAPI\r\n")
    r = c.line()
    report("before TLS: AUTHENTICATE GSSAPI refused", r.startswith(b"b NO [PRIVACYREQUIRED]"), r)
    c.close()
    m.starttls(ssl_context=tls_context())
    caps = m.capabilities
    report("after STARTTLS: AUTH=GSSAPI AUTH=PLAIN, no LOGINDISABLED",
           "AUTH=GSSAPI" in caps and "AUTH=PLAIN" in caps and "LOGINDISABLED" not in caps
           and "STARTTLS" not in caps, caps)
    typ, data = m.login("alice", "alice-pw")
    report("after STARTTLS: LOGIN with the right password", typ == "OK", data)
    report("the login answer carries the new capabilities", b"[CAPABILITY IMAP4rev1" in data[0],
           data)
    m.logout()
    report("the log names principal, command, result and peer",
           re.search(r"principal=alice@MAILRPC\.TEST command=LOGIN result=OK peer=127\.0\.0\.1:\d+",
                     log_text()) is not None, "no such line")


def failed_logins():
    def attempt(user, password):
        m = imaplib.IMAP4_SSL("127.0.0.1", TLS_PORT, ssl_context=tls_context())
        try:
            return m.login(user, password)
        finally:
            m.shutdown()
    wrong, t_wrong = elapsed(lambda: attempt("alice", "not-her-password"))
    unknown, t_unknown = elapsed(lambda: attempt("nosuchuser", "whatever"))
    report("wrong password refused", isinstance(wrong, imaplib.IMAP4.error), wrong)
    report("unknown user refused", isinstance(unknown, imaplib.IMAP4.error), unknown)
    report("wrong password and unknown user get the same words (%s)" % wrong,
           str(wrong) == str(unknown), "%s vs %s" % (wrong, unknown))
    report("the words are [AUTHENTICATIONFAILED] Authentication failed",
           "[AUTHENTICATIONFAILED] Authentication failed" in str(wrong), wrong)
    report("wrong password answered after the delay (%.2f s >= %.1f s)" % (t_wrong, DELAY),
           t_wrong >= DELAY * 0.95, t_wrong)
    report("unknown user answered after the delay (%.2f s >= %.1f s)" % (t_unknown, DELAY),
           t_unknown >= DELAY * 0.95, t_unknown)
    text = log_text()
    report("failed logins are logged", "login failed for alice" in text
           and "login failed for nosuchuser" in text, "no 'login failed' lines")
    report("no password in the log", "not-her-password" not in text and "alice-pw" not in text,
           "a password was logged")
    # Three failures on one connection and it is let go.
    c = Conn(TLS_PORT, tls=True)
    c.line()
    for i in range(3):
        c.send(b"f%d LOGIN alice wrong%d\r\n" % (i, i))
        c.until(b"f%d " % i)
    report("three failed logins end the connection", c.line().startswith(b"* BYE")
           and c.closed_within(5), "still open")
    c.close()


def plain_mechanism():
    m = imaplib.IMAP4_SSL("127.0.0.1", TLS_PORT, ssl_context=tls_context())
    report("implicit TLS: the greeting offers AUTH=PLAIN", "AUTH=PLAIN" in m.capabilities,
           m.capabilities)
    typ, data = m.authenticate("PLAIN", lambda _: b"\0alice\0alice-pw")
    report("implicit TLS: AUTHENTICATE PLAIN (continuation)", typ == "OK", data)
    m.logout()
    c = Conn(TLS_PORT, tls=True)
    c.line()
    c.send(b"a AUTHENTICATE PLAIN AGFsaWNlAGFsaWNlLXB3\r\n")  # \0alice\0alice-pw
    r = c.until(b"a ")[-1]
    report("AUTHENTICATE PLAIN with SASL-IR", r.startswith(b"a OK"), r)
    c.close()
    c = Conn(TLS_PORT, tls=True)
    c.line()
    c.send(b"a AUTHENTICATE PLAIN AGJvYgBhbGljZS1wdw==\r\n")  # \0bob\0alice-pw
    r = c.until(b"a ")[-1]
    report("AUTHENTICATE PLAIN with another user's password refused",
           r.startswith(b"a NO [AUTHENTICATIONFAILED]"), r)
    c.send(b"b AUTHENTICATE PLAIN bm90IGJhc2U2NCE=!\r\n")
    r = c.until(b"b ")[-1]
    report("AUTHENTICATE with bad base64 gets BAD", r.startswith(b"b BAD"), r)
    c.send(b"c AUTHENTICATE PLAIN\r\n")
    r = c.line()
    c.send(b"*\r\n")
    r2 = c.until(b"c ")[-1]
    report("AUTHENTICATE cancelled with * gets BAD", r == b"+ " and r2.startswith(b"c BAD"),
           (r, r2))
    c.close()


def gssapi_mechanism():
    m = imaplib.IMAP4("127.0.0.1", PORT)
    m.starttls(ssl_context=tls_context())
    client = GssapiClient("imap@localhost")
    typ, data = m.authenticate("GSSAPI", client)
    report("AUTHENTICATE GSSAPI with a real ticket", typ == "OK", data)
    report("GSSAPI offered only 'no security layer'", client.layers_offered == 1,
           client.layers_offered)
    m.logout()
    report("the GSSAPI login is logged with its principal",
           "alice@MAILRPC.TEST logged in as mailbox alice" in log_text(), "not logged")
    # A ticket for another service in the same keytab does not open IMAP.
    m = imaplib.IMAP4_SSL("127.0.0.1", TLS_PORT, ssl_context=tls_context())
    try:
        m.authenticate("GSSAPI", GssapiClient("pop@localhost"))
        report("a ticket for pop/localhost is refused by the IMAP server", False, "accepted")
    except imaplib.IMAP4.error as e:
        report("a ticket for pop/localhost is refused by the IMAP server",
               "AUTHENTICATIONFAILED" in str(e), e)
    m.shutdown()
    # An authorization id naming someone else is refused.
    m = imaplib.IMAP4_SSL("127.0.0.1", TLS_PORT, ssl_context=tls_context())
    try:
        m.authenticate("GSSAPI", GssapiClient("imap@localhost", authzid=b"bob"))
        report("GSSAPI with authzid bob (as alice) is refused", False, "accepted")
    except imaplib.IMAP4.error as e:
        report("GSSAPI with authzid bob (as alice) is refused", "AUTHENTICATIONFAILED" in str(e),
               e)
    m.shutdown()


def starttls_injection():
    c = Conn(PORT)
    c.line()
    # A man in the middle appends a command after STARTTLS in the same packet.
    c.send(b"a STARTTLS\r\nb CAPABILITY\r\n")
    r = c.line()
    report("STARTTLS answered OK", r.startswith(b"a OK"), r)
    c.starttls()
    c.send(b"c NOOP\r\n")
    lines = c.until(b"c ")
    report("bytes pipelined before the TLS handshake are not run after it",
           not any(ln.startswith(b"b ") or ln.startswith(b"* CAPABILITY") for ln in lines)
           and lines[-1].startswith(b"c OK"), lines)
    report("the discarded bytes are logged",
           "discarded 14 bytes sent before the TLS handshake" in log_text(), "no log line")
    c.send(b"d STARTTLS\r\n")
    r = c.line()
    report("a second STARTTLS is BAD", r.startswith(b"d BAD"), r)
    c.close()


def bad_input():
    c = Conn(TLS_PORT, tls=True)
    c.line()
    cases = [
        (b"\x01\x02\xff garbage\r\n", b"* BAD", "binary garbage"),
        (b"a\r\n", b"* BAD", "a tag alone"),
        (b"a FROBNICATE\r\n", b"a BAD", "an unknown command"),
        (b"a NOOP extra\r\n", b"a BAD", "NOOP with an argument"),
        (b"a LOGIN \"unterminated\r\n", b"a BAD", "an unterminated quoted string"),
        (b"a LOGIN (a (b (c (d (e (f (g (h (i (j))))))))))) x\r\n", b"a BAD", "lists nested too deeply"),
        (b"a LOGIN  alice alice-pw\r\n", b"a BAD", "two spaces"),
        (b"a SELECT INBOX\r\n", b"a BAD", "SELECT before login"),
        (b"a ENABLE CONDSTORE\r\n", b"a BAD", "ENABLE before login"),
    ]
    for data, want, name in cases:
        c.send(data)
        r = c.line()
        report("%s gets BAD" % name, r.startswith(want), r)
    c.send(b"x" * (MAX_LINE + 100) + b"\r\n")
    r = c.line()
    report("a line over --max-line gets BAD", r.startswith(b"* BAD Line too long"), r)
    # Literals: synchronizing ones above the limit are refused unread.
    c.send(b"l1 LOGIN {%d}\r\n" % (MAX_LINE + 1))
    r = c.line()
    report("a literal above the limit is refused before it is read (no '+')",
           r.startswith(b"l1 NO [TOOBIG]"), r)
    c.send(b"l2 LOGIN {5}\r\n")
    r = c.line()
    report("a literal within the limit gets a continuation", r.startswith(b"+ "), r)
    c.send(b"alice {8}\r\n")
    r = c.line()
    c.send(b"alice-pw\r\n")
    r2 = c.until(b"l2 ")[-1]
    report("LOGIN with two synchronizing literals", r.startswith(b"+ ") and r2.startswith(b"l2 OK"),
           (r, r2))
    c.send(b"l3 ID (\"name\" {6+}\r\nimapcl)\r\n")
    lines = c.until(b"l3 ")
    report("a LITERAL+ literal is read without a continuation",
           lines[0].startswith(b"* ID") and lines[-1].startswith(b"l3 OK"), lines)
    c.send(b"z NOOP\r\n")
    r = c.line()
    report("after all that the session goes on", r.startswith(b"z OK"), r)
    c.send(b"e ENABLE UTF8=ACCEPT\r\n")
    lines = c.until(b"e ")
    report("ENABLE of a capability not offered enables nothing",
           lines[0] == b"* ENABLED" and lines[-1].startswith(b"e OK"), lines)
    c.send(b"f FETCH 1:* FLAGS\r\n")
    r = c.line()
    report("FETCH without a selected mailbox is BAD", r.startswith(b"f BAD No mailbox selected"), r)
    c.send(b"o LOGOUT\r\n")
    lines = c.until(b"o ")
    report("LOGOUT says BYE then OK", lines[0].startswith(b"* BYE") and lines[-1].startswith(b"o OK"),
           lines)
    c.close()
    # A LITERAL+ above the limit cannot be refused unread: the connection ends.
    c = Conn(TLS_PORT, tls=True)
    c.line()
    c.send(b"a LOGIN {%d+}\r\n" % (MAX_LINE * 4))
    r = c.line()
    report("a LITERAL+ above the limit ends the connection with BYE [TOOBIG]",
           r.startswith(b"* BYE [TOOBIG]") and c.closed_within(5), r)
    c.close()


plain_caps()
failed_logins()
plain_mechanism()
gssapi_mechanism()
starttls_injection()
bad_input()
finish()
