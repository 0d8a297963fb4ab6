#!/usr/bin/env python3
"""Checks an HTML page kbdiag wrote (--format html) with the standard
library's parser: safe, self-contained, accessible, and holding what it
should.

usage: check_html.py PAGE [--text T]... [--no-text T]... [--href URL]...
                          [--marked T]... [--elements TAG=N]...

Always checked:
  - no <script> element at all, no <iframe>, <object>, <embed>, <img>,
    <link>, <base>, <form>, no <meta http-equiv=refresh> (none of them is
    the renderer's: one would be evidence or rule text become markup);
  - no on* attribute, no style attribute, no "javascript:" in any attribute;
  - every href is http:// or https:// or '#id' naming an element of the page;
  - <html lang>, <meta charset="utf-8">, a Content-Security-Policy that
    forbids scripts (default-src 'none'), one <h1>, headings that go down
    one level at a time, every <th> with a scope;
  - every element closed as opened (the escaping kept the tree whole).
--text T: T appears in the page's text (as a reader sees it, entities
decoded); --no-text: it does not; --href URL: a link goes exactly there;
--marked T: T appears inside a <mark>; --elements TAG=N: N elements TAG
with class (TAG.CLASS=N).
Exits 0 when every check holds, 1 listing each that does not.
"""
import argparse
import html.parser
import sys

FORBIDDEN = {"script", "iframe", "object", "embed", "img", "link", "base", "form", "frame", "frameset", "input",
             "button", "textarea", "audio", "video", "source"}
VOID = {"meta", "br", "hr", "img", "input", "link", "base", "wbr", "col", "area", "source", "embed"}


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.stack = []
        self.text = []
        self.marked = []
        self.in_mark = 0
        self.ids = set()
        self.hrefs = []
        self.elements = {}
        self.headings = []
        self.lang = None
        self.charset = False
        self.csp = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        where = f"line {self.getpos()[0]}"
        if tag in FORBIDDEN:
            self.problems.append(f"{where}: a <{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{where}: <{tag}> has an event handler attribute {name}")
            if name == "style":
                self.problems.append(f"{where}: <{tag}> has a style attribute")
            if value and "javascript:" in value.lower():
                self.problems.append(f"{where}: <{tag} {name}> holds javascript:")
        if "id" in a:
            if a["id"] in self.ids:
                self.problems.append(f"{where}: id {a['id']!r} used twice")
            self.ids.add(a["id"])
        if "href" in a:
            self.hrefs.append((where, a["href"]))
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "meta" and (a.get("charset") or "").lower() == "utf-8":
            self.charset = True
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "refresh":
            self.problems.append(f"{where}: a <meta http-equiv=refresh>")
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy":
            self.csp = a.get("content")
        if tag == "th" and a.get("scope") not in ("row", "col", "rowgroup", "colgroup"):
            self.problems.append(f"{where}: <th> without a scope")
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.headings.append((where, int(tag[1])))
        for cls in (a.get("class") or "").split():
            self.elements[f"{tag}.{cls}"] = self.elements.get(f"{tag}.{cls}", 0) + 1
        self.elements[tag] = self.elements.get(tag, 0) + 1
        if tag == "mark":
            self.in_mark += 1
            self.marked.append("")
        if tag not in VOID:
            self.stack.append((tag, where))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            opened = self.stack[-1] if self.stack else ("nothing", "")
            self.problems.append(f"line {self.getpos()[0]}: </{tag}> closes <{opened[0]}> of {opened[1]}")
            return
        self.stack.pop()
        if tag == "mark":
            self.in_mark -= 1

    def handle_data(self, data):
        self.text.append(data)
        if self.in_mark:
            self.marked[-1] += data


def structure(page):
    problems = list(page.problems)
    if page.stack:
        problems.append(f"left open: {[t for t, _ in page.stack]}")
    if page.lang != "en":
        problems.append(f"<html lang> is {page.lang!r}")
    if not page.charset:
        problems.append("no <meta charset=\"utf-8\">")
    if not page.csp or "default-src 'none'" not in page.csp or "script-src" in page.csp:
        problems.append(f"no Content-Security-Policy that forbids scripts: {page.csp!r}")
    levels = [h for _, h in page.headings]
    if levels.count(1) != 1 or not levels or levels[0] != 1:
        problems.append(f"not one <h1> first: {levels[:5]}")
    for (where, h), prev in zip(page.headings[1:], levels):
        if h > prev + 1:
            problems.append(f"{where}: <h{h}> under <h{prev}>")
    for where, href in page.hrefs:
        if href.startswith("#"):
            if href[1:] not in page.ids:
                problems.append(f"{where}: link to {href}, which no element has as its id")
        elif not (href.startswith("https://") or href.startswith("http://")):
            problems.append(f"{where}: href {href!r} is neither http(s) nor '#'")
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("page")
    ap.add_argument("--text", action="append", default=[])
    ap.add_argument("--no-text", action="append", default=[])
    ap.add_argument("--href", action="append", default=[])
    ap.add_argument("--marked", action="append", default=[])
    ap.add_argument("--elements", action="append", default=[])
    args = ap.parse_args()
    page = Page()
    page.feed(open(args.page, encoding="utf-8").read())
    page.close()
    problems = structure(page)
    text = "".join(page.text)
    problems += [f"the text lacks {t!r}" for t in args.text if t not in text]
    problems += [f"the text has {t!r}" for t in args.no_text if t in text]
    hrefs = {h for _, h in page.hrefs}
    problems += [f"no link to {h!r} (links: {sorted(hrefs)[:8]})" for h in args.href if h not in hrefs]
    problems += [f"{t!r} is not marked (marks: {page.marked[:8]})" for t in args.marked if t not in page.marked]
    for spec in args.elements:
        what, n = spec.rsplit("=", 1)
        if page.elements.get(what, 0) != int(n):
            problems.append(f"{page.elements.get(what, 0)} elements {what}, expected {n}")
    for p in problems:
        print(f"{args.page}: {p}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
