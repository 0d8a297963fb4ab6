#!/usr/bin/env python3
"""Hostile rules that never stop, a rule failing on every activation, and
one long line, against the run's budgets and per-activation errors
(docs/security.md, "Rule budgets").

usage: budget_cases.py KBDIAG

Each case writes its rule files and evidence to a temporary folder and runs
kbdiag twice (text and JSON), next to a well-behaved rule whose finding must
survive.  It checks: the exit status (1), the error in the text report and
in JSON `errors` naming the rule responsible and the budget spent, the
well-behaved finding kept, and the peak resident memory of the run
(getrusage of the child) under a bound far below what the rule would take
unbounded.  The last case puts a 20 MB line in an nginx log before a real
bind failure: the stock rule that meets the long line reports an error for
it and still makes the finding from the next line.  Exit status 0 when
every check passed, 1 otherwise (each failure printed).
"""
import json
import os
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from kbcheck import KBDIAG, SOURCE, check, run_cases, write  # noqa: E402

RSS_BOUND_KB = 1024 * 1024  # ASan's shadow memory included; unbounded, these runs grow until killed

SNAPSHOT = """{"kbdiag_snapshot": 1, "facts": [
{"kind":"listener","slots":{"protocol":"tcp","port":110,"pid":812},"source":"netstat.txt","line":4,"text":"TCP 0.0.0.0:110 0.0.0.0:0 LISTENING 812"},
{"kind":"process","slots":{"pid":812,"name":"PoProxy.exe"},"source":"tasklist.txt","line":9,"text":"PoProxy.exe 812"},
{"kind":"process","slots":{"pid":4242,"name":"a.exe"},"source":"tasklist.txt","line":10,"text":"a.exe 4242"},
{"kind":"process","slots":{"pid":4343,"name":"b.exe"},"source":"tasklist.txt","line":11,"text":"b.exe 4343"}
]}
"""

GOOD_RULE = """rule "still-works" {
  title = "The other rules still run", severity = "warning",
  when = { listener { port = 110, pid = "?pid" }, process { pid = "?pid", name = "?name" } },
  diagnose = "still works: ?name (?pid)",
}
"""
GOOD_FINDING = "still works: PoProxy.exe (812)"

# name: (rule file, extra options, the rules the error must name, what it must say)
CASES = {
    "modify-self": ("""-- Modifies the fact it matched: the copy matches again, forever.
kind "counter" { n = "integer" }
facts "counter" { { n = 0 } }
rule "modify-self" { when = { counter { n = "?n", as = "?c" } },
  action = function(m) kb.modify(m.c, { n = m.n + 1 }) end }
""", ["--max-firings", "50000"], ["modify-self"], "its budget of 50000 firings is spent"),

    "assert-chain": ("""-- Each firing asserts the fact that fires it again.
kind "link" { n = "integer" }
facts "link" { { n = 0 } }
rule "assert-chain" { when = { link { n = "?n" } },
  action = function(m) kb.assert(link { n = m.n + 1 }) end }
""", ["--max-facts", "50000"], ["assert-chain"], "its budget of 50000 facts made by rules is spent"),

    "modify-cycle": ("""-- A declarative modify cycle: x -> y -> x.
kind "toggle" { state = "string" }
facts "toggle" { { state = "x" } }
rule "cycle-x-to-y" { when = { toggle { state = "x", as = "?t" } }, modify = { { "?t", state = "y" } } }
rule "cycle-y-to-x" { when = { toggle { state = "y", as = "?t" } }, modify = { { "?t", state = "x" } } }
""", ["--max-seconds", "2"], ["cycle-x-to-y", "cycle-y-to-x"], "its budget of 2 s is spent"),

    # Ten million facts from one action: the per-call budgets are raised
    # out of the way, so only the run's budget can stop it.
    "ten-million-asserts": ("""kind "junk" { n = "integer" }
rule "mass-assert" { when = { listener { port = 110 } },
  action = function() for i = 1, 10000000 do kb.assert(junk { n = i }) end end }
""", ["--rule-instructions", "1000000000", "--rule-seconds", "3600", "--max-memory", "32"],
        ["mass-assert"], "its budget of 32 MB of engine memory is spent"),

    # An error on every activation: each fails alone, the rule goes on,
    # and the report lists the error once, counting the rest.
    "error-each-time": ("""rule "fails-each-time" { when = { process { pid = "?pid" } },
  action = function(m) error("cannot read this one") end }
""", [], ["fails-each-time"], "cannot read this one (and 2 more like it)"),

    # A finite chain cut short by --max-firings: it says so.
    "max-firings": ("""kind "step" { n = "integer" }
facts "step" { { n = 0 } }
rule "count-to-ten" { when = { step { n = { "?n", lt(10) } } },
  action = function(m) kb.assert(step { n = m.n + 1 }) end }
""", ["--max-firings", "3"], ["count-to-ten"], "its budget of 3 firings is spent"),
}


def run(args, cwd):
    """kbdiag's status, stdout, stderr and peak resident kilobytes."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([KBDIAG] + args, cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return proc.returncode, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"), usage.ru_maxrss


def check_run(case, args, cwd, rules, saying, finding):
    """Both formats: status 1, the error naming rules and saying what, finding kept, memory bounded."""
    for fmt in ("text", "json"):
        started = time.monotonic()
        status, out, err, rss = run(args + ["--format", fmt], cwd)
        took = time.monotonic() - started
        tag = f"{case} ({fmt})"
        check(status == 1, f"{tag}: exit status {status}, want 1", err)
        check(rss < RSS_BOUND_KB, f"{tag}: peak RSS {rss} KB, want under {RSS_BOUND_KB} KB")
        print(f"{tag}: status {status}, {took:.1f} s, peak RSS {rss // 1024} MB")
        if fmt == "text":
            problems = [line for line in out.splitlines() if "error: rule " in line]
            check(any(saying in line and all(r in line for r in rules) for line in problems),
                  f"{tag}: no error naming {rules} and saying '{saying}'", "\n".join(problems) or out[-1500:])
            check(finding in out, f"{tag}: the finding '{finding}' is gone", out[-1500:])
            continue
        try:
            report = json.loads(out)
        except ValueError:
            check(False, f"{tag}: not JSON", out[:500])
            continue
        errors = [e["message"] for e in report.get("errors", [])]
        check(any(saying in e and all(r in e for r in rules) for e in errors),
              f"{tag}: no JSON error naming {rules} and saying '{saying}'", errors)
        check(any(finding in f.get("message", "") for f in report.get("findings", [])),
              f"{tag}: the finding '{finding}' is gone from JSON", report.get("findings"))


def rule_cases(tmp):
    write(os.path.join(tmp, "snapshot.json"), SNAPSHOT)
    write(os.path.join(tmp, "good.lua"), GOOD_RULE)
    for name, (rule, options, rules, saying) in CASES.items():
        write(os.path.join(tmp, name + ".lua"), rule)
        args = ["diagnose", "--no-stock", "--rules", "good.lua", "--rules", name + ".lua", "snapshot.json"] + options
        check_run(name, args, tmp, rules, saying, GOOD_FINDING)


def long_line_case(tmp):
    """The nginx case's host without its log events, and an error.log
    whose 20 MB line comes before the real bind failure."""
    case = os.path.join(SOURCE, "tests", "e2e", "cases", "linux-nginx-port-held", "snapshot.json")
    with open(case, encoding="utf-8") as f:
        facts = [x for x in json.load(f)["facts"] if x["kind"] != "event"]
    with open(os.path.join(tmp, "host.json"), "w", encoding="utf-8") as f:
        json.dump({"kbdiag_snapshot": 1, "facts": facts}, f)
    with open(os.path.join(tmp, "error.log"), "w", encoding="utf-8") as f:
        f.write('2026/11/21 09:12:00 [notice] 9734#9734: using the "epoll" event method\n')
        f.write("2026/11/21 09:13:00 [emerg] 1111#1111: bind() to " + "x" * (20 << 20) + "\n")
        f.write("2026/11/21 09:14:00 [emerg] 9734#9734: bind() to 127.0.0.1:8080 failed (98: Address already in use)\n")
    check_run("long-line", ["diagnose", "host.json", "error.log"], tmp, ["linux-bind-nginx"],
              "exceeded its step budget", "nginx cannot bind 127.0.0.1:8080: python3 (PID 4242")


if __name__ == "__main__":
    run_cases(rule_cases, long_line_case)
