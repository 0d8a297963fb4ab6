#!/usr/bin/env python3
"""Runs one end-to-end case of the kbdiag command line.

A case is a directory holding case.json and the files it names:
  {"runs": [{"args": [...],              # kbdiag's arguments; run in the case directory
             "status": 1,                 # expected exit status
             "stdout": "expected.txt",    # exact text (elapsed times masked), or
             "stdout_json": "expected.json",  # exact JSON (stats.elapsed_ms dropped)
             "stdout_contains": ["..."], "stdout_lacks": ["..."],
             "stderr_contains": ["..."], "stderr_lacks": ["..."]}]}
Set KBDIAG_UPDATE=1 to rewrite the expected files from the actual output.
"""
import json
import os
import re
import subprocess
import sys


def mask_text(s):
    return re.sub(r"[0-9]+(\.[0-9]+)? ms\b", "X ms", s)


def drop_elapsed(doc):
    if isinstance(doc, dict):
        doc.get("stats", {}).pop("elapsed_ms", None)
    return doc


def check_run(kbdiag, case_dir, run, n):
    env = dict(os.environ, HOME=case_dir, XDG_CONFIG_HOME=os.path.join(case_dir, "no-such-config"))
    env.update(run.get("env", {}))
    p = subprocess.run([kbdiag] + run["args"], cwd=case_dir, env=env,
                       capture_output=True, text=True, timeout=120)
    where = f"{os.path.basename(case_dir)} run {n} (kbdiag {' '.join(run['args'])})"
    problems = []
    if p.returncode != run.get("status", 0):
        problems.append(f"exit status {p.returncode}, expected {run.get('status', 0)}")
    update = os.environ.get("KBDIAG_UPDATE") == "1"
    if "stdout" in run:
        path = os.path.join(case_dir, run["stdout"])
        if update:
            open(path, "w").write(mask_text(p.stdout))
        elif mask_text(p.stdout) != open(path).read():
            problems.append(f"stdout differs from {run['stdout']}:\n{p.stdout}")
    if "stdout_json" in run:
        path = os.path.join(case_dir, run["stdout_json"])
        try:
            got = drop_elapsed(json.loads(p.stdout))
        except json.JSONDecodeError as e:
            problems.append(f"stdout is not JSON ({e}):\n{p.stdout}")
            got = None
        if got is not None and update:
            open(path, "w").write(json.dumps(got, indent=2) + "\n")
        elif got is not None and got != json.load(open(path)):
            problems.append(f"JSON differs from {run['stdout_json']}:\n{json.dumps(got, indent=2)}")
    for stream, text in (("stdout", p.stdout), ("stderr", p.stderr)):
        for needle in run.get(stream + "_contains", []):
            if needle not in text:
                problems.append(f"{stream} lacks {needle!r}:\n{text}")
        for needle in run.get(stream + "_lacks", []):
            if needle in text:
                problems.append(f"{stream} has {needle!r}:\n{text}")
    for problem in problems:
        print(f"FAIL {where}: {problem}")
    if problems and p.stderr:
        print(f"stderr was:\n{p.stderr}")
    return not problems


def main():
    kbdiag, case_dir = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    case = json.load(open(os.path.join(case_dir, "case.json")))
    ok = all([check_run(kbdiag, case_dir, run, i + 1) for i, run in enumerate(case["runs"])])
    print(("ok " if ok else "FAILED ") + os.path.basename(case_dir))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
