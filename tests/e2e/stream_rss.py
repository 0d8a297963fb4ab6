#!/usr/bin/env python3
"""PowerShell output of any size read in bounded memory: Get-WinEvent as a
table, a Format-List and a ConvertTo-Json array, each of SIZE_MIB MiB
(about 120,000 to 400,000 events), diagnosed by kbdiag.

usage: stream_rss.py KBDIAG

For each form it writes the big file and a small one of the same form to a
temporary folder, runs `kbdiag diagnose FILE --format json` on each and
checks: the input's format, that every event was read, no warning or
error, and that the big run's peak resident memory (getrusage of the
child) is above the small run's by less than half the file's size — a
reader that held the file, or its decoded text, would need all of it.  In
an ASan build the child's quarantine of freed memory is made small, as it
would otherwise keep 256 MiB of what the reading gives back.
The events name a source no rule knows, so the pre-filter keeps none and
what is measured is the reading.  Exit status 0 when every check passed,
1 otherwise (each failure printed).
"""
import json
import os
import subprocess
import sys
import tempfile

SIZE_MIB = 32
EVENT = ("KbdiagStreamTest", 4242)


TABLE_HEAD = ("\r\n   ProviderName: %s\r\n\r\n"
              "TimeCreated                     Id LevelDisplayName Message\r\n"
              "-----------                     -- ---------------- -------\r\n" % EVENT[0])


def table_row(k):
    return "6/13/2021 10:15:22 AM         %d Information      Stream test event number %d\r\n" % (EVENT[1], k)


def list_object(k):
    return ("TimeCreated  : 6/13/2021 10:15:22 AM\r\nProviderName : %s\r\nId           : %d\r\n"
            "RecordId     : %d\r\nMessage      : Stream test event number %d, whose message wraps onto\r\n"
            "               a second line.\r\n\r\n" % (EVENT[0], EVENT[1], k, k))


def json_object(k):
    return ('%s\r\n    {\r\n        "Id":  %d,\r\n        "Level":  4,\r\n        "ProviderName":  "%s",\r\n'
            '        "RecordId":  %d,\r\n        "TimeCreated":  "\\/Date(1623579322000)\\/",\r\n'
            '        "Message":  "Stream test event number %d {with [brackets] and \\"quotes\\"}"\r\n    }'
            % ("," if k > 1 else "", EVENT[1], EVENT[0], k, k))


# format: (what comes first, one event, what comes last)
FORMS = {
    "powershell-table": (TABLE_HEAD, table_row, ""),
    "powershell-list": ("", list_object, ""),
    "powershell-json": ("[", json_object, "\r\n]\r\n"),
}


def write(path, form, size, least=0):
    """Events until the file holds size bytes and least events; returns how many."""
    head, event, tail = FORMS[form]
    n = 0
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(head)
        while f.tell() < size or n < least:
            f.write("".join(event(k) for k in range(n + 1, n + 1001)))
            n += 1000
        f.write(tail)
    return n


def run(kbdiag, path):
    with tempfile.TemporaryFile() as out:
        env = dict(os.environ, ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") + ":quarantine_size_mb=1")
        proc = subprocess.Popen([kbdiag, "diagnose", path, "--format", "json", "-q"], stdout=out,
                                stderr=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        out.seek(0)
        return os.waitstatus_to_exitcode(status), json.loads(out.read().decode()), usage.ru_maxrss


def main():
    kbdiag = sys.argv[1]
    failures = []

    def check(ok, what):
        if not ok:
            failures.append(what)
            print("FAIL: " + what)

    with tempfile.TemporaryDirectory() as tmp:
        for form in FORMS:
            small, big = os.path.join(tmp, form + "-small"), os.path.join(tmp, form + "-big")
            write(small, form, 0, 2000)
            n = write(big, form, SIZE_MIB << 20)
            size = os.path.getsize(big)
            rss = {}
            for name, path, events in (("small", small, 2000), ("big", big, n)):
                status, report, rss[name] = run(kbdiag, path)
                inputs = report.get("inputs", [])
                check(status == 0, f"{form} {name}: exit status {status}")
                check(len(inputs) == 1 and inputs[0].get("format") == form,
                      f"{form} {name}: read as {inputs[0].get('format') if inputs else None}")
                check(inputs and inputs[0].get("read") == events,
                      f"{form} {name}: {inputs[0].get('read') if inputs else None} events read, want {events}")
                check(not report.get("warnings") and not report.get("errors"),
                      f"{form} {name}: warnings {report.get('warnings')} errors {report.get('errors')}")
            grew = rss["big"] - rss["small"]
            print(f"{form}: {size >> 20} MiB, {n} events; peak RSS {rss['small'] >> 10} MiB small, "
                  f"{rss['big'] >> 10} MiB big")
            check(grew * 1024 < size // 2,
                  f"{form}: peak RSS grew by {grew >> 10} MiB for {size >> 20} MiB of input, want under {size >> 21}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
