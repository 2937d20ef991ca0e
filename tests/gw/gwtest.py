"""gwtest -- shared pieces of the gateway's Python tests: reporting in the
suite's PASS/FAIL lines, raw line connections (plain and TLS) on loopback,
and a SASL GSSAPI client (RFC 4752) on python3-gssapi."""
import os
import socket
import ssl
import sys
import time

failures = 0


def report(name, ok, detail=""):
    """One PASS/FAIL line, as tests/run counts them."""
    global failures
    if ok:
        print("PASS " + name, flush=True)
    else:
        failures += 1
        print("FAIL %s: %s" % (name, detail), flush=True)


def finish():
    sys.exit(1 if failures else 0)


def tls_context():
    """The test certificate is self-signed: no verification, TLS 1.2 at least."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    return ctx


class Conn:
    """A line-oriented client connection that keeps no bytes it has not shown."""

    def __init__(self, port, tls=False, source=None, timeout=15):
        self.sock = socket.create_connection(
            ("127.0.0.1", port), timeout=timeout,
            source_address=(source, 0) if source else None)
        if tls:
            self.sock = tls_context().wrap_socket(self.sock)
        self.buf = b""

    def send(self, data):
        self.sock.sendall(data)

    def line(self):
        """The next line without CRLF; b'' once the server has closed."""
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                rest, self.buf = self.buf, b""
                return rest
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def until(self, prefix):
        """Lines up to and including the first that starts with prefix."""
        lines = []
        while True:
            ln = self.line()
            lines.append(ln)
            if ln.startswith(prefix) or ln == b"":
                return lines

    def starttls(self):
        assert self.buf == b"", "unread plaintext before the handshake"
        self.sock = tls_context().wrap_socket(self.sock)

    def closed_within(self, seconds):
        """True if the server closes the connection within seconds (reading all it says)."""
        self.sock.settimeout(seconds)
        try:
            while True:
                if not self.sock.recv(65536):
                    return True
        except (socket.timeout, TimeoutError):
            return False
        except (ConnectionResetError, ssl.SSLError, OSError):
            return True

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


class GssapiClient:
    """The client side of SASL GSSAPI: feed it each challenge's bytes, send
    what it returns.  Chooses "no security layer" and sends authzid."""

    def __init__(self, service, authzid=b""):
        import gssapi
        self.gssapi = gssapi
        name = gssapi.Name(service, gssapi.NameType.hostbased_service)
        self.ctx = gssapi.SecurityContext(name=name, usage="initiate")
        self.authzid = authzid
        self.layers_offered = None

    def __call__(self, challenge):
        if not self.ctx.complete:
            token = self.ctx.step(challenge if challenge else None)
            return token or b""
        if not challenge:
            return b""
        offer = self.ctx.unwrap(challenge).message
        self.layers_offered = offer[0]
        return self.ctx.wrap(bytes([1, 0, 0, 0]) + self.authzid, False).message


def elapsed(fn):
    """(result or exception, seconds) of fn()."""
    t = time.monotonic()
    try:
        r = fn()
    except Exception as e:  # the tests compare failures too
        r = e
    return r, time.monotonic() - t


def read_text(path):
    """A log file's text (bytes that are no UTF-8 shown as replacements)."""
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def env_int(name):
    return int(os.environ[name])


# ---- mailbox tests: sessions, raw commands, the RPC side -------------------

def imap_login(port, user, password=None):
    """An imaplib session over implicit TLS, logged in with a password."""
    import imaplib
    m = imaplib.IMAP4_SSL("127.0.0.1", port, ssl_context=tls_context(), timeout=30)
    m.login(user, password or user + "-pw")
    return m


class Imap:
    """Raw IMAP over implicit TLS: each command's untagged lines (with any
    literals they carry, as bytes) and its tagged line, exactly as sent."""

    def __init__(self, port, user=None, timeout=30):
        self.c = Conn(port, tls=True, timeout=timeout)
        self.greeting = self.c.line()
        self.n = 0
        if user:
            _, done = self.cmd(b"LOGIN %s %s-pw" % (user.encode(), user.encode()))
            assert done.split()[1] == b"OK", done

    def read_response(self):
        """One response line; a literal at its end is read and appended."""
        line = self.c.line()
        while line.endswith(b"}") and b"{" in line:
            size = int(line[line.rindex(b"{") + 1:-1].rstrip(b"+"))
            while len(self.c.buf) < size:
                chunk = self.c.sock.recv(65536)
                if not chunk:
                    break
                self.c.buf += chunk
            data, self.c.buf = self.c.buf[:size], self.c.buf[size:]
            line += b"\r\n" + data + self.c.line()
        return line

    def cmd(self, text, tag=None):
        """(untagged lines, tagged line) of one command."""
        self.n += 1
        tag = tag or b"t%d" % self.n
        self.c.send(tag + b" " + text + b"\r\n")
        lines = []
        while True:
            ln = self.read_response()
            if ln.startswith(tag + b" ") or ln == b"":
                return lines, ln
            lines.append(ln)

    def close(self):
        self.c.close()


def literal(data):
    """The bytes of an IMAP message literal in a FETCH answer line."""
    start = data.index(b"}\r\n") + 3
    size = int(data[data.rindex(b"{", 0, start) + 1:start - 3])
    return data[start:start + size]


def mailrpc(user, *args, stdin=None):
    """The mailrpc CLI as user (ticket in $T/cc.USER): (status, stdout)."""
    import subprocess
    env = dict(os.environ, KRB5CCNAME="FILE:%s/cc.%s" % (os.environ["T"], user))
    r = subprocess.run([os.environ["BIN"] + "/bin/mailrpc"] + list(args), input=stdin,
                       capture_output=True, env=env, timeout=60)
    return r.returncode, r.stdout


def corpus():
    """(name, bytes) of every message of tests/corpus."""
    d = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "corpus")
    for name in sorted(os.listdir(d)):
        with open(os.path.join(d, name), "rb") as f:
            yield name, f.read()
