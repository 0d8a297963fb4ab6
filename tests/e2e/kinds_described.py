#!/usr/bin/env python3
"""Every slot of every kind the stock schema, the binding (finding) and
the stock rules declare says what it means (`kbdiag rules kinds` shows it
to rule writers): a kind added without meanings fails here, naming its
slots."""
import json
import subprocess
import sys

kbdiag = sys.argv[1]
p = subprocess.run([kbdiag, "rules", "kinds", "--format", "json"], capture_output=True, text=True, timeout=120)
if p.returncode != 0:
    sys.exit(f"rules kinds failed ({p.returncode}):\n{p.stderr}")
kinds = json.loads(p.stdout)
bare = [f"{k['kind']}.{s['name']} ({', '.join(k['declared'])})"
        for k in kinds
        for s in k["slots"] if not s.get("description")]
if bare:
    sys.exit("slots without a meaning:\n  " + "\n  ".join(bare))
if len(kinds) < 20:
    sys.exit(f"only {len(kinds)} kinds listed: the stock rules did not load")
print(f"{sum(len(k['slots']) for k in kinds)} slots of {len(kinds)} kinds described")
