#!/usr/bin/python3
"""genmsgs.py -- the benchmark's fixed message set, written as .eml files.

    genmsgs.py OUTDIR [SEED]

60 RFC 5322 messages with CRLF line ends: three of exactly 4 KiB, 100 KiB
and 10 MiB (the fetch targets; files fetch-4k.eml, fetch-100k.eml,
fetch-10m.eml), an append/submit message of 4 KiB (append-4k.eml, not part
of the set), and 57 more whose sizes are log-uniform from 2 KiB to 10 MiB.
The same SEED gives byte-identical files.  Prints "NAME SIZE" lines in the
order the set is to be loaded.
"""
import math
import os
import random
import sys

WORDS = ("meeting budget report lunch plan review invoice trip update question "
         "project deadline draft schedule contract agenda summary minutes notes "
         "customer release server backup network office travel expense").split()


def body_lines(rng, count):
    """A pool of text lines to draw a body from (cheap for 10 MiB)."""
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 12)))
            for _ in range(count)]


def message(rng, pool, n, size):
    head = ("From: Sender %d <sender%d@example.org>\r\n"
            "To: Alice <alice@example.org>\r\n"
            "Subject: %s %s %d\r\n"
            "Date: Mon, 2 Oct 2023 %02d:%02d:00 +0000\r\n"
            "Message-ID: <bench-%d@example.org>\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=us-ascii\r\n\r\n"
            % (n % 17, n % 17, rng.choice(WORDS).capitalize(), rng.choice(WORDS), n,
               n % 24, n % 60, n)).encode()
    parts, have = [head], len(head)
    while have < size:
        line = (rng.choice(pool) + "\r\n").encode()
        parts.append(line)
        have += len(line)
    data = b"".join(parts)[:size]
    return data[:-2] + b"\r\n" if size > len(head) + 2 else data


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: genmsgs.py OUTDIR [SEED]")
    out = sys.argv[1]
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) == 3 else 20231002)
    pool = body_lines(rng, 2000)
    os.makedirs(out, exist_ok=True)
    lo, hi = math.log(2048), math.log(10 << 20)
    sizes = [int(math.exp(rng.uniform(lo, hi))) for _ in range(57)]
    named = {12: ("fetch-4k", 4096), 30: ("fetch-100k", 102400), 45: ("fetch-10m", 10 << 20)}
    order, k = [], 0
    for n in range(60):
        if n in named:
            order.append(named[n])
        else:
            order.append(("msg-%02d" % n, sizes[k]))
            k += 1
    for n, (name, size) in enumerate(order):
        with open(os.path.join(out, name + ".eml"), "wb") as f:
            f.write(message(rng, pool, n, size))
        print(name, size)
    with open(os.path.join(out, "append-4k.eml"), "wb") as f:
        f.write(message(rng, pool, 999, 4096))


if __name__ == "__main__":
    main()
