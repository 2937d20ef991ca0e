#!/usr/bin/python3
"""report.py -- turns the benchmark's raw rounds into one table.

    report.py RAW.jsonl OUT.json [--readme README.md]

RAW.jsonl holds one JSON object per measured round (mrbench, imapsbench),
plus "meta", "gss" and "label" objects written by bench/run.  Every cell
is the median over rounds with [min-max] beside it.  OUT.json gets the
same figures; with --readme the Markdown goes into README.md between
<!-- bench:begin --> and <!-- bench:end --> (nothing else is touched).
"""
import json
import statistics
import sys
from collections import defaultdict

LEVELS = ("auth", "integrity", "privacy", "sealed")
# Dovecot as a speed-minded site runs it, then with its defaults (bench/run).
DOVECOTS = ("dovecot-tuned", "dovecot")
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def load(path):
    rounds, meta, gss, costs, traces = defaultdict(list), {}, [], {}, []
    for line in open(path):
        line = line.strip()
        if not line.startswith("{"):
            continue
        o = json.loads(line)
        if o.get("op") == "meta":
            meta = o
        elif o.get("op") == "gss":
            gss.append(o)
        elif o.get("op") == "callcost":
            costs[(o["call"], o["level"])] = o
        elif o.get("op") == "trace":
            o.setdefault("what", "append")
            o.setdefault("ops", o.get("appends", 0))
            traces.append(o)
        else:
            key = (o.get("label") or o["op"], o["level"], o["clients"])
            rounds[key].append(o)
    return rounds, meta, median_gss(gss), costs, traces


def median_gss(runs):
    """The ceiling runs' medians, field by field."""
    if not runs:
        return None
    out = dict(runs[0])
    for f in ("wrap_mbps", "unwrap_mbps", "mic_mbps", "verify_mbps"):
        out[f] = statistics.median(r[f] for r in runs)
    out["runs"] = len(runs)
    return out


def stat(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values),
            "n": len(values)}


def summarize(rounds):
    out = {}
    for key, rs in rounds.items():
        ops = [r["ops"] / r["secs"] for r in rs]
        mbs = [r["bytes"] / r["secs"] / 1e6 for r in rs]
        out[key] = {"ops": stat(ops), "mbs": stat(mbs)}
        if "resumed" in rs[0]:   # IMAPS set-up: TLS handshakes that resumed
            out[key]["resumed"] = sum(r["resumed"] for r in rs) / sum(r["ops"] for r in rs)
    return out


def fmt_n(x):
    if x >= 100:
        return "%.0f" % x
    if x >= 10:
        return "%.1f" % x
    return "%.2f" % x


def cell(s, unit="ops"):
    if s is None:
        return "–"
    v = s[unit]
    return "%s [%s–%s]" % (fmt_n(v["median"]), fmt_n(v["min"]), fmt_n(v["max"]))


def mb_cell(s):
    """msg/s with MB/s beside it, for fetches."""
    if s is None:
        return "–"
    return "%s · %s MB/s" % (cell(s), fmt_n(s["mbs"]["median"]))


def ratio(a, b, unit="ops"):
    if a is None or b is None or b[unit]["median"] == 0:
        return "–"
    return "%.2f" % (a[unit]["median"] / b[unit]["median"])


FLOORS = (
    ("null", "NULL procedure (floor), calls/s"),
    ("null-checked", "NULL, reply body checked (floor of a real call), calls/s"),
)

ROWS = (
    # label, title, cell formatter, unit compared with Dovecot
    ("whoami", "WHOAMI, calls/s", cell, "ops"),
    ("setup", "session set-up (connect, authenticate, first reply), sessions/s", cell, "ops"),
    ("list", "list 50 summaries, lists/s", cell, "ops"),
    ("fetch4k", "fetch 4 KiB, msg/s", mb_cell, "ops"),
    ("fetch100k", "fetch 100 KiB, msg/s", mb_cell, "ops"),
    ("fetch10m", "fetch 10 MiB, msg/s", mb_cell, "mbs"),
    ("fetch10m-1stream", "fetch 10 MiB over one connection (parallel fetching off), msg/s", mb_cell, "mbs"),
    ("append", "append 4 KiB, msg/s", cell, "ops"),
    ("submit", "submit 4 KiB to 1 rcpt, msg/s", cell, "ops"),
)


NOTES = (
    "The NULL floor is a raw libtirpc NULL call. libtirpc's client neither checks "
    "(integrity) nor decrypts (privacy) a reply body it is told to decode with xdr_void or "
    "into NULL, so at those levels that floor skips work every real call must do; the "
    "\"checked\" floor makes libtirpc do it (see bench/mrbench.c), and the instruction "
    "counts show the difference.",
    "Client and server share the machine. Single-client rates of small calls are mostly the "
    "cost of waking a process on the other vCPU (expensive in this VM); with 2 or more "
    "clients a client often shares a vCPU with its connection process, hence the jump.",
    "privacy (RPCSEC_GSS) is Kerberos aes256-cts-hmac-sha1-96 in Debian's libk5crypto (plain "
    "C, no AES-NI) on both sides (MAILRPC_SEAL=off); privacy (sealed) is libmailrpc's default: "
    "AES-256-GCM on OpenSSL with AES-NI, keyed from the same context (docs/sealing.md), with "
    "252 KiB fetch chunks. Dovecot's TLS (cipher in the heading) runs on OpenSSL with AES-NI. "
    "The ceiling line is RPCSEC_GSS's.",
    "fetch 10 MiB is libmailrpc's mailrpc_download, which fetches chunks of a large message "
    "over one connection per core (here 2: the caller's and one more) and writes them in "
    "order; the \"one connection\" row is the same call with MAILRPC_DOWNLOAD_STREAMS=1.",
    "append and submit are durable: each returns after fdatasync. An append of up to 128 KiB "
    "is one call (MSG_APPEND_OP) and one LMDB commit; a submit is 3 calls (begin, data, "
    "commit), each one LMDB commit.",
    "Dovecot is driven by bench/imapsbench.c: C over OpenSSL, like mrbench over libmailrpc, "
    "one logged-in connection per client. Dovecot (tuned) is what a site that cares about "
    "speed sets (bench/run): login processes serving many connections (service_count = 0, "
    "client_limit = 1000, 2 kept ready), imap processes reused (service_count = 0, 4 kept "
    "ready), an auth cache; Dovecot (default) is its default process and TLS configuration. "
    "Both keep mail_fsync = optimized (durable appends) and Maildir.",
    "session set-up: for mailrpc, mailrpc_connect (TCP, the RPCSEC_GSS context from the "
    "cached service ticket, SEAL_BEGIN when sealed), WHOAMI, mailrpc_close; for IMAPS, TCP, "
    "TLS (offering the last session for resumption), greeting, LOGIN with the password, NOOP, "
    "LOGOUT. The share of TLS handshakes that resumed is given under the IMAPS table.",
    "Listing in id order walks only offset + limit index entries, so its cost stays flat "
    "(scaling table), as does fetching; sorted listings (date, size, from, subject) still "
    "read the folder's whole index.",
)


def main_table(s):
    lines = ["| operation | clients | auth | integrity | privacy (RPCSEC_GSS) | privacy (sealed) "
             "| Dovecot IMAPS (tuned) | Dovecot IMAPS (default) | sealed ÷ Dovecot tuned "
             "| sealed ÷ Dovecot default | sealed ÷ RPCSEC_GSS privacy |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for label, title in FLOORS:
        for c in (1, 2, 4):
            null = [s.get((label, lv, c)) for lv in LEVELS]
            if any(null):
                lines.append("| %s | %d | %s | – | – | – | – | – |"
                             % (title, c, " | ".join(cell(x) for x in null)))
    for label, title, fmt, unit in ROWS:
        for c in (1, 2, 4):
            cells = [s.get((label, lv, c)) for lv in LEVELS]
            if not any(cells):
                continue
            doves = [s.get((label, d, c)) for d in DOVECOTS]
            lines.append("| %s | %d | %s | %s | %s | %s |" % (
                title, c, " | ".join(fmt(x) for x in cells),
                " | ".join(fmt(d) for d in doves),
                " | ".join(ratio(cells[3], d, unit) for d in doves),
                ratio(cells[3], cells[2], unit)))
    return lines


# The goals: sealed privacy over the tuned Dovecot, one connection.
GOALS = (("fetch10m", "fetch 10 MiB", "mbs", 2), ("fetch100k", "fetch 100 KiB", "ops", 2),
         ("list", "list 50 summaries", "ops", 4), ("fetch4k", "fetch 4 KiB", "ops", 3),
         ("append", "append 4 KiB (durable)", "ops", 3),
         ("setup", "session set-up", "ops", 2))


def goals(s):
    lines = ["| one connection | goal: sealed ÷ Dovecot tuned | measured | met "
             "| sealed ÷ Dovecot default |", "|---|---|---|---|---|"]
    for label, title, unit, goal in GOALS:
        p, t, d = (s.get((label, lv, 1)) for lv in ("sealed", "dovecot-tuned", "dovecot"))
        if not p or not t:
            continue
        r = p[unit]["median"] / t[unit]["median"]
        lines.append("| %s | ≥ %d× | %.2f× | %s | %s |" % (
            title, goal, r, "yes" if r >= goal else "**no**", ratio(p, d, unit)))
    return lines if len(lines) > 2 else []


IMAPS_ROWS = (
    # label, title, cell formatter, unit compared
    ("setup", "session set-up (TLS, LOGIN, NOOP, LOGOUT), sessions/s", cell, "ops"),
    ("list", "list 50 (UID FETCH FLAGS ENVELOPE RFC822.SIZE), lists/s", cell, "ops"),
    ("fetch4k", "fetch 4 KiB, msg/s", mb_cell, "ops"),
    ("fetch100k", "fetch 100 KiB, msg/s", mb_cell, "ops"),
    ("fetch10m", "fetch 10 MiB, msg/s", mb_cell, "mbs"),
    ("append", "append 4 KiB, msg/s", cell, "ops"),
)


def imaps_table(s):
    """mailrpc-imapd beside both Dovecots: the same C driver and messages."""
    lines = ["| operation (IMAPS, imapsbench) | clients | mailrpc-imapd | Dovecot (tuned) "
             "| Dovecot (default) | mailrpc-imapd ÷ Dovecot tuned "
             "| mailrpc-imapd ÷ Dovecot default |", "|---|---|---|---|---|---|---|"]
    losses = []
    for label, title, fmt, unit in IMAPS_ROWS:
        for c in (1, 2, 4):
            g = s.get((label, "gateway", c))
            doves = [s.get((label, d, c)) for d in DOVECOTS]
            if not g and not any(doves):
                continue
            lines.append("| %s | %d | %s | %s | %s |" % (
                title, c, fmt(g), " | ".join(fmt(d) for d in doves),
                " | ".join(ratio(g, d, unit) for d in doves)))
            d = doves[0]
            if g and d and g[unit]["median"] < d[unit]["median"]:
                losses.append("%s with %d client%s (%.2f×)" % (
                    title.split(" (")[0].split(",")[0], c, "" if c == 1 else "s",
                    d[unit]["median"] / g[unit]["median"]))
    if len(lines) == 2:
        return []
    lines += ["", ("Where the tuned Dovecot wins over mailrpc-imapd: " + "; ".join(losses) + ".")
              if losses else "mailrpc-imapd is not slower than the tuned Dovecot in any IMAPS row."]
    resumed = ["%s %d client%s %.0f%%" % (lv, c, "" if c == 1 else "s",
                                          100 * s[("setup", lv, c)]["resumed"])
               for lv in ("gateway",) + DOVECOTS for c in (1, 2, 4)
               if "resumed" in s.get(("setup", lv, c), {})]
    if resumed:
        lines += ["", "IMAPS session set-ups whose TLS handshake resumed a session: "
                  + ", ".join(resumed) + "."]
    return lines


def dovecot_wins(s):
    wins = []
    for label, title, _, unit in ROWS:
        for c in (1, 2, 4):
            p, d = s.get((label, "sealed", c)), s.get((label, "dovecot-tuned", c))
            if p and d and p[unit]["median"] < d[unit]["median"]:
                wins.append("%s with %d client%s (%.2f×)" % (
                    title.split(" (")[0].split(",")[0], c, "" if c == 1 else "s",
                    d[unit]["median"] / p[unit]["median"]))
    if not wins:
        return "The tuned Dovecot is not faster than mailrpc's sealed privacy in any row."
    return ("Where the tuned Dovecot wins (sealed privacy vs IMAPS): " + "; ".join(wins)
            + ".")


def shares(s, floor):
    parts = []
    for c in (1, 2, 4):
        row = []
        for lv in LEVELS:
            w, n = s.get(("whoami", lv, c)), s.get((floor, lv, c))
            if w and n:
                row.append("%s %.0f%%" % (lv, 100 * w["ops"]["median"] / n["ops"]["median"]))
        if row:
            parts.append("%d client%s: %s" % (c, "" if c == 1 else "s", ", ".join(row)))
    return "; ".join(parts)


def small_ops(s):
    text = "WHOAMI as a share of the NULL floor at the same level: " + shares(s, "null") + "."
    checked = shares(s, "null-checked")
    if checked:
        text += " As a share of the checked NULL: " + checked + "."
    none = s.get(("null", "none", 1))
    if none:
        text += (" The same NULL call under AUTH_NONE (plain ONC RPC, no GSS): %s calls/s."
                 % cell(none))
    return text


def ceiling(s, gss):
    if gss is None:
        return []
    out = ["In-process crypto ceiling, one core, %s, %d-byte messages (median of %d runs): "
           "gss_wrap %.0f MB/s, gss_unwrap %.0f MB/s (privacy); gss_get_mic %.0f MB/s, "
           "gss_verify_mic %.0f MB/s (integrity)."
           % (gss["enctype"], gss["bytes"], gss["runs"], gss["wrap_mbps"], gss["unwrap_mbps"],
              gss["mic_mbps"], gss["verify_mbps"])]
    # Client and server share this machine's cores: every byte is wrapped
    # once and unwrapped once, so all cores together reach at most this.
    nproc = int(meta_nproc(s) or 1)
    shared = nproc / (1 / gss["wrap_mbps"] + 1 / gss["unwrap_mbps"])
    out.append("With client and server on the same %d cores, wrap + unwrap of every byte "
               "allow at most %.0f MB/s in all." % (nproc, shared))
    for c in (1, 2, 4):
        f = s.get(("fetch10m", "privacy", c))
        if f:
            out.append("Privacy fetch of 10 MiB, %d client%s: %.0f MB/s = %.0f%% of one core's "
                       "gss_wrap, %.0f%% of the shared ceiling."
                       % (c, "" if c == 1 else "s", f["mbs"]["median"],
                          100 * f["mbs"]["median"] / gss["wrap_mbps"],
                          100 * f["mbs"]["median"] / shared))
    return out


def meta_nproc(s):
    return s.get("__nproc")


def scaling(s):
    lines = ["| folder size | list 50, µs per list | fetch one ~2 KiB message, µs per fetch |",
             "|---|---|---|"]
    for n in ("1k", "10k", "100k"):
        l, f = s.get(("list-" + n, "privacy", 1)), s.get(("fetch-" + n, "privacy", 1))
        us = lambda x: "–" if x is None else "%.0f [%.0f–%.0f]" % (
            1e6 / x["ops"]["median"], 1e6 / x["ops"]["max"], 1e6 / x["ops"]["min"])
        lines.append("| %s | %s | %s |" % (n, us(l), us(f)))
    return lines


def call_costs(costs):
    """Instructions per call on each side, and the floors' share of them."""
    if not costs:
        return []
    lines = ["Instructions per call (callgrind, one client; noise-free, unlike calls/s). "
             "\"in Kerberos\" counts libgssapi_krb5, libkrb5 and libk5crypto; the last "
             "columns are each floor's total over the call's, comparable with the shares "
             "above.", "",
             "| call | level | mailrpcd (in Kerberos) | client (in Kerberos) | both "
             "| NULL ÷ call | checked NULL ÷ call |",
             "|---|---|---|---|---|---|---|"]
    total = lambda o: o["server"] + o["client"]
    for lv in LEVELS:
        floors = [costs.get(("null", lv)), costs.get(("null-checked", lv))]
        for call, title in (("null", "NULL"), ("null-checked", "NULL, checked"),
                            ("whoami", "WHOAMI")):
            o = costs.get((call, lv))
            if o is None:
                continue
            share = ["%.0f%%" % (100.0 * total(f) / total(o)) if f else "–" for f in floors]
            lines.append("| %s | %s | %d (%d) | %d (%d) | %d | %s |" % (
                title, lv, o["server"], o["server_krb5"], o["client"], o["client_krb5"],
                total(o), " | ".join(share)))
    return lines


SYNC_CALLS = ("fsync", "fdatasync", "msync", "sync_file_range", "syncfs")
FORK_CALLS = ("clone", "clone3", "fork", "vfork")


def per_op(t, names, field="calls"):
    calls, n = t["calls"], t["ops"] or 1
    return sum(calls[c][field] for c in names if c in calls) / n


def append_traces(traces):
    """System calls per durable append and per session set-up on the server
    side (bench/run's strace)."""
    lines = []
    appends = [t for t in traces if t["what"] == "append"]
    if appends:
        lines += ["What one durable append costs the server in system calls (`strace -f -c "
                  "-w` on the server's processes, one connection appending 4 KiB for 2 s "
                  "under strace; wall time inside the sync calls, so it includes waiting "
                  "for the disk):", "",
                  "| server | appends | %s | ms in sync calls per append | system calls "
                  "per append |" % " | ".join(c + " per append" for c in SYNC_CALLS),
                  "|---|---|%s---|---|" % ("---|" * len(SYNC_CALLS))]
        for t in appends:
            lines.append("| %s | %d | %s | %.2f | %.0f |" % (
                t["server"], t["ops"],
                " | ".join("%.2f" % per_op(t, (c,)) for c in SYNC_CALLS),
                1e3 * per_op(t, SYNC_CALLS, "secs"), t["syscalls"] / (t["ops"] or 1)))
        lines.append("")
    setups = [t for t in traces if t["what"] == "setup"]
    if setups:
        lines += ["What one session set-up costs the server in system calls (the same "
                  "tracing, one client setting up sessions for 2 s):", "",
                  "| server | sessions | processes forked per session | sync calls per "
                  "session | ms in sync calls per session | system calls per session |",
                  "|---|---|---|---|---|---|"]
        for t in setups:
            lines.append("| %s | %d | %.2f | %.2f | %.2f | %.0f |" % (
                t["server"], t["ops"], per_op(t, FORK_CALLS), per_op(t, SYNC_CALLS),
                1e3 * per_op(t, SYNC_CALLS, "secs"), t["syscalls"] / (t["ops"] or 1)))
        lines.append("")
    return lines


def markdown(s, meta, gss, costs, traces):
    lines = ["## Benchmark", "",
             "`make bench`, %s: %s, %s CPU(s) (`nproc`), %s; load average %s at start / end; "
             "%s rounds of %s s per cell, median [min–max]. Levels are RPCSEC_GSS services; "
             "Dovecot %s runs IMAP over TLS (%s), tuned and default configuration, driven "
             "by a C client over OpenSSL (bench/imapsbench.c), on the same machine and "
             "messages." % (
                 meta.get("date", "?"), meta.get("cpu", "?"), meta.get("nproc", "?"),
                 meta.get("kernel", "?"), meta.get("load", "?"), meta.get("rounds", "?"),
                 meta.get("seconds", "?"), meta.get("dovecot", "?"), meta.get("tls", "TLS")),
             ""]
    lines += main_table(s)
    lines += ["", small_ops(s), ""]
    lines += call_costs(costs)
    lines += ["", dovecot_wins(s), ""]
    g = goals(s)
    if g:
        lines += ["The issue's goals (sealed privacy against the tuned Dovecot, one client; "
                  "fetch 10 MiB compares MB/s):", ""] + g + [""]
    imaps = imaps_table(s)
    if imaps:
        lines += ["The IMAP gateway (mailrpc-imapd, password logins checked against the "
                  "realm's KDC) beside both Dovecots, all driven by bench/imapsbench:", ""]
        lines += imaps + [""]
    lines += append_traces(traces)
    lines += ceiling(s, gss)
    lines += ["", "Scaling (privacy, one client; folders seeded through the store):", ""]
    lines += scaling(s)
    lines += ["", "Reading the table:", ""] + ["- " + n for n in NOTES]
    return "\n".join(lines) + "\n"


def write_readme(path, text):
    doc = open(path).read()
    a, b = doc.find(BEGIN), doc.find(END)
    if a < 0 or b < a:
        sys.exit("report: markers not found in " + path)
    doc = doc[:a + len(BEGIN)] + "\n" + text + doc[b:]
    open(path, "w").write(doc)


def main():
    args = sys.argv[1:]
    if len(args) not in (2, 4) or (len(args) == 4 and args[2] != "--readme"):
        sys.exit(__doc__)
    rounds, meta, gss, costs, traces = load(args[0])
    s = summarize(rounds)
    s["__nproc"] = meta.get("nproc")
    text = markdown(s, meta, gss, costs, traces)
    with open(args[1], "w") as f:
        json.dump({"meta": meta, "gss": gss,
                   "callcost": [costs[k] for k in sorted(costs)], "traces": traces,
                   "cells": [{"op": k[0], "level": k[1], "clients": k[2], **v}
                             for k, v in sorted(s.items(), key=lambda kv: str(kv[0]))
                             if isinstance(k, tuple)]},
                  f, indent=1)
    if len(args) == 4:
        write_readme(args[3], text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
