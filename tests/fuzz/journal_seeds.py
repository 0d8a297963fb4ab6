#!/usr/bin/env python3
"""Writes the entries of a `journalctl -o export` file as seeds for
fuzz_journal, in its framing: the entry's __REALTIME_TIMESTAMP as 8 bytes
little-endian, then each field as a 2-byte little-endian length and its
"FIELD=value" bytes (the blobs sd_journal_enumerate_data() returns).
Binary fields (a name line, a 64-bit length, the value) are decoded too.

    python3 tests/fuzz/journal_seeds.py EXPORT-FILE OUTDIR"""
import os
import struct
import sys


def entries(raw):
    at, fields = 0, []
    while at < len(raw):
        nl = raw.index(b"\n", at)
        line = raw[at:nl]
        at = nl + 1
        if not line:
            if fields:
                yield fields
            fields = []
        elif b"=" in line:
            fields.append(line)
        else:  # binary field: name, le64 size, value, newline
            (size,) = struct.unpack_from("<Q", raw, at)
            fields.append(line + b"=" + raw[at + 8:at + 8 + size])
            at += 8 + size + 1
    if fields:
        yield fields


def main():
    raw = open(sys.argv[1], "rb").read()
    for i, fields in enumerate(entries(raw), 1):
        usec = 0
        out = b""
        for f in fields:
            name, _, value = f.partition(b"=")
            if name == b"__REALTIME_TIMESTAMP":
                usec = int(value)
            elif not name.startswith(b"__"):  # cursors and stamps are not data fields
                out += struct.pack("<H", len(f)) + f
        with open(os.path.join(sys.argv[2], "entry-%d" % i), "wb") as o:
            o.write(struct.pack("<Q", usec) + out)


if __name__ == "__main__":
    main()
