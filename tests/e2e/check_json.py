#!/usr/bin/env python3
"""Validates a JSON file against a JSON Schema (the draft the schema names).

usage: check_json.py SCHEMA FILE
Exits 0 when FILE is valid, 1 with every problem listed when it is not.
"""
import json
import sys

import jsonschema


def main():
    schema_path, doc_path = sys.argv[1], sys.argv[2]
    schema = json.load(open(schema_path))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    doc = json.load(open(doc_path))
    errors = sorted(cls(schema).iter_errors(doc), key=lambda e: list(e.absolute_path))
    for e in errors[:20]:
        print(f"{doc_path}: {'/'.join(map(str, e.absolute_path))}: {e.message}")
    if not errors:
        print(f"{doc_path}: valid against {schema_path}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
