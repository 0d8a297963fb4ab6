#!/usr/bin/env python3
"""kbdiag's events from legacy binary .evt logs against evtexport's.

usage: evt_reference.py KBDIAG FILE.evt...

evtexport (libevt-utils) is libyal's own exporter, built on the library
kbdiag reads .evt with.  It prints each record's number, times, event
type, user SID, computer, source, category, 32-bit event identifier and
insertion strings; `-m items` the log's records, `-m recovered` those
libevt finds in the file's unused space.  evtinfo says how many of each
there are, and the log type the file's name implies (SysEvent.Evt is
System).  For each file, kbdiag diagnoses it with no rules and a trace (no
rules: every event kept), and each `event` fact must say what evtexport
says of the record with its number (kbdiag's provenance line and its
`record` slot):

  source = Source name            computer = Computer name
  id = Event identifier's low 16 bits (the qualifiers dropped)
  time = Creation time, UTC, ISO  user = User security identifier
  level = Event type: 0 and 4 information, 1 error, 2 warning,
          8 audit success, 16 audit failure
  category = Event category, unless 0 (Event Viewer's "None")
  message = the non-blank strings, trimmed, joined with ", ", CRs dropped
  log = evtinfo's Log type, or none

kbdiag must hold an event for each of the log's records but those its
error says could not be read ("K of N records could not be read", N being
evtinfo's count), and for each recovered record whose number no record of
the log has; recovered records with such a number are not read (copies or
half-overwritten versions of records the log holds), and kbdiag's error
must count them and the others as evtexport lists them.
"""
import datetime
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference  # noqa: E402

LEVELS = {0: "information", 1: "error", 2: "warning", 4: "information", 8: "audit success",
          16: "audit failure"}
FIELD = re.compile(r"^(Event number|Creation time|Written time|Event type|User security identifier|"
                   r"Computer name|Source name|Event category|Event identifier|Number of strings|"
                   r"String: \d+)\t+: ?(.*)$")


def evtexport(path, mode):
    """The records `evtexport -m MODE` prints, in order, as dicts of their
    fields; a string may run over several lines."""
    p = subprocess.run(["evtexport", "-m", mode, path], capture_output=True, text=True, errors="replace")
    records, cur, key = [], None, None
    for line in p.stdout.splitlines():
        m = FIELD.match(line)
        if m and m.group(1) == "Event number":
            cur = {"strings": []}
            records.append(cur)
        if cur is None:
            continue
        if m:
            key = m.group(1)
            if key.startswith("String: "):
                cur["strings"].append(m.group(2))
            else:
                cur[key] = m.group(2)
        elif key and key.startswith("String: "):  # a string's next line (or the blank line after a record)
            cur["strings"][-1] += "\n" + line
    return records


def evtinfo(path):
    p = subprocess.run(["evtinfo", path], capture_output=True, text=True, errors="replace")
    number = lambda what: int(re.search(what + r"\s*:\s*(\d+)", p.stdout).group(1))  # noqa: E731
    log = re.search(r"Log type\s*:\s*(.+)", p.stdout)
    return number("Number of records"), number("Number of recovered records"), log and log.group(1).strip()


def iso(when):
    if when.startswith("Not set"):
        return None
    return datetime.datetime.strptime(when, "%b %d, %Y %H:%M:%S UTC").strftime("%Y-%m-%dT%H:%M:%SZ")


def expected(rec, log):
    """The event slots kbdiag must give the record."""
    strings = [s.strip() for s in rec["strings"] if s.strip()]
    category = rec["Event category"]
    return {"record": int(rec["Event number"]), "source": rec.get("Source name"),
            "computer": rec.get("Computer name"),
            "id": int(re.search(r"\((\d+)\)", rec["Event identifier"]).group(1)) & 0xFFFF,
            "level": LEVELS.get(int(re.search(r"\((\d+)\)", rec["Event type"]).group(1))),
            "time": iso(rec["Creation time"]), "user": rec.get("User security identifier"),
            "category": None if category == "0" else category, "log": log,
            "message": ", ".join(strings).replace("\r", "").rstrip() or None}


def kbdiag_events(kbdiag, path):
    events, report = reference.kbdiag_events(kbdiag, path)
    by_line = {}
    for line, slots in events:
        by_line.setdefault(line, []).append(slots)
    return by_line, report


def said(report, pattern):
    m = re.search(pattern, " ".join(w["reason"] for w in report["warnings"]))
    return [int(g) for g in m.groups()] if m else None


def compare(number, want, got):
    """Problems with the events kbdiag has for one record number."""
    for w in want:
        if not any(all(g.get(k) == v for k, v in w.items()) for g in got):
            closest = got[0] if got else {}
            diff = {k: (closest.get(k), v) for k, v in w.items() if closest.get(k) != v}
            return ["record %d: kbdiag's event differs from evtexport's (kbdiag, evtexport): %s"
                    % (number, diff if got else "no event")]
    return []


def check(kbdiag, path):
    n, n_found, log = evtinfo(path)
    items, found = evtexport(path, "items"), evtexport(path, "recovered")
    got, report = kbdiag_events(kbdiag, path)
    inputs = report["inputs"]
    if not inputs or inputs[0]["format"] != "evt":
        return ["not read as evt: %s" % inputs]
    want = {}
    for rec in items:
        want.setdefault(int(rec["Event number"]), []).append(expected(rec, log))
    held = set(want)
    copies = 0
    for rec in found:
        number = int(rec["Event number"])
        if number in held:
            copies += 1
        else:
            want.setdefault(number, []).append(expected(rec, log))
    problems = []
    for number in sorted(want):
        problems += compare(number, want[number], got.get(number, []))
    extra = sorted(set(got) - set(want))
    if extra:
        problems.append("kbdiag has records evtexport does not: %s" % extra[:5])
    unread = said(report, r"(\d+) of (\d+) records could not be read") or [0, n]
    if unread[1] != n:
        problems.append("kbdiag counts %d records, evtinfo %d" % (unread[1], n))
    if len(items) != n or unread[0]:
        problems.append("evtexport printed %d of %d records, kbdiag says %d could not be read"
                        % (len(items), n, unread[0]))
    recovered = said(report, r"of (\d+) records found in unused space, (\d+) were read too .*?, "
                             r"(\d+) are copies") or [0, 0, 0]
    if recovered != [n_found, len(found) - copies, copies]:
        problems.append("kbdiag says of %d records in unused space %d were read, %d copies; "
                        "evtinfo/evtexport: %d, %d, %d" % tuple(recovered + [n_found, len(found) - copies, copies]))
    if inputs[0]["read"] != len(items) + len(found) - copies:
        problems.append("kbdiag read %d events, evtexport lists %d records and %d new ones in unused space"
                        % (inputs[0]["read"], len(items), len(found) - copies))
    return problems


if __name__ == "__main__":
    sys.exit(reference.run(check))
