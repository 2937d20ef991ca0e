"""total_limit.py PROTO PORT MAX -- --max-connections: MAX connections are
served, one more is turned away, and once one closes another gets in."""
import sys

from gwtest import Conn, finish, report

proto, port, most = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
ok = b"* OK" if proto == "imap" else b"+OK"
held = []
for i in range(most):
    c = Conn(port, source="127.0.0.%d" % (10 + i))  # other addresses: not the per-peer cap
    held.append(c)
    g = c.line()
    report("%s: connection %d of %d is greeted" % (proto, i + 1, most), g.startswith(ok), g)
c = Conn(port, source="127.0.0.99")
g = c.line()
report("%s: connection %d is turned away (--max-connections %d)" % (proto, most + 1, most),
       b"Too many connections, try again later" in g, g)
c.close()
held[0].close()
for attempt in range(50):  # the listener reaps within half a second
    c = Conn(port, source="127.0.0.98")
    g = c.line()
    c.close()
    if g.startswith(ok):
        break
    __import__("time").sleep(0.2)
report("%s: after one closes, a new connection is served" % proto, g.startswith(ok), g)
for c in held[1:]:
    c.close()
finish()
