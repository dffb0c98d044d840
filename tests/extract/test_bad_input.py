"""Bad input: a clear error finding naming the file and the problem; the other documents still load."""

from __future__ import annotations

import random

import duckdb
import pytest

from extract import extract_path
from extract.load import load_documents
from extract.parallel import extract_many
from tests.extract.conftest import DOC_000, DOC_002


def make(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def bad_inputs(tmp_path):
    rng = random.Random(7)
    return {
        "empty_file": make(tmp_path, "empty.txt", b""),
        "not_text": make(tmp_path, "junk.txt", bytes(rng.randrange(256) for _ in range(4096))),
        "truncated_document": make(tmp_path, "cut.txt", DOC_000.read_bytes()[:20000]),
        "no_table_found": make(tmp_path, "letter.txt", "尊敬的各位同事：\n本周五下午召开预算工作会议。\n".encode()),
        "file_not_found": tmp_path / "missing.txt",
    }


@pytest.mark.parametrize("code", ["empty_file", "not_text", "truncated_document", "no_table_found", "file_not_found"])
def test_each_bad_input_is_one_clear_error(tmp_path, code):
    path = bad_inputs(tmp_path)[code]
    doc = extract_path(path)
    errors = [f for f in doc.findings if f.severity == "error"]
    assert [f.code for f in errors] == [code]
    assert path.name in errors[0].message
    assert doc.failed


def test_truncated_mid_character_is_reported_as_cut_off(tmp_path):
    data = DOC_002.read_bytes()
    cut = next(n for n in range(15000, 15010) if data[n] >= 0x80 and (data[n] & 0xC0) == 0x80)
    doc = extract_path(make(tmp_path, "cut_char.txt", data[:cut]))
    assert [f.code for f in doc.findings if f.severity == "error"] == ["truncated_document"]


def test_gb18030_and_utf16_exports_are_read(tmp_path):
    text = DOC_002.read_text(encoding="utf-8")
    reference = extract_path(DOC_002)
    for encoding, data in (("gb18030", text.encode("gb18030")), ("utf-16", text.encode("utf-16"))):
        doc = extract_path(make(tmp_path, f"{encoding}.txt", data))
        assert not doc.failed
        assert [p.name for _, p in doc.projects()] == [p.name for _, p in reference.projects()]
        assert [len(p.indicators) for _, p in doc.projects()] == [len(p.indicators) for _, p in reference.projects()]
        assert any(f.code == "text_encoding" and encoding in f.message for f in doc.findings)


def test_undecodable_text_is_an_error(tmp_path):
    data = "项目支出绩效目标表".encode() + b"\x81\x30\xff\xfe\x80\x80" * 50 + b"\n" * 10
    doc = extract_path(make(tmp_path, "mixed.txt", data))
    errors = [f for f in doc.findings if f.severity == "error"]
    assert [f.code for f in errors] == ["undecodable_text"] and "offset 29" in errors[0].message


def test_the_other_documents_still_extract_and_load(tmp_path):
    bad = list(bad_inputs(tmp_path).values())
    good = [make(tmp_path, DOC_000.name, DOC_000.read_bytes()), make(tmp_path, DOC_002.name, DOC_002.read_bytes())]
    docs = extract_many(bad + good, workers=2)
    assert [d.document for d in docs] == [p.name for p in bad + good]
    assert [d.failed for d in docs] == [True] * len(bad) + [False, False]
    warehouse = tmp_path / "w.duckdb"
    report = load_documents(warehouse, docs)
    assert sorted(report.loaded) == sorted([DOC_000.name, DOC_002.name])
    assert len(report.rejected) == len(bad) - 1 and report.skipped == ["missing.txt"]
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("select count(*) from raw.projects").fetchone() == (46,)
    assert con.execute("select count(*) from raw.documents where status = 'rejected'").fetchone() == (4,)
    con.close()
