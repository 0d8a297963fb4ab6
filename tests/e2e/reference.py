"""What the reference tests (evtx_reference.py, evt_reference.py,
registry_reference.py) share: kbdiag's facts of one file, read from its
trace, and the run over the files given on the command line."""
import json
import os
import subprocess
import sys
import tempfile


def kbdiag_facts(kbdiag, path, *options):
    """Every fact kbdiag makes of path with no rules (trace entries:
    kind, line, slots ...), and its JSON report."""
    with tempfile.TemporaryDirectory() as tmp:
        trace = os.path.join(tmp, "t.json")
        p = subprocess.run([kbdiag, "diagnose", "--no-stock", *options, "--format", "json", "--trace", trace, path],
                           capture_output=True, text=True)
        report = json.loads(p.stdout)
        with open(trace, encoding="utf-8") as f:
            facts = json.load(f)["facts"]
    return facts, report


def kbdiag_events(kbdiag, path):
    """(line, slots) of each event fact kbdiag makes of path, and its JSON report."""
    facts, report = kbdiag_facts(kbdiag, path)
    return [(f["line"], f["slots"]) for f in facts if f["kind"] == "event"], report


def run(check):
    """usage: SCRIPT KBDIAG FILE...: check(kbdiag, path) gives each file's
    problems; prints ok or FAIL per file with them; the exit status."""
    kbdiag, files = sys.argv[1], sys.argv[2:]
    failed = 0
    for path in files:
        problems = check(kbdiag, path)
        print("%s %s" % ("FAIL" if problems else "ok  ", os.path.basename(path)))
        for p in problems[:10]:
            print("     " + p)
        failed += bool(problems)
    return 1 if failed or not files else 0
