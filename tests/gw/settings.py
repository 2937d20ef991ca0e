"""settings.py -- the gateway's mailbox settings: --max-message bounds
APPEND (a synchronizing literal above it refused unread, APPENDLIMIT
advertised) and --pop3-delete expunge deletes for good at QUIT.
Environment: IMAP_TLS_PORT, POP3_TLS_PORT, MAX_MESSAGE, T, BIN."""
import json
import poplib

from gwtest import Imap, env_int, finish, mailrpc, report, tls_context

MAX = env_int("MAX_MESSAGE")
a = Imap(env_int("IMAP_TLS_PORT"), "alice")
lines, done = a.cmd(b"CAPABILITY")
report("CAPABILITY says APPENDLIMIT=%d" % MAX, b" APPENDLIMIT=%d" % MAX in lines[0], lines)
a.c.send(b"b1 APPEND INBOX {%d}\r\n" % (MAX + 1))
r = a.c.line()
report("APPEND of a literal above --max-message: NO [TOOBIG] before a byte is sent",
       r.startswith(b"b1 NO [TOOBIG]"), r)
body = b"Subject: fits\r\n\r\n" + b"y" * (MAX - 17)
lines, done = a.cmd(b"APPEND INBOX {%d+}\r\n%s" % (len(body), body))
report("... the session goes on: one of exactly --max-message bytes is stored",
       done.split()[1] == b"OK", done)
a.close()


def ids(folder):
    return [x["id"] for x in json.loads(mailrpc("alice", "--json", "ls", folder)[1])]


inbox, trash = ids("Inbox"), ids("Deleted Items")
p = poplib.POP3_SSL("127.0.0.1", env_int("POP3_TLS_PORT"), context=tls_context(), timeout=30)
p.user("alice")
p.pass_("alice-pw")
uidl = p.uidl(1).split()
p.dele(1)
p.quit()
gone = int(uidl[2])
report("--pop3-delete expunge: DELE then QUIT removes the message from the Inbox",
       gone in inbox and ids("Inbox") == [i for i in inbox if i != gone], ids("Inbox"))
report("... for good: it is not in Deleted Items", ids("Deleted Items") == trash, ids("Deleted Items"))
finish()
