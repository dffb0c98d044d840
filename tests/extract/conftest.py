from __future__ import annotations

import json
from pathlib import Path

import pytest

from extract import extract_path
from extract.model import ExtractedDocument

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"
SCHEMA = ROOT / "contracts" / "extracted_document.schema.json"
DOC_000 = SAMPLE / "000_beb44010db26e9ba.txt"
DOC_001 = SAMPLE / "001_40ca284911398d73.txt"
DOC_002 = SAMPLE / "002_9b46f816c8349047.txt"
DOC_004 = SAMPLE / "004_df1d7dc7c09f411b.txt"
SAMPLE_DOCS = [DOC_000, DOC_001, DOC_002, DOC_004]


@pytest.fixture(scope="session")
def sample_docs() -> dict[str, ExtractedDocument]:
    return {p.name[:3]: extract_path(p) for p in SAMPLE_DOCS}


@pytest.fixture(scope="session")
def schema() -> dict:
    return json.loads(SCHEMA.read_text(encoding="utf-8"))
