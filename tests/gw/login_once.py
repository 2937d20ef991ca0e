"""login_once.py PORT USER PASSWORD -- one IMAP LOGIN over implicit TLS;
prints OK or NO and the server's words."""
import imaplib
import sys

from gwtest import tls_context

port, user, password = int(sys.argv[1]), sys.argv[2], sys.argv[3]
m = imaplib.IMAP4_SSL("127.0.0.1", port, ssl_context=tls_context())
try:
    typ, data = m.login(user, password)
    print("OK", data[0].decode())
    m.logout()
except imaplib.IMAP4.error as e:
    print("NO", e.args[0].decode() if isinstance(e.args[0], bytes) else e)
