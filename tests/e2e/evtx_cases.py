#!/usr/bin/env python3
"""The stock rules' Windows cases with a binary log (.evtx, and a legacy
.evt) in place of each event export: the same findings, or a reason why
they cannot be.

usage: evtx_cases.py KBDIAG

tests/e2e/windows/case_events.json (written by make_cases.py with the
cases) lists, per case, each exported event file and its events with the
insertion strings a binary log carries.  For each case the bundle is
copied with every such file replaced by an .evtx of its events, written
by the project's writer (bench/bundlegen/evtx.py), and both bundles are
diagnosed: the findings (rule, severity, message, remedy) must be the
same.  A legacy .evt of the same events (bench/bundlegen/evtfile.py)
carries the same insertion strings and data: its findings must be the
.evtx's.  The bundle with the .evtx is then zipped one folder deep
(NAME.zip!NAME/...), as a collection script sends it, and the zip must
give the findings of the folder it was made of.  Each event a finding
cites must say how its message was made.

A binary log carries no message text: kbdiag renders it from the
template the knowledge holds for the event (rules/knowledge/
event_messages.lua) or, with none, matches the insertion strings joined.
A case whose findings differ while one of its events had no template
(its `message_from` is "insertion strings") is not comparable: it is
skipped, and says so with its reason, only when NOT_COMPARABLE lists it
with why it cannot be; any other fails, and so does a listed case that
compares after all (the list would hide it).  One that differs with
every event rendered from a template fails.  So do a case whose .evtx
kbdiag does not read as evtx, and a run where no case at all was
rendered from templates (the comparison would then test nothing of
them).
"""
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import types

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "bench"))
sys.path.insert(0, os.path.join(ROOT, "bench", "bundlegen"))  # its modules import one another by name
from bundlegen import evtx  # noqa: E402
import archive_case  # noqa: E402  (the zip a collection script makes of a bundle)
import evtfile  # noqa: E402

CASES = os.path.join(ROOT, "rules", "kb", "tests")
SIDECAR = os.path.join(HERE, "windows", "case_events.json")
SYSTEM_SOURCES = {"service control manager", "smtpsvc", "w3svc", "msftpsvc", "nntpsvc"}
# Cases a binary log cannot give the findings of, and why.
NOT_COMPARABLE = {
    "Q271275-unknown-source-spelling": "the case is a source spelling the knowledge does not list, found by the "
    "export's message text; a binary log has no message text, and no template is known for that spelling",
}


def evtx_events(events):
    out = []
    for i, ev in enumerate(events, 1):
        out.append({"provider": ev["provider"], "event_id": ev["event_id"], "qualifiers": 49152,
                    "level": ev["level"], "time": ev["time"], "record": ev.get("record", i),
                    "channel": "System" if ev["provider"].lower() in SYSTEM_SOURCES else "Application",
                    "computer": ev["computer"], "strings": ev["strings"],
                    "binary": bytes.fromhex(ev["binary"]) if ev.get("binary") else None})
    return out


def write_evt(path, events):
    """events as a legacy .evt log: each its own variant of evtfile's."""
    variants, timed = [], []
    for i, ev in enumerate(events):
        kind = types.SimpleNamespace(source=ev["provider"], user=None, qualifiers=49152,
                                     event_id=ev["event_id"], level=ev["level"], task=0,
                                     data=bytes.fromhex(ev["binary"]) if ev.get("binary") else None)
        variants.append((kind, None, ev["strings"]))
        when = datetime.datetime.fromisoformat(ev["time"].replace("Z", "+00:00"))
        timed.append((i, int(when.timestamp()), ev.get("record", i + 1)))
    evtfile.COMPUTER = events[0]["computer"] if events else ""  # the writer names one computer per log
    evtfile.write(path, variants, [timed])


def diagnose(kbdiag, bundle, trace=None):
    args = [kbdiag, "diagnose", "--format", "json"] + (["--trace", trace] if trace else []) + [bundle]
    p = subprocess.run(args, capture_output=True, text=True)
    report = json.loads(p.stdout)
    findings = sorted((f["rule"], f["severity"], f["message"], f.get("remedy") or "") for f in report["findings"])
    return findings, report


def check(kbdiag, name, files, tmp):
    """'ok …', 'not comparable: …' or 'FAIL: …' for one case."""
    orig = os.path.join(CASES, name, "bundle")
    copy = os.path.join(tmp, name, "bundle")
    shutil.copytree(orig, copy)
    for fname, events in files.items():
        os.remove(os.path.join(copy, fname))
        evtx.write(os.path.join(copy, os.path.splitext(fname)[0] + ".evtx"), evtx_events(events))
    want, _ = diagnose(kbdiag, orig)
    trace = os.path.join(tmp, name + ".trace.json")
    got, report = diagnose(kbdiag, copy, trace)
    unread = [i["path"] for i in report["inputs"] if i["path"].endswith(".evtx") and i["format"] != "evtx"]
    if unread:
        return "FAIL: not read as evtx: %s" % unread
    facts = [f for f in json.load(open(trace))["facts"] if f["kind"] == "event"]
    untemplated = sorted({"%s %d" % (f["slots"]["source"], f["slots"]["id"]) for f in facts
                          if f["slots"].get("message_from") != "template"})
    if len(facts) != sum(len(e) for e in files.values()):
        return "FAIL: %d events read from the .evtx, %d written" % (len(facts), sum(len(e) for e in files.values()))
    zipped = os.path.join(tmp, name + ".zip")
    archive_case.zip_bundle(copy, name, zipped)
    from_zip, _ = diagnose(kbdiag, zipped)
    if from_zip != got:
        return "FAIL: the zip of the bundle with its .evtx gives %s, the folder %s" % (from_zip, got)
    # an event with no insertion strings and no template (DHCPServer 1007
    # keeps its error in the data, Q194028) has no message to say it of
    messageless = {f["id"] for f in facts if "message" not in f["slots"]}
    cited = [e["text"] for f in report["findings"] for e in f["evidence"]
             if e["kind"] == "event" and e["fact"] not in messageless]
    notes = ("(message from the event's published template)", "(no template known: the insertion strings)")
    if any(not any(n in t for n in notes) for t in cited):
        return "FAIL: an event's evidence does not say how its message was made: %s" % cited
    legacy = os.path.join(tmp, name, "legacy")
    shutil.copytree(orig, legacy)
    for fname, events in files.items():
        os.remove(os.path.join(legacy, fname))
        write_evt(os.path.join(legacy, os.path.splitext(fname)[0] + ".evt"), events)
    from_evt, evt_report = diagnose(kbdiag, legacy)
    unread = [i["path"] for i in evt_report["inputs"] if i["path"].endswith(".evt") and i["format"] != "evt"]
    if unread or from_evt != got:
        return "FAIL: the .evt of the events gives %s, the .evtx %s%s" % (
            from_evt, got, "; not read as evt: %s" % unread if unread else "")
    if got == want:
        return "ok (%s)" % ("templates" if not untemplated else "insertion strings of " + ", ".join(untemplated))
    diff = "expected %s, got %s" % (sorted(set(want) - set(got))[:2], sorted(set(got) - set(want))[:2])
    if untemplated:
        return "not comparable: no published template for %s; %s" % (", ".join(untemplated), diff)
    return "FAIL: " + diff


def main():
    kbdiag = sys.argv[1]
    with open(SIDECAR, encoding="utf-8") as f:
        cases = json.load(f)
    failed, skipped, templated = 0, 0, 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, files in sorted(cases.items()):
            verdict = check(kbdiag, name, files, tmp)
            if verdict.startswith("not comparable") and name in NOT_COMPARABLE:
                verdict = "SKIPPED, " + verdict + " (" + NOT_COMPARABLE[name] + ")"
                skipped += 1
            elif verdict.startswith("not comparable"):
                verdict = "FAIL: " + verdict + " (not listed in NOT_COMPARABLE with a reason)"
            elif name in NOT_COMPARABLE:
                verdict = "FAIL: listed in NOT_COMPARABLE, but " + verdict
            failed += verdict.startswith("FAIL")
            templated += verdict == "ok (templates)"
            print("%-40s %s" % (name, verdict))
    if not templated:
        print("FAIL: no case was rendered from templates alone")
        failed += 1
    print("%d passed, %d failed, %d skipped" % (len(cases) - failed - skipped, failed, skipped))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
