"""pop3_mailbox.py -- POP3 on the Inbox through poplib and raw lines over
implicit TLS: STAT, LIST, UIDL, RETR (every corpus message, compared byte
for byte with its CRLF form), TOP, DELE, RSET, NOOP, QUIT and the UPDATE
state (DELE moves to Deleted Items with the default --pop3-delete trash;
a session that ends without QUIT deletes nothing), and another user's
mail out of reach.  Environment: GW_TLS_PORT, T, BIN."""
import json
import poplib
import re

from gwtest import Conn, corpus, env_int, finish, mailrpc, report, tls_context

PORT = env_int("GW_TLS_PORT")


def rpc_ids(user, folder):
    st, out = mailrpc(user, "--json", "ls", folder)
    return [x["id"] for x in json.loads(out)] if st == 0 else None


def crlf_form(data):
    """What POP3 sends of a message: bare LFs as CRLF, a last line ended."""
    data = re.sub(rb"(?<!\r)\n", b"\r\n", data)
    return data if data.endswith(b"\r\n") else data + b"\r\n"


class Pop:
    """Raw POP3 over implicit TLS, logged in with a password."""

    def __init__(self, user):
        self.c = Conn(PORT, tls=True, timeout=30)
        self.c.line()
        self.cmd(b"USER " + user.encode())
        self.login = self.cmd(b"PASS %s-pw" % user.encode())

    def cmd(self, text):
        self.c.send(text + b"\r\n")
        return self.c.line()

    def multi(self, text):
        """(status line, body as sent: dot-unstuffed, each line with CRLF)."""
        first = self.cmd(text)
        if not first.startswith(b"+OK"):
            return first, None
        body = b""
        while True:
            ln = self.c.line()
            if ln == b".":
                return first, body
            body += (ln[1:] if ln.startswith(b".") else ln) + b"\r\n"


messages = list(corpus())
ids = []
for name, data in messages:
    st, out = mailrpc("carol", "put", "Inbox", stdin=data)
    ids.append(int(out))
p = Pop("carol")
report("login as carol", p.login.startswith(b"+OK"), p.login)
stat = p.cmd(b"STAT")
want_total = sum(len(d) for _, d in messages)
report("STAT counts every Inbox message and its octets",
       stat == b"+OK %d %d" % (len(messages), want_total), stat)
first, listing = p.multi(b"LIST")
report("LIST gives each message's size",
       listing == b"".join(b"%d %d\r\n" % (i, len(d)) for i, (_, d) in enumerate(messages, 1)), listing)
first, uidl = p.multi(b"UIDL")
report("UIDL gives each message's store id",
       uidl == b"".join(b"%d %d\r\n" % (i, mid) for i, mid in enumerate(ids, 1)), uidl)
report("LIST 2", p.cmd(b"LIST 2") == b"+OK 2 %d" % len(messages[1][1]), "")
report("UIDL 3", p.cmd(b"UIDL 3") == b"+OK 3 %d" % ids[2], "")
for i, (name, data) in enumerate(messages, 1):
    first, body = p.multi(b"RETR %d" % i)
    report("RETR %s: the message, dot-stuffed, in CRLF lines" % name, body == crlf_form(data),
           (first, len(body or b""), len(crlf_form(data))))
first, body = p.multi(b"TOP 1 1")
head, _, rest = crlf_form(messages[0][1]).partition(b"\r\n\r\n")
report("TOP 1 1: the header, the empty line and one body line",
       body == head + b"\r\n\r\n" + rest.split(b"\r\n")[0] + b"\r\n", body)
first, body = p.multi(b"TOP 1 0")
report("TOP 1 0: the header only", body == head + b"\r\n\r\n", body)
report("RETR 99: -ERR", p.cmd(b"RETR 99").startswith(b"-ERR"), "")
report("TOP 1: -ERR (the line count is needed)", p.cmd(b"TOP 1").startswith(b"-ERR"), "")
report("DELE x: -ERR", p.cmd(b"DELE x").startswith(b"-ERR"), "")
report("NOOP", p.cmd(b"NOOP").startswith(b"+OK"), "")

# DELE, RSET; a session gone without QUIT deletes nothing.
report("DELE 1", p.cmd(b"DELE 1").startswith(b"+OK"), "")
report("RETR of a deleted message: -ERR", p.cmd(b"RETR 1").startswith(b"-ERR"), "")
report("DELE of it again: -ERR", p.cmd(b"DELE 1").startswith(b"-ERR"), "")
report("STAT leaves the deleted message out",
       p.cmd(b"STAT") == b"+OK %d %d" % (len(messages) - 1, want_total - len(messages[0][1])), "")
report("RSET", p.cmd(b"RSET").startswith(b"+OK"), "")
report("after RSET STAT counts it again", p.cmd(b"STAT") == stat, "")
p.cmd(b"DELE 2")
p.c.close()
report("a session cut without QUIT deletes nothing", rpc_ids("carol", "Inbox") == ids,
       rpc_ids("carol", "Inbox"))

# The maildrop is the Inbox at login; QUIT applies DELE (to Deleted Items).
p = Pop("carol")
st, out = mailrpc("carol", "put", "Inbox", stdin=messages[0][1])
late = int(out)
report("mail put during a session is not in its STAT",
       p.cmd(b"STAT").startswith(b"+OK %d " % len(messages)), "")
p.cmd(b"DELE 1")
p.cmd(b"DELE 3")
bye = p.cmd(b"QUIT")
report("QUIT after DELE: +OK", bye.startswith(b"+OK"), bye)
left = rpc_ids("carol", "Inbox")
report("the two deleted messages left the Inbox, the others stayed",
       left == [ids[1]] + ids[3:] + [late], left)
trash = rpc_ids("carol", "Deleted Items")
report("... into Deleted Items (--pop3-delete trash)", trash is not None and len(trash) == 2, trash)

# Another user sees only his own Inbox.
b = poplib.POP3_SSL("127.0.0.1", PORT, context=tls_context(), timeout=30)
b.user("bob")
b.pass_("bob-pw")
report("bob's STAT shows his empty Inbox, none of carol's mail", b.stat() == (0, 0), b.stat())
try:
    b.retr(1)
    report("bob cannot RETR 1", False, "RETR 1 answered +OK")
except poplib.error_proto as e:
    report("bob cannot RETR 1", str(e).startswith("b'-ERR"), e)
b.quit()
finish()
