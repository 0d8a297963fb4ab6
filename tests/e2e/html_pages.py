#!/usr/bin/env python3
"""The stock rule cases that make findings as HTML pages: well formed and
safe (the checks of check_html.py), and showing what the case expects.

For each rules/kb/tests/NAME case whose expect.json names a finding that
must be made (the near-miss cases' pages differ only in what
tests/e2e/cases/html-report covers), `kbdiag diagnose --format html` runs
on its bundle and the page must hold, for every finding the case's
expect.json says must be made, a finding section naming its rule, the
evidence places the case lists (file:line) and a why-tree figure; the
summary must link to every finding section.  One case is also zipped at
test time: its evidence places must read "NAME.zip!NAME/file:line".

usage: html_pages.py KBDIAG [CASE_DIR...]   (default: those rules/kb/tests cases)
"""
import concurrent.futures
import glob
import json
import os
import subprocess
import sys
import tempfile
import zipfile

sys.path.insert(0, os.path.dirname(__file__))
import check_html  # noqa: E402

SOURCE = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def page_of(kbdiag, path):
    run = subprocess.run([kbdiag, "diagnose", "--format", "html", path], capture_output=True, text=True)
    if run.returncode not in (0, 1):
        raise SystemExit(f"kbdiag diagnose {path} exited {run.returncode}: {run.stderr}")
    page = check_html.Page()
    page.feed(run.stdout)
    page.close()
    return page


def check_case(kbdiag, case, bundle=None, place=lambda p: p):
    name = os.path.basename(case)
    page = page_of(kbdiag, bundle or os.path.join(case, "bundle"))
    problems = check_html.structure(page)
    text = "".join(page.text)
    expect = json.load(open(os.path.join(case, "expect.json")))
    musts = expect.get("must", [])
    if page.elements.get("section.finding", 0) < len(musts):
        problems.append(f"{page.elements.get('section.finding', 0)} finding sections, {len(musts)} expected")
    if page.elements.get("figure.why", 0) != page.elements.get("section.finding", 0):
        problems.append("a finding without its why-tree figure")
    for must in musts:
        if f"Rule {must['rule']}" not in text:
            problems.append(f"no finding of rule {must['rule']}")
        for where in must.get("evidence", []):
            if place(where) not in text:
                problems.append(f"evidence {place(where)} not shown")
    summary_links = {h for _, h in page.hrefs if h.startswith("#h0-f")}
    if len(summary_links) != page.elements.get("section.finding", 0):
        problems.append(f"the summary links {len(summary_links)} findings of {page.elements.get('section.finding', 0)}")
    return [f"{name}: {p}" for p in problems]


def zipped_case(kbdiag, case, tmp):
    name = os.path.basename(case)
    bundle = os.path.join(case, "bundle")
    path = os.path.join(tmp, name + ".zip")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for f in sorted(os.listdir(bundle)):
            z.write(os.path.join(bundle, f), f"{name}/{f}")
    return check_case(kbdiag, case, path, lambda where: f"{name}.zip!{name}/{where}")


def main():
    kbdiag = os.path.abspath(sys.argv[1])
    cases = sys.argv[2:] or sorted(glob.glob(os.path.join(SOURCE, "rules", "kb", "tests", "*")))
    cases = [c for c in cases if os.path.isdir(os.path.join(c, "bundle"))
             and json.load(open(os.path.join(c, "expect.json"))).get("must")]
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        problems = [p for ps in pool.map(lambda c: check_case(kbdiag, c), cases) for p in ps]
    with tempfile.TemporaryDirectory(prefix="kbdiag-html-") as tmp:
        problems += zipped_case(kbdiag, cases[0], tmp)
    for p in problems:
        print(f"FAIL {p}")
    print(f"{len(cases)} cases as HTML pages: {'ok' if not problems else 'FAILED'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
