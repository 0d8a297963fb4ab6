#!/usr/bin/env python3
"""An installed stock rule file that someone edited is run from its text,
not from the bytecode kbdiag was built with (engine/lua/chunks.c).

The stock rules are copied to a temporary directory, named by
$KBDIAG_STOCK_RULES as an install's share/kbdiag/rules would be.  In the
copy one rule's title changes a letter (same length, so only the bytes
tell) and another file gains a last line that raises an error.  `kbdiag
rules list` must show the new title and report the error at that file's
new last line; before the edits, the copy's listing must be the source
tree's with the copy's paths (bytecode runs under the file's own name).

usage: stock_edited.py KBDIAG
"""
import os
import shutil
import subprocess
import sys
import tempfile

SOURCE = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TITLE = "A Windows service could not bind an address"
EDITED_TITLE = "a Windows service could not bind an address"


def rules_list(kbdiag, stock):
    env = dict(os.environ, KBDIAG_STOCK_RULES=stock)
    run = subprocess.run([kbdiag, "rules", "list"], capture_output=True, text=True, env=env)
    return run.stdout, run.stderr


def edit(path, old, new):
    with open(path) as f:
        text = f.read()
    if old not in text:
        sys.exit(f"stock_edited: {path} no longer holds {old!r}: update the test")
    with open(path, "w") as f:
        f.write(text.replace(old, new))


def main():
    kbdiag = sys.argv[1]
    problems = []
    with tempfile.TemporaryDirectory(prefix="kbdiag-stock-") as tmp:
        stock = os.path.join(tmp, "rules")
        shutil.copytree(os.path.join(SOURCE, "rules"), stock, ignore=shutil.ignore_patterns("tests"))
        before, _ = rules_list(kbdiag, stock)
        edit(os.path.join(stock, "general", "address_not_available.lua"), TITLE, EDITED_TITLE)
        holder = os.path.join(stock, "linux", "port_holder.lua")
        with open(holder, "a") as f:
            f.write("error('edited after the build')\n")
        with open(holder) as f:
            last = len(f.read().splitlines())
        after, errors = rules_list(kbdiag, stock)
        if EDITED_TITLE not in after or TITLE in after:
            problems.append("the edited title is not the one listed: the file ran from stale bytecode")
        if f"{holder}:{last}: error: edited after the build" not in errors:
            problems.append(f"no error at {holder}:{last}; stderr:\n{errors}")
        built, _ = rules_list(kbdiag, os.path.join(SOURCE, "rules"))
        if before != built.replace(os.path.join(SOURCE, "rules"), stock):
            problems.append("the copy's rules are not placed at their file:line in the copy")
    for p in problems:
        print("FAIL:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
