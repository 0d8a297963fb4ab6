#!/usr/bin/env python3
"""The project's .evtx writer (bench/bundlegen/evtx.py) against libyal's
reference tools, and kbdiag against both.

usage: evtx_writer.py KBDIAG

Events of every shape the writer knows (with and without qualifiers,
Data names, binary data, a user SID, a provider GUID; empty, long,
non-ASCII and markup-laden strings; enough of them for several chunks,
so that names and templates are defined again in each chunk) are
written to a temporary .evtx.  Then:
  - evtxinfo must say version 3.1 and count every record;
  - `evtxexport -f xml` must give back each record's provider (and GUID,
    EventSourceName), EventID and Qualifiers, Level, Task, Keywords,
    TimeCreated (to the 100 ns), EventRecordID, Channel, Computer,
    Security UserID, the Data values and names, and Binary, as written;
  - evtxexport's text form must read every record with no error;
  - kbdiag must read the file as evtx and hold the events evtxexport
    shows (evtx_reference.check: source, id, level, time, computer,
    message as the insertion strings joined);
  - a log whose first chunk is filled to a few bytes of its end must have
    every record counted by evtxinfo.
"""
import datetime
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "bench"))
sys.path.insert(0, HERE)
from bundlegen import evtx  # noqa: E402
import evtx_reference  # noqa: E402
from evtx_reference import local  # noqa: E402

SCM_GUID = "{555908d1-a6d7-4695-8e1e-26931d2012f4}"
STRINGS = ["POP3", "", "Größe < 10 & \"quoted\" 'too' > 5", "line one\r\nline two", "日本語のテキスト",
           "%%10048", "x" * 3000, "  padded  "]


def events(n):
    base = datetime.datetime(2009, 3, 2, 8, 15, 25, 123456, tzinfo=datetime.timezone.utc)
    out = []
    for i in range(n):
        ev = {"provider": ["MSExchange Pop3 Interface", "Service Control Manager", "W3SVC", "EventLog"][i % 4],
              "event_id": [11508, 7000, 115, 6005][i % 4], "qualifiers": [49152, 49152, None, 32768][i % 4],
              "level": [2, 2, 3, 4][i % 4], "task": i % 3, "keywords": 0x80000000000000 | (i % 2),
              "time": base + datetime.timedelta(seconds=37 * i, microseconds=i),
              "record": 1000 + i, "channel": ["Application", "System"][i % 2], "computer": "HOST%d.contoso.com" % (i % 5),
              "strings": [STRINGS[(i + k) % len(STRINGS)] for k in range(i % 5)]}
        if i % 4 == 1:
            ev["guid"] = SCM_GUID
            ev["names"] = ["param%d" % (k + 1) for k in range(len(ev["strings"]))]
        if i % 3 == 0:
            ev["binary"] = bytes([(i + k) % 256 for k in range(4 + i % 9)])
        if i % 7 == 0:
            ev["user"] = ["S-1-5-18", "S-1-5-21-1004336348-1177238915-682003330-512"][i % 2]
        out.append(ev)
    return out


def tight_chunk():
    """Events whose first chunk is filled to within a few bytes of its end
    (the writer leaves evtx.CHUNK_SLACK; libevtx 20181227 drops a record
    that ends less than 4 bytes before the chunk's end), found by trying
    string lengths and binary data of odd and even size; and the space
    left."""
    for n in range(60, 460):
        for k in (1, 2):
            evs = [{"provider": "EventLog", "event_id": 6005, "qualifiers": 32768, "level": 4, "time": 1e9 + i,
                    "record": i + 1, "channel": "System", "computer": "HOST", "strings": ["x" * n],
                    "binary": bytes(k)} for i in range(600)]
            data = evtx.build(evs)
            left = evtx.CHUNK_SIZE - int.from_bytes(data[4096 + 48:4096 + 52], "little")
            if left <= evtx.CHUNK_SLACK + 3:
                return evs, left
    raise SystemExit("no string length fills a chunk tightly")


def child(e, name):
    return next((c for c in e if local(c.tag) == name), None)


def expected_time(when):
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + "%07d00Z" % (when.microsecond * 10)


def compare(ev, root):
    """What differs between an event dict and evtxexport's <Event>."""
    system, data = child(root, "System"), child(root, "EventData")
    prov, eid = child(system, "Provider"), child(system, "EventID")
    got = {"provider": prov.get("Name"), "guid": prov.get("Guid"), "source_name": prov.get("EventSourceName"),
           "event_id": int(eid.text), "qualifiers": eid.get("Qualifiers"),
           "level": int(child(system, "Level").text), "task": int(child(system, "Task").text),
           "keywords": int(child(system, "Keywords").text, 16),
           "time": child(system, "TimeCreated").get("SystemTime"),
           "record": int(child(system, "EventRecordID").text), "channel": child(system, "Channel").text,
           "computer": child(system, "Computer").text, "user": child(system, "Security").get("UserID"),
           "strings": [d.text or "" for d in data if local(d.tag) == "Data"],
           "names": [d.get("Name") for d in data if local(d.tag) == "Data"],
           "binary": next((d.text for d in data if local(d.tag) == "Binary"), None)}
    want = {"provider": ev["provider"], "guid": ev.get("guid"),
            "source_name": ev["provider"] if ev.get("guid") else None, "event_id": ev["event_id"],
            "qualifiers": None if ev["qualifiers"] is None else str(ev["qualifiers"]), "level": ev["level"],
            "task": ev["task"], "keywords": ev["keywords"], "time": expected_time(ev["time"]),
            "record": ev["record"], "channel": ev["channel"], "computer": ev["computer"], "user": ev.get("user"),
            "strings": [s.replace("\r\n", "\n") for s in ev["strings"]],
            "names": ev.get("names") or [None] * len(ev["strings"]),
            "binary": ev["binary"].hex().upper() if "binary" in ev else None}
    got["strings"] = [s.replace("\r\n", "\n") for s in got["strings"]]
    return ["%s is %r, written %r" % (k, got[k], want[k]) for k in want if got[k] != want[k]]


def main():
    kbdiag = sys.argv[1]
    evs = events(1500)
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "written.evtx")
        evtx.write(path, evs)
        size = os.path.getsize(path)
        nchunks = (size - 4096) // 65536
        if nchunks < 3:
            problems.append("only %d chunks: the test means to cross chunk ends" % nchunks)
        info = subprocess.run(["evtxinfo", path], capture_output=True, text=True).stdout
        if not re.search(r"Version\s*:\s*3\.1", info):
            problems.append("evtxinfo: no version 3.1 in %r" % info)
        if evtx_reference.record_count(path) != len(evs):
            problems.append("evtxinfo counts %d records, %d written" % (evtx_reference.record_count(path), len(evs)))
        roots, rc, err = evtx_reference.xml_events(path)
        if rc != 0 or len(roots) != len(evs):
            problems.append("evtxexport -f xml: exit %d, %d of %d events; %s" % (rc, len(roots), len(evs), err[:300]))
        for ev, root in zip(evs, roots):
            problems += ["record %d: %s" % (ev["record"], d) for d in compare(ev, root)]
        records, stopped = evtx_reference.evtxexport(path)
        if stopped or len(records) != len(evs):
            problems.append("evtxexport: %d records read, stopped: %s" % (len(records), stopped))
        problems += ["kbdiag: " + p for p in evtx_reference.check(kbdiag, path)]
        tight, left = tight_chunk()
        evtx.write(path, tight)
        if evtx_reference.record_count(path) != len(tight):
            problems.append("a chunk filled to %d bytes of its end: evtxinfo counts %d records, %d written"
                            % (left, evtx_reference.record_count(path), len(tight)))
    print("%s: %d events, %d chunks" % ("FAIL" if problems else "ok", len(evs), nchunks))
    for p in problems[:20]:
        print("  " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
