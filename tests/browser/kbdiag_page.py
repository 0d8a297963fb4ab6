#!/usr/bin/env python3
"""kbdiag_page.py OUT KBDIAG ARGS... [++ ARGS...]... -- CHECK...

Makes a page with kbdiag and checks it: runs KBDIAG with each ARGS in
turn (`diagnose ... --trace T ++ explain T --format html`), writes the
last run's output to OUT, then runs CHECK (check_page.py OUT ...).  An
exit status other than 0 or 1 (findings) fails."""

import os
import subprocess
import sys


def main():
    args = sys.argv[1:]
    if len(args) < 3 or "--" not in args:
        sys.exit(__doc__)
    out, kbdiag = args[0], args[1]
    split = args.index("--")
    runs, check = [[]], args[split + 1:]
    for a in args[2:split]:
        if a == "++":
            runs.append([])
        else:
            runs[-1].append(a)
    for run in runs:
        done = subprocess.run([kbdiag] + run, capture_output=True)
        if done.returncode not in (0, 1):
            sys.exit("kbdiag %s: exit status %d\n%s" % (" ".join(run), done.returncode,
                                                        done.stderr.decode(errors="replace")))
    with open(out, "wb") as f:
        f.write(done.stdout)
    os.execvp(check[0], check)


if __name__ == "__main__":
    main()
