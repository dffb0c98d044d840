"""Hostile content is stored verbatim and never executed; documents stay inside their folder."""

from __future__ import annotations

import json
import subprocess
import sys

import duckdb
import pytest

from extract import extract_path
from extract.load import load_documents
from extract.reader import document_in_folder, document_paths
from tests.extract.conftest import DOC_002, ROOT

HOSTILE_NAMES = [
    "预算 2023 (final).txt",
    "it's \"quoted\".txt",
    "a;b'--drop table raw.documents.txt",
    "\u202egpj.txt",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_file_names_are_kept_verbatim(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(DOC_002.read_bytes())
    result = subprocess.run([sys.executable, "-m", "extract", str(path), "--load", "--quiet",
                             "--warehouse", str(tmp_path / "w.duckdb")], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    assert con.execute("select document_name, project_count from raw.documents").fetchall() == [(name, 23)]
    con.close()


def test_control_characters_long_strings_and_markup_survive(tmp_path):
    weird = "专项\u0007工作<script>alert(1)</script>经费" + "长" * 5000 + "\u200f"
    text = DOC_002.read_text(encoding="utf-8").replace("    专项工作经费 32.00", f"    {weird} 32.00")
    text = text.replace("用户满意度，年度指标值：100%", "用户满意度'; delete from raw.indicators; --，年度指标值：100%")
    path = tmp_path / "weird.txt"
    path.write_text(text, encoding="utf-8")
    doc = extract_path(path)
    project = doc.units[0].projects[0]
    assert project.name == weird.strip()
    assert project.indicators[0].name == "用户满意度'; delete from raw.indicators; --"
    load_documents(tmp_path / "w.duckdb", [doc])
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    assert con.execute("select project_name from raw.projects where project_seq = 1").fetchone() == (weird.strip(),)
    assert con.execute("select count(*) from raw.indicators").fetchone() == (179,)
    con.close()
    assert json.loads(json.dumps(doc.to_dict(), ensure_ascii=False))["units"][0]["projects"][0]["name"] == weird.strip()


def test_folders_are_listed_without_following_names_outside(tmp_path):
    inside = tmp_path / "docs"
    inside.mkdir()
    (inside / "a.txt").write_bytes(DOC_002.read_bytes())
    (tmp_path / "outside.txt").write_bytes(DOC_002.read_bytes())
    (inside / "link.txt").symlink_to(tmp_path / "outside.txt")
    (inside / "inner.txt").symlink_to(inside / "a.txt")
    listed = document_paths([inside])
    assert [p.name for p in listed] == ["a.txt", "inner.txt"]  # the link leading outside is not followed
    for name in ("../outside.txt", "..", "sub/a.txt", "link.txt"):
        with pytest.raises(ValueError):
            document_in_folder(inside, name)
    assert document_in_folder(inside, "a.txt") == (inside / "a.txt").resolve()
