#!/usr/bin/env python3
"""Hostile journal exports (`journalctl -o export`) against the bounds of
their reader (docs/evidence-formats.md, "systemd journal"): a core dump's
binary field far over the field bound, a binary length that claims more
than the file holds, a text field over the bound, and an entry of many
fields over the entry bound.

usage: journal_cases.py KBDIAG

Each export holds the hostile entry first, then nginx refused port 80
(tests/e2e/cases/linux-journal-export/web7.export).  Checks: the finding
is still made (or, after a length past the end, the error names the file
and entry line), the warning names the file, the entry's line and the
bound, and the run's peak resident memory (getrusage of the child) stays
far below the hostile field's size.  Exit status 0 when every check
passed, 1 otherwise (each failure printed).
"""
import os
import resource
import struct
import sys

sys.dont_write_bytecode = True

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from kbcheck import SOURCE, check, kbdiag, run_cases  # noqa: E402

FINDING = "nginx was refused port 80 on 0.0.0.0 (Permission denied)"
BIG = 256 << 20  # the hostile core dump: held whole, it alone would take this much memory
RSS_BOUND_KB = 160 * 1024  # ASan's shadow memory included

HEAD = (b"__CURSOR=s=1;i=1\n__REALTIME_TIMESTAMP=1764323990000000\n_BOOT_ID=0f3c5a1e9b2d4c7e8a6f1b3d5c7e9a2b\n"
        b"PRIORITY=2\nSYSLOG_IDENTIFIER=systemd-coredump\n_PID=77\n")


def web7():
    with open(os.path.join(SOURCE, "tests", "e2e", "cases", "linux-journal-export", "web7.export"), "rb") as f:
        return f.read()


def write_export(path, hostile_entry, tail=True):
    with open(path, "wb") as f:
        f.write(hostile_entry)
        if tail:
            f.write(web7())


def peak_rss_kb():
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def core_dump_case(tmp):
    path = os.path.join(tmp, "coredump.export")
    with open(path, "wb") as f:
        f.write(HEAD + b"MESSAGE=Process 5121 (nginx) dumped core.\nCOREDUMP\n" + struct.pack("<Q", BIG))
        chunk = b"\x7fELF" + b"\0" * ((1 << 20) - 4)
        for _ in range(BIG >> 20):
            f.write(chunk)
        f.write(b"\n\n" + web7())
    run = kbdiag("diagnose", "--format", "json", path, cwd=tmp, timeout=120)
    check(FINDING in run.stdout, "core dump: the finding after it is gone", run)
    reasons = run.warnings().get(path, [])
    check(any("entry left out: its binary field COREDUMP has 268435456 bytes, over the 4 MiB" in r for r in reasons),
          "core dump: no warning naming the field and the bound", reasons)
    check(any(w.get("line") == 1 for w in run.json.get("warnings", [])) if run.json else False,
          "core dump: the warning does not name the entry's line 1", run)
    check(peak_rss_kb() < RSS_BOUND_KB, f"core dump: peak memory {peak_rss_kb()} kB, over {RSS_BOUND_KB} kB")


def length_past_end_case(tmp):
    path = os.path.join(tmp, "claims.export")
    write_export(path, web7() + HEAD + b"MESSAGE\n" + struct.pack("<Q", 1 << 63) + b"short\n\n", tail=False)
    run = kbdiag("diagnose", "--format", "json", path, cwd=tmp)
    check(FINDING in run.stdout, "length past the end: the finding before it is gone", run)
    errors = [w["reason"] for w in (run.json or {}).get("warnings", []) if w.get("line") == 60]
    check(any("binary field MESSAGE claims 9223372036854775808 bytes, and the file ends first" in e for e in errors),
          "length past the end: no error naming the entry's line 60 and the claim", run)


def long_text_field_case(tmp):
    path = os.path.join(tmp, "long-field.export")
    write_export(path, HEAD + b"MESSAGE=" + b"x" * (5 << 20) + b"\n\n")
    run = kbdiag("diagnose", "--format", "json", path, cwd=tmp)
    check(FINDING in run.stdout, "long text field: the finding after it is gone", run)
    check(any("its field MESSAGE has 5242880 bytes, over the 4 MiB" in r for r in run.warnings().get(path, [])),
          "long text field: no warning naming the field and the bound", run)


def many_fields_case(tmp):
    path = os.path.join(tmp, "many-fields.export")
    filler = b"".join(b"X_FILLER_%d=" % i + b"y" * (1 << 20) + b"\n" for i in range(20))
    write_export(path, HEAD + filler + b"\n")
    run = kbdiag("diagnose", "--format", "json", path, cwd=tmp)
    check(FINDING in run.stdout, "large entry: the finding after it is gone", run)
    check(any("entry left out: over the 16 MiB kbdiag reads of an entry" in r for r in run.warnings().get(path, [])),
          "large entry: no warning naming the bound", run)


if __name__ == "__main__":
    run_cases(core_dump_case, length_past_end_case, long_text_field_case, many_fields_case)
