#!/usr/bin/env python3
"""Converts a CLIPS fact file (one `(template (slot value) ...)` fact per
line, as in bench/data) into a kbdiag snapshot, so both tools
read the same data.  Each value takes the type its slot has in the
benchmark's rule file (`kind "guest" { name = "string", ... }`), since CLIPS
symbols and numbers mix freely (Manners 16 names guests n1, n2; Manners 64
names them 1, 2).

usage: fct2json.py RULES.lua FILE.fct > FILE.json
"""
import json
import re
import sys

FACT = re.compile(r"^\((\S+)((?:\s*\(\S+\s+[^()]*\))*)\)\s*$")
SLOT = re.compile(r"\((\S+)\s+([^()]*)\)")


KIND = re.compile(r'kind\s+"(\w+)"\s*\{([^}]*)\}', re.S)
SLOT_TYPE = re.compile(r'(\w+)\s*=\s*"(\w+)"')


def slot_types(rules_path):
    """{kind: {slot: type}} from the rule file's kind declarations."""
    return {k: dict(SLOT_TYPE.findall(body)) for k, body in KIND.findall(open(rules_path).read())}


def value(text, typ):
    text = text.strip()
    if typ == "integer":
        return int(text)
    if typ == "float":
        return float(text)
    return text


def main():
    types, path = slot_types(sys.argv[1]), sys.argv[2]
    facts = []
    for n, line in enumerate(open(path), 1):
        line = line.strip()
        if not line or line.startswith(";"):
            continue
        m = FACT.match(line)
        if not m:
            sys.exit(f"{path}:{n}: not a fact: {line}")
        kind = types.get(m.group(1))
        if kind is None:
            sys.exit(f"{path}:{n}: the rule file declares no kind '{m.group(1)}'")
        try:
            slots = {k: value(v, kind.get(k, "string")) for k, v in SLOT.findall(m.group(2))}
        except ValueError as e:
            sys.exit(f"{path}:{n}: {e}")
        facts.append({"kind": m.group(1), "slots": slots})
    out = sys.stdout
    out.write('{"kbdiag_snapshot": 1, "facts": [\n')
    out.write(",\n".join(json.dumps(f, separators=(",", ":")) for f in facts))
    out.write("\n]}\n")


if __name__ == "__main__":
    main()
