#!/usr/bin/env python3
"""Writes a large systemd journal export as journalctl would, for timing the
journal importers: N entries of nginx's, one in 50 a bind failure at
PRIORITY=3 (the rest access lines at 6), one in 100 with a binary MESSAGE
(--binary), or the same entries as `journalctl -o json` lines (--json).

    python3 bench/journalgen.py [--json] [--binary] N OUT
    /usr/bin/time -f '%e s, %M kB' build-rel/kbdiag diagnose --format json OUT >/dev/null

A journal file of them: systemd-journal-remote --output=DIR/big.journal OUT
(it splits them into several files; give kbdiag the folder)."""
import json
import struct
import sys


def fields(i):
    t = 1704456001000000 + i * 1000
    bind = i % 50 == 0
    return [
        ("__CURSOR", "s=391746169bb54294885b1db48646adcd;i=%x;b=6c7c6013a8b843b7b2e7b5a4c3fa51c6;m=%x;t=%x;x=%x"
         % (i, i, t, i * 7919)),
        ("__REALTIME_TIMESTAMP", str(t)), ("__MONOTONIC_TIMESTAMP", str(i)),
        ("_BOOT_ID", "6c7c6013a8b843b7b2e7b5a4c3fa51c6"), ("_MACHINE_ID", "4d7a2bf4c1c04b1f8f3c6d1ec2a0b9e1"),
        ("_HOSTNAME", "mail01"), ("PRIORITY", "3" if bind else "6"), ("SYSLOG_FACILITY", "3"),
        ("SYSLOG_IDENTIFIER", "nginx"), ("_PID", str(9000 + i % 500)), ("_UID", "33"), ("_GID", "33"),
        ("_COMM", "nginx"), ("_EXE", "/usr/sbin/nginx"), ("_SYSTEMD_UNIT", "nginx.service"),
        ("MESSAGE", "nginx: [emerg] bind() to 0.0.0.0:%d failed (98: Address already in use)" % (8000 + i % 1000)
         if bind else "GET /index.html HTTP/1.1 200 612 request %d served" % i),
    ]


def export(i, binary):
    out = b""
    for name, value in fields(i):
        v = value.encode()
        if binary and name == "MESSAGE" and i % 100 == 1:
            v += b"\nsecond line"
            out += name.encode() + b"\n" + struct.pack("<Q", len(v)) + v + b"\n"
        else:
            out += name.encode() + b"=" + v + b"\n"
    return out + b"\n"


def main():
    args = sys.argv[1:]
    as_json, binary = "--json" in args, "--binary" in args
    n, path = [a for a in args if not a.startswith("--")]
    with open(path, "wb") as f:
        for i in range(int(n)):
            f.write((json.dumps(dict(fields(i)), separators=(",", ":")) + "\n").encode() if as_json
                    else export(i, binary))


if __name__ == "__main__":
    main()
