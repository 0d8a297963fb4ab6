#!/usr/bin/env python3
"""A bundle zipped gives the findings the loose bundle gives.

For each stock rule case (rules/kb/tests/NAME/bundle), the bundle's files
are zipped at test time one folder deep (NAME.zip holding NAME/<file>, as
a collection script or Explorer's "Send to compressed folder" makes it),
and `kbdiag diagnose --format json` runs on the folder and on the zip.
The findings must be the same (near-miss cases have none either way):
rule, severity, title, message and remedy, and the evidence lines, whose
sources move from "file:line" to "NAME.zip!NAME/file:line" (a snapshot's
facts keep the sources they were recorded with: a collector, a file on the
host they came from).  Every entry
of the zip must be an input, the zip itself an input of format "zip",
and the warnings (inputs not read or read in part) those of the loose
files, named inside the zip.

usage: archive_case.py KBDIAG [CASE_DIR...]   (default: every rules/kb/tests case)
"""
import glob
import json
import os
import subprocess
import sys
import tempfile
import zipfile

SOURCE = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def diagnose(kbdiag, path, cwd):
    run = subprocess.run([kbdiag, "diagnose", "--format", "json", path], capture_output=True, text=True, cwd=cwd)
    if run.returncode not in (0, 1):
        raise SystemExit(f"kbdiag diagnose {path} exited {run.returncode}: {run.stderr}")
    return json.loads(run.stdout)


def findings(report, moved=lambda s: s):
    """The findings as comparable tuples, evidence sources passed through moved."""
    out = []
    for f in report["findings"]:
        evidence = sorted((moved(e["source"]), e.get("text")) for e in f.get("evidence", []))
        out.append((f["rule"], f["severity"], f.get("title"), f.get("message"), f.get("remedy"), evidence))
    return sorted(out, key=repr)


def zip_bundle(bundle, name, path):
    files = sorted(os.listdir(bundle))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(name + "/", b"")  # the folder's own entry, as Explorer writes it
        for f in files:
            z.write(os.path.join(bundle, f), f"{name}/{f}")
    return files


def check_case(kbdiag, case, tmp):
    name = os.path.basename(os.path.normpath(case))
    bundle = os.path.join(case, "bundle")
    archive = os.path.join(tmp, name + ".zip")
    files = zip_bundle(bundle, name, archive)
    loose = diagnose(kbdiag, bundle, case)
    zipped = diagnose(kbdiag, name + ".zip", tmp)  # named as the customer named it
    prefix = f"{name}.zip!{name}/"
    problems = []
    want = findings(loose, lambda s: prefix + s if s.split(":")[0] in files else s)
    got = findings(zipped)
    if want != got:
        problems.append(f"findings differ:\n  loose: {json.dumps(want)}\n  zip:   {json.dumps(got)}")
    inputs = {i["path"]: i for i in zipped["inputs"]}
    if inputs.get(name + ".zip", {}).get("format") != "zip":
        problems.append(f"{name}.zip is not an input of format zip: {zipped['inputs']}")
    for f in files:
        loose_in = next((i for i in loose["inputs"] if i["path"] == f), None)
        zip_in = inputs.get(prefix + f)
        if not zip_in or not loose_in or zip_in["format"] != loose_in["format"] or zip_in["facts"] != loose_in["facts"]:
            problems.append(f"{f}: read loose as {loose_in}, from the zip as {zip_in}")
    # what was not read is the same, named inside the zip; rule problems are the same
    want_warnings = sorted(json.dumps(dict(w, path=prefix + w["path"]), sort_keys=True)
                           for w in loose.get("warnings") or [])
    got_warnings = sorted(json.dumps(w, sort_keys=True) for w in zipped.get("warnings") or [])
    if want_warnings != got_warnings:
        problems.append(f"warnings differ:\n  loose: {want_warnings}\n  zip:   {got_warnings}")
    if (loose.get("errors") or []) != (zipped.get("errors") or []):
        problems.append(f"errors differ: loose {loose.get('errors')}, zip {zipped.get('errors')}")
    return problems, len(want)


def main():
    kbdiag = os.path.abspath(sys.argv[1])
    cases = sys.argv[2:] or sorted(glob.glob(os.path.join(SOURCE, "rules", "kb", "tests", "*", "")))
    failed = compared = 0
    with tempfile.TemporaryDirectory() as tmp:
        for case in cases:
            problems, n = check_case(kbdiag, case, tmp)
            compared += n
            name = os.path.basename(os.path.normpath(case))
            if problems:
                failed += 1
                print(f"FAIL {name}")
                for p in problems:
                    print("  " + p)
            else:
                print(f"ok   {name}")
    print(f"{len(cases) - failed} of {len(cases)} cases give the same findings from a zip ({compared} findings)")
    return 1 if failed or not compared else 0


if __name__ == "__main__":
    sys.exit(main())
