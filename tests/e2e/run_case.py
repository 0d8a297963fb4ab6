#!/usr/bin/env python3
"""Runs one end-to-end case of the kbdiag command line.

A case is a directory holding case.json and the files it names:
  {"runs": [{"args": [...],              # kbdiag's arguments; run in the case directory
             "status": 1,                 # expected exit status
             "stdout": "expected.txt",    # exact text (elapsed times masked), or
             "stdout_json": "expected.json",  # exact JSON (stats.elapsed_ms dropped)
             "stdout_contains": ["..."], "stdout_lacks": ["..."],
             "stderr_contains": ["..."], "stderr_lacks": ["..."],
             "stdout_to": "{tmp}/out.json",       # also save stdout there
             "files": {"{tmp}/trace.txt": {"equals": "expected-trace.txt",
                                           "contains": ["..."]}},
             "checks": [["dot", "-Tsvg", "-o", "{tmp}/t.svg", "{tmp}/t.dot"]],
             "max_seconds": 1.0,              # wall time of the run, at most
             "files_absent": ["pwned"],       # paths (case-relative or absolute) that must not exist after
             "no_new_files": true}]}          # nothing new appears in the case directory
In args, stdout_to, files and checks, {tmp} is a directory the case's runs
share (removed afterwards), {source} the source tree and {python} this
Python.  Each check is a command that must exit 0 after the run.
Set KBDIAG_UPDATE=1 to rewrite the expected files from the actual output.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

SOURCE = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def mask_text(s):
    """Elapsed times and the source tree's place (stock rules are named by
    their absolute path) do not count."""
    return re.sub(r"[0-9]+(\.[0-9]+)? ms\b", "X ms", s).replace(SOURCE, "{source}")


def drop_elapsed(doc):
    if isinstance(doc, dict):
        doc.get("stats", {}).pop("elapsed_ms", None)
        for host in doc.get("hosts", []):  # a report of several hosts
            drop_elapsed(host)
    return doc


def expand(s, tmp):
    return s.replace("{tmp}", tmp).replace("{source}", SOURCE).replace("{python}", sys.executable)


def check_files(case_dir, run, tmp, update):
    problems = []
    for name, want in run.get("files", {}).items():
        path = expand(name, tmp)
        if not os.path.exists(path):
            problems.append(f"{name} was not written")
            continue
        text = open(path, encoding="utf-8").read()
        if "equals" in want:
            expected = os.path.join(case_dir, want["equals"])
            if update:
                open(expected, "w").write(mask_text(text))
            elif mask_text(text) != open(expected).read():
                problems.append(f"{name} differs from {want['equals']}:\n{text}")
        for needle in want.get("contains", []):
            if needle not in text:
                problems.append(f"{name} lacks {needle!r}:\n{text}")
    return problems


def run_checks(case_dir, run, tmp):
    problems = []
    for check in run.get("checks", []):
        argv = [expand(a, tmp) for a in check]
        p = subprocess.run(argv, cwd=case_dir, capture_output=True, text=True, timeout=120)
        if p.returncode != 0:
            problems.append(f"check {' '.join(argv)} failed ({p.returncode}):\n{p.stdout}{p.stderr}")
    return problems


def tree(top):
    return {os.path.join(d, f) for d, _, files in os.walk(top) for f in files} | \
           {d for d, _, _ in os.walk(top)}


def check_run(kbdiag, case_dir, run, n, tmp):
    # the machine's own rule folders (a site rule in /etc/kbdiag/rules.d) are not the case's
    env = dict(os.environ, HOME=case_dir, XDG_CONFIG_HOME=os.path.join(case_dir, "no-such-config"),
               KBDIAG_SYSTEM_RULES=os.path.join(case_dir, "no-such-system-rules"))
    env.update(run.get("env", {}))
    before = tree(case_dir) if run.get("no_new_files") else None
    started = time.monotonic()
    p = subprocess.run([kbdiag] + [expand(a, tmp) for a in run["args"]], cwd=case_dir, env=env,
                       capture_output=True, text=True, timeout=120)
    took = time.monotonic() - started
    if "stdout_to" in run:
        open(expand(run["stdout_to"], tmp), "w").write(p.stdout)
    where = f"{os.path.basename(case_dir)} run {n} (kbdiag {' '.join(run['args'])})"
    problems = []
    if "max_seconds" in run and took > run["max_seconds"]:
        problems.append(f"took {took:.2f} s, more than {run['max_seconds']} s")
    for path in run.get("files_absent", []):
        if os.path.lexists(os.path.join(case_dir, path)):
            problems.append(f"{path} exists after the run")
    if before is not None and tree(case_dir) != before:
        problems.append(f"new files: {sorted(tree(case_dir) - before)}")
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
    problems += check_files(case_dir, run, tmp, update)
    problems += run_checks(case_dir, run, tmp)
    for problem in problems:
        print(f"FAIL {where}: {problem}")
    if problems and p.stderr:
        print(f"stderr was:\n{p.stderr}")
    return not problems


def main():
    kbdiag, case_dir = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    case = json.load(open(os.path.join(case_dir, "case.json")))
    tmp = tempfile.mkdtemp(prefix="kbdiag-e2e-")
    try:
        ok = all([check_run(kbdiag, case_dir, run, i + 1, tmp) for i, run in enumerate(case["runs"])])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(("ok " if ok else "FAILED ") + os.path.basename(case_dir))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
