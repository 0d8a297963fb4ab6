#!/usr/bin/env python3
"""svg_page.py KBDIAG TRACE FINDING OUT.html — one finding's why-tree from
`kbdiag explain TRACE FINDING --format svg`, inlined as it is in a page
whose title is the canary "kbdiag canary", for check_page.py: the
picture of a trace whose evidence and rules try to be markup."""

import html
import subprocess
import sys


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    kbdiag, trace, finding, out = sys.argv[1:]
    svg = subprocess.run([kbdiag, "explain", trace, finding, "--format", "svg"], check=True,
                         capture_output=True, text=True).stdout
    with open(out, "w", encoding="utf-8") as f:
        f.write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<title>kbdiag canary</title>\n<style>svg { max-width: 100%; height: auto; }</style>\n"
                "</head>\n<body>\n"
                f"<h1>Why {html.escape(finding)}</h1>\n<figure class=\"why\">\n{svg}</figure>\n</body>\n</html>\n")


if __name__ == "__main__":
    main()
