#!/usr/bin/python3
"""imapbench.py -- the IMAPS side of `make bench`: the same work as
mrbench, over IMAP with TLS, from Python's standard imaplib, against
Dovecot and against mailrpc-imapd alike (the same driver for both).

    imapbench.py PORT USER PASSWORD load DIR NAME...   APPENDs DIR/NAME.eml to INBOX,
                                                       prints the TLS cipher
    imapbench.py PORT USER PASSWORD OP ARG CLIENTS SECONDS ROUNDS
      OP: setup          connect, TLS, LOGIN, SELECT INBOX, LOGOUT (a new session each time)
          list           UID FETCH of the first 50 (FLAGS ENVELOPE RFC822.SIZE)
          fetch UID      UID FETCH UID (BODY.PEEK[])
          append FILE    APPEND FILE to folder Bench

Clients are processes, each with its own logged-in connection, started
together each round; one JSON object per round, like mrbench, whose
"level" is $IMAPBENCH_LEVEL (default "dovecot").
"""
import imaplib
import json
import os
import ssl
import sys
import time

MAX_SECONDS = 30.0
LEVEL = os.environ.get("IMAPBENCH_LEVEL", "dovecot")


def connect(port, user, password):
    ctx = ssl.create_default_context()
    ctx.check_hostname = False        # a throwaway self-signed certificate
    ctx.verify_mode = ssl.CERT_NONE
    imap = imaplib.IMAP4_SSL("127.0.0.1", port, ssl_context=ctx, timeout=60)
    imap.login(user, password)
    return imap


def check(typ, data, what):
    if typ != "OK":
        sys.exit("imapbench: %s: %s %r" % (what, typ, data[:1]))
    return data


def prepare(imap, op):
    if op == "append":
        typ, data = imap.create("Bench")   # may exist already
        return
    check(*imap.select("INBOX", readonly=True), "select")


def once(imap, op, arg, payload):
    """Runs the operation once; returns message bytes moved."""
    if op == "setup":
        s = connect(*arg)
        check(*s.select("INBOX", readonly=True), "select")
        s.logout()
        return 0
    if op == "list":
        data = check(*imap.uid("FETCH", "1:50", "(FLAGS ENVELOPE RFC822.SIZE)"), "list")
        if sum(1 for d in data if isinstance(d, tuple) or (d and b"ENVELOPE" in d)) < 50:
            sys.exit("imapbench: list returned fewer than 50")
        return 0
    if op == "fetch":
        data = check(*imap.uid("FETCH", arg, "(BODY.PEEK[])"), "fetch")
        return len(data[0][1])
    if op == "append":
        check(*imap.append("Bench", None, None, payload), "append")
        return len(payload)
    sys.exit("imapbench: unknown op " + op)


def client(port, user, password, op, arg, seconds, rounds, go_r, res_w):
    imap = connect(port, user, password)
    prepare(imap, op)
    payload = open(arg, "rb").read() if op == "append" else None
    if op == "setup":
        arg = (port, user, password)
    os.write(res_w, b"r")
    for _ in range(rounds):
        if os.read(go_r, 1) != b"g":
            os._exit(1)
        ops = nbytes = 0
        start = time.monotonic()
        while True:
            nbytes += once(imap, op, arg, payload)
            ops += 1
            t = time.monotonic() - start
            if t >= seconds or t >= MAX_SECONDS:
                break
        msg = json.dumps({"ops": ops, "bytes": nbytes, "secs": t}).encode() + b"\n"
        os.write(res_w, msg)
    imap.logout()
    os._exit(0)


def read_line(fd):
    buf = b""
    while not buf.endswith(b"\n"):
        chunk = os.read(fd, 1)
        if not chunk:
            sys.exit("imapbench: a client went away")
        buf += chunk
    return json.loads(buf)


def run(port, user, password, op, arg, clients, seconds, rounds):
    kids = []
    for _ in range(clients):
        go_r, go_w = os.pipe()
        res_r, res_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                client(port, user, password, op, arg, seconds, rounds, go_r, res_w)
            finally:
                os._exit(1)
        os.close(go_r)
        os.close(res_w)
        kids.append((pid, go_w, res_r))
    for _, _, res_r in kids:
        if os.read(res_r, 1) != b"r":
            sys.exit("imapbench: a client failed to start")
    for r in range(rounds):
        for _, go_w, _ in kids:
            os.write(go_w, b"g")
        total = {"ops": 0, "bytes": 0, "secs": 0.0}
        for _, _, res_r in kids:
            one = read_line(res_r)
            total["ops"] += one["ops"]
            total["bytes"] += one["bytes"]
            total["secs"] = max(total["secs"], one["secs"])
        print(json.dumps({"op": op, "level": LEVEL, "clients": clients, "round": r,
                          **total}), flush=True)
    for pid, go_w, res_r in kids:
        os.close(go_w)
        os.close(res_r)
        os.waitpid(pid, 0)


def load(port, user, password, directory, names):
    """Loads the set in order (UIDs follow it); prints the TLS cipher in use."""
    imap = connect(port, user, password)
    print(imap.sock.cipher()[0])
    for name in names:
        with open(os.path.join(directory, name + ".eml"), "rb") as f:
            check(*imap.append("INBOX", None, None, f.read()), "load " + name)
    imap.logout()


def main():
    a = sys.argv[1:]
    if len(a) >= 5 and a[3] == "load":
        load(int(a[0]), a[1], a[2], a[4], a[5:])
    elif len(a) == 8:
        run(int(a[0]), a[1], a[2], a[3], a[4], int(a[5]), float(a[6]), int(a[7]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
