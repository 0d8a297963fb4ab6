#!/usr/bin/env python3
"""kbdiag's events from binary .evtx logs against evtxexport's.

usage: evtx_reference.py KBDIAG FILE.evtx...

evtxexport (libevtx-utils) is libyal's own exporter, built on the library
kbdiag reads .evtx with.  Its text form gives each record's number,
level, computer, source and event identifier from libevtx's record
functions; its XML form (`-f xml`, read here with Python's own parser)
the creation time and the insertion strings.  For each file, kbdiag
diagnoses it with no rules and a trace (no rules: every event kept) and
each `event` fact must say what evtxexport says of the record whose
number (the record header's: kbdiag's provenance line; the `record` slot
is the XML's EventRecordID) is the same:

  source = Source name           computer = Computer name
  id = Event identifier          time = TimeCreated, to the second, UTC
  level = Event level: 1 critical, 2 error, 3 warning, 0 and 4
          information, 5 verbose; an audit event (level 0 or 4 with the
          audit keywords) is "audit success" or "audit failure"
  message = the non-blank Data values of EventData (or leaf values of
          UserData), trimmed, joined with ", " (a binary log holds no
          rendered message)

evtxexport stops at the first record it cannot read; evtxinfo says how
many records the log holds.  kbdiag must hold an event for each of them
but the K its error says ("K of N records could not be read", N being
evtxinfo's count), and K is 0 exactly when evtxexport read every record.
"""
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference  # noqa: E402

LEVELS = {0: "information", 1: "critical", 2: "error", 3: "warning", 4: "information", 5: "verbose"}


def evtxexport(path):
    """The records evtxexport prints, by number, and whether it stopped."""
    p = subprocess.run(["evtxexport", path], capture_output=True, text=True, errors="replace")
    records, cur = {}, None
    for line in p.stdout.splitlines():
        key, _, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if key == "Event number":
            cur = records.setdefault(int(value), {})
        elif cur is None:
            continue
        elif key == "Event level":
            cur["level"] = int(re.search(r"\((\d+)\)", value).group(1))
        elif key == "Computer name":
            cur["computer"] = value
        elif key == "Source name":
            cur["source"] = value
        elif key == "Event identifier":
            cur["id"] = int(re.search(r"\((\d+)\)", value).group(1))
    return records, p.returncode != 0


def record_count(path):
    """How many records evtxinfo says the log holds."""
    p = subprocess.run(["evtxinfo", path], capture_output=True, text=True, errors="replace")
    return int(re.search(r"Number of records\s*:\s*(\d+)", p.stdout).group(1))


def local(tag):
    return tag.rsplit("}", 1)[-1]


def xml_events(path):
    """The records `evtxexport -f xml` prints, in file order, each an
    <Event> read with Python's own XML parser; its exit status and
    stderr."""
    p = subprocess.run(["evtxexport", "-f", "xml", path], capture_output=True, text=True, errors="replace")
    docs = re.findall(r"<Event [^>]*>.*?</Event>", p.stdout, re.S)
    return [ET.fromstring(d) for d in docs], p.returncode, p.stderr


def xml_fields(path):
    """Per record, in file order, what `evtxexport -f xml` shows of its
    creation time and its insertion strings (EventData's Data values,
    UserData's leaf values)."""
    out = []
    for root in xml_events(path)[0]:
        created = next((e.get("SystemTime") for e in root.iter() if local(e.tag) == "TimeCreated"), "")
        values = []
        for section in root:
            if local(section.tag) == "EventData":
                values += [d.text or "" for d in section if local(d.tag) == "Data"]
            elif local(section.tag) == "UserData":
                values += [e.text or "" for e in section.iter() if len(e) == 0 and e is not section]
        message = ", ".join(v.strip() for v in values if v.strip()).replace("\r", "").rstrip()
        out.append({"time": re.sub(r"\.\d+Z$", "Z", created), "message": message or None})
    return out


def kbdiag_events(kbdiag, path):
    events, report = reference.kbdiag_events(kbdiag, path)
    return dict(events), report


def check(kbdiag, path):
    want, stopped = evtxexport(path)
    for w, x in zip(want.items(), xml_fields(path)):  # both in file order
        w[1].update(x)
    got, report = kbdiag_events(kbdiag, path)
    problems = []
    inputs = report["inputs"]
    if not inputs or inputs[0]["format"] != "evtx":
        return ["not read as evtx: %s" % inputs]
    for number, w in sorted(want.items()):
        g = got.get(number)
        if g is None:
            problems.append("record %d: evtxexport reads it, kbdiag has no event" % number)
            continue
        level = LEVELS[w["level"]]
        expect = {"source": w["source"], "id": w["id"], "time": w["time"], "computer": w["computer"],
                  "message": w["message"]}
        for slot, value in expect.items():
            if g.get(slot) != value:
                problems.append("record %d: %s is %r, evtxexport says %r" % (number, slot, g.get(slot), value))
        if g.get("level") != level and not (w["level"] in (0, 4) and g.get("level", "").startswith("audit")):
            problems.append("record %d: level is %r, evtxexport says %d" % (number, g.get("level"), w["level"]))
    extra = sorted(set(got) - set(want))
    if extra and not stopped:
        problems.append("kbdiag has records evtxexport does not: %s" % extra[:5])
    said = " ".join(w["reason"] for w in report["warnings"])
    unread = re.search(r"(\d+) of (\d+) records could not be read", said)
    k, n, held = int(unread.group(1)) if unread else 0, record_count(path), len(got)
    if unread and int(unread.group(2)) != n:
        problems.append("kbdiag counts %s records, evtxinfo %d" % (unread.group(2), n))
    if held != n - k:
        problems.append("kbdiag holds %d events, says %d of %d could not be read" % (held, k, n))
    if (k > 0) != stopped:
        problems.append("evtxexport %s every record, kbdiag says %d could not be read"
                        % ("could not read" if stopped else "read", k))
    return problems


if __name__ == "__main__":
    sys.exit(reference.run(check))
