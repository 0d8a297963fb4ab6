#!/usr/bin/env python3
"""chain_trace.py N > trace.json — a trace whose one finding rests on
2N + 2 facts (bench/README.md, "Why-tree pictures"): count 0 and lines
0 .. N-1 read from a log, the rule "step" making count n+1 from count n and
line n, the rule "report" finding count N.  The largest picture
kbt_render_why_svg() draws: its nearest 40 facts and a count of the rest."""

import json
import sys


def main():
    n = int(sys.argv[1])
    rules = [{"id": "step", "source": "rules/chain.lua:1", "salience": 0,
              "conditions": ["count { n = ?n }", "line { n = ?n }"], "activations": n, "fired": n, "disabled": False},
             {"id": "report", "source": "rules/chain.lua:9", "severity": "error", "salience": 0,
              "conditions": [f"count {{ n = {n} }}"], "activations": 1, "fired": 1, "disabled": False}]
    facts, firings, events = [], [], []

    def fact(kind, slots, **more):
        facts.append({"id": f"f{len(facts) + 1}", "kind": kind, "slots": slots, "asserted": len(events) + 1, **more})
        events.append({"n": len(events) + 1, "type": "assert", "fact": facts[-1]["id"],
                       **({"firing": more["firing"]} if "firing" in more else {})})
        return facts[-1]["id"]

    def fire(rule, premises):
        firings.append({"n": len(firings) + 1, "rule": rule, "activation": len(firings) + 1, "event": len(events) + 1,
                        "facts": premises, "bindings": {}})
        events.append({"n": len(events) + 1, "type": "fire", "rule": rule, "activation": len(firings),
                       "firing": len(firings)})
        return len(firings)

    count = fact("count", {"n": 0}, origin="evidence", source="chain.log", line=1, text="count 0", input="i1")
    lines = [fact("line", {"n": i, "text": f"line {i} of the chain, as a log would say it"}, origin="evidence",
                  source="chain.log", line=i + 2, text=f"line {i} of the chain, as a log would say it", input="i1")
             for i in range(n)]
    for i in range(n):
        x = fire("step", [count, lines[i]])
        count = fact("count", {"n": i + 1}, origin="derived", source="rules/chain.lua:1", firing=x,
                     premises=[count, lines[i]])
    x = fire("report", [count])
    finding = {"rule": "report", "severity": "error", "message": f"The chain is {n} lines long."}
    fid = fact("finding", finding, origin="derived", source="rules/chain.lua:9", firing=x, premises=[count])
    json.dump({"kbdiag_trace": 1, "kbdiag": "bench",
               "inputs": [{"id": "i1", "path": "chain.log", "format": "text", "facts": n + 1, "collector": False}],
               "rules": rules, "facts": facts, "firings": firings, "events": events,
               "findings": [{"fact": fid, **finding}], "errors": [], "near_misses": []}, sys.stdout)


if __name__ == "__main__":
    main()
