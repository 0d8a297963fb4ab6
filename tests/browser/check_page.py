#!/usr/bin/env python3
"""check_page.py — open an HTML file in headless Chromium and check it.

    check_page.py PAGE.html [--title TITLE] [--expect SELECTOR]...
                  [--count SELECTOR N]... [--text REGEX]...
                  [--screenshot NAME --artifacts DIR]

Chromium is driven over the DevTools protocol on a pipe
(--remote-debugging-pipe: fd 3 takes commands, fd 4 gives answers and
events, each a JSON message ended by a NUL byte), which gives, from one
start: the console with each message's level (Runtime.consoleAPICalled),
uncaught exceptions (Runtime.exceptionThrown), the browser's own errors
such as a resource not found or a Content-Security-Policy violation
(Log.entryAdded), the DOM after load (DOM.getOuterHTML: nothing is run in
the page to read it) and a screenshot.  --enable-logging=stderr prints
console messages too, but all at one level, so a console.log could not be
told from an error.

Checks, each printed as PASS or FAIL:
  console     no console error or assert, no uncaught exception, no
              browser error (always checked);
  title       the <title> in the DOM after load is TITLE: the page's
              canary, which a script that ran would have changed;
  expect      SELECTOR matches at least one element;
  count       SELECTOR matches exactly N elements;
  text        REGEX matches the page's text (its markup left out).
A selector is a chain of compound selectors separated by blanks (each
matching a descendant of the one before): tag, #id, .class, [attr],
[attr=value], [attr^=value] (starts with), [attr*=value] (contains), in
any combination ("section.finding svg", "a[href^=javascript:]").

Exit status: 0 when every check passes, 1 when one fails, 2 when the page
could not be checked (no Chromium, page not found, Chromium gave up).
The DOM (NAME.dom.html), the console (NAME.console.txt) and the
screenshot (NAME.png) are written to --artifacts when --screenshot names
them.
"""

import argparse
import base64
import json
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser

TIMEOUT = 60.0  # seconds for the whole visit; a loaded machine starts Chromium in several
SETTLE = 0.3    # seconds after the load event for late console messages
WINDOW = "1280,2000"
CMD_FD, RESULT_FD = 3, 4  # what --remote-debugging-pipe reads and writes


class Unchecked(Exception):
    """The page could not be checked at all (exit status 2)."""


class DevTools:
    """Chromium started headless with the DevTools protocol on a pipe."""

    def __init__(self, chromium, profile, log):
        to_chromium_r, self.to_chromium = os.pipe()
        self.from_chromium, from_chromium_w = os.pipe()
        # The child's fds 3 and 4 must be these pipes.  The pipes are moved
        # above them first, so that dup2 onto 3 cannot close the other one.
        high = [os.dup(to_chromium_r), os.dup(from_chromium_w)]
        while min(high) <= RESULT_FD:
            high = [os.dup(fd) for fd in high]
        os.close(to_chromium_r)
        os.close(from_chromium_w)

        def pipes_as_3_and_4():
            os.dup2(high[0], CMD_FD)
            os.dup2(high[1], RESULT_FD)

        argv = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
                "--user-data-dir=" + profile, "--window-size=" + WINDOW, "--no-first-run",
                "--hide-scrollbars", "--disable-background-networking", "--disable-component-update",
                "--disable-extensions", "--disable-sync", "about:blank"]
        try:
            self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                         pass_fds=(CMD_FD, RESULT_FD, *high), preexec_fn=pipes_as_3_and_4,
                                         start_new_session=True)
        except OSError as e:
            raise Unchecked(f"cannot start {chromium}: {e}") from e
        finally:
            for fd in high:
                os.close(fd)
        self.deadline = time.monotonic() + TIMEOUT
        self.pending = b""
        self.next_id = 0
        self.events = []

    def _read(self, wait):
        """One message, or None when none came within wait seconds."""
        end = min(time.monotonic() + wait, self.deadline)
        while b"\0" not in self.pending:
            left = end - time.monotonic()
            if left <= 0:
                if end < self.deadline:
                    return None
                raise Unchecked(f"Chromium did not answer within {TIMEOUT:.0f} s")
            ready, _, _ = select.select([self.from_chromium], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.from_chromium, 1 << 16)
            if not chunk:
                raise Unchecked("Chromium closed the DevTools pipe (see its log)")
            self.pending += chunk
        message, self.pending = self.pending.split(b"\0", 1)
        return json.loads(message)

    def call(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_chromium, json.dumps(message).encode() + b"\0")
        while True:
            answer = self._read(TIMEOUT)
            if answer.get("id") == self.next_id:
                if "error" in answer:
                    raise Unchecked(f"{method}: {answer['error'].get('message')}")
                return answer["result"]
            self.events.append(answer)

    def wait_for(self, event):
        while not any(e.get("method") == event for e in self.events):
            self.events.append(self._read(TIMEOUT))

    def drain(self, seconds):
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            message = self._read(left)
            if message is None:
                break
            self.events.append(message)

    def close(self):
        try:
            self.call("Browser.close")
        except Unchecked:
            pass  # it closes the pipe as it goes
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, 9)
            self.proc.wait()
        os.close(self.to_chromium)
        os.close(self.from_chromium)


def visit(chromium, page, log):
    """The page's DOM after load, its console (level, text) and a PNG."""
    profile = tempfile.mkdtemp(prefix="kbdiag-chromium-")
    browser = None
    try:
        browser = DevTools(chromium, profile, log)
        target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Runtime", "Log", "Page"):
            browser.call(domain + ".enable", session=session)
        width, height = (int(n) for n in WINDOW.split(","))
        browser.call("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1,
                                                            "mobile": False}, session=session)
        went = browser.call("Page.navigate", {"url": "file://" + os.path.abspath(page)}, session=session)
        if went.get("errorText"):
            raise Unchecked(f"{page}: {went['errorText']}")
        browser.wait_for("Page.loadEventFired")
        browser.drain(SETTLE)
        root = browser.call("DOM.getDocument", {"depth": 0}, session=session)["root"]["nodeId"]
        dom = browser.call("DOM.getOuterHTML", {"nodeId": root}, session=session)["outerHTML"]
        png = base64.b64decode(browser.call("Page.captureScreenshot", {"format": "png"}, session=session)["data"])
        return dom, console_of(browser.events), png
    finally:
        if browser:
            browser.close()
        shutil.rmtree(profile, ignore_errors=True)


def console_of(events):
    """(level, text) for each console message, exception and browser log entry."""
    lines = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled":
            text = " ".join(str(a.get("value", a.get("description", a.get("type")))) for a in params["args"])
            lines.append((params["type"], "console." + params["type"] + ": " + text))
        elif method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text", "")
            lines.append(("error", "uncaught: " + text))
        elif method == "Log.entryAdded":
            entry = params["entry"]
            where = f" ({entry['url']})" if entry.get("url") else ""
            lines.append((entry["level"], f"{entry['source']}: {entry['text']}{where}"))
    return lines


# ---- the DOM, parsed ---------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Element:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent


class Tree(HTMLParser):
    """Elements with their parents, and the text outside script and style."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", [], None)
        self.open = self.root
        self.elements, self.text = [], []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        element = Element(tag, [(k, v if v is not None else "") for k, v in attrs], self.open)
        self.elements.append(element)
        if tag not in VOID:
            self.open = element

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.open = self.open.parent

    def handle_endtag(self, tag):
        element = self.open
        while element is not self.root and element.tag != tag:
            element = element.parent
        if element is not self.root:
            self.open = element.parent

    def handle_data(self, data):
        if self.open.tag not in ("script", "style"):
            self.text.append(data)


COMPOUND = re.compile(r"([a-zA-Z][\w-]*|\*)?((?:#[\w-]+|\.[\w-]+|\[[^\]]+\])*)$")
PART = re.compile(r"#([\w-]+)|\.([\w-]+)|\[([\w:-]+)(?:([\^*]?=)([^\]]*))?\]")


def parse_selector(text):
    """A list of compound selectors (tag, [(kind, name, op, value)])."""
    chain = []
    for word in text.split():
        m = COMPOUND.match(word)
        if not m:
            raise Unchecked(f"selector {text!r}: cannot read {word!r}")
        tag = m.group(1) if m.group(1) not in (None, "*") else None
        tests = []
        for part in PART.finditer(m.group(2)):
            if part.group(1):
                tests.append(("id", part.group(1)))
            elif part.group(2):
                tests.append(("class", part.group(2)))
            else:
                value = part.group(5)
                if value is not None and len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                    value = value[1:-1]
                tests.append(("attr", part.group(3), part.group(4), value))
        chain.append((tag, tests))
    if not chain:
        raise Unchecked("an empty selector")
    return chain


def matches_compound(element, compound):
    tag, tests = compound
    if tag and element.tag != tag.lower():
        return False
    for test in tests:
        if test[0] == "id" and element.attrs.get("id") != test[1]:
            return False
        if test[0] == "class" and test[1] not in element.attrs.get("class", "").split():
            return False
        if test[0] == "attr":
            _, name, op, value = test
            have = element.attrs.get(name.lower())
            if have is None:
                return False
            if (op == "=" and have != value) or (op == "^=" and not have.startswith(value)) or \
                    (op == "*=" and value not in have):
                return False
    return True


def matches(element, chain):
    if not matches_compound(element, chain[-1]):
        return False
    rest, ancestor = chain[:-1], element.parent
    while rest and ancestor is not None:
        if ancestor.tag != "#document" and matches_compound(ancestor, rest[-1]):
            rest = rest[:-1]
        ancestor = ancestor.parent
    return not rest


def select_all(tree, selector):
    chain = parse_selector(selector)
    return [e for e in tree.elements if matches(e, chain)]


# ---- the checks ----------------------------------------------------------------

class TitleText(HTMLParser):
    """The text of the first <title>."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.inside, self.found, self.text = False, False, []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag == "title" and not self.found:
            self.inside = self.found = True

    def handle_endtag(self, tag):
        if tag == "title":
            self.inside = False

    def handle_data(self, data):
        if self.inside:
            self.text.append(data)


def check(args, dom, console):
    """The checks as (passed, name, detail)."""
    results = []
    bad = [text for level, text in console if level in ("error", "assert")]
    results.append((not bad, "console", "; ".join(bad) if bad else f"{len(console)} messages, no error"))
    tree = Tree(dom)
    if args.title is not None:
        seen = TitleText(dom)
        title = "".join(seen.text) if seen.found else None
        results.append((title == args.title, "title", f"{title!r}" + ("" if title == args.title else
                                                                      f", not {args.title!r}")))
    for selector in args.expect:
        n = len(select_all(tree, selector))
        results.append((n > 0, "expect", f"{selector}: {n} found"))
    for selector, want in args.count:
        n = len(select_all(tree, selector))
        results.append((n == int(want), "count", f"{selector}: {n} found, {want} wanted"))
    text = re.sub(r"\s+", " ", "".join(tree.text))
    for pattern in args.text:
        found = re.search(pattern, text)
        results.append((bool(found), "text", f"/{pattern}/" + (" found" if found else " not in the page's text")))
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("page")
    parser.add_argument("--title", help="the <title> the page must still have after load")
    parser.add_argument("--expect", action="append", default=[], metavar="SELECTOR")
    parser.add_argument("--count", action="append", nargs=2, default=[], metavar=("SELECTOR", "N"))
    parser.add_argument("--text", action="append", default=[], metavar="REGEX")
    parser.add_argument("--screenshot", metavar="NAME", help="artifacts' name (NAME.png, NAME.dom.html, ...)")
    parser.add_argument("--artifacts", metavar="DIR", help="where the artifacts go")
    parser.add_argument("--chromium", default=os.environ.get("KBDIAG_CHROMIUM", "chromium"))
    args = parser.parse_args()
    if bool(args.screenshot) != bool(args.artifacts):
        parser.error("--screenshot and --artifacts go together")
    for selector, want in args.count:
        if not want.isdigit():
            parser.error(f"--count {selector}: {want!r} is not a number")
    try:
        for selector in args.expect + [s for s, _ in args.count]:
            parse_selector(selector)
        if not os.path.isfile(args.page):
            raise Unchecked(f"{args.page}: no such file")
        if args.artifacts:
            os.makedirs(args.artifacts, exist_ok=True)
            log = open(os.path.join(args.artifacts, args.screenshot + ".chromium.log"), "w")
        else:
            log = subprocess.DEVNULL
        started = time.monotonic()
        dom, console, png = visit(args.chromium, args.page, log)
        took = time.monotonic() - started
    except Unchecked as e:
        print(f"check_page: {e}", file=sys.stderr)
        return 2
    if args.artifacts:
        base = os.path.join(args.artifacts, args.screenshot)
        with open(base + ".png", "wb") as f:
            f.write(png)
        with open(base + ".dom.html", "w", encoding="utf-8") as f:
            f.write(dom)
        with open(base + ".console.txt", "w", encoding="utf-8") as f:
            f.writelines(f"{level}: {text}\n" for level, text in console)
    print(f"{args.page}: loaded in Chromium in {took:.1f} s")
    for level, text in console:
        print(f"  console {level}: {text}")
    results = check(args, dom, console)
    for passed, name, detail in results:
        print(f"{'PASS' if passed else 'FAIL'} {name}: {detail}")
    return 0 if all(passed for passed, _, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
