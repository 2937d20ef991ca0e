"""pop3_session.py -- mailrpc-pop3d end to end with poplib and raw lines:
CAPA before and after TLS, USER/PASS and AUTH PLAIN refused before TLS,
password logins (right, wrong, unknown: same words, same delay), AUTH
PLAIN and AUTH GSSAPI (poplib has no SASL helper: lines by hand),
implicit TLS, STLS discarding pipelined bytes, garbage, long lines."""
import base64
import os
import poplib

from gwtest import Conn, GssapiClient, elapsed, env_int, finish, read_text, report, tls_context

PORT = env_int("GW_PORT")
TLS_PORT = env_int("GW_TLS_PORT")
DELAY = float(os.environ["GW_FAIL_DELAY"])
LOG = os.environ["GW_LOG"]
MAX_LINE = env_int("GW_MAX_LINE")


def log_text():
    return read_text(LOG)


def before_and_after_tls():
    p = poplib.POP3("127.0.0.1", PORT)
    report("greeting +OK", p.getwelcome().startswith(b"+OK"), p.getwelcome())
    caps = p.capa()
    report("before TLS: CAPA has STLS, no USER, no SASL",
           "STLS" in caps and "USER" not in caps and "SASL" not in caps, caps)
    try:
        p.user("alice")
        report("before TLS: USER refused", False, "accepted")
    except poplib.error_proto as e:
        report("before TLS: USER refused with [AUTH]", str(e).startswith("b'-ERR [AUTH]"), e)
    try:
        p._shortcmd("AUTH PLAIN AGFsaWNlAGFsaWNlLXB3")
        report("before TLS: AUTH PLAIN refused", False, "accepted")
    except poplib.error_proto as e:
        report("before TLS: AUTH PLAIN refused", "-ERR" in str(e), e)
    p.stls(context=tls_context())
    caps = p.capa()
    report("after STLS: CAPA has USER and SASL GSSAPI PLAIN, no STLS",
           "USER" in caps and caps.get("SASL") == ["GSSAPI", "PLAIN"] and "STLS" not in caps, caps)
    p.user("alice")
    r = p.pass_("alice-pw")
    report("after STLS: USER/PASS with the right password", r.startswith(b"+OK"), r)
    r = p._shortcmd("NOOP")
    report("NOOP after login", r.startswith(b"+OK"), r)
    r = p.quit()
    report("QUIT", r.startswith(b"+OK"), r)


def failed_logins():
    def attempt(user, password):
        p = poplib.POP3_SSL("127.0.0.1", TLS_PORT, context=tls_context())
        try:
            p.user(user)
            return p.pass_(password)
        finally:
            p.close()
    wrong, t_wrong = elapsed(lambda: attempt("alice", "not-her-password"))
    unknown, t_unknown = elapsed(lambda: attempt("nosuchuser", "whatever"))
    report("wrong password refused", isinstance(wrong, poplib.error_proto), wrong)
    report("wrong password and unknown user get the same words (%s)" % wrong,
           str(wrong) == str(unknown) and "[AUTH] Authentication failed" in str(wrong),
           "%s vs %s" % (wrong, unknown))
    report("both answered after the delay (%.2f s, %.2f s >= %.1f s)" % (t_wrong, t_unknown, DELAY),
           min(t_wrong, t_unknown) >= DELAY * 0.95, (t_wrong, t_unknown))
    report("no password in the log", "not-her-password" not in log_text(), "logged")


def sasl():
    c = Conn(TLS_PORT, tls=True)
    c.line()
    c.send(b"AUTH PLAIN AGFsaWNlAGFsaWNlLXB3\r\n")
    r = c.line()
    report("implicit TLS: AUTH PLAIN with an initial response", r.startswith(b"+OK"), r)
    c.close()
    c = Conn(TLS_PORT, tls=True)
    c.line()
    client = GssapiClient("pop@localhost")
    c.send(b"AUTH GSSAPI\r\n")
    r = c.line()
    rounds = 0
    while r.startswith(b"+ ") and rounds < 8:
        answer = client(base64.b64decode(r[2:]))
        c.send(base64.b64encode(answer) + b"\r\n")
        r = c.line()
        rounds += 1
    report("AUTH GSSAPI with a real ticket for pop/localhost", r.startswith(b"+OK"), r)
    c.send(b"QUIT\r\n")
    c.close()
    c = Conn(TLS_PORT, tls=True)
    c.line()
    c.send(b"AUTH GSSAPI\r\n")
    c.line()
    c.send(b"*\r\n")
    r = c.line()
    report("AUTH cancelled with *", r.startswith(b"-ERR"), r)
    c.close()


def stls_injection():
    c = Conn(PORT)
    c.line()
    c.send(b"STLS\r\nCAPA\r\n")
    r = c.line()
    report("STLS answered +OK", r.startswith(b"+OK"), r)
    c.starttls()
    c.send(b"NOOP\r\n")
    r = c.line()
    report("bytes pipelined before the TLS handshake are not run after it",
           r.startswith(b"-ERR Log in first"), r)
    report("the discarded bytes are logged",
           "discarded 6 bytes sent before the TLS handshake" in log_text(), "no log line")


def bad_input():
    c = Conn(TLS_PORT, tls=True)
    c.line()
    for data, name in [(b"\x00\x01garbage\r\n", "binary garbage"), (b"FROB\r\n", "an unknown command"),
                       (b"USER  alice\r\n", "two spaces"), (b"\r\n", "an empty line"),
                       (b"STAT\r\n", "STAT before login"), (b"USER " + b"a" * 300 + b"\r\n",
                                                            "a 300-byte argument")]:
        c.send(data)
        r = c.line()
        report("%s gets -ERR" % name, r.startswith(b"-ERR"), r)
    c.send(b"x" * (MAX_LINE + 10) + b"\r\n")
    r = c.line()
    report("a line over --max-line gets -ERR", r.startswith(b"-ERR Line too long"), r)
    c.send(b"PASS x\r\n")
    r = c.line()
    report("PASS without USER gets -ERR", r.startswith(b"-ERR USER first"), r)
    c.send(b"USER alice\r\nPASS alice-pw\r\n")
    r1, r2 = c.line(), c.line()
    report("after all that the session goes on (pipelined USER and PASS)",
           r1.startswith(b"+OK") and r2.startswith(b"+OK Logged in"), (r1, r2))
    c.send(b"CAPA\r\n")
    lines = c.until(b".")
    report("CAPA after login lists no login methods",
           b"USER" not in lines and not any(ln.startswith(b"SASL") for ln in lines), lines)
    c.close()


before_and_after_tls()
failed_logins()
sasl()
stls_injection()
bad_input()
finish()
