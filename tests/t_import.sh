# t_import.sh -- mailrpc-admin import and export against mailboxes written
# by an independent implementation, Python's standard mailbox module:
# byte-exact round trips with dates and flags, idempotent and resumable
# imports, and malformed input reported while every good message goes in.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "FAIL setup: python3 is needed (scripts/install-deps)"; exit 1; }
setup_realm alice
export XDG_CACHE_HOME=$T/cache
start_server
kinit_as alice
admin() { "$BIN/bin/mailrpc-admin" --store "$T/store" "$@"; }
count() { mailrpc --json ls "$1" | jq length; }
D=$T/boxes
mkdir -p "$D"

# The Python side: writes the test mailboxes, and reads mailboxes back
# to compare them (each mbox unquoted by its writer's rule).
cat >"$T/boxes.py" <<'EOF'
import calendar, collections, email.message, hashlib, json, mailbox, os, re, sys, time

T1 = (b"From: Alice <alice@example.org>\nTo: bob@example.org\nSubject: From lines\n\n"
      b"From the start of a line.\n>From once quoted.\n>>From twice quoted.\nend\n")
T2 = b"From: carol@example.org\r\nSubject: CRLF\r\n\r\nline one\r\nFrom inside\r\n\r\n"
T3 = b"From: dave@example.org\nSubject: no final newline\n\nno newline at the end"
T4 = (b"From: =?utf-8?q?Eve?= <eve@example.org>\nSubject: 8bit \xc3\xa9t\xc3\xa9 \xff\n\n"
      b"binary: \x00\x01\x80\xfe\xff\n\xe2\x82\xac\n")
T5 = b"From: frank@example.org\nSubject: headers only\n"
T6 = b"From: grace@example.org\nSubject: trailing blank lines\n\nbody\n\n\n"
JUNK = bytes(range(256)) * 4

def sep(sender, day):
    return b"From %s Mon Jan %2d 12:34:56 2024\n" % (sender, day)

def write_mbox(path, messages, days=None):
    box = mailbox.mbox(path)
    for i, m in enumerate(messages):
        day = days[i] if days else i % 28 + 1
        box.add(sep(b"sender%d@example.org" % day, day) + m)
    box.close()

def write(d):
    write_mbox(d + "/src.mbox", [T1, T2, T3, T4, T5, T6, T1])
    write_mbox(d + "/many.mbox", [b"From: m%d@example.org\nSubject: many %d\n\n%s\n"
                                  % (i, i, b"x" * 1000) for i in range(1000)])
    md = mailbox.Maildir(d + "/src.maildir", create=True)
    md.add(T2)
    md.add(T3)
    for raw, flags, when in ((T4, "S", 1588334400), (T1, "FR", 1609459200),
                             (T5, "D", 1610000000), (T6, "ST", 1620000000)):
        m = mailbox.MaildirMessage(raw)
        m.set_subdir("cur")
        m.set_flags(flags)
        m.set_date(when)
        md.add(m)
    # Not messages: hidden files and tmp/.
    open(d + "/src.maildir/cur/.hidden", "wb").write(JUNK)
    open(d + "/src.maildir/tmp/1.partial", "wb").write(T1)
    bad = mailbox.Maildir(d + "/bad.maildir", create=True)
    bad.add(T5)
    open(d + "/bad.maildir/cur/1700000000.junk:2,S", "wb").write(JUNK)
    open(d + "/bad.maildir/new/1700000001.empty", "wb").close()
    # Malformed mboxes, each with the Python-written mbox of what must arrive.
    good = [T1, T2, T5]
    write_mbox(d + "/good.mbox", good)
    base = open(d + "/good.mbox", "rb").read()
    open(d + "/trunc-header.mbox", "wb").write(
        base + sep(b"x@example.org", 9) + b"From: x@example.org\nSubj")
    open(d + "/trunc-body.mbox", "wb").write(
        base + sep(b"x@example.org", 9) + b"From: x@example.org\nSubject: cut\n\nthe body was cu")
    write_mbox(d + "/junk-inside.mbox", [T1, JUNK, T2, T5])
    write_mbox(d + "/junk-inside-good.mbox", [T1, T2, T5], days=[1, 3, 4])
    open(d + "/junk.bin", "wb").write(JUNK * 4)
    # Written by hand: a broken writer that left "From " lines unquoted.
    open(d + "/bare-from.mbox", "wb").write(
        sep(b"a@example.org", 1) + b"From: a@example.org\nSubject: memo\n\nHello,\n\n"
        b"From the desk of the CEO: hi.\nFrom here on, all is well.\n\n"
        + sep(b"b@example.org", 2) + T5 + b"\n")
    write_mbox(d + "/bare-from-good.mbox",
               [b"From: a@example.org\nSubject: memo\n\nHello,\n\n"
                b"From the desk of the CEO: hi.\nFrom here on, all is well.\n", T5])
    # Headerless texts, as Python writes them: an empty header section.
    hl = mailbox.Maildir(d + "/headerless.maildir", create=True)
    hlbox = mailbox.mbox(d + "/headerless.mbox")
    for text in ("just text, no header\n", "two\nlines\n"):
        m = email.message.Message()
        m.set_payload(text)
        hl.add(m)
        hlbox.add(mailbox.mboxMessage(m))
    hlbox.close()

def unquote(data, rule):
    pattern = rb"(?m)^>(>*From )" if rule == "rd" else rb"(?m)^>(From )"
    return re.sub(pattern, rb"\1", data)

def from_date(msg):
    words = msg.get_from().split()
    return calendar.timegm(time.strptime(" ".join(words[-5:]), "%a %b %d %H:%M:%S %Y"))

def read_mbox(path, rule):
    box = mailbox.mbox(path, create=False)
    return [(unquote(box.get_bytes(k), rule), from_date(box.get_message(k))) for k in box.keys()]

def with_newline(b):
    return b if b.endswith(b"\n") else b + b"\n"

FLAG_NAMES = {"S": "seen", "F": "flagged", "R": "answered", "D": "draft"}

def read_maildir(path):
    md = mailbox.Maildir(path, factory=None, create=False)
    out = []
    for k in md.keys():
        if k.startswith("."):  # Python lists hidden files; they are no messages
            continue
        msg = md.get_message(k)
        names = sorted(FLAG_NAMES[f] for f in msg.get_flags() if f in FLAG_NAMES)
        out.append((md.get_bytes(k), int(msg.get_date()), names))
    return out

def same(name, a, b):
    if a == b:
        return 0
    print("%s: differ (%d vs %d messages)" % (name, len(a), len(b)))
    for x, y in zip(a, b):
        if x != y:
            print("first difference: %r\n              vs %r" % (x, y))
            break
    return 1

def main(cmd, *args):
    if cmd == "write":
        write(*args)
        return 0
    if cmd == "same-mbox":  # A RULE B RULE: same messages, same order, same dates
        return same(cmd, read_mbox(args[0], args[1]), read_mbox(args[2], args[3]))
    if cmd == "maildir-vs-mbox":  # MAILDIR EXPORT: same messages and dates
        want = sorted((with_newline(b), t) for b, t, _ in read_maildir(args[0]))
        return same(cmd, want, sorted(read_mbox(args[1], "rd")))
    if cmd == "maildir-vs-listing":  # MAILDIR LS.json: SHA-256, dates and flags
        want = sorted((hashlib.sha256(b).hexdigest(), t, f) for b, t, f in read_maildir(args[0]))
        got = sorted((m["sha256"], m["received"], sorted(m["flags"]))
                     for m in json.load(open(args[1])))
        return same(cmd, want, got)
    if cmd == "mbox-vs-listing":  # MBOX RULE LS.json: SHA-256 and dates, in order
        want = [(hashlib.sha256(b).hexdigest(), t) for b, t in read_mbox(args[0], args[1])]
        got = [(m["sha256"], m["received"]) for m in json.load(open(args[2]))]
        return same(cmd, want, got)
    raise SystemExit("unknown command " + cmd)

sys.exit(main(*sys.argv[1:]))
EOF
py() { python3 "$T/boxes.py" "$@"; }
py write "$D" || { echo "FAIL setup: Python could not write the test mailboxes"; exit 1; }

# ---- mbox: Python writes mboxo (only "From " quoted), hence --mboxo ----
out=$(admin import alice "$D/src.mbox" --folder "Imported/2024" --mboxo 2>"$T/err"); rc=$?
check "mbox import exits 0 (stderr: $(head -c 200 "$T/err"))" test "$rc" -eq 0
expect_contains "mbox import: counts" "$out" "imported 7, skipped 0 as duplicates, 0 malformed"
check "the mailbox and the nested folder were created" test "$(count Imported/2024)" -eq 7
mailrpc --json ls Imported/2024 >"$T/ls.json"
check "imported messages: SHA-256 and received date (the From line's) as Python reads them" \
	py mbox-vs-listing "$D/src.mbox" o "$T/ls.json"
first=$(jq '.[0].id' "$T/ls.json")
python3 -c 'import mailbox, re, sys
b = mailbox.mbox(sys.argv[1]).get_bytes(0)
sys.stdout.buffer.write(re.sub(rb"(?m)^>(From )", rb"\1", b))' "$D/src.mbox" >"$T/first.eml"
check "mailrpc cat of an imported message is byte-exact" \
	bash -c "'$BIN/bin/mailrpc' cat $first | cmp -s '$T/first.eml' -"

out=$(admin export alice Imported/2024 "$T/a.mbox"); rc=$?
check "export exits 0" test "$rc" -eq 0
expect_contains "export: count" "$out" "exported 7 messages"
check "export is readable by Python's mailbox: same messages and dates (mboxrd unquoted)" \
	py same-mbox "$D/src.mbox" o "$T/a.mbox" rd
check "export quotes every >*From line once more (mboxrd)" grep -q '^>>>From twice quoted' "$T/a.mbox"
check "export file is private (mode 600)" test "$(stat -c %a "$T/a.mbox")" = 600

out=$(admin import alice "$D/src.mbox" --folder "Imported/2024" --mboxo); rc=$?
check "import again: exits 0" test "$rc" -eq 0
expect_contains "import again imports nothing (both copies of the duplicate kept once each)" "$out" \
	"imported 0, skipped 7 as duplicates, 0 malformed"
check "import again: still 7 messages" test "$(count Imported/2024)" -eq 7

out=$(admin import alice "$T/a.mbox" --folder Again)
expect_contains "re-import of the export (mboxrd, no flag needed)" "$out" "imported 7, skipped 0"
admin export alice Again "$T/b.mbox" >/dev/null
check "import -> export -> import -> export: the two exports are identical" cmp -s "$T/a.mbox" "$T/b.mbox"
check "the re-imported folder holds the same messages" test \
	"$(mailrpc --json ls Again | jq -c 'map([.sha256, .received])')" = \
	"$(jq -c 'map([.sha256, .received])' "$T/ls.json")"

# ---- an mbox with CRLF everywhere and a zone in a From line ----
printf 'From a@example.org Mon Jan  1 00:00:00 2024\r\nSubject: one\r\n\r\nbody\r\n>From x\r\n\r\nFrom b@example.org Tue Jan  2 10:00:00 +0200 2024\r\nSubject: two\r\n\r\nbody2\r\n\r\n' >"$D/crlf.mbox"
out=$(admin import alice "$D/crlf.mbox" --folder Crlf)
expect_contains "CRLF mbox: both messages" "$out" "imported 2, skipped 0 as duplicates, 0 malformed"
check "CRLF mbox: dates, the zone applied" \
	test "$(mailrpc --json ls Crlf | jq -c 'map(.received)')" = "[1704067200,1704182400]"
check "CRLF mbox: message byte-exact, >From unquoted, the separator's empty line gone" \
	bash -c "'$BIN/bin/mailrpc' cat $(mailrpc --json ls Crlf | jq '.[0].id') | cmp -s <(printf 'Subject: one\r\n\r\nbody\r\nFrom x\r\n') -"

# ---- Maildir: flags from the name, dates from the mtime ----
out=$(admin import alice "$D/src.maildir" --folder FromMaildir 2>"$T/err"); rc=$?
check "Maildir import exits 0 (stderr: $(head -c 200 "$T/err"))" test "$rc" -eq 0
expect_contains "Maildir import: counts (hidden files and tmp/ left alone)" "$out" \
	"imported 6, skipped 0 as duplicates, 0 malformed"
mailrpc --json ls FromMaildir >"$T/md.json"
check "Maildir: SHA-256, mtime and flags (S F R D) as Python reads them" \
	py maildir-vs-listing "$D/src.maildir" "$T/md.json"
nofinal=$(jq '.[] | select(.subject == "no final newline") | .id' "$T/md.json")
check "Maildir: a message without a final newline stays byte-exact" \
	bash -c "'$BIN/bin/mailrpc' cat $nofinal | cmp -s <(printf 'From: dave@example.org\nSubject: no final newline\n\nno newline at the end') -"
admin export alice FromMaildir "$T/md.mbox" >/dev/null
check "Maildir -> export: same messages and dates (a final newline added where missing)" \
	py maildir-vs-mbox "$D/src.maildir" "$T/md.mbox"
out=$(admin import alice "$D/src.maildir" --folder FromMaildir)
expect_contains "Maildir import again imports nothing" "$out" "imported 0, skipped 6 as duplicates"

# ---- interrupted import: SIGKILL after 499 of 1000, then run again ----
mkfifo "$T/feed"
"$BIN/bin/mailrpc-admin" --store "$T/store" import alice "$T/feed" --folder Many >"$T/many.out" 2>&1 &
importer=$!
PIDS+=("$importer")
exec 4>"$T/feed"
# 500 messages of 6 lines; the 500th ends only when the reader sees more.
head -n 3000 "$D/many.mbox" >&4
many_in() { test "$(count Many)" -ge 499; }
wait_for 100 many_in
check "interrupted import: 499 messages in when it is killed" test "$(count Many)" -eq 499
kill -KILL "$importer"
{ wait "$importer"; } 2>/dev/null
exec 4>&-
out=$(admin import alice "$D/many.mbox" --folder Many)
expect_contains "interrupted import, run again: only the rest goes in" "$out" \
	"imported 501, skipped 499 as duplicates, 0 malformed"
check "interrupted import: exactly 1000 distinct messages" \
	test "$(mailrpc --json ls Many | jq '[.[].sha256] | unique | length')" -eq 1000

out=$(script -qec "'$BIN/bin/mailrpc-admin' --store '$T/store' import alice '$D/many.mbox' --folder Many" /dev/null)
expect_contains "on a terminal: a progress line" "$out" "import: 100.0%  0 imported, 1000 already there"
out=$(admin import alice "$D/many.mbox" --folder Many 2>&1 >/dev/null)
check "not on a terminal: no progress line" test -z "$out"

# ---- malformed input: reported, every good message imported ----
# malformed NAME FILE GOOD_MBOX WHAT: imports FILE (Python-written, so
# mboxo) into folder NAME; what arrives must be GOOD_MBOX's messages.
malformed() {
	local name=$1 file=$2 good=$3 what=$4 n
	n=$(python3 -c 'import mailbox, sys; print(len(mailbox.mbox(sys.argv[1])))' "$good")
	out=$(admin import alice "$file" --folder "$name" --mboxo 2>"$T/err"); rc=$?
	check "$name: exit 1 (got $rc)" test "$rc" -eq 1
	expect_contains "$name: counts" "$out" "imported $n, skipped 0 as duplicates, 1 malformed"
	expect_contains "$name: stderr names the place and why" "$(cat "$T/err")" "$what"
	admin export alice "$name" "$T/$name.mbox" >/dev/null
	check "$name: the good messages arrived intact" py same-mbox "$good" o "$T/$name.mbox" rd
}
malformed trunc-header "$D/trunc-header.mbox" "$D/good.mbox" \
	"trunc-header.mbox:23: truncated: the file ends inside a line; not imported"
malformed trunc-body "$D/trunc-body.mbox" "$D/good.mbox" \
	"trunc-body.mbox:23: truncated: the file ends inside a line; not imported"
malformed junk-inside "$D/junk-inside.mbox" "$D/junk-inside-good.mbox" \
	"junk-inside.mbox:11: NUL byte in the header; not imported"

out=$(admin import alice "$D/junk.bin" --folder Junk 2>"$T/err"); rc=$?
check "binary junk: exit 1" test "$rc" -eq 1
expect_contains "binary junk: counts" "$out" "imported 0, skipped 0 as duplicates, 1 malformed"
expect_contains "binary junk: says it is no mbox" "$(cat "$T/err")" \
	"junk.bin:1: text before the first \"From \" line (not an mbox message); not imported"

out=$(admin import alice "$D/bare-from.mbox" --folder Bare 2>"$T/err"); rc=$?
check "unquoted From lines in a body: exit 0" test "$rc" -eq 0
expect_contains "unquoted From lines: both messages imported" "$out" "imported 2, skipped 0 as duplicates, 0 malformed"
expect_contains "unquoted From lines: noted" "$(cat "$T/err")" \
	"bare-from.mbox:7: note: unquoted \"From \" line inside a message, kept as text"
admin export alice Bare "$T/Bare.mbox" >/dev/null
check "unquoted From lines: kept in the body, message intact" \
	py same-mbox "$D/bare-from-good.mbox" o "$T/Bare.mbox" rd

out=$(admin import alice "$D/bad.maildir" --folder BadMaildir 2>"$T/err"); rc=$?
check "bad Maildir: exit 1" test "$rc" -eq 1
expect_contains "bad Maildir: counts" "$out" "imported 1, skipped 0 as duplicates, 2 malformed"
expect_contains "bad Maildir: the junk file is named" "$(cat "$T/err")" "1700000000.junk:2,S: NUL byte in the header"
expect_contains "bad Maildir: the empty file is named" "$(cat "$T/err")" "1700000001.empty: empty"

# ---- a headerless text (an empty header section) is stored like put stores it ----
out=$(admin import alice "$D/headerless.maildir" --folder Headerless 2>"$T/err"); rc=$?
check "headerless Maildir: exit 0 (stderr: $(head -c 200 "$T/err"))" test "$rc" -eq 0
expect_contains "headerless Maildir: both imported" "$out" "imported 2, skipped 0 as duplicates, 0 malformed"
mailrpc --json ls Headerless >"$T/hl.json"
check "headerless Maildir: byte-exact (SHA-256), with dates, as Python wrote them" \
	py maildir-vs-listing "$D/headerless.maildir" "$T/hl.json"
first_file=$(ls "$D/headerless.maildir/new" | head -1)
put_id=$(mailrpc put Drafts "$D/headerless.maildir/new/$first_file")
check "headerless: mailrpc put of the same bytes stores the same SHA-256" \
	jq -e --arg s "$(mailrpc --json ls Drafts | jq -r ".[] | select(.id == $put_id) | .sha256")" \
	'any(.[]; .sha256 == $s)' "$T/hl.json"
out=$(admin import alice "$D/headerless.mbox" --folder HeaderlessMbox --mboxo 2>"$T/err"); rc=$?
check "headerless mbox: exit 0 (stderr: $(head -c 200 "$T/err"))" test "$rc" -eq 0
expect_contains "headerless mbox: both imported" "$out" "imported 2, skipped 0 as duplicates, 0 malformed"
mailrpc --json ls HeaderlessMbox >"$T/hlm.json"
check "headerless mbox: byte-exact (SHA-256) as Python reads them" \
	py mbox-vs-listing "$D/headerless.mbox" o "$T/hlm.json"

# ---- links are never followed (the import may run as root) ----
mkdir -p "$D/linky/new" "$D/linky/cur" "$D/linky/tmp"
secret="root:SECRET-$RANDOM"
echo "$secret" >"$T/secret"
ln -s "$T/secret" "$D/linky/new/1700000000.x"
mkfifo "$D/linky/cur/1700000001.fifo:2,S"
cp "$TESTS_DIR/corpus/01-plain-lf.eml" "$D/linky/new/1700000002.good"
out=$(admin import alice "$D/linky" --folder Linky 2>"$T/err"); rc=$?
check "Maildir with a link and a pipe: exit 1" test "$rc" -eq 1
expect_contains "Maildir with a link and a pipe: only the file imported" "$out" \
	"imported 1, skipped 0 as duplicates, 2 malformed"
expect_contains "the link is named and not followed" "$(cat "$T/err")" \
	"linky/new/1700000000.x: not a regular file (a symbolic link, pipe or device is never read); not imported"
expect_contains "the pipe is named and not read" "$(cat "$T/err")" \
	"linky/cur/1700000001.fifo:2,S: not a regular file"
same "the link's target is not in the folder (body search)" \
	"$(mailrpc --json search Linky --body "${secret#root:}" | jq length)" 0
same "the folder holds the one real file (body search)" \
	"$(mailrpc --json search Linky --body 'lunch at noon' | jq length)" 1
ln -s "$D/src.maildir" "$D/link.maildir"
out=$(admin import alice "$D/link.maildir" --folder LinkTop 2>&1); rc=$?
check "a Maildir path that is a link: refused" test "$rc" -eq 1
expect_contains "a Maildir path that is a link: says so" "$out" "link.maildir: a symbolic link"
out=$(admin import alice "$D/link.maildir/" --folder LinkTop 2>&1); rc=$?
check "a Maildir path that is a link, given with a slash: refused" test "$rc" -eq 1
ln -s "$D/src.mbox" "$D/link.mbox"
out=$(admin import alice "$D/link.mbox" --folder LinkTop 2>&1); rc=$?
check "an mbox path that is a link: refused" test "$rc" -eq 1
expect_contains "an mbox path that is a link: says so" "$out" "link.mbox: a symbolic link"
mkdir -p "$D/linkcur/new" "$D/linkcur/tmp"
ln -s "$D/src.maildir/cur" "$D/linkcur/cur"
out=$(admin import alice "$D/linkcur" --folder LinkTop 2>&1); rc=$?
check "a Maildir whose cur/ is a link: refused" test "$rc" -eq 1
expect_contains "a Maildir whose cur/ is a link: says so" "$out" "links to them do not count"
out=$(admin import alice /dev/null --folder LinkTop 2>&1); rc=$?
check "a device: refused" test "$rc" -eq 1
expect_contains "a device: says so" "$out" "/dev/null: neither a file, a pipe nor a Maildir"
out=$(mailrpc folders)
expect_not_contains "no folder was made for a refused source" "$out" "LinkTop"

# ---- usage and errors ----
out=$(admin import alice "$T/no-such-file" 2>&1); rc=$?
check "missing source: exit 1" test "$rc" -eq 1
expect_contains "missing source: says so" "$out" "no-such-file: No such file or directory"
mkdir "$T/plain-dir"
out=$(admin import alice "$T/plain-dir" 2>&1); rc=$?
check "directory that is no Maildir: exit 1" test "$rc" -eq 1
expect_contains "directory that is no Maildir: says so" "$out" "not a Maildir"
out=$(admin export alice "No Such Folder" "$T/x.mbox" 2>&1); rc=$?
check "export of a missing folder: exit 1, no file" test "$rc" -eq 1 -a ! -e "$T/x.mbox"
expect_contains "export of a missing folder: says so" "$out" "not found"
admin import alice >/dev/null 2>&1; rc=$?
check "import without a path: usage (64)" test "$rc" -eq 64
admin export alice Inbox >/dev/null 2>&1; rc=$?
check "export without a path: usage (64)" test "$rc" -eq 64
check "no temporary export files left behind" test -z "$(ls "$T" | grep '\.tmp\.')"
