#!/usr/bin/env python3
"""Holds a TCP port for the live tests: binds ADDRESS:PORT (PORT 0: any
free one), listens, prints the port it got, then waits to be killed (and
exits by itself after SECONDS, 120 by default, should nobody kill it)."""
import socket
import sys
import time

address, port = sys.argv[1], int(sys.argv[2])
seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 120
s = socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((address, port))
s.listen(8)
print(s.getsockname()[1], flush=True)
time.sleep(seconds)
