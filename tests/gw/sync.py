"""sync.py -- what an IMAP session learns of changes made elsewhere: IDLE
woken by an RPC put and by mailrpc-deliver (within 1 s, the issue's
figure), by flag changes and expunges; CONDSTORE (MODSEQ, CHANGEDSINCE,
UNCHANGEDSINCE) and QRESYNC (VANISHED (EARLIER) after expunges made while
away); APPEND streamed past one call, and a client that vanishes mid
literal leaving no message and no space used.
Environment: GW_TLS_PORT, T, BIN, STORE."""
import json
import os
import re
import subprocess
import time

from gwtest import Imap, env_int, finish, literal, mailrpc, report

PORT = env_int("GW_TLS_PORT")
MSG = b"From: bob@example.org\r\nSubject: ping\r\n\r\nhello\r\n"


def ok(done):
    return done.split()[1:2] == [b"OK"]


def put(folder="Inbox", data=MSG):
    st, out = mailrpc("alice", "put", folder, stdin=data)
    assert st == 0, out
    return int(out)


def deliver(data=MSG):
    subprocess.run([os.environ["BIN"] + "/bin/mailrpc-deliver", "--store", os.environ["STORE"],
                    "-d", "alice", "-f", "bob@example.org"], input=data, check=True, timeout=60)


def used():
    st, out = mailrpc("alice", "--json", "quota")
    return json.loads(out)["used"], json.loads(out)["messages"]


def uploads_open():
    """Entries in the store's upload table (lmdb-utils' mdb_stat)."""
    out = subprocess.run(["mdb_stat", "-s", "upload", os.environ["STORE"]], capture_output=True,
                         check=True, timeout=30).stdout
    return int(re.search(rb"Entries: (\d+)", out).group(1))


def idle_line(s, seconds):
    """The next untagged line while idling, with the seconds it took."""
    s.c.sock.settimeout(seconds + 5)
    t = time.monotonic()
    ln = s.c.line()
    return ln, time.monotonic() - t


# ---- IDLE -------------------------------------------------------------------
a = Imap(PORT, "alice")
lines, done = a.cmd(b"SELECT INBOX")
a.c.send(b"i1 IDLE\r\n")
cont = a.c.line()
report("IDLE answers a continuation", cont.startswith(b"+ "), cont)
first = put()
ln, took = idle_line(a, 1)
report("IDLE: an RPC put shows as EXISTS within 1 s of its end (%.2f s)" % took,
       ln == b"* 1 EXISTS" and took < 1.0, ln)
ln, _ = idle_line(a, 1)
report("... then RECENT", ln == b"* 1 RECENT", ln)
deliver()
ln, took = idle_line(a, 1)
report("IDLE: mailrpc-deliver's delivery shows as EXISTS within 1 s of its end (%.2f s)" % took,
       ln == b"* 2 EXISTS" and took < 1.0, ln)
mailrpc("alice", "flag", str(first), "+flagged")
ln, took = idle_line(a, 1)
while ln.endswith(b"RECENT"):
    ln, took = idle_line(a, 1)
report("IDLE: a flag changed over RPC shows as FETCH FLAGS",
       ln.startswith(b"* 1 FETCH") and b"\\Flagged" in ln, ln)
mailrpc("alice", "rm", "--hard", str(first))
ln, took = idle_line(a, 1)
report("IDLE: an RPC delete shows as EXPUNGE", ln == b"* 1 EXPUNGE", ln)
a.c.send(b"DONE\r\n")
rest = a.c.until(b"i1 ")
report("DONE ends IDLE with OK", rest[-1].startswith(b"i1 OK"), rest)
lines, done = a.cmd(b"FETCH 1:* (UID)")
report("after IDLE the view is the store's", len(lines) == 1 and ok(done), lines)
a.c.send(b"i2 IDLE\r\n")
a.c.line()
a.c.send(b"NOOP\r\n")
rest = a.c.until(b"i2 ")
report("anything but DONE ends IDLE with BAD", rest[-1].startswith(b"i2 BAD"), rest)
lines, done = a.cmd(b"NOOP")
report("... and the session goes on", ok(done), done)

# ---- CONDSTORE ----------------------------------------------------------------
for _ in range(3):
    put()
lines, done = a.cmd(b"SELECT INBOX (CONDSTORE)")
hms = int(re.search(rb"HIGHESTMODSEQ (\d+)", b" ".join(lines)).group(1))
report("SELECT (CONDSTORE) gives HIGHESTMODSEQ", hms > 0, lines)
lines, done = a.cmd(b"FETCH 1:* (UID MODSEQ)")
modseqs = [int(x) for x in re.findall(rb"MODSEQ \((\d+)\)", b" ".join(lines))]
report("FETCH MODSEQ: every message, none above HIGHESTMODSEQ",
       len(modseqs) == 4 and max(modseqs) == hms, (lines, hms))
lines, done = a.cmd(b"UID FETCH 1:* (UID)")
uids = [int(x) for x in re.findall(rb"UID (\d+)", b" ".join(lines))]
mailrpc("alice", "flag", str(uids[2]), "+seen")
lines, done = a.cmd(b"FETCH 1:* (FLAGS) (CHANGEDSINCE %d)" % hms)
changed = [ln for ln in lines if b"FETCH" in ln and b"MODSEQ" in ln]
report("FETCH (CHANGEDSINCE) names only the message changed since",
       len(changed) == 1 and changed[0].startswith(b"* 3 FETCH") and b"\\Seen" in changed[0], lines)
new_ms = int(re.search(rb"MODSEQ \((\d+)\)", changed[0]).group(1))
report("its MODSEQ went up", new_ms > hms, (new_ms, hms))
lines, done = a.cmd(b"STORE 2:3 (UNCHANGEDSINCE %d) +FLAGS (\\Answered)" % hms)
report("STORE (UNCHANGEDSINCE) fails the changed message: OK [MODIFIED 3]",
       b"[MODIFIED 3]" in done, (lines, done))
st, out = mailrpc("alice", "--json", "ls", "Inbox")
flags = {x["id"]: x["flags"] for x in json.loads(out)}
report("... stores the other one and leaves the changed one alone",
       "answered" in flags[uids[1]] and "answered" not in flags[uids[2]], flags)
lines, done = a.cmd(b"SEARCH MODSEQ %d" % (new_ms + 1))
report("SEARCH MODSEQ", lines and lines[0].startswith(b"* SEARCH 2"), lines)
lines, done = a.cmd(b"STATUS Drafts (HIGHESTMODSEQ)")
report("STATUS HIGHESTMODSEQ", ok(done) and b"HIGHESTMODSEQ" in lines[0], lines)

# ---- QRESYNC ----------------------------------------------------------------
q = Imap(PORT, "alice")
lines, done = q.cmd(b"ENABLE QRESYNC")
report("ENABLE QRESYNC", b"* ENABLED QRESYNC" in lines and ok(done), lines)
lines, done = q.cmd(b"SELECT INBOX")
validity = int(re.search(rb"UIDVALIDITY (\d+)", b" ".join(lines)).group(1))
since = int(re.search(rb"HIGHESTMODSEQ (\d+)", b" ".join(lines)).group(1))
q.cmd(b"LOGOUT")
q.close()
# While away: two expunged over RPC, one flagged, one added.
mailrpc("alice", "rm", "--hard", str(uids[0]), str(uids[3]))
mailrpc("alice", "flag", str(uids[1]), "+flagged")
added = put()
q = Imap(PORT, "alice")
q.cmd(b"ENABLE QRESYNC")
lines, done = q.cmd(b"SELECT INBOX (QRESYNC (%d %d))" % (validity, since))
vanished = [ln for ln in lines if ln.startswith(b"* VANISHED (EARLIER)")]
report("SELECT (QRESYNC): VANISHED (EARLIER) names the two expunged UIDs",
       len(vanished) == 1 and set(re.findall(rb"\d+", vanished[0].split(b")")[1]))
       == {b"%d" % uids[0], b"%d" % uids[3]}, lines)
fetched = b" ".join(ln for ln in lines if b"FETCH" in ln)
report("... and FETCH FLAGS for the changed and the new one, with UID and MODSEQ",
       b"UID %d" % uids[1] in fetched and b"\\Flagged" in fetched and b"UID %d" % added in fetched
       and b"MODSEQ" in fetched, lines)
report("... and not for the unchanged one", b"UID %d " % uids[2] not in fetched + b" ", lines)
lines, done = q.cmd(b"SELECT INBOX (QRESYNC (%d %d))" % (validity + 1000, since))
report("a stale UIDVALIDITY gets no VANISHED", ok(done) and not any(b"VANISHED" in ln for ln in lines),
       lines)
lines, done = q.cmd(b"STORE 1 +FLAGS.SILENT (\\Deleted)")
lines, done = q.cmd(b"EXPUNGE")
report("with QRESYNC enabled EXPUNGE is told as VANISHED", lines == [b"* VANISHED %d" % uids[1]], lines)
lines, done = q.cmd(b"UID FETCH 1:* (FLAGS) (CHANGEDSINCE %d VANISHED)" % since)
report("UID FETCH (CHANGEDSINCE VANISHED) names every UID expunged since",
       any(ln.startswith(b"* VANISHED (EARLIER)") and b"%d" % uids[1] in ln for ln in lines), lines)
lines, done = a.cmd(b"NOOP")
report("the CONDSTORE session (no QRESYNC) is told EXPUNGE, not VANISHED",
       any(ln.endswith(b" EXPUNGE") for ln in lines) and not any(b"VANISHED" in ln for ln in lines), lines)

# ---- APPEND past one call, and a client gone mid-literal -----------------------
big = b"Subject: big\r\n\r\n" + (b"x" * 998 + b"\r\n") * 3000
lines, done = a.cmd(b"APPEND Drafts {%d+}\r\n%s" % (len(big), big))
report("APPEND of a 3 MB literal (streamed through uploads)", ok(done), done)
a.cmd(b"SELECT Drafts")
lines, done = a.cmd(b"FETCH 1 BODY.PEEK[]")
report("... reads back byte-exact", lines and literal(lines[0]) == big, len(lines))
before = used()
for size, sent in ((5000, 100), (len(big), 1 << 20)):
    c = Imap(PORT, "alice")
    c.c.send(b"x APPEND INBOX {%d+}\r\n" % size + big[:sent])
    time.sleep(0.3)
    c.close()
    time.sleep(0.5)
    report("a client gone after %d of %d literal bytes leaves no message and no space used" % (sent, size),
           used() == before, (used(), before))
    report("... and no upload open in the store", uploads_open() == 0, uploads_open())
a.close()
finish()
