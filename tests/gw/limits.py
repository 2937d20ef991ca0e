"""limits.py -- connection limits and the login timeout, for either
protocol: unauthenticated connections per address are capped (others
still get in, and a logged-in connection stops counting), and a client
that does not log in in time is let go."""
import os
import sys
import time

import gwtest
from gwtest import Conn, env_int, finish


def report(name, ok, detail=""):
    gwtest.report("%s: %s" % (PROTO, name), ok, detail)

PROTO = sys.argv[1]
PORT = env_int("GW_PORT")
PER_PEER = env_int("GW_PER_PEER")
LOGIN_TIMEOUT = env_int("GW_LOGIN_TIMEOUT")
LOG = os.environ["GW_LOG"]
OK = b"* OK" if PROTO == "imap" else b"+OK"


def greeting(source=None):
    c = Conn(PORT, source=source)
    return c, c.line()


def log_login(c):
    """STARTTLS/STLS and a password login on an open connection."""
    if PROTO == "imap":
        c.send(b"a STARTTLS\r\n")
        c.line()
        c.starttls()
        c.send(b"b LOGIN alice alice-pw\r\n")
        return c.until(b"b ")[-1].startswith(b"b OK")
    c.send(b"STLS\r\n")
    c.line()
    c.starttls()
    c.send(b"USER alice\r\n")
    c.line()
    c.send(b"PASS alice-pw\r\n")
    return c.line().startswith(b"+OK")


held = []
for i in range(PER_PEER):
    c, g = greeting()
    held.append(c)
    report("connection %d of %d from 127.0.0.1 is greeted" % (i + 1, PER_PEER), g.startswith(OK), g)
c, g = greeting()
report("one more unauthenticated connection from 127.0.0.1 is turned away",
       (g.startswith(b"* BYE [UNAVAILABLE]") or g.startswith(b"-ERR [SYS/TEMP]"))
       and b"Too many connections from your address" in g, g)
c.close()
other, g = greeting(source="127.0.0.2")
report("a connection from another address (127.0.0.2) still gets in", g.startswith(OK), g)
other.close()
report("one of the held connections logs in", log_login(held[0]), "login failed")
c, g = greeting()
report("once one has logged in, 127.0.0.1 may open another", g.startswith(OK), g)
held.append(c)
with open(LOG, encoding="utf-8") as f:
    report("the refusal is logged", "not logged in, turning this one away" in f.read(), "no line")

# The idle ones are closed after the login timeout; the logged-in one is not.
t = time.monotonic()
closed = held[1].closed_within(LOGIN_TIMEOUT + 5)
took = time.monotonic() - t
report("an unauthenticated connection is closed after --login-timeout %d s (took %.1f s)"
       % (LOGIN_TIMEOUT, took), closed and took >= LOGIN_TIMEOUT - 1, took)
report("the logged-in connection is still served after the login timeout",
       not held[0].closed_within(0.5), "closed")
for c in held:
    c.close()

# Bytes trickling in without ever ending a line do not keep it open.
c, g = greeting()
t = time.monotonic()
closed = False
for _ in range(LOGIN_TIMEOUT + 4):
    try:
        c.send(b"x")
    except OSError:
        closed = True
        break
    if c.closed_within(1):
        closed = True
        break
took = time.monotonic() - t
report("a client sending a byte a second, never a whole line, is closed after --login-timeout "
       "(took %.1f s)" % took, closed and took <= LOGIN_TIMEOUT + 2, took)
c.close()
finish()
