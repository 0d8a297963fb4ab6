#!/usr/bin/env python3
"""check.py REPORT.json RULE [NEEDLE...]: passes when the kbdiag JSON
report has exactly one finding of RULE whose message holds every NEEDLE
(one problem, one finding, however often the daemon logged it); otherwise
prints the findings and fails."""
import json
import sys

path, rule, needles = sys.argv[1], sys.argv[2], sys.argv[3:]
try:
    report = json.load(open(path))
except (OSError, ValueError) as e:
    sys.exit(f"no JSON report in {path}: {e}")
findings = report.get("findings", [])
found = [f for f in findings if f.get("rule") == rule and all(n in f.get("message", "") for n in needles)]
if len(found) != 1:
    print(json.dumps(findings, indent=2))
    sys.exit(f"expected one {rule} finding naming {needles}, got {len(found)}")
print(f"ok {rule}: {found[0]['message']}")
