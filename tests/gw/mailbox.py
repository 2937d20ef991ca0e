"""mailbox.py -- every IMAP mailbox command through imaplib and raw lines
over implicit TLS, against the real gateway and mailrpcd on one store:
byte-exact APPEND/FETCH of tests/corpus, SELECT/EXAMINE, FETCH items,
STORE, COPY/MOVE with COPYUID, EXPUNGE and UID EXPUNGE, SEARCH, the UID
forms, folder commands, and what the RPC side and IMAP see of each other.
Environment: GW_TLS_PORT, T (tickets $T/cc.USER), BIN."""
import json
import re
import sys

from gwtest import Imap, corpus, env_int, finish, imap_login, literal, mailrpc, report

PORT = env_int("GW_TLS_PORT")


def ok(done):
    return done.split()[1:2] == [b"OK"]


def untagged(lines, word):
    return [ln for ln in lines if ln.split()[:3][-1:] == [word] or ln.split()[1:2] == [word]]


def rpc_ls(user, folder, *extra):
    st, out = mailrpc(user, "--json", *extra, "ls", folder)
    return json.loads(out) if st == 0 else None


def rpc_folders(user):
    st, out = mailrpc(user, "--json", "folders")
    return {f["path"]: f for f in json.loads(out)} if st == 0 else {}


def fetch_uids(lines):
    return [int(re.search(rb"UID (\d+)", ln).group(1)) for ln in lines if b" FETCH (" in ln]


# ---- APPEND then FETCH BODY[]: byte-exact, every corpus message ----------
# imaplib's append() rewrites line endings, so APPEND goes raw: a
# synchronizing literal for odd ones, LITERAL+ for even ones.
r = Imap(PORT, "alice")
lines, done = r.cmd(b"CREATE Corpus")
report("CREATE Corpus", ok(done), done)
messages = list(corpus())
uids = []
for i, (name, data) in enumerate(messages):
    r.n += 1
    tag = b"a%d" % r.n
    if i % 2:
        r.c.send(tag + b" APPEND Corpus (\\Seen) {%d+}\r\n" % len(data) + data + b"\r\n")
    else:
        r.c.send(tag + b" APPEND Corpus {%d}\r\n" % len(data))
        cont = r.c.line()
        report("APPEND %s: a synchronizing literal gets '+'" % name, cont.startswith(b"+"), cont)
        r.c.send(data + b"\r\n")
    done = r.c.until(tag + b" ")[-1]
    got = re.search(rb"APPENDUID (\d+) (\d+)", done)
    uids.append(int(got.group(2)) if got else None)
    report("APPEND %s: OK with APPENDUID" % name, ok(done) and got, done)
r.close()
m = imap_login(PORT, "alice")
typ, data = m.select("Corpus")
report("SELECT Corpus: EXISTS is the number appended",
       typ == "OK" and int(data[0]) == len(messages), data)
for i, (name, want) in enumerate(messages, 1):
    typ, data = m.fetch(str(i), "(UID RFC822.SIZE BODY.PEEK[])")
    head, body = data[0]
    report("FETCH BODY[] of %s is byte-exact" % name, typ == "OK" and body == want,
           "%d bytes vs %d" % (len(body), len(want)))
    size = int(re.search(rb"RFC822.SIZE (\d+)", head).group(1))
    report("RFC822.SIZE of %s is its length" % name, size == len(want), size)
    uid = int(re.search(rb"UID (\d+)", head).group(1))
    report("the UID of %s is the APPENDUID" % name, uid == uids[i - 1], (uid, uids[i - 1]))
    st, out = mailrpc("alice", "cat", str(uid))
    report("an IMAP APPEND of %s reads byte-exact over RPC (mailrpc cat UID)" % name,
           st == 0 and out == want, st)
typ, data = m.search(None, "SEEN")
report("APPEND (\\Seen) kept the flag", data[0].split() == [b"%d" % i for i in range(2, len(messages) + 1, 2)],
       data)

# UIDVALIDITY is the folder's id and survives a rename.
typ, data = m.response("UIDVALIDITY")
validity = data[0]
m.close()
typ, _ = m.rename("Corpus", "Corpus2")
report("RENAME Corpus Corpus2", typ == "OK", typ)
typ, data = m.select("Corpus2", readonly=True)
report("EXAMINE after RENAME: the same UIDVALIDITY", m.response("UIDVALIDITY")[1][0] == validity,
       (m.response("UIDVALIDITY"), validity))
typ, data = m.status("Corpus2", "(MESSAGES UIDVALIDITY UIDNEXT UNSEEN)")
report("STATUS: MESSAGES and UIDVALIDITY", typ == "OK" and
       b"MESSAGES %d" % len(messages) in data[0] and b"UIDVALIDITY " + validity in data[0], data)
# Sections of the multipart corpus message, cut from the stored bytes.
mp = [i for i, (name, _) in enumerate(messages, 1) if name == "05-multipart-binary.eml"][0]
whole = messages[mp - 1][1]
typ, data = m.fetch(str(mp), "(BODY BODY.PEEK[1.MIME] BODY.PEEK[2] BODY.PEEK[HEADER.FIELDS.NOT (SUBJECT)])")
head = data[0][0] if isinstance(data[0], tuple) else data[0]
report("FETCH BODY (non-extensible structure) is multipart/mixed",
       b'BODY ((' in head and b'"mixed"' in head, head[:200])
mime1 = [d[1] for d in data if isinstance(d, tuple) and b"BODY[1.MIME]" in d[0]]
report("FETCH BODY[1.MIME] is the first part's header, as stored",
       mime1 and mime1[0].startswith(b"Content-Type: text/plain") and mime1[0] in whole, mime1)
part2 = [d[1] for d in data if isinstance(d, tuple) and b"BODY[2]" in d[0]]
report("FETCH BODY[2] is the binary part's encoded body, as stored",
       part2 and len(part2[0]) > 1000 and part2[0] in whole, [len(x) for x in part2])
notsub = [d[1] for d in data if isinstance(d, tuple) and b"HEADER.FIELDS.NOT" in d[0]]
report("FETCH HEADER.FIELDS.NOT (SUBJECT) leaves out only the subject",
       notsub and b"Subject:" not in notsub[0] and b"Content-Type: multipart/mixed" in notsub[0], notsub)
typ, data = m.store("1", "+FLAGS", "(\\Seen)")
report("STORE in an EXAMINEd folder is refused", typ == "NO", (typ, data))
m.logout()

# Every FETCH item and SEARCH key alone, each in a fresh session, over
# every corpus message: each answers OK (nothing a client asks may end
# its connection process).
ITEMS = (b"FLAGS", b"INTERNALDATE", b"RFC822.SIZE", b"ENVELOPE", b"BODY", b"BODYSTRUCTURE", b"UID",
         b"MODSEQ", b"RFC822", b"RFC822.HEADER", b"RFC822.TEXT", b"FAST", b"ALL", b"FULL",
         b"BODY.PEEK[HEADER]", b"BODY.PEEK[TEXT]", b"BODY.PEEK[1]", b"BODY.PEEK[1.MIME]",
         b"BODY.PEEK[2.1]", b"BODY.PEEK[1.HEADER]", b"BODY.PEEK[HEADER.FIELDS (FROM TO)]",
         b"BODY.PEEK[HEADER.FIELDS.NOT (FROM)]", b"BODY.PEEK[]<5.10>", b"BODY.PEEK[TEXT]<0.1>",
         b"BODY.PEEK[3]", b"BODY.PEEK[1.2.3.4]")
KEYS = (b"ALL", b"ANSWERED", b"DELETED", b"DRAFT", b"FLAGGED", b"SEEN", b"NEW", b"OLD", b"RECENT",
        b"UNSEEN", b"FROM alice", b"TO bob", b"CC x", b"BCC x",
        b"CHARSET UTF-8 SUBJECT {5+}\r\ncaf\xc3\xa9", b"BODY noon",
        b"TEXT lunch", b"BEFORE 1-Jan-2030", b"ON 2-Nov-2026", b"SINCE 1-Jan-1970",
        b"SENTBEFORE 1-Jan-2030", b"SENTON 2-Nov-2026", b"SENTSINCE 1-Jan-1970",
        b"HEADER Content-Type multipart", b"LARGER 1000", b"SMALLER 1000", b"KEYWORD $x",
        b"UNKEYWORD $x", b"UID 1:*", b"MODSEQ 1", b"NOT SEEN", b"OR SEEN FLAGGED", b"1:3",
        b"CHARSET UTF-8 SUBJECT x", b"(FROM a TO b)")
for item in ITEMS:
    e = Imap(PORT, "alice")
    e.cmd(b"EXAMINE Corpus2")
    elines, edone = e.cmd(b"FETCH 1:* " + item)
    report("FETCH 1:* %s alone over the corpus: OK" % item.decode(), ok(edone), (elines[-1:], edone))
    e.close()
for key in KEYS:
    e = Imap(PORT, "alice")
    e.cmd(b"EXAMINE Corpus2")
    elines, edone = e.cmd(b"SEARCH " + key)
    report("SEARCH %s alone over the corpus: OK" % key.decode("latin-1"), ok(edone), (elines, edone))
    e.close()

# ---- a session on the RPC side and IMAP side at once ---------------------
a = Imap(PORT, "alice")
lines, done = a.cmd(b"SELECT INBOX")
report("SELECT INBOX (raw)", ok(done) and b"* 0 EXISTS" in lines, (lines, done))
msg = dict(messages)["01-plain-lf.eml"]
st, out = mailrpc("alice", "put", "Inbox", stdin=msg)
rpc_id = int(out)
lines, done = a.cmd(b"NOOP")
report("an RPC put shows at the next NOOP as EXISTS", b"* 1 EXISTS" in lines, lines)
lines, done = a.cmd(b"FETCH 1 (UID FLAGS BODY.PEEK[])")
report("its UID is the RPC message id", fetch_uids(lines) == [rpc_id], lines)
report("and BODY[] is byte-exact", literal(lines[0]) == msg, lines[0][:200])
report("BODY.PEEK does not set \\Seen", b"\\Seen" not in lines[0].split(b"BODY")[0], lines[0][:80])
lines, done = a.cmd(b"FETCH 1 (ENVELOPE BODYSTRUCTURE INTERNALDATE BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
report("FETCH ENVELOPE names the subject and sender",
       b'"Lunch?" (("Alice Example" NIL "alice" "example.org"))' in lines[0], lines)
report("FETCH BODYSTRUCTURE is text/plain", b'BODYSTRUCTURE ("text" "plain"' in lines[0], lines)
report("FETCH HEADER.FIELDS (SUBJECT)", b"Subject: Lunch?" in lines[0], lines)
# ENVELOPE alone (the header read, no MIME parse) in a fresh session.
e = Imap(PORT, "alice")
e.cmd(b"EXAMINE INBOX")
elines, edone = e.cmd(b"FETCH 1 ENVELOPE")
report("FETCH ENVELOPE alone, first thing in a session",
       ok(edone) and b'"Lunch?" (("Alice Example" NIL "alice" "example.org"))' in elines[0], (elines, edone))
e.close()
for query in (b"SUBJECT lunch", b"SENTBEFORE 1-Jan-2030", b"HEADER Message-ID lunch-1"):
    e = Imap(PORT, "alice")
    e.cmd(b"EXAMINE INBOX")
    elines, edone = e.cmd(b"SEARCH " + query)
    report("SEARCH %s first thing in a session" % query.decode(),
           ok(edone) and elines == [b"* SEARCH 1"], (elines, edone))
    e.close()
lines, done = a.cmd(b"FETCH 1 BODY[TEXT]<0.5>")
report("FETCH BODY[TEXT]<0.5> is the first five bytes of the body",
       b"BODY[TEXT]<0> {5}" in lines[0] and literal(lines[0]) == b"Shall", lines)
lines, done = a.cmd(b"FETCH 1 FLAGS")
report("FETCH BODY[TEXT] (not PEEK) set \\Seen", b"\\Seen" in lines[0], lines)
got = rpc_ls("alice", "Inbox")
report("the RPC side sees \\Seen set over IMAP", got and got[0]["flags"] == ["seen"], got)

lines, done = a.cmd(b"STORE 1 +FLAGS (\\Flagged)")
report("STORE +FLAGS answers the new flags", ok(done) and b"\\Flagged" in lines[0], lines)
got = rpc_ls("alice", "Inbox")
report("the RPC side sees \\Flagged", got and "flagged" in got[0]["flags"], got)
lines, done = a.cmd(b"STORE 1 -FLAGS.SILENT (\\Seen)")
report("STORE -FLAGS.SILENT answers no FETCH", ok(done) and not lines, lines)
mailrpc("alice", "flag", str(rpc_id), "+answered")
lines, done = a.cmd(b"NOOP")
report("an RPC flag change shows as an untagged FETCH FLAGS",
       any(b"FETCH" in ln and b"\\Answered" in ln for ln in lines), lines)
lines, done = a.cmd(b"STORE 1 FLAGS (\\Draft $Custom)")
# Not in PERMANENTFLAGS: RFC 3501 lets the server ignore it; it must not
# claim to have kept it.
report("a keyword the store cannot keep is not claimed kept",
       ok(done) and b"$Custom" not in b" ".join(lines), (lines, done))
lines, done = a.cmd(b"STORE 1 FLAGS (\\Draft)")
report("STORE FLAGS replaces the flags (\\Recent is the session's)",
       ok(done) and re.search(rb"FLAGS \(\\Draft( \\Recent)?\)", lines[0]), lines)

# APPEND from IMAP shows at once to the RPC side.
note = b"Subject: from imap\r\n\r\nappended here\r\n"
lines, done = a.cmd(b"APPEND INBOX (\\Flagged) {%d+}\r\n%s" % (len(note), note))
new_uid = int(re.search(rb"APPENDUID \d+ (\d+)", done).group(1))
got = rpc_ls("alice", "Inbox")
report("an IMAP APPEND is at once in the RPC listing with its flag",
       got and any(x["id"] == new_uid and x["subject"] == "from imap" and "flagged" in x["flags"]
                   for x in got), got)
report("the selected session was told of its own APPEND", b"* 2 EXISTS" in lines, lines)

# SEARCH and UID SEARCH.
lines, done = a.cmd(b"SEARCH SUBJECT lunch")
report("SEARCH SUBJECT", lines == [b"* SEARCH 1"], lines)
lines, done = a.cmd(b"SEARCH FLAGGED")
report("SEARCH FLAGGED", lines == [b"* SEARCH 2"], lines)
lines, done = a.cmd(b"UID SEARCH ALL")
report("UID SEARCH ALL gives the UIDs", lines == [b"* SEARCH %d %d" % (rpc_id, new_uid)], lines)
lines, done = a.cmd(b"SEARCH NOT DRAFT BODY appended")
report("SEARCH NOT DRAFT BODY", lines == [b"* SEARCH 2"], lines)
lines, done = a.cmd(b"SEARCH OR FROM alice LARGER 100000")
report("SEARCH OR FROM LARGER", lines == [b"* SEARCH 1"], lines)
lines, done = a.cmd(b"SEARCH UID %d" % new_uid)
report("SEARCH UID", lines == [b"* SEARCH 2"], lines)

# UID FETCH / UID STORE.
lines, done = a.cmd(b"UID FETCH %d:* (FLAGS)" % new_uid)
report("UID FETCH N:* names the message and its UID", fetch_uids(lines) == [new_uid], lines)
lines, done = a.cmd(b"UID FETCH 999999 (FLAGS)")
report("UID FETCH of no such UID is OK and empty", ok(done) and not lines, (lines, done))
lines, done = a.cmd(b"UID STORE %d +FLAGS (\\Seen)" % new_uid)
report("UID STORE answers FETCH with UID", fetch_uids(lines) == [new_uid] and b"\\Seen" in lines[0], lines)

# COPY / UID COPY / MOVE with COPYUID; both sides see the result.
a.cmd(b"CREATE Archive")
lines, done = a.cmd(b"COPY 1 Archive")
cu = re.search(rb"COPYUID (\d+) (\d+) (\d+)", done)
report("COPY answers COPYUID with the source UID", cu and int(cu.group(2)) == rpc_id, done)
arch = rpc_ls("alice", "Archive")
report("the copy is in Archive over RPC, with the copied flags",
       arch and [x["id"] for x in arch] == [int(cu.group(3))] and "flagged" not in arch[0]["flags"], arch)
lines, done = a.cmd(b"UID MOVE %d Archive" % new_uid)
mv = re.search(rb"COPYUID (\d+) (\d+) (\d+)", b" ".join(lines + [done]))
report("UID MOVE answers COPYUID and EXPUNGE of the message",
       mv and int(mv.group(2)) == new_uid and b"* 2 EXPUNGE" in lines, (lines, done))
report("the moved message is gone from Inbox and in Archive over RPC",
       [x["id"] for x in rpc_ls("alice", "Inbox")] == [rpc_id]
       and len(rpc_ls("alice", "Archive")) == 2, rpc_folders("alice"))
lines, done = a.cmd(b"COPY 5 Archive")
report("COPY of a message number that does not exist is BAD/NO",
       done.split()[1] in (b"BAD", b"NO"), done)
lines, done = a.cmd(b"COPY 1 Nowhere")
report("COPY to a folder that does not exist: NO [TRYCREATE]", b"NO [TRYCREATE]" in done, done)

# EXPUNGE and UID EXPUNGE; RPC deletes show as EXPUNGE.
lines, done = a.cmd(b"SELECT Archive")
report("SELECT Archive: 2 EXISTS", b"* 2 EXISTS" in lines, lines)
lines, done = a.cmd(b"STORE 1:2 +FLAGS.SILENT (\\Deleted)")
lines, done = a.cmd(b"UID FETCH 1:* (UID)")
arch_uids = fetch_uids(lines)
lines, done = a.cmd(b"UID EXPUNGE %d" % arch_uids[1])
report("UID EXPUNGE removes only the UID named", lines == [b"* 2 EXPUNGE"] and ok(done), lines)
report("the RPC side no longer has it",
       [x["id"] for x in rpc_ls("alice", "Archive")] == arch_uids[:1], rpc_ls("alice", "Archive"))
lines, done = a.cmd(b"EXPUNGE")
report("EXPUNGE removes the other \\Deleted message", lines == [b"* 1 EXPUNGE"], lines)
report("Archive is empty over RPC", rpc_ls("alice", "Archive") == [], rpc_ls("alice", "Archive"))
for _ in range(3):
    mailrpc("alice", "put", "Archive", stdin=msg)
lines, done = a.cmd(b"NOOP")
report("three RPC puts show as 3 EXISTS", b"* 3 EXISTS" in lines, lines)
lines, done = a.cmd(b"UID FETCH 1:* (UID)")
three = fetch_uids(lines)
report("... and UID FETCH 1:* names the three", len(three) == 3, lines)
mailrpc("alice", "rm", "--hard", str(three[1]))
lines, done = a.cmd(b"FETCH 1:* (UID)")
report("RFC 3501: no EXPUNGE during FETCH; the deleted message is left out",
       not any(b"EXPUNGE" in ln for ln in lines) and fetch_uids(lines) == [three[0], three[2]], lines)
lines, done = a.cmd(b"NOOP")
report("an RPC delete shows at NOOP as EXPUNGE of its sequence number", lines == [b"* 2 EXPUNGE"], lines)
lines, done = a.cmd(b"FETCH 1:* (UID)")
report("... and the numbers close up", fetch_uids(lines) == [three[0], three[2]] and len(lines) == 2,
       lines)
lines, done = a.cmd(b"STORE 1 +FLAGS (\\Deleted)")
lines, done = a.cmd(b"CLOSE")
report("CLOSE expunges \\Deleted silently", ok(done) and not any(b"EXPUNGE" in ln for ln in lines),
       lines)
report("... and the message is gone over RPC",
       [x["id"] for x in rpc_ls("alice", "Archive")] == [three[2]], rpc_ls("alice", "Archive"))
lines, done = a.cmd(b"FETCH 1 FLAGS")
report("FETCH after CLOSE is BAD (no folder selected)", done.split()[1] == b"BAD", done)

# ---- folder commands ------------------------------------------------------
lines, done = a.cmd(b"CREATE Work/Projects")
report("CREATE Work/Projects", ok(done), done)
lines, done = a.cmd(b'LIST "" "Work*"')
report("LIST Work* shows both levels",
       any(ln.endswith(b" Work") for ln in lines) and any(ln.endswith(b" Work/Projects") for ln in lines),
       lines)
lines, done = a.cmd(b'LIST "" "Work/%"')
report("LIST Work/% shows the child", len(lines) == 1 and b"Work/Projects" in lines[0], lines)
report("the RPC side has Work/Projects", "Work/Projects" in rpc_folders("alice"), rpc_folders("alice"))
lines, done = a.cmd(b'CREATE "K&AOQ-se"')
report("CREATE of a modified UTF-7 name", ok(done), done)
report("it is K\u00e4se on the RPC side", "K\u00e4se" in rpc_folders("alice"), rpc_folders("alice"))
mailrpc("alice", "mkfolder", "Caf\u00e9")
lines, done = a.cmd(b'LIST "" "Caf*"')
report("an RPC folder Caf\u00e9 lists as modified UTF-7", lines and lines[0].endswith(b"Caf&AOk-"), lines)
lines, done = a.cmd(b"RENAME Work/Projects Work/Done")
report("RENAME", ok(done) and "Work/Done" in rpc_folders("alice"), done)
lines, done = a.cmd(b"DELETE Work/Done")
report("DELETE", ok(done) and "Work/Done" not in rpc_folders("alice"), done)
lines, done = a.cmd(b"DELETE INBOX")
report("DELETE INBOX is refused", done.split()[1] == b"NO", done)
lines, done = a.cmd(b"SUBSCRIBE Work")
report("SUBSCRIBE of a folder one can see", ok(done), done)
lines, done = a.cmd(b'LSUB "" Work')
report("LSUB shows it", len(lines) == 1 and lines[0].endswith(b" Work"), lines)
lines, done = a.cmd(b"UNSUBSCRIBE Work")
report("UNSUBSCRIBE answers honestly (subscriptions are derived)",
       done.split()[1] in (b"OK", b"NO"), done)
lines, done = a.cmd(b'LIST "" "Sent*"')
report("SPECIAL-USE: Sent Items is \\Sent", lines and b"\\Sent" in lines[0], lines)
lines, done = a.cmd(b"STATUS INBOX (MESSAGES UNSEEN)")
report("STATUS INBOX", lines == [b"* STATUS INBOX (MESSAGES 1 UNSEEN 1)"], lines)
lines, done = a.cmd(b"GETQUOTAROOT INBOX")
report("GETQUOTAROOT answers QUOTAROOT and QUOTA",
       ok(done) and any(ln.startswith(b"* QUOTAROOT INBOX") for ln in lines)
       and any(ln.startswith(b"* QUOTA ") for ln in lines), lines)
lines, done = a.cmd(b"MYRIGHTS INBOX")
report("MYRIGHTS INBOX: the owner holds every right",
       lines and set(lines[0].split()[-1].decode()) >= set("lrswipkxtea"), lines)

lines, done = a.cmd(b"GETQUOTA \"\"")
report("GETQUOTA of the root GETQUOTAROOT named", ok(done) and lines and lines[0].startswith(b"* QUOTA "),
       (lines, done))
lines, done = a.cmd(b'ID ("name" "test")')
report("ID answers the server's name", ok(done) and lines and lines[0].startswith(b'* ID ("name" "mailrpc"'),
       lines)
lines, done = a.cmd(b"SELECT INBOX")
lines, done = a.cmd(b"CHECK")
report("CHECK", ok(done), done)
lines, done = a.cmd(b"STORE 1 +FLAGS (\\Deleted)")
lines, done = a.cmd(b"UNSELECT")
report("UNSELECT", ok(done), done)
report("UNSELECT expunged nothing", len(rpc_ls("alice", "Inbox")) == 1, rpc_ls("alice", "Inbox"))
lines, done = a.cmd(b"EXAMINE INBOX")
report("EXAMINE (raw): READ-ONLY", b"[READ-ONLY]" in done, done)
lines, done = a.cmd(b"EXPUNGE")
report("EXPUNGE in an EXAMINEd folder is NO", done.split()[1] == b"NO", done)
lines, done = a.cmd(b"CLOSE")
report("CLOSE of an EXAMINEd folder expunges nothing", len(rpc_ls("alice", "Inbox")) == 1,
       rpc_ls("alice", "Inbox"))

# ---- bad input: BAD or NO, and the session goes on --------------------------
for bad in (b"FETCH", b"SELECT", b"FETCH x FLAGS", b"UID FETCH 1 (FLAGS", b"STORE 1 +FLAGS (\\Bogus)",
            b"SEARCH BEFORE notadate", b"APPEND INBOX {abc}", b"CREATE \"\"", b"LIST",
            b"UID XYZZY 1", b"COPY 1:* INBOX"):
    lines, done = a.cmd(bad)
    report("bad input %r: BAD or NO" % bad.decode(), done.split()[1] in (b"BAD", b"NO"), done)
# Hostile arguments in the selected state: any answer but a crash.
a.cmd(b"SELECT INBOX")
for bad in (b"FETCH *:1 FLAGS", b"FETCH 4294967296 FLAGS", b"UID FETCH 0:18446744073709551616 FLAGS",
            b"FETCH 1,1,1,1:*,* (FLAGS FLAGS UID)", b"FETCH 1 BODY[1.2.3.4.5.6.7.8.9.10.11.12]",
            b"FETCH 1 BODY[HEADER.FIELDS ()]", b"FETCH 1 BODY[]<4294967295.4294967295>",
            b"FETCH 1 (" + b"(" * 200 + b")" * 200, b"SEARCH " + b"NOT " * 500 + b"ALL",
            b"SEARCH " + b"OR ALL " * 300 + b"ALL", b"SEARCH HEADER \"\" \"\"", b"SEARCH LARGER -1",
            b"SEARCH UID 1:*:2", b"STORE 1:* +FLAGS ()", b"STORE 1 FLAGS.SILENT \\Seen",
            b"STORE 1 (UNCHANGEDSINCE x) +FLAGS (\\Seen)", b"COPY 1 \"\"", b"MOVE 1 \"Other Users/\"",
            b"UID EXPUNGE *", b"UID MOVE 1:* \"Public Folders/x\"", b"SELECT \"&\"",
            b"STATUS INBOX (MESSAGES MESSAGES BOGUS)", b"LIST \"\" \"" + b"*%" * 300 + b"\"",
            b"RENAME INBOX \"Other Users/bob/x\"", b"GETACL \"\"", b"SETACL INBOX \"\" lr",
            b"ENABLE " + b"X " * 100, b"ID (" + b"\"a\" " * 101 + b")", b"EXAMINE INBOX (QRESYNC (1 2 1:*))"):
    lines, done = a.cmd(bad)
    report("hostile %r: answered" % bad[:40].decode(), done.split()[1:2] in ([b"OK"], [b"NO"], [b"BAD"]),
           (lines[-1:], done))
lines, done = a.cmd(b"NOOP")
report("the session goes on after bad input", ok(done), done)

# Commands not supported answer so.
lines, done = a.cmd(b"SETQUOTA \"\" (STORAGE 10)")
report("SETQUOTA answers NO/BAD (the quota is the administrator's)",
       done.split()[1] in (b"NO", b"BAD"), done)
lines, done = a.cmd(b"LOGOUT")
report("LOGOUT", ok(done) and b"* BYE" in lines[0], lines)
finish()
