"""`python -m extract` prints one contract-valid JSON object per document."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema

from tests.extract.conftest import ROOT, SAMPLE_DOCS


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "extract", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)


def test_every_sample_document_matches_the_contract(schema):
    result = run_cli(*map(str, SAMPLE_DOCS))
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["document"] for d in lines] == [p.name for p in SAMPLE_DOCS]
    validator = jsonschema.Draft202012Validator(schema)
    for doc in lines:
        assert not list(validator.iter_errors(doc)), doc["document"]


def test_document_id_attribution_and_components(schema):
    import hashlib

    docs = {d["document"][:3]: d for d in map(json.loads, run_cli(*map(str, SAMPLE_DOCS)).stdout.splitlines())}
    for path in SAMPLE_DOCS:
        assert docs[path.name[:3]]["document_id"] == hashlib.sha256(path.read_bytes()).hexdigest()
    # wrapped text does not show the funding column: unknown, columns null, amounts in components
    project = docs["000"]["units"][0]["projects"][1]
    assert project["attribution"] == "unknown"
    assert project["amounts"] == {"total": 2100.0, "fiscal": None, "special_account": None, "other": None}
    assert project["components"] == [1600.0, 500.0]
    # tab-separated cells keep empty columns: explicit
    project = docs["001"]["units"][0]["projects"][1]
    assert project["attribution"] == "explicit"
    assert project["amounts"] == {"total": 1600.0, "fiscal": None, "special_account": 1600.0, "other": None}


def test_folder_argument_and_failing_exit_status(tmp_path, schema):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / SAMPLE_DOCS[0].name).write_bytes(SAMPLE_DOCS[0].read_bytes())
    result = run_cli(str(tmp_path))
    assert result.returncode == 1
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["document"] for d in docs] == [SAMPLE_DOCS[0].name, "empty.txt"]
    assert docs[0]["units"] and not docs[1]["units"]
    assert "empty.txt" in result.stderr and "empty_file" in result.stderr
    validator = jsonschema.Draft202012Validator(schema)
    assert all(not list(validator.iter_errors(d)) for d in docs)
