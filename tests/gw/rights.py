"""rights.py -- RFC 4314 rights over IMAP are the store's rights: a
stranger sees nothing of another mailbox (the same answers as for a
folder that does not exist), a delegate gets exactly what the ACL grants,
letter by letter, a folder without 'l' does not exist over IMAP either,
ACL changes made over IMAP are the RPC side's and the other way round, and
a right taken away stops an open session at its next command.
Environment: GW_TLS_PORT, T, BIN; alice owns Shared with one message."""
import re

from gwtest import Imap, env_int, finish, literal, mailrpc, report

PORT = env_int("GW_TLS_PORT")
R = "@MAILRPC.TEST"
SHARED = b'"Other Users/alice/Shared"'
MISSING = b'"Other Users/alice/Nothing"'


def status_of(done):
    return (done.split() + [b"", b""])[1]


def answer_text(done):
    """The tagged answer without its tag."""
    return done.split(b" ", 1)[1]


def grant(rights):
    st, out = mailrpc("alice", "acl", "Shared", "set", "bob" + R, rights)
    assert st == 0, out


alice = Imap(PORT, "alice")
bob = Imap(PORT, "bob")
carol = Imap(PORT, "carol")

# ---- a stranger: nothing, and no way to tell what exists ------------------
for who, s in (("carol (a stranger)", carol), ("bob (no rights yet)", bob)):
    lines, done = s.cmd(b'LIST "" "Other Users/*"')
    report("%s: LIST Other Users/* shows nothing" % who, lines == [] and status_of(done) == b"OK", lines)
    lines, done = s.cmd(b'LIST "" "*"')
    report("%s: LIST * shows no folder of alice" % who, not any(b"alice" in ln for ln in lines), lines)
    for cmd in (b"SELECT %s", b"EXAMINE %s", b"STATUS %s (MESSAGES)", b"GETACL %s", b"MYRIGHTS %s",
                b"DELETE %s", b"APPEND %s {3+}\r\nx\r\n", b"RENAME %s Mine"):
        _, real = s.cmd(cmd % SHARED)
        _, none = s.cmd(cmd % MISSING)
        name = cmd.split()[0].decode()
        report("%s: %s of alice's Shared is NO" % (who, name), status_of(real) == b"NO", real)
        report("%s: %s answers as for a folder that does not exist" % (who, name),
               answer_text(real) == answer_text(none), (real, none))
    for cmd in (b'SELECT "Other Users/alice/INBOX"', b'SELECT "Other Users/alice"'):
        _, done = s.cmd(cmd)
        report("%s: %s is NO" % (who, cmd.decode()), status_of(done) == b"NO", done)

# ---- right by right for bob -----------------------------------------------
grant("r")
lines, done = bob.cmd(b'LIST "" "Other Users/*"')
report("r without l: LIST does not show the folder", lines == [], lines)
_, done = bob.cmd(b"SELECT " + SHARED)
_, none = bob.cmd(b"SELECT " + MISSING)
report("r without l: SELECT answers as for no folder", answer_text(done) == answer_text(none), done)

grant("l")
lines, done = bob.cmd(b'LIST "" "Other Users/*"')
report("l: LIST shows Other Users/alice/Shared", any(ln.endswith(SHARED) for ln in lines), lines)
lines, done = bob.cmd(b"MYRIGHTS " + SHARED)
report("l: MYRIGHTS is l", lines == [b"* MYRIGHTS %s l" % SHARED], lines)
_, done = bob.cmd(b"SELECT " + SHARED)
report("l: SELECT without r is NO", status_of(done) == b"NO", done)
_, done = bob.cmd(b"GETACL " + SHARED)
report("l: GETACL without a is NO", status_of(done) == b"NO", done)

grant("lr")
lines, done = bob.cmd(b"SELECT " + SHARED)
report("lr: SELECT opens it read-only", b"[READ-ONLY]" in done and b"* 1 EXISTS" in lines, (lines, done))
lines, done = bob.cmd(b"FETCH 1 BODY[]")
report("lr: FETCH BODY[] reads the message", status_of(done) == b"OK" and b"Subject: shared" in literal(lines[0]),
       lines)
_, done = bob.cmd(b"STORE 1 +FLAGS (\\Seen)")
report("lr: STORE \\Seen is NO", status_of(done) == b"NO", done)
st, out = mailrpc("alice", "--json", "ls", "Shared")
report("lr: FETCH BODY[] in a read-only folder set no \\Seen in the store", b'"flags":[]' in out, out)
_, done = bob.cmd(b"APPEND %s {3+}\r\nx\r\n" % SHARED)
report("lr: APPEND without i is NO", status_of(done) == b"NO", done)
_, done = bob.cmd(b"CREATE \"Other Users/alice/Shared/Sub\"")
report("lr: CREATE a subfolder without k is NO", status_of(done) == b"NO", done)

grant("lrs")
bob.cmd(b"SELECT " + SHARED)
_, done = bob.cmd(b"STORE 1 +FLAGS (\\Seen)")
report("lrs: STORE \\Seen is OK", status_of(done) == b"OK", done)
_, done = bob.cmd(b"STORE 1 +FLAGS (\\Flagged)")
report("lrs: STORE \\Flagged without w is NO", status_of(done) == b"NO", done)
_, done = bob.cmd(b"STORE 1 +FLAGS (\\Deleted)")
report("lrs: STORE \\Deleted without t is NO", status_of(done) == b"NO", done)

grant("lrw")
bob.cmd(b"SELECT " + SHARED)
_, done = bob.cmd(b"STORE 1 +FLAGS (\\Flagged)")
report("lrw: STORE \\Flagged is OK", status_of(done) == b"OK", done)
_, done = bob.cmd(b"STORE 1 -FLAGS (\\Seen)")
report("lrw: STORE -\\Seen without s is NO", status_of(done) == b"NO", done)

grant("lri")
note = b"Subject: from bob\r\n\r\nhi!\r\n"
_, done = bob.cmd(b"APPEND %s {%d+}\r\n%s" % (SHARED, len(note), note))
report("lri: APPEND is OK", status_of(done) == b"OK", done)
st, out = mailrpc("alice", "--json", "ls", "Shared")
report("lri: alice sees bob's APPEND over RPC", b"from bob" in out, out)

grant("lrt")
lines, done = bob.cmd(b"SELECT " + SHARED)
report("lrt: SELECT is read-write", b"[READ-WRITE]" in done, done)
_, done = bob.cmd(b"STORE 2 +FLAGS (\\Deleted)")
report("lrt: STORE \\Deleted is OK", status_of(done) == b"OK", done)
_, done = bob.cmd(b"EXPUNGE")
report("lrt: EXPUNGE without e is NO", status_of(done) == b"NO", done)
st, out = mailrpc("alice", "--json", "ls", "Shared")
report("lrt: both messages are still there", out.count(b'"id"') == 2, out)

grant("lrte")
bob.cmd(b"SELECT " + SHARED)
lines, done = bob.cmd(b"EXPUNGE")
report("lrte: EXPUNGE removes the \\Deleted message", lines == [b"* 2 EXPUNGE"], (lines, done))
# r taken away while Shared is selected (l kept): nothing more is read,
# and no answer is cut off mid-literal.
grant("l")
for what in (b"BODY[]", b"BODY.PEEK[HEADER]", b"ENVELOPE"):
    lines, done = bob.cmd(b"FETCH 1 " + what)
    report("l left, r taken away: an open session's FETCH %s is NO and reads nothing" % what.decode(),
           status_of(done) == b"NO" and not any(b"shared" in ln for ln in lines), (lines, done))
lines, done = bob.cmd(b"NOOP")
report("... and the session goes on", status_of(done) == b"OK", done)
bob.cmd(b"CLOSE")

# ---- ACLs over IMAP and over RPC are one thing -------------------------------
_, done = alice.cmd(b"SETACL Shared carol%s lr" % R.encode())
report("SETACL over IMAP", status_of(done) == b"OK", done)
st, out = mailrpc("alice", "acl", "Shared")
report("the RPC side lists carol's lr", re.search(rb"carol@MAILRPC.TEST\s+lr\b", out), out)
lines, done = alice.cmd(b"GETACL Shared")
report("GETACL lists both delegates",
       lines and b"bob@MAILRPC.TEST l " in lines[0] and b"carol@MAILRPC.TEST lr" in lines[0], lines)
lines, done = alice.cmd(b"LISTRIGHTS Shared bob%s" % R.encode())
report("LISTRIGHTS answers", status_of(done) == b"OK" and lines and lines[0].startswith(b"* LISTRIGHTS"),
       (lines, done))
lines, done = carol.cmd(b'LIST "" "Other Users/*"')
report("carol now sees Shared", any(ln.endswith(SHARED) for ln in lines), lines)
lines, done = carol.cmd(b"SETACL " + SHARED + b" carol" + R.encode() + b" lrswipkxtea")
report("carol cannot give herself rights (no a)", status_of(done) == b"NO", done)
_, done = alice.cmd(b"SETACL Shared carol%s lr@" % R.encode())
report("SETACL with a letter that is no right is BAD/NO", status_of(done) in (b"BAD", b"NO"), done)

# A right taken away stops an open session at its next command.
lines, done = carol.cmd(b"EXAMINE " + SHARED)
report("carol EXAMINEs Shared", status_of(done) == b"OK", done)
_, done = alice.cmd(b"DELETEACL Shared carol" + R.encode())
report("DELETEACL over IMAP", status_of(done) == b"OK", done)
lines, done = carol.cmd(b"FETCH 1 BODY[]")
report("after DELETEACL carol's open session reads nothing more",
       status_of(done) == b"NO" and not any(b"Subject" in ln for ln in lines), (lines, done))
bye = carol.c.line()
report("... is told the folder is gone (NO [NONEXISTENT], then BYE), as for a deleted folder",
       b"[NONEXISTENT]" in done and bye.startswith(b"* BYE") and carol.c.closed_within(5), (done, bye))
carol.close()
carol = Imap(PORT, "carol")
lines, done = carol.cmd(b'LIST "" "Other Users/*"')
report("... and no longer lists it", lines == [] and status_of(done) == b"OK", (lines, done))
# ---- public folders ---------------------------------------------------------
NEWS = b'"Public Folders/News"'
lines, done = bob.cmd(b"NAMESPACE")
report("NAMESPACE: personal, other users, public folders",
       lines == [b'* NAMESPACE (("" "/")) (("Other Users/" "/")) (("Public Folders/" "/"))'], lines)
lines, done = bob.cmd(b'LIST "" "Public Folders/*"')
report("public: before a grant bob lists no public folder", lines == [], lines)
_, real = bob.cmd(b"SELECT " + NEWS)
_, none = bob.cmd(b'SELECT "Public Folders/Nothing"')
report("public: before a grant SELECT answers as for no folder",
       status_of(real) == b"NO" and answer_text(real) == answer_text(none), (real, none))
_, done = bob.cmd(b'CREATE "Public Folders/Mine"')
report("public: a user cannot make a top-level public folder", status_of(done) == b"NO", done)
st, out = mailrpc("padmin", "-m", "public", "acl", "News", "set", "anyone", "lri")
lines, done = bob.cmd(b'LIST "" "Public Folders/*"')
report("public: after 'anyone lri' bob lists News", any(ln.endswith(NEWS) for ln in lines), lines)
post = b"Subject: news\r\n\r\nfor everyone\r\n"
_, done = bob.cmd(b"APPEND %s {%d+}\r\n%s" % (NEWS, len(post), post))
report("public: bob posts to News with APPEND", status_of(done) == b"OK", done)
lines, done = carol.cmd(b"EXAMINE " + NEWS)
lines, done = carol.cmd(b"FETCH 1 BODY.PEEK[]")
report("public: carol reads bob's post", lines and literal(lines[0]) == post, lines)
lines, done = carol.cmd(b"STORE 1 +FLAGS (\\Deleted)")
report("public: carol cannot mark it \\Deleted (no t)", status_of(done) == b"NO", done)
for s in (alice, bob, carol):
    s.close()
finish()
