"""dovecot_answers.py PORT USER PASSWORD OUTDIR EML... -- APPENDs each
message to a Dovecot and writes its answers for ENVELOPE, BODY,
BODYSTRUCTURE and sections to OUTDIR/NAME.json ({item: [head, literal
in base64 or null]}), for comparing mailrpc-imapd's MIME rendering with
Dovecot's (tests/gw/dovecot_answers.sh, tests/gw/mime_vs_dovecot.py)."""
import base64
import imaplib
import json
import os
import sys

from gwtest import tls_context

port, user, password, outdir = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
ITEMS = ["ENVELOPE", "BODY", "BODYSTRUCTURE", "RFC822.SIZE", "BODY.PEEK[]", "BODY.PEEK[HEADER]",
         "BODY.PEEK[TEXT]", "BODY.PEEK[1]", "BODY.PEEK[1.MIME]", "BODY.PEEK[2]",
         "BODY.PEEK[2.MIME]", "BODY.PEEK[3]", "BODY.PEEK[1.1]",
         "BODY.PEEK[HEADER.FIELDS (From Subject X-Folded)]",
         "BODY.PEEK[HEADER.FIELDS.NOT (From Subject)]", "BODY.PEEK[HEADER.FIELDS (Nothing)]",
         "BODY.PEEK[]<5.20>", "BODY.PEEK[TEXT]<3.10>", "BODY.PEEK[1]<0.0>",
         "BODY.PEEK[]<100000.5>"]
m = imaplib.IMAP4_SSL("127.0.0.1", port, ssl_context=tls_context())
m.login(user, password)
for path in sys.argv[5:]:
    name = os.path.basename(path)
    m.select("INBOX")
    m.store("1:*", "+FLAGS", "\\Deleted") if m.select("INBOX")[1][0] != b"0" else None
    m.expunge()
    with open(path, "rb") as f:
        data = f.read()
    m.append("INBOX", None, None, data)
    m.select("INBOX")
    answers = {}
    for item in ITEMS:
        typ, resp = m.fetch("1", "(%s)" % item)
        part = resp[0]
        if isinstance(part, tuple):
            answers[item] = [part[0].decode("latin-1"), base64.b64encode(part[1]).decode()]
        else:
            answers[item] = [part.decode("latin-1"), None]
    with open(os.path.join(outdir, name + ".json"), "w") as out:
        json.dump(answers, out, indent=1, sort_keys=True)
        out.write("\n")
m.logout()
