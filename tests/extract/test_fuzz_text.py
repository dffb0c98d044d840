"""Fuzzing the text-export reader with mutated sample documents.

Every mutation must give a contract-valid document or a clean error finding: never an exception, never a
hang, never silently wrong totals. CI runs a bounded number of examples; a long run:

    FUZZ_EXAMPLES=5000 .venv/bin/python -m pytest tests/extract/test_fuzz_text.py -q
"""

from __future__ import annotations

import os
import re
import time

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract import extract_bytes
from tests.extract.conftest import SAMPLE_DOCS

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
SEEDS = {p.name: p.read_bytes() for p in SAMPLE_DOCS}
# a printed amount: a whole whitespace/tab-delimited token (not "99.99" inside "≥99.99%")
AMOUNT = re.compile(rb"(?<![^\s])\d{1,3}(?:,\d{3})*\.\d{2}(?![^\s])")
SECONDS_PER_DOCUMENT = 5.0
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(name: str, data: bytes, validator) -> object:
    start = time.perf_counter()
    doc = extract_bytes(name, data)
    assert time.perf_counter() - start < SECONDS_PER_DOCUMENT, "reader too slow: a hang?"
    errors = list(validator.iter_errors(doc.to_dict()))
    assert not errors, errors[0].message
    for finding in doc.findings:
        if finding.severity == "error":
            assert finding.code and name in finding.message
            if finding.code not in ("truncated_document", "no_projects"):
                assert not doc.units, "a document that cannot be read at all has no units"
    return doc


def mutate(data: bytes, kind: str, a: int, b: int, blob: bytes) -> bytes:
    n = len(data)
    if kind == "truncate":
        return data[: a % n]
    if kind == "flip":
        i = a % n
        return data[:i] + bytes([data[i] ^ (1 << (b % 8))]) + data[i + 1 :]
    if kind == "shuffle_lines":
        lines = data.split(b"\n")
        i, j = a % len(lines), b % len(lines)
        lines[i], lines[j] = lines[j], lines[i]
        return b"\n".join(lines)
    if kind == "huge_line":
        i = a % n
        return data[:i] + blob * (200_000 // max(len(blob), 1) + 1) + data[i:]
    if kind == "insert":
        i = a % n
        return data[:i] + blob + data[i:]
    if kind == "delete":
        i = a % n
        return data[:i] + data[i + 1 + b % 200 :]
    if kind == "reencode":
        text = data.decode("utf-8")
        return text.encode(["gb18030", "utf-16", "utf-8-sig", "utf-16-le"][a % 4], errors="replace")
    raise AssertionError(kind)


@FUZZ
@given(
    name=st.sampled_from(sorted(SEEDS)),
    kind=st.sampled_from(["truncate", "flip", "shuffle_lines", "huge_line", "insert", "delete", "reencode"]),
    a=st.integers(min_value=0, max_value=10**6),
    b=st.integers(min_value=0, max_value=10**6),
    blob=st.binary(min_size=1, max_size=40),
)
def test_mutated_exports_never_crash(schema, name, kind, a, b, blob):
    check(name, mutate(SEEDS[name], kind, a, b, blob), jsonschema.Draft202012Validator(schema))


@FUZZ
@given(name=st.sampled_from(sorted(SEEDS)), which=st.integers(min_value=0), position=st.integers(min_value=0),
       digit=st.integers(min_value=0, max_value=9))
def test_a_changed_amount_never_reconciles_silently(schema, name, which, position, digit):
    """Change one digit of one printed amount: the reading changes and a reconciliation finding says so."""
    data = SEEDS[name]
    matches = list(AMOUNT.finditer(data))
    match = matches[which % len(matches)]
    digits = [i for i in range(match.start(), match.end()) if data[i : i + 1].isdigit()]
    i = digits[position % len(digits)]
    new = str(digit).encode()
    if data[i : i + 1] == new:
        new = str((digit + 1) % 10).encode()
    changed = data[:i] + new + data[i + 1 :]
    validator = jsonschema.Draft202012Validator(schema)
    before, after = check(name, data, validator), check(name, changed, validator)
    if after.failed:
        return
    def findings(doc):
        return sorted((f.code, f.message) for f in doc.findings if f.severity != "info")
    assert findings(after) != findings(before), "a changed amount reconciled exactly as before"
