"""mime_vs_dovecot.py RENDER CORPUS_DIR ANSWERS_DIR -- every section in
Dovecot's recorded answers (tests/gw/dovecot/*.json) against what the
gateway renders (RENDER --render FILE ITEM...).  Dovecot turns bare LF and
bare CR into CRLF and NUL into 0x80 when it stores a message; the gateway
keeps the stored bytes, so its answer is compared after the same
normalisation.  ENVELOPE and BODYSTRUCTURE are compared exactly in
test_gw_mime, where the deliberate differences are written down."""
import base64
import json
import os
import re
import subprocess
import sys

from gwtest import finish, report

render, corpus, answers = sys.argv[1:4]


def dovecot_style(data):
    data = re.sub(rb"\r(?!\n)", b"\r\n", data)
    data = re.sub(rb"(?<!\r)\n", b"\r\n", data)
    return data.replace(b"\0", b"\x80")


def rendered(path, items):
    out = subprocess.run([render, "--render", path] + items, check=True,
                         stdout=subprocess.PIPE).stdout
    result, pos = {}, 0
    for item in items:
        head = out.index(b"\n", pos)
        name = out[pos:head].decode()
        size_end = out.index(b"\n", head + 1)
        size = int(out[head + 1:size_end])
        result[name] = out[size_end + 1:size_end + 1 + size]
        pos = size_end + 1 + size + 1
    return result


for name in sorted(os.listdir(answers)):
    eml = name[:-len(".json")]
    with open(os.path.join(answers, name)) as f:
        recorded = json.load(f)
    with open(os.path.join(corpus, eml), "rb") as f:
        raw = f.read()
    # Offsets count stored bytes: partial fetches compare only where
    # Dovecot stored the same bytes.
    same_bytes = dovecot_style(raw) == raw
    items = sorted(k for k in recorded if "[" in k and (same_bytes or "<" not in k))
    ours = rendered(os.path.join(corpus, eml), items)
    for item in items:
        head, literal = recorded[item]
        want = base64.b64decode(literal) if literal is not None else b""
        got = dovecot_style(ours[item])
        report("%s %s: same bytes as Dovecot (%d)" % (eml, item, len(want)), got == want,
               "got %r... want %r..." % (got[:60], want[:60]))
finish()
