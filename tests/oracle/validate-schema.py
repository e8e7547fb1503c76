#!/usr/bin/env python3
"""validate-schema.py KIND FILE... — checks JSON documents against the
official schemas kept in ../shared/data (python3-jsonschema, Debian):

  cve5            CVE JSON 5.1 record  (cve5-schema/schemas/CVE_JSON_bundled_5.1.1.json)
                  a file may hold several records, one per line
  csaf            CSAF 2.0 document    (csaf/csaf_2.0/json_schema/csaf_json_schema.json
                  with the FIRST CVSS schemas it references)
  csaf-provider   CSAF provider-metadata.json
  osv             OSV record           (osv/validation/schema.json)

Prints every violation with its JSON path; exits 1 on any, 2 on misuse.
"""
import json
import os
import sys
import warnings

import jsonschema

warnings.filterwarnings("ignore", category=DeprecationWarning)
SHARED = os.environ.get("KEIKAI_SHARED") or os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared")
DATA = os.path.join(SHARED, "data")
SCHEMAS = {
    "cve5": "cve5-schema/schemas/CVE_JSON_bundled_5.1.1.json",
    "csaf": "csaf/csaf_2.0/json_schema/csaf_json_schema.json",
    "csaf-provider": "csaf/csaf_2.0/json_schema/provider_json_schema.json",
    "osv": "osv/validation/schema.json",
}


def load(rel):
    with open(os.path.join(DATA, rel), encoding="utf-8") as f:
        return json.load(f)


def store():
    """Every schema the CSAF schemas reference, by its $id (nothing is fetched)."""
    s = {}
    for rel in ["csaf/csaf_2.0/json_schema/csaf_json_schema.json"] + [
        "csaf/csaf_2.0/referenced_schema/first/" + n
        for n in ("cvss-v2.0.json", "cvss-v3.0.json", "cvss-v3.1.json")
    ]:
        sch = load(rel)
        s[sch.get("$id") or sch.get("id") or rel] = sch
        if "/first/" in rel:  # the CSAF schema refers to them without their ?date suffix
            s["https://www.first.org/cvss/" + os.path.basename(rel)] = sch
    return s


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in SCHEMAS:
        print(__doc__, file=sys.stderr)
        return 2
    schema = load(SCHEMAS[sys.argv[1]])
    cls = jsonschema.validators.validator_for(schema)
    resolver = jsonschema.RefResolver.from_schema(schema, store=store())
    v = cls(schema, resolver=resolver)
    bad = 0
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        docs = [l for l in text.splitlines() if l.strip()] if sys.argv[1] == "cve5" else [text]
        for n, d in enumerate(docs):
            try:
                doc = json.loads(d)
            except ValueError as e:
                print(f"{path}:{n + 1}: not JSON: {e}")
                bad += 1
                continue
            errs = sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path))
            for e in errs:
                print(f"{path}:{n + 1}: /{'/'.join(str(p) for p in e.absolute_path)}: {e.message[:300]}")
            bad += len(errs)
            if not errs:
                print(f"{path}:{n + 1}: valid {sys.argv[1]}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
