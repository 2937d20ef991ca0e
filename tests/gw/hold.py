"""hold.py PORT OUT -- holds a connection open: writes the greeting to OUT,
then whatever the server says next (at most 30 s), for shutdown tests."""
import sys

from gwtest import Conn

c = Conn(int(sys.argv[1]), timeout=30)
with open(sys.argv[2], "wb", buffering=0) as out:
    out.write(c.line() + b"\n")
    out.write(c.line() + b"\n")
