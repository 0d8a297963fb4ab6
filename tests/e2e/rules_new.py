#!/usr/bin/env python3
"""`kbdiag rules new ID --from ARTICLE`: on each KB article kept under
tests/fixtures/kb-articles (the seed articles of the stock rules and ten
more, tests/fixtures/SOURCES.md), what it pre-fills in the rule, and that
the files it writes pass `rules check` and their own `rules test` (the
firing case fires, the look-alike does not).  Then what it refuses: a file
that exists (nothing is written over, nothing at all is written), an id
that is no file name, an article it cannot read."""
import os
import subprocess
import sys
import tempfile

KBDIAG = sys.argv[1]
SOURCE = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ARTICLES = os.path.join(SOURCE, "tests", "fixtures", "kb-articles")

# What each article's rule must say: substrings of the Lua written.
EXPECT = {
    "Q271275": ['article = "Q271275"', "MSExchange Pop3 Interface 11508", "code = 10048",
                "10048 (0x2740) WSAEADDRINUSE", "one_of { 110, 119, 143 }",
                'products = { "Microsoft Exchange Server, version 5.5" }',
                'remedy = "To resolve this issue, quit the program or service that is using the ports'],
    "Q298944": ["MSExchange Pop3 Interface 11508", "0x800CCC92", "port = { \"?port\", 110 }", "PoProxy.exe",
                'remedy = "To resolve this issue, stop or turn off all antivirus services'],
    "Q214864": ["MSExchangeDS 1309", "code = 10049", "WSAEADDRNOTAVAIL", "mfc42.dll 6.00.8168.0",
                "mfc42u.dll 6.00.8168.0", '"Microsoft Windows NT Server version 4.0 SP4"', "port = { \"?port\", 636 }"],
    "Q217001": ["10049 (0x2741) WSAEADDRNOTAVAIL", "Rnr-fixi.exe",
                'title = "GetHostByName API Returns Unbindable Addresses"'],
    "Q191687": ["10061 (0x274D) WSAECONNREFUSED", "0x800CCC0E", "one_of { 25, 110 }", '"Microsoft Outlook 98"'],
    "Q193928": ["MSExchangeIMC 4007, MSExchangeIMC 4020", "one_of { 4007, 4020 }", "code = 10050", "WSAENETDOWN",
                'title = "Internet Mail Service Won\'t Start - Event ID 4007 & 4020"'],
    "Q222553": ["events: 4020, 4007", "10048 (0x2740) WSAEADDRINUSE", "port = { \"?port\", 25 }",
                'title = "IMC Events 4020, 4007 with Error 10048"'],
    "Q224447": ["MSExchangeDS 1306, MSExchangeDS 1309", "one_of { 389, 636, 3389 }", "code = 10048"],
    "Q228475": ['source = ci "SMTPSVC", id = { "?id", 115 }', "port = { \"?port\", 25 }",
                '"Microsoft Windows NT version 4.0 Option Pack"'],
    "Q232606": ["MSExchangeDS 1309", "Dsamain.exe 5.5.2617.0", "port = { \"?port\", 636 }"],
    "Q250926": ["MSExchangePOP3 11508", "0x800CCC1A", "port = { \"?port\", 995 }",
                'remedy = "Completely uninstall GroupShield'],
    "Q296086": ["port = { \"?port\", 25 }", "To resolve this behavior, verify if another program",
                "1. Click Start, click Run"],
    "Q156054": ['source = ci "Service Control Manager", id = { "?id", 7023 }, code = 10048',
                '"Microsoft Internet Information Server 1.0"', 'remedy = "1. In control panel, click Network. 2.'],
    "Q161770": ["events: 560, 567, 553", "one_of { 560, 567, 553 }", "code = 10048"],
    "Q172635": ["events: 567", "code = 10048", "Snadmod.dll", "-- TODO: what to do"],
    "Q173619": ["port = { \"?port\", 7 }", '"Microsoft Visual Basic Enterprise Edition for Windows, version 5.0"'],
    "Q250893": ["10048 (0x2740) WSAEADDRINUSE", "one_of { 80, 389, 8080, 390 }",
                '"Microsoft Metadirectory Services, version 2.1"'],
    "Q268643": ["events: 4003, 4020, 4007", "one_of { 4003, 4020, 4007 }", "code = 10048"],
    "Q149843": ["one_of { 80, 8080 }", "fpsrvwin.exe", 'title = "Personal Web Server Cannot Bind to Port 80"'],
    "Q137933": ["events: none", "ports: none", '"Microsoft Windows 95"', 'title = "\\"The Port Is Already Open\\"'],
    "Q107726": ["events: 553, 567, 624", "SNABASE.EXE", "10048 (0x2740) WSAEADDRINUSE"],
    "Q130289": ["events: 102, 205, 6553", "port = { \"?port\", 23 }", "10048 (0x2740) WSAEADDRINUSE"],
}


def run(*args, cwd=None):
    return subprocess.run([KBDIAG, *args], capture_output=True, text=True, timeout=300, cwd=cwd)


def problems_of(q, out):
    problems = []
    fixture = os.path.join(ARTICLES, q + ".TXT")
    p = run("rules", "new", q, "--from", fixture, "--dir", out)
    if p.returncode != 0:
        return [f"{q}: rules new failed ({p.returncode}): {p.stderr}"]
    rule = open(os.path.join(out, q + ".lua")).read()
    problems += [f"{q}: the rule lacks {want!r}" for want in EXPECT[q] if want not in rule]
    # the rule uses stock kinds only: the stock rules need not load
    p = run("rules", "check", "--no-stock", out)
    if p.returncode != 0 or "0 errors, 0 warnings" not in p.stdout:
        problems.append(f"{q}: rules check ({p.returncode}):\n{p.stdout}{p.stderr}")
    p = run("rules", "test", "--no-stock", out)
    if p.returncode != 0 or "2 passed, 0 failed" not in p.stdout:
        problems.append(f"{q}: rules test ({p.returncode}):\n{p.stdout}{p.stderr}")
    return problems


def refusals(tmp):
    problems = []
    out = os.path.join(tmp, "skeleton")
    p = run("rules", "new", "site-rule", "--dir", out)
    if p.returncode != 0 or "TODO" not in open(os.path.join(out, "site-rule.lua")).read():
        problems.append(f"rules new without --from ({p.returncode}): {p.stderr}")
    for args in (("rules", "check", out), ("rules", "test", out)):
        if run(*args).returncode != 0:
            problems.append(f"{' '.join(args[:2])} fails on the skeleton without --from")
    before = {os.path.join(d, f): open(os.path.join(d, f)).read() for d, _, fs in os.walk(out) for f in fs}
    os.remove(os.path.join(out, "tests", "site-rule-lookalike", "expect.json"))
    p = run("rules", "new", "site-rule", "--dir", out)
    if p.returncode != 2 or "site-rule.lua exists; nothing was written" not in p.stderr:
        problems.append(f"rules new over an existing rule ({p.returncode}): {p.stderr}")
    if os.path.exists(os.path.join(out, "tests", "site-rule-lookalike", "expect.json")):
        problems.append("rules new wrote a file although another existed")
    after = {os.path.join(d, f): open(os.path.join(d, f)).read() for d, _, fs in os.walk(out) for f in fs}
    if any(after[k] != before[k] for k in after):
        problems.append("rules new changed an existing file")
    for bad in ("../escape", "a/b", ".hidden", ""):
        p = run("rules", "new", bad, "--dir", tmp)
        if p.returncode != 2 or "rules new needs one rule id" not in p.stderr:
            problems.append(f"rules new {bad!r} ({p.returncode}): {p.stderr}")
    p = run("rules", "new", "x", "--from", os.path.join(tmp, "no-such.txt"), "--dir", tmp)
    if p.returncode != 2 or "no-such.txt: No such file or directory" not in p.stderr:
        problems.append(f"rules new --from a missing file ({p.returncode}): {p.stderr}")
    # an article's text goes into comments and strings: a carriage return
    # in it must not end a comment and start code
    hostile = os.path.join(tmp, "hostile\rdir")
    os.makedirs(hostile)
    article = os.path.join(hostile, "Q999999.TXT")
    with open(article, "wb") as f:
        f.write(b'DOCUMENT:Q999999  01-JAN-2001  [x]\r\nTITLE   :Evil\rerror("pwned")\r\n\r\n'
                b'SYMPTOMS\r\n========\r\n\r\nEvent ID: 7023 with error 0x2740\x1b[2J on port 21.\r\n\r\n'
                b'RESOLUTION\r\n==========\r\n\r\nStop it.\rerror("pwned")\r\n')
    out = os.path.join(tmp, "hostile-out")
    p = run("rules", "new", "Q999999", "--from", article, "--dir", out)
    rule = open(os.path.join(out, "Q999999.lua"), "rb").read() if p.returncode == 0 else b""
    if p.returncode != 0 or b"\r" in rule or b"\x1b" in rule:
        problems.append(f"rules new on a hostile article ({p.returncode}): {p.stderr} {rule!r}")
    p = run("rules", "check", "--no-stock", out)
    if p.returncode != 0 or "pwned" in p.stdout + p.stderr:
        problems.append(f"rules check on the hostile article's rule ({p.returncode}): {p.stdout}{p.stderr}")
    return problems


def main():
    problems = []
    missing = sorted(set(f[:-4] for f in os.listdir(ARTICLES)) ^ set(EXPECT))
    if missing:
        problems.append(f"articles and expectations differ: {missing}")
    with tempfile.TemporaryDirectory() as tmp:
        for q in sorted(EXPECT):
            problems += problems_of(q, os.path.join(tmp, q))
        problems += refusals(tmp)
    if problems:
        sys.exit("\n".join(problems))
    print(f"{len(EXPECT)} articles: pre-filled as expected, checked and tested")


main()
