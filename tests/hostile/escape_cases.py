#!/usr/bin/env python3
"""Hostile strings in what kbdiag prints and writes (docs/security.md, "Output escaping and JSON").

Usage: escape_cases.py KBDIAG

Each case builds its evidence in a temporary folder and runs kbdiag on it:

  terminal   names, evidence text, rule titles, rule error messages, rule
             print() output and snapshot kind names carrying ESC, OSC, CSI,
             CR, BEL, backspace, C1 controls and bidi overrides reach the
             text report, --explain, -v, --why-not, --trace-format text,
             `explain TRACE`, `rules list|show|check|test` and stderr escaped:
             no control byte reaches stdout, stderr or a text file, and the
             escaped form (\\x1b) shows that nothing was dropped;
  utf8       a file named with byte 0xFF and a process name with 0xFF after
             a UTF-8 BOM: the JSON report, the trace JSON, PROV-JSON and a
             collect -o snapshot are valid UTF-8 JSON with every field
             (message, remedy, evidence, inputs) present, U+FFFD in place
             of the byte;
  longpath   evidence 2,000 bytes deep in folders named in two-byte
             characters: the full path in the JSON report and the text;
  nul        a snapshot string or slot name with \\u0000: that fact is
             left out with a warning naming file, line and column; the
             rest is read;
  oneline    a snapshot of 200,000 facts on one line reads in time linear
             in its size: within 3x the same snapshot pretty-printed, read
             in the same run.
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from kbcheck import check, kbdiag, run_cases  # noqa: E402

# Characters that must never reach a terminal raw: C0 but TAB and LF, DEL,
# C1, and the bidi / separator controls textout.c escapes.
HIDDEN = {0x061C, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
          0x2066, 0x2067, 0x2068, 0x2069}


def run(args, cwd):
    """kbdiag's exit status and the bytes it wrote: what reaches a terminal is the point."""
    return kbdiag(*args, cwd=cwd, timeout=600).raw()


def assert_clean(what, data):
    """No raw control character in data, which must be valid UTF-8."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        check(False, f"{what}: not valid UTF-8 ({e})")
        return
    for i, ch in enumerate(text):
        c = ord(ch)
        if (c < 0x20 and ch not in "\n\t") or c == 0x7F or 0x80 <= c <= 0x9F or c in HIDDEN:
            check(False, f"{what}: raw U+{c:04X} at {i}: {text[max(0, i - 40):i + 20]!r}")
            return


def assert_has(what, data, needle):
    if needle.encode() not in data:
        check(False, f"{what}: lacks {needle!r}")


# ---- terminal injection ------------------------------------------------------

ESC_RULES = r'''
rule "ESC-HOLDER" {
  title = "A program holds port 110 \27]0;retitled\7", severity = "warning",
  when = { listener { port = 110, pid = "?pid" }, process { pid = "?pid", name = "?name" } },
  diagnose = "?name (PID ?pid) holds port 110",
  remedy = "Stop ?name.",
}
rule "ESC-FAILS" {
  title = "A rule whose action fails with evidence in its message", severity = "info",
  when = { process { pid = 812, name = "?name" } },
  diagnose = function(m)
    print("seen " .. m.name)
    error("cannot handle " .. m.name)
  end,
}
rule "ESC-NEVER" {
  title = "Never fires", severity = "info",
  when = { listener { port = 110, pid = 999 } },
  diagnose = "never",
}
'''

HOSTILE_NAME = "Po\u001b]0;owned\u0007Proxy\r\u001b[2J\u009b31m\u202eexe.txt"
HOSTILE_SOURCE = "net\u001b[31mstat\rFAKE.txt"
HOSTILE_TEXT = "TCP 0.0.0.0:110 LISTENING 812\u001b[2J\rERROR   fake line\b\b\u007f"


def terminal_case(tmp):
    os.makedirs(os.path.join(tmp, "rules"))
    with open(os.path.join(tmp, "rules", "esc.lua"), "w") as f:
        f.write(ESC_RULES)
    facts = [
        {"kind": "listener", "slots": {"protocol": "tcp", "port": 110, "pid": 812},
         "source": HOSTILE_SOURCE, "line": 4, "text": HOSTILE_TEXT},
        {"kind": "process", "slots": {"pid": 812, "name": HOSTILE_NAME}, "source": "tasklist\u001bc.txt",
         "line": 9, "text": "first line\r\nsecond \u001b[1mline\r\n"},
        {"kind": "evil\u001b[2Jkind", "slots": {}, "source": "x.txt", "line": 1},
    ]
    with open(os.path.join(tmp, "snapshot.json"), "w") as f:
        json.dump({"kbdiag_snapshot": 1, "facts": facts}, f)
    base = ["diagnose", "--no-stock", "--rules", "rules", "snapshot.json"]
    outputs = {}
    for name, extra in [("text", []), ("explain", ["--explain", "-v"]), ("why-not", ["--why-not", "ESC-NEVER"]),
                        ("trace", ["--trace", "trace.json"]),
                        ("trace-text", ["--trace", "trace.txt", "--trace-format", "text"])]:
        rc, out, err = run(base + extra, tmp)
        if rc != 1:
            check(False, f"terminal {name}: exit status {rc}, not 1: {err[-400:]!r}")
        outputs[name] = (out, err)
    with open(os.path.join(tmp, "trace.txt"), "rb") as f:
        outputs["trace-text file"] = (f.read(), b"")
    for name, args in [("explain TRACE", ["explain", "trace.json"]),
                       ("explain --why-not", ["explain", "trace.json", "--why-not", "ESC-NEVER"]),
                       ("explain f2", ["explain", "trace.json", "f999\u001b[2J"]),
                       ("rules list", ["rules", "--no-stock", "--rules", "rules", "list"]),
                       ("rules show", ["rules", "--no-stock", "--rules", "rules", "show", "ESC-HOLDER"]),
                       ("rules show missing", ["rules", "--no-stock", "--rules", "rules", "show", "no\u001b[2Jrule"])]:
        rc, out, err = run(args, tmp)
        outputs[name] = (out, err)
    # a rule file whose name carries ESC and whose text does not compile
    bad = os.path.join(tmp, "bad")
    os.makedirs(bad)
    with open(os.path.join(bad, "r\u001b[2Jx.lua"), "w") as f:
        f.write('rule "X" { title = "\\27[2J" \n')
    # rules test: a case whose expectation and evidence carry ESC, and fail
    case = os.path.join(tmp, "rules", "tests", "esc")
    os.makedirs(case)
    with open(os.path.join(case, "snapshot.json"), "w") as f:
        json.dump({"kbdiag_snapshot": 1, "facts": facts[:2]}, f)
    with open(os.path.join(case, "expect.json"), "w") as f:
        json.dump({"must": [{"rule": "ESC-HOLDER", "message": "\u001b[2Jnot there"}]}, f)
    rc, out, err = run(["rules", "test", "--no-stock", "rules"], tmp)
    if rc == 0:
        check(False, "rules test passed a case that must fail")
    outputs["rules test"] = (out, err)
    rc, out, err = run(["rules", "check", "bad"], tmp)
    if rc == 0:
        check(False, "rules check passed a file that does not compile")
    outputs["rules check"] = (out, err)
    for name, (out, err) in outputs.items():
        assert_clean(f"terminal {name} stdout", out)
        assert_clean(f"terminal {name} stderr", err)
    text, err = outputs["text"]
    assert_has("terminal text", text, "Po\\x1b]0;owned\\x07Proxy\\x0d\\x1b[2J\\u009b31m\\u202eexe.txt")
    assert_has("terminal text", text, "net\\x1b[31mstat\\x0dFAKE.txt:4")
    assert_has("terminal text", text, "ERROR   fake line\\x08\\x08\\x7f")
    assert_has("terminal text (title)", text, "port 110 \\x1b]0;retitled\\x07")
    assert_has("terminal text (rule error)", text, "cannot handle Po\\x1b]0;owned")
    assert_has("terminal text (kind)", text, "evil\\x1b[2Jkind")
    assert_has("terminal stderr (print)", err, "seen Po\\x1b]0;owned\\x07Proxy")
    explain, _ = outputs["explain"]
    # a cited multi-line record prints its lines, the CRLF line ends gone
    assert_has("terminal --explain", explain, "| first line\n")
    assert_has("terminal --explain", explain, "| second \\x1b[1mline\n")
    assert_has("terminal --explain -v", explain, "tasklist\\x1bc.txt")
    assert_has("terminal rules check", outputs["rules check"][0] + outputs["rules check"][1], "r\\x1b[2Jx.lua")
    assert_has("terminal rules list", outputs["rules list"][0], "\\x1b]0;retitled\\x07")
    assert_has("terminal rules test", outputs["rules test"][0], "lacks \"\\x1b[2Jnot there\"")
    assert_has("terminal trace text", outputs["trace-text file"][0], "Po\\x1b]0;owned")
    assert_has("terminal explain TRACE", outputs["explain TRACE"][0], "Po\\x1b]0;owned")
    assert_has("terminal explain missing", outputs["explain f2"][1], "f999\\x1b[2J")


# ---- invalid UTF-8 in JSON ---------------------------------------------------

NETSTAT = (b"\r\nActive Connections\r\n\r\n  Proto  Local Address          Foreign Address        State           PID\r\n"
           b"  TCP    0.0.0.0:110            0.0.0.0:0              LISTENING       812\r\n")
TASKLIST = (b'\xef\xbb\xbf"Image Name","PID","Session Name","Session#","Mem Usage"\r\n'
            b'"PoProxy\xff.exe","812","Services","0","6,180 K"\r\n')

UTF8_RULES = '''
rule "UTF8-HOLDER" {
  title = "A program holds port 110", severity = "warning",
  when = { listener { port = 110, pid = "?pid" }, process { pid = "?pid", name = "?name" } },
  diagnose = "?name (PID ?pid) holds port 110",
  remedy = "Stop ?name.",
}
'''


def load_strict(what, data):
    """data as JSON, read as strict UTF-8; None (after failing) if it is not."""
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        check(False, f"{what}: not valid UTF-8 JSON ({e}): {data[:300]!r}")
        return None


def utf8_case(tmp):
    bundle = os.path.join(tmp, "bundle")
    os.makedirs(bundle)
    with open(os.path.join(os.fsencode(bundle), b"net\xffstat.txt"), "wb") as f:
        f.write(NETSTAT)
    with open(os.path.join(bundle, "tasklist.csv"), "wb") as f:
        f.write(TASKLIST)
    os.makedirs(os.path.join(tmp, "rules"))
    with open(os.path.join(tmp, "rules", "utf8.lua"), "w") as f:
        f.write(UTF8_RULES)
    rc, out, err = run(["diagnose", "--no-stock", "--rules", "rules", "--format", "json",
                        "--trace", "trace.json", "bundle"], tmp)
    report = load_strict("utf8 report", out)
    if report:
        findings = [f for f in report["findings"] if f.get("rule") == "UTF8-HOLDER"]
        if len(findings) != 1:
            check(False, f"utf8 report: {len(findings)} UTF8-HOLDER findings, not 1: {out[:800]!r}")
        for f in findings:
            for key in ("message", "remedy", "title", "evidence"):
                if not f.get(key):
                    check(False, f"utf8 report: finding lacks {key}: {f}")
            if len(f.get("evidence", [])) != 2 or not all(e.get("text") and e.get("source") for e in f["evidence"]):
                check(False, f"utf8 report: evidence lost: {f.get('evidence')}")
            if "PoProxy\ufffd.exe" not in f.get("message", ""):
                check(False, f"utf8 report: message without U+FFFD for the byte 0xFF: {f.get('message')!r}")
        paths = sorted(i["path"] for i in report["inputs"])
        if not any("net\ufffdstat.txt" in p for p in paths) or len(paths) < 2:
            check(False, f"utf8 report: inputs lost or not repaired: {paths}")
    with open(os.path.join(tmp, "trace.json"), "rb") as f:
        trace = load_strict("utf8 trace JSON", f.read())
    if trace and not any("net\ufffdstat.txt" in (x.get("source") or "") for x in trace.get("facts", [])):
        check(False, "utf8 trace JSON: the listener's source is lost")
    rc, out, err = run(["diagnose", "--no-stock", "--rules", "rules", "--trace", "prov.json",
                        "--trace-format", "prov", "bundle"], tmp)
    with open(os.path.join(tmp, "prov.json"), "rb") as f:
        prov = load_strict("utf8 PROV-JSON", f.read())
    if prov:
        labels = [e.get("prov:label", "") for e in prov.get("entity", {}).values()]
        if not any("net\ufffdstat.txt" in str(x) for x in labels):
            check(False, "utf8 PROV-JSON: the evidence file's entity lost its label")
        values = [e.get("kbdiag:slot-name") for e in prov.get("entity", {}).values()]
        if "PoProxy\ufffd.exe" not in values:
            check(False, f"utf8 PROV-JSON: the process name is lost: {values}")
    # collect -o: a log file named and filled with bytes that are not UTF-8
    log = os.path.join(os.fsencode(tmp), b"app\xff.log")
    with open(log, "wb") as f:
        f.write(b"Jan  1 00:00:01 host app[1]: bind to port 110 failed: \xff\xfe address in use\n")
    rc, out, err = run(["collect", "--log", os.fsdecode(b"app\xff.log"), "-o", "snap.json"], tmp)
    with open(os.path.join(tmp, "snap.json"), "rb") as f:
        snap = load_strict("utf8 collect -o", f.read())
    if snap:
        events = [x for x in snap.get("facts", []) if x.get("source") == "app\ufffd.log"]
        if len(events) != 1 or "address in use" not in events[0].get("text", "") \
                or events[0]["slots"].get("log") != "app\ufffd.log":
            check(False, f"utf8 collect -o: the log line's fact, source, log or text is lost: {events}")


# ---- a 2,000-byte path -------------------------------------------------------

def longpath_case(tmp):
    parts = ["\u00e9" * 100 + str(i) for i in range(10)]  # 201-202 bytes each, two-byte characters
    rel = os.path.join("bundle", *parts)
    os.makedirs(os.path.join(tmp, rel))
    with open(os.path.join(tmp, rel, "netstat.txt"), "wb") as f:
        f.write(NETSTAT)
    with open(os.path.join(tmp, rel, "tasklist.csv"), "wb") as f:
        f.write(TASKLIST.replace(b"\xff", b""))
    os.makedirs(os.path.join(tmp, "rules"))
    with open(os.path.join(tmp, "rules", "utf8.lua"), "w") as f:
        f.write(UTF8_RULES)
    inner = os.path.join(*parts, "netstat.txt")
    if len(inner.encode()) < 2000:
        check(False, f"longpath: the path is only {len(inner.encode())} bytes")
    rc, out, err = run(["diagnose", "--no-stock", "--rules", "rules", "--format", "json", "bundle"], tmp)
    report = load_strict("longpath report", out)
    if report:
        sources = [e["source"] for f in report["findings"] for e in f["evidence"]]
        if not any(s.endswith(inner + ":5") for s in sources):
            check(False, f"longpath report: evidence source cut: {[s[-80:] for s in sources]}")
        if not any(i["path"].endswith(inner) for i in report["inputs"]):
            check(False, "longpath report: input path cut")
    rc, out, err = run(["diagnose", "--no-stock", "--rules", "rules", "bundle"], tmp)
    assert_has("longpath text", out, inner + ":5")
    assert_clean("longpath text", out)


# ---- \u0000 in a snapshot ----------------------------------------------------

NUL_RULES = '''
rule "NUL-HOLDER" {
  title = "PoProxy holds port 110", severity = "warning",
  when = { listener { port = 110, pid = "?pid" }, process { pid = "?pid", name = "PoProxy.exe" } },
  diagnose = "PoProxy.exe (PID ?pid) holds port 110",
}
rule "NUL-OTHER" {
  title = "Something holds port 111", severity = "warning",
  when = { listener { port = 111, pid = "?pid" } },
  diagnose = "PID ?pid holds port 111",
}
'''


def nul_case(tmp):
    os.makedirs(os.path.join(tmp, "rules"))
    with open(os.path.join(tmp, "rules", "nul.lua"), "w") as f:
        f.write(NUL_RULES)
    lines = [
        '{"kbdiag_snapshot": 1, "facts": [',
        '{"kind":"listener","slots":{"protocol":"tcp","port":110,"pid":812},"source":"netstat.txt","line":4},',
        '  {"kind":"process","slots":{"pid":812,"name":"PoProxy.exe\\u0000evil.dll"},"source":"tasklist.txt","line":9},',
        '{"kind":"process","slots":{"pid\\u0000x":812,"name":"PoProxy.exe"},"source":"tasklist.txt","line":10},',
        '{"kind":"listener","slots":{"protocol":"tcp","port":111,"pid":813},"source":"netstat.txt","line":5}',
        ']}',
    ]
    with open(os.path.join(tmp, "snapshot.json"), "w") as f:
        f.write("\n".join(lines) + "\n")
    rc, out, err = run(["diagnose", "--no-stock", "--rules", "rules", "--format", "json", "snapshot.json"], tmp)
    report = load_strict("nul report", out)
    if not report:
        return
    rules = sorted(f["rule"] for f in report["findings"])
    if rules != ["NUL-OTHER"]:
        check(False, f"nul: findings {rules}, not just NUL-OTHER (the NUL must not truncate, the rest must be read)")
    warnings = [w for w in report["warnings"] if w["path"] == "snapshot.json"]
    if not any(w["line"] == 3 and "column 3" in w["reason"] and "\\u0000" in w["reason"] and "facts[1]" in w["reason"]
               for w in warnings):
        check(False, f"nul: no warning at snapshot.json:3 column 3 naming \\u0000: {report['warnings']}")
    if not any(w["line"] == 4 and "column 1" in w["reason"] and "a member name holds \\u0000" in w["reason"]
               for w in warnings):
        check(False, f"nul: no warning at snapshot.json:4 column 1 for the slot name with \\u0000: {report['warnings']}")
    # the same facts on one line (and a two-byte character before them):
    # columns counted incrementally must still be the facts' own
    text = '{"x": "\u00e9", "kbdiag_snapshot": 1, "facts": [' + " ".join(x.strip() for x in lines[1:-1]) + "]}"
    with open(os.path.join(tmp, "one.json"), "w") as f:
        f.write(text)
    want = [text.index('{"kind":"process","slots":{"pid":812,"name":"PoProxy.exe\\u0000'),
            text.index('{"kind":"process","slots":{"pid\\u0000x"')]
    rc, out, err = run(["diagnose", "--no-stock", "--rules", "rules", "--format", "json", "one.json"], tmp)
    report = load_strict("nul one-line report", out)
    if report:
        got = sorted(w["reason"].split(":")[0] for w in report["warnings"] if w["path"] == "one.json")
        if got != [f"column {c + 1}" for c in want]:
            check(False, f"nul one line: columns {got}, not {[c + 1 for c in want]}: {report['warnings']}")


# ---- a one-line snapshot reads in linear time -------------------------------

def oneline_case(tmp, nfacts=200000):
    os.makedirs(os.path.join(tmp, "rules"))
    with open(os.path.join(tmp, "rules", "one.lua"), "w") as f:
        f.write(NUL_RULES)
    facts = [json.dumps({"kind": "process", "slots": {"pid": i, "name": f"proc{i}.exe"},
                         "source": "tasklist.txt", "line": i + 1, "text": f"proc{i}.exe {i} Console 0 1,024 K"},
                        separators=(",", ":")) for i in range(nfacts)]
    head = '{"kbdiag_snapshot": 1, "facts": ['
    with open(os.path.join(tmp, "one-line.json"), "w") as f:
        f.write(head + ",".join(facts) + "]}")
    with open(os.path.join(tmp, "pretty.json"), "w") as f:
        f.write(head + "\n" + ",\n".join(facts) + "\n]}\n")

    def seconds(name):
        start = time.monotonic()
        rc, out, err = run(["diagnose", "--no-stock", "--rules", "rules", "--format", "json", name], tmp)
        took = time.monotonic() - start
        report = load_strict(f"oneline {name}", out)
        if report and report["stats"]["read"] != nfacts:
            check(False, f"oneline {name}: {report['stats']['read']} facts read, not {nfacts}")
        return took

    pretty = seconds("pretty.json")
    one = seconds("one-line.json")
    print(f"oneline: pretty-printed {pretty:.2f} s, one line {one:.2f} s ({nfacts} facts)")
    if one > 3 * pretty + 1.0:
        check(False, f"oneline: one line took {one:.2f} s, more than 3x the pretty-printed {pretty:.2f} s")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    run_cases(terminal_case, utf8_case, longpath_case, nul_case, oneline_case)
