#!/usr/bin/env python3
"""The pre-filter changes nothing a rule can see: a differential test.

usage: prefilter_diff.py KBDIAG [--cases N] [--seed S] [--jobs J] [--keep DIR]

Each case is a random rule file (event patterns with equality, ci, one_of,
ordering, ne, Lua patterns, tests between two slots of one fact, slot
predicates, a malformed pattern now and then; joins of two events, of an
event with a process and with a table of knowledge before or after it,
no(), exists(), test(), any_of of those, a derived kind, now and then a rule that adds to
the table, declared or from Lua) and a
random stream of events and processes, as a snapshot or an Event Viewer
CSV export.  kbdiag diagnoses it with --no-prefilter and without, both
with a trace, and the two runs must agree:

- the JSON reports: findings (evidence by source, line and text, not by
  fact id), errors, and the facts read; only the counts of facts kept,
  skipped and asserted may differ;
- the traces (--trace-format json), once the facts the filter left out are
  taken out of the unfiltered one (each must be evidence that no event,
  firing, premise or near miss refers to) and fact and event numbers are
  renumbered: the filter gives ids only to the facts it keeps.  Left out of
  the comparison: the inputs' fact counts, and each near miss's candidates
  and closest facts, which are the live facts of a kind; and, for a near
  miss at a pattern, what follows from them: whether it says no-fact or
  no-match (none live, or none passing), and which partial match it shows
  (the one whose closest fact came closest: of all, unfiltered; filtered,
  of those kept, where the facts that joined no row of a table of
  knowledge are only counted beyond the first few), and for a rule with
  any_of, which alternative it shows, with the kind of its condition.
  The number of partial matches that reached each near miss's condition
  is compared.

A third run, filtered and without a trace (the filter then also turns
away those first few), must give the same report; over all cases it
must have left out more than the traced one.

Seeded and deterministic; a failure names the seed and case, and --keep
DIR leaves each case's files there to rerun by hand.  Under
AddressSanitizer the runs are checked for memory errors but, unless
ASAN_OPTIONS says otherwise, not for leaks: the leak check at exit would
double the time of 600 short runs, and every other e2e case runs the same
code with it.
"""
import argparse
import concurrent.futures
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

SOURCES = ["MSExchangeIMAP4", "msexchangeimap4", "MSExchange Pop3 Interface", "Service Control Manager",
           "W3SVC", "w3svc", "nginx", "sshd", "Application Error", "EXCH01"]
IDS = [1, 42, 115, 903, 1000, 1039, 2007, 7000, 11508]
LEVELS = ["error", "warning", "information", "critical"]
COMPUTERS = ["EXCH01", "exch01", "WEB1", "nginx", "MSExchangeIMAP4"]
CATEGORIES = ["None", "(1)", "Configuration", "%d+", "bind"]
USERS = ["N/A", "SYSTEM", "deploy", "Deploy"]
PIDS = [4, 812, 1000, 1234, 5000]
PROCESS_NAMES = ["PoProxy.exe", "poproxy.EXE", "store.exe", "nginx", "svchost.exe"]
PHRASES = ["bind() to 0.0.0.0:80 failed (13: Permission denied)",
           "The IMAP4 service could not bind to 0.0.0.0:143, Error: 10048.",
           "The service is stopping.", "Timeout (30000 milliseconds) waiting for the W3SVC service",
           "Accept clients on POP3 interface failed in function HrRegisterProtocol with error 0x2740.",
           "make_sock: could not bind to address [::]:443", "error", "Error 42", "nothing to see",
           "The Software Protection service has stopped.", "(98)Address already in use"]
PATTERNS = ["bind", "[Ee]rror:? %d+", "^The ", "%a+%(%)", "[%w%.]+:%d+", "(%d+)", "stopp?ing%.$",
            "0x%x%x%x%x", "%(%d+%)%a", "[^%s]+ms", "Pop3", "service", "%s%s", "^$", "x*y*z*$"]
BAD_PATTERNS = ["[a", "(%d", "%"]
SLOW_PATTERN = "(.-)(.-)(.-)(.-)(.-)%d%d%d%d%d%d%d%d%d%d"


def lua_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ---- rules --------------------------------------------------------------------

def const_test(rnd, slot_vars, few_steps, selective=False):
    """A slot and its tests for an event pattern: (slot, [test, ...]); a
    selective one is a test most events fail."""
    kind = rnd.choice([0, 1, 3, 4, 5, 8]) if selective else rnd.randrange(13)
    if kind == 0:
        return "id", [str(rnd.choice(IDS))]
    if kind == 1:
        return "id", ["one_of { %s }" % ", ".join(str(i) for i in rnd.sample(IDS, 3))]
    if kind == 2:
        return "id", ["%s(%d)" % (rnd.choice(["lt", "le", "gt", "ge", "ne"]), rnd.choice(IDS))]
    if kind == 3:
        return "source", [lua_str(rnd.choice(SOURCES))]
    if kind == 4:
        return "source", ["ci " + lua_str(rnd.choice(SOURCES).swapcase())]
    if kind == 5:
        return "source", ["one_of { %s }" % ", ".join(lua_str(s) for s in rnd.sample(SOURCES, 2))]
    if kind == 6:
        return rnd.choice(["source", "computer"]), ["%s(%s)" % (rnd.choice(["lt", "ge", "ne"]),
                                                               lua_str(rnd.choice(["M", "W", "exch", "n"])))]
    if kind == 7:
        return "level", [rnd.choice(['"error"', 'ne("information")', 'ci "ERROR"'])]
    if kind == 8:
        return "message", ["match " + lua_str(rnd.choice(PATTERNS))]
    if kind == 9:  # a pattern that fails: malformed, or out of steps where they are few
        return "message", ["match " + lua_str(rnd.choice(BAD_PATTERNS + [SLOW_PATTERN] * few_steps))]
    if kind == 10:  # a test between two slots of the fact
        other = rnd.choice(["computer", "user", "category"])
        op = rnd.choice(["%s", "ci(%s)", "ne(%s)", "gt(%s)"])
        slot_vars.setdefault("source", "?src")
        return other, [op % lua_str(slot_vars["source"])]
    if kind == 11:
        slot_vars.setdefault("category", "?cat")
        return "message", ["match(%s)" % lua_str(slot_vars["category"])]
    return "id", ["test(function(v) return v %% %d == 0 end)" % rnd.choice([2, 3, 7])]


def event_pattern(rnd, ntests, few_steps, binds=("source", "id")):
    """An event pattern: the slots bound to variables, one selective test
    (a pattern every event passes would keep every event), then ntests
    others."""
    slot_vars = {s: "?" + ("src" if s == "source" else s) for s in binds}
    tests = {}
    for i in range(1 + ntests):
        slot, t = const_test(rnd, slot_vars, few_steps, selective=i == 0)
        tests.setdefault(slot, []).extend(t)
    slots = sorted(set(tests) | set(slot_vars))
    parts = []
    for s in slots:
        vals = ([lua_str(slot_vars[s])] if s in slot_vars else []) + tests.get(s, [])
        parts.append("%s = %s" % (s, vals[0] if len(vals) == 1 else "{ %s }" % ", ".join(vals)))
    return "event { %s }" % ", ".join(parts), slot_vars


def known_join(rnd):
    """A join with the table of knowledge (knowledge())."""
    return rnd.choice(['known { source = ci "?src", id = "?id" }', 'known { id = "?id", tag = "?tag" }',
                       'known { source = "?src" }', 'no(known { source = "?src", id = "?id" })'])


def extra_condition(rnd, bound, choices=True):
    """A condition after the first: (text, variables it binds); now and
    then an any_of of two or three of them."""
    text, binds = one_condition(rnd, bound, choices)
    return text, [b for b in binds if b in text and not text.startswith("no(")]


def one_condition(rnd, bound, choices):
    """extra_condition()'s text, and the variables it may bind."""
    kind = rnd.randrange(9 if choices else 8)
    if kind == 8:
        picked = [extra_condition(rnd, bound, False) for _ in range(rnd.randrange(2, 4))]
        return "any_of { %s }" % ", ".join(text for text, _ in picked), sorted(set(b for _, bs in picked for b in bs))
    if kind == 0:
        return "event { source = \"?src\", id = { ne(\"?id\"), %d }, level = %s }" % (
            rnd.choice(IDS), lua_str(rnd.choice(LEVELS))), []
    if kind == 1:
        return "event { pid = \"?pid\", id = %d }" % rnd.choice(IDS), ["?pid"]
    if kind == 2:
        return "no(event { source = \"?src\", message = match %s })" % lua_str(rnd.choice(PATTERNS)), []
    if kind == 3:
        return "exists(event { id = %d, message = match %s })" % (rnd.choice(IDS), lua_str(rnd.choice(PATTERNS))), []
    if kind == 4:
        return "test(function(m) return m.id ~= nil and m.id %% 2 == %d end)" % rnd.randrange(2), []
    if kind == 6:
        return known_join(rnd), ["?tag"]
    if kind == 5 and "?pid" in bound:
        return "process { pid = \"?pid\", name = { \"?name\", ci %s } }" % lua_str(rnd.choice(PROCESS_NAMES)), ["?name"]
    return "no(process { pid = %d, name = ne(\"?src\") })" % rnd.choice(PIDS), []


def rule_text(rnd, n, derived, few_steps):
    binds = ("source", "id", "pid") if rnd.random() < 0.4 else ("source", "id")
    first, slot_vars = event_pattern(rnd, rnd.randrange(0, 3), few_steps, binds)
    conds, bound = [first], {"?src", "?id"} | ({"?pid"} if "pid" in slot_vars else set())
    if rnd.random() < 0.2:  # the table first: the event joins what it holds
        conds.insert(0, rnd.choice(['known { source = "?src" }', 'known { id = "?id", source = ci "?src" }']))
    elif rnd.random() < 0.3:
        conds.append(known_join(rnd))
    for _ in range(rnd.randrange(0, 3)):
        text, binds = extra_condition(rnd, bound)
        conds.append(text)
        bound |= set(binds)
    lines = ['rule "r%d" {' % n, '  title = "r%d", severity = %s,' % (n, lua_str(rnd.choice(["error", "warning", "info"]))),
             "  when = { %s }," % ", ".join(conds),
             '  diagnose = "r%d: %s",' % (n, " ".join(sorted(bound)))]
    if derived:
        lines.append('  assert = { mark { src = "?src", n = "?id" } },')
    adds = rnd.random()
    if adds < 0.04:  # a rule that adds to the table: it is not fixed
        lines.append('  assert = { known { source = "?src", id = 7, tag = "added" } },' if not derived else
                     '  action = function(m) kb.assert(known { source = m.src, id = 7, tag = "lua" }) end,')
    lines.append("}")
    return "\n".join(lines)


def knowledge(rnd):
    """A table of knowledge the rules join events with."""
    rows = ['  { source = %s, id = %d, tag = %s },' % (
        lua_str(rnd.choice(SOURCES) if rnd.random() < 0.7 else rnd.choice(SOURCES).upper()), rnd.choice(IDS),
        lua_str(rnd.choice(["a", "b"]))) for _ in range(rnd.randrange(0, 7))]
    return 'kind "known" { source = "string", id = "integer", tag = "string" }\nfacts "known" {\n%s\n}' % (
        "\n".join(rows))


def mark_rule(rnd, n, few_steps):
    """A rule on the derived kind, joined back to events."""
    ev, _ = event_pattern(rnd, rnd.randrange(0, 2), few_steps, ("source",))
    ev = ev.replace('"?src"', '"?s"')
    return ('rule "m%d" {\n  title = "m%d", severity = "info",\n  when = { mark { src = "?s", n = "?n" }, %s },\n'
            '  diagnose = "m%d: ?s ?n",\n}' % (n, n, ev, n))


def rules_file(rnd, few_steps):
    out = ['kind "mark" { src = "string", n = "integer" }', knowledge(rnd)]
    nrules = rnd.randrange(1, 8)
    for n in range(nrules):
        out.append(rule_text(rnd, n, rnd.random() < 0.3, few_steps))
    for n in range(rnd.randrange(0, 2)):
        out.append(mark_rule(rnd, n, few_steps))
    return "\n\n".join(out) + "\n"


# ---- evidence -----------------------------------------------------------------

def noise(rnd):
    return "".join(rnd.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789 .:()") for _ in range(rnd.randrange(1, 40)))


def message(rnd):
    parts = [rnd.choice(PHRASES) if rnd.random() < 0.7 else noise(rnd) for _ in range(rnd.randrange(1, 3))]
    if rnd.random() < 0.05:
        parts.append("1" * 600)  # long enough for the slow pattern to run out of steps
    return " ".join(parts)


def event_slots(rnd):
    slots = {"source": rnd.choice(SOURCES) if rnd.random() < 0.8 else noise(rnd),
             "id": rnd.choice(IDS), "level": rnd.choice(LEVELS)}
    for slot, values in (("computer", COMPUTERS), ("user", USERS), ("category", CATEGORIES)):
        if rnd.random() < 0.7:
            slots[slot] = rnd.choice(values) if rnd.random() < 0.8 else noise(rnd)
    if rnd.random() < 0.9:
        slots["message"] = message(rnd)
    if rnd.random() < 0.4:
        slots["pid"] = rnd.choice(PIDS)
    return slots


def snapshot(rnd):
    facts = []
    for line in range(1, rnd.randrange(10, 40)):
        if rnd.random() < 0.15:
            slots, kind = {"pid": rnd.choice(PIDS), "name": rnd.choice(PROCESS_NAMES)}, "process"
        elif facts and rnd.random() < 0.1:
            prev = rnd.choice(facts)  # the same values again: a duplicate
            slots, kind = dict(prev["slots"]), prev["kind"]
        else:
            slots, kind = event_slots(rnd), "event"
        facts.append({"kind": kind, "slots": slots, "source": "evidence.txt", "line": line, "text": "line %d" % line})
    return "evidence.json", json.dumps({"kbdiag_snapshot": 1, "facts": facts}, indent=0)


def csv_field(s):
    return '"' + s.replace('"', '""') + '"'


def eventlog_csv(rnd):
    rows = ["Level,Date and Time,Source,Event ID,Task Category"]
    for _ in range(rnd.randrange(10, 40)):
        e = event_slots(rnd)
        rows.append(",".join([e["level"].capitalize(), "10/7/2016 6:38:24 PM", csv_field(e["source"]), str(e["id"]),
                              csv_field(e.get("category", "None")), csv_field(e.get("message", ""))]))
    return "evidence.csv", "\r\n".join(rows) + "\r\n"


# ---- comparing ------------------------------------------------------------------

class Differ(Exception):
    pass


def fact_key(f):
    return (f["kind"], json.dumps(f.get("slots"), sort_keys=True), f["origin"], f.get("source"), f.get("line"),
            f.get("text"))


def left_out(full, kept):
    """The ids of full's facts that kept lacks: kept's facts must be full's
    in order with some evidence facts taken out."""
    out, j = set(), 0
    for f in full["facts"]:
        if j < len(kept["facts"]) and fact_key(f) == fact_key(kept["facts"][j]):
            j += 1
        elif f["origin"] == "evidence":
            out.add(f["id"])
        else:
            raise Differ("fact %s (%s) is missing from the filtered run and is not evidence" % (f["id"], f["kind"]))
    if j != len(kept["facts"]):
        raise Differ("the filtered run has a fact the unfiltered one lacks: %s" % kept["facts"][j])
    return out


def refs(x):
    """Every fact id ("f12") inside x."""
    if isinstance(x, str):
        return {x} if x[:1] == "f" and x[1:].isdigit() else set()
    if isinstance(x, dict):
        return set().union(*(refs(v) for v in x.values())) if x else set()
    if isinstance(x, list):
        return set().union(*(refs(v) for v in x)) if x else set()
    return set()


def without_left_out(t, dropped):
    """The trace t with the facts in dropped (and their assert events) taken out."""
    t = dict(t)
    for name in ("firings", "findings", "errors"):
        if refs(t[name]) & dropped:
            raise Differ("%s refer to facts the filter left out: %s" % (name, sorted(refs(t[name]) & dropped)))
    for e in t["events"]:
        if e["type"] != "assert" and refs(e) & dropped:
            raise Differ("event %s refers to a fact the filter left out: %s" % (e["n"], e))
    for m in t["near_misses"]:
        if refs(m["matched"]) & dropped and m["reason"] not in ("no-fact", "no-match"):
            raise Differ("the near miss of %s matched a fact the filter left out" % m["rule"])
    t["facts"] = [f for f in t["facts"] if f["id"] not in dropped]
    t["events"] = [e for e in t["events"] if not (e["type"] == "assert" and e["fact"] in dropped)]
    return t


def renumbered(t):
    """t with facts numbered f1, f2, ... and events 1, 2, ... in order."""
    fid = {f["id"]: "f%d" % (i + 1) for i, f in enumerate(t["facts"])}
    ev = {e["n"]: i + 1 for i, e in enumerate(t["events"])}

    def walk(x, key=None):
        if isinstance(x, dict):
            return {k: walk(v, k) for k, v in x.items()}
        if isinstance(x, list):
            return [walk(v, key) for v in x]
        if isinstance(x, str) and x in fid and key in ("id", "fact", "facts", "premises", "replaces", "matched"):
            return fid[x]
        if isinstance(x, int) and key in ("asserted", "retracted", "event"):
            return ev.get(x, x)
        return x

    t = walk(t)
    for i, e in enumerate(t["events"]):
        e["n"] = i + 1
    return t


def comparable_trace(t):
    t = dict(t)
    t["inputs"] = [{k: v for k, v in i.items() if k != "facts"} for i in t["inputs"]]
    misses = []
    for m in t["near_misses"]:
        m = {k: v for k, v in m.items() if k not in ("candidates", "closest")}
        if m["reason"] in ("no-fact", "no-match"):  # the partial match shown is the one whose closest fact came closest
            m = {k: v for k, v in m.items() if k not in ("matched", "bindings")}
            m["reason"] = "no-fact-or-match"
            if "choices" in m:  # and so is the alternative of an any_of rule, with the kind of its choice
                m = {k: v for k, v in m.items() if k not in ("choices", "kind")}
        misses.append(m)
    t["near_misses"] = misses
    return t


def comparable_report(r):
    """The report with evidence without fact ids (each names its place,
    source:line, and its text), and the counts that may differ taken out."""
    r = dict(r)
    r["findings"] = [dict(f, evidence=[{k: v for k, v in e.items() if k != "fact"} for e in f["evidence"]])
                     for f in r["findings"]]
    r["inputs"] = [{k: v for k, v in i.items() if k in ("path", "format", "read")} for i in r["inputs"]]
    r["stats"] = {k: v for k, v in r["stats"].items() if k in ("read", "rules", "fired")}
    return r


def first_difference(a, b, path="$"):
    if type(a) is not type(b):
        return "%s: %r != %r" % (path, a, b)
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return "%s.%s: only in %s" % (path, k, "unfiltered" if k in a else "filtered")
            d = first_difference(a[k], b[k], "%s.%s" % (path, k))
            if d:
                return d
        return None
    if isinstance(a, list):
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, "%s[%d]" % (path, i))
            if d:
                return d
        return None if len(a) == len(b) else "%s: %d elements != %d" % (path, len(a), len(b))
    return None if a == b else "%s: %r != %r" % (path, a, b)


def compare(full_report, full_trace, kept_report, kept_trace):
    dropped = left_out(full_trace, kept_trace)
    d = first_difference(comparable_report(full_report), comparable_report(kept_report))
    if d:
        raise Differ("reports differ at " + d)
    full = comparable_trace(renumbered(without_left_out(full_trace, dropped)))
    d = first_difference(full, comparable_trace(renumbered(kept_trace)))
    if d:
        raise Differ("traces differ at " + d)
    return len(dropped)


# ---- running ------------------------------------------------------------------------

def run(kbdiag, case_dir, evidence, filtered, steps, traced=True):
    name = ("filtered" if filtered else "unfiltered") + ("" if traced else "-untraced")
    trace = os.path.join(case_dir, name + "-trace.json")
    args = [kbdiag, "diagnose", "--no-stock", "--rules", "rules.lua", evidence, "--format", "json",
            "--rule-instructions", str(steps)] + ([] if filtered else ["--no-prefilter"]) + (
            ["--trace", trace] if traced else [])
    env = dict(os.environ, HOME=case_dir, XDG_CONFIG_HOME=os.path.join(case_dir, "none"),
               KBDIAG_SYSTEM_RULES=os.path.join(case_dir, "none"),
               ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "detect_leaks=0"))
    p = subprocess.run(args, cwd=case_dir, env=env, capture_output=True, text=True, timeout=120)
    if p.returncode not in (0, 1, 2) or "Sanitizer" in p.stderr:
        raise Differ("%s run failed (%d):\n%s" % (name, p.returncode, p.stderr))
    open(os.path.join(case_dir, name + "-report.json"), "w").write(p.stdout)
    return json.loads(p.stdout), json.load(open(trace)) if traced else None, p.returncode


def one_case(kbdiag, seed, n, root):
    rnd = random.Random("%d/%d" % (seed, n))
    case_dir = os.path.join(root, "case%03d" % n)
    os.makedirs(case_dir, exist_ok=True)
    few_steps = rnd.random() < 0.2  # so that a match test can run out of them, cheaply
    open(os.path.join(case_dir, "rules.lua"), "w").write(rules_file(rnd, few_steps))
    evidence, text = snapshot(rnd) if rnd.random() < 0.7 else eventlog_csv(rnd)
    open(os.path.join(case_dir, evidence), "w", newline="").write(text)
    steps = 3000 if few_steps else 10000000
    full_report, full_trace, full_rc = run(kbdiag, case_dir, evidence, False, steps)
    kept_report, kept_trace, kept_rc = run(kbdiag, case_dir, evidence, True, steps)
    if full_rc != kept_rc:
        raise Differ("exit status %d unfiltered, %d filtered" % (full_rc, kept_rc))
    skipped = compare(full_report, full_trace, kept_report, kept_trace)
    # without a recorder the filter keeps none of what joins no fixed fact
    lean_report, _, lean_rc = run(kbdiag, case_dir, evidence, True, steps, traced=False)
    if lean_rc != full_rc:
        raise Differ("exit status %d unfiltered, %d filtered without a trace" % (full_rc, lean_rc))
    d = first_difference(comparable_report(full_report), comparable_report(lean_report))
    if d:
        raise Differ("reports differ without a trace at " + d)
    joined = lean_report["stats"].get("skipped", 0) - kept_report["stats"].get("skipped", 0)
    return skipped, joined, len(full_trace["facts"]), len(full_report["findings"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("kbdiag")
    ap.add_argument("--cases", type=int, default=200)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--keep", help="leave each case's files in this directory")
    a = ap.parse_args()
    kbdiag = os.path.abspath(a.kbdiag)
    root = os.path.abspath(a.keep) if a.keep else tempfile.mkdtemp(prefix="kbdiag-prefilter-")
    failed = skipped = joined = facts = findings = 0
    try:
        with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
            futures = {pool.submit(one_case, kbdiag, a.seed, n, root): n for n in range(a.cases)}
            for fut in concurrent.futures.as_completed(futures):
                n = futures[fut]
                try:
                    s, j, f, k = fut.result()
                    skipped, joined, facts, findings = skipped + s, joined + j, facts + f, findings + k
                except Exception as e:  # a mismatch, or output that is not what a trace is
                    failed += 1
                    print("FAIL seed %d case %d: %s" % (a.seed, n, e if isinstance(e, Differ) else repr(e)))
    finally:
        if not a.keep:
            shutil.rmtree(root, ignore_errors=True)
    print("%d cases, %d failed; %d findings; %d of %d facts left out by the filter, %d more without a trace"
          % (a.cases, failed, findings, skipped, facts, joined))
    # a test that filtered nothing, or found nothing, would prove nothing
    if not failed and (skipped == 0 or joined <= 0 or skipped == facts or findings == 0):
        print("FAIL the cases do not exercise the filter")
        failed = 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
