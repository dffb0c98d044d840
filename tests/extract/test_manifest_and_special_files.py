"""Clear early errors (issue 15, points 5 and 8): manifests as Excel saves them, wrong rows as findings of
their document, and special files that are never opened."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from extract import extract_path
from extract.__main__ import main
from extract.manifest import ManifestError, load_manifest
from extract.parallel import extract_many
from extract.reader import document_paths
from tests.extract.conftest import DOC_002, ROOT

HEADER = "file,fiscal_year,department,unit,basis\n"


def test_a_manifest_with_excels_bom_is_read(tmp_path):
    (tmp_path / "manifest.csv").write_bytes(("\ufeff" + HEADER + "a.txt,2024,局,单位,x\n").encode("utf-8"))
    assert load_manifest(tmp_path)["a.txt"].fiscal_year == 2024


def test_a_gbk_manifest_is_read(tmp_path):
    (tmp_path / "manifest.csv").write_bytes((HEADER + "a.txt,2024,广州市教育局,单位,依据\n").encode("gbk"))
    assert load_manifest(tmp_path)["a.txt"].department == "广州市教育局"


def test_a_manifest_without_a_file_column_names_itself_the_line_and_the_fix(tmp_path):
    (tmp_path / "manifest.csv").write_text("# note\nname,fiscal_year\na.txt,2024\n", encoding="utf-8")
    with pytest.raises(ManifestError) as error:
        load_manifest(tmp_path)
    message = str(error.value)
    assert str(tmp_path / "manifest.csv") in message and "line 2" in message and "`file` column" in message
    assert "file,fiscal_year,department,unit,basis" in message


def test_the_command_line_stops_on_an_unusable_manifest(tmp_path, capsys):
    shutil.copy(DOC_002, tmp_path)
    (tmp_path / "manifest.csv").write_text("name\nx\n", encoding="utf-8")
    assert main([str(tmp_path), "--quiet"]) == 2
    assert "has no `file` column" in capsys.readouterr().err


def test_a_bad_year_and_a_second_row_are_errors_of_that_document(tmp_path):
    shutil.copy(DOC_002, tmp_path / "a.txt")
    shutil.copy(DOC_002, tmp_path / "b.txt")
    (tmp_path / "manifest.csv").write_text(HEADER + "a.txt,abc,,,\nb.txt,2023,,,\nb.txt,2024,,,\n", encoding="utf-8")
    a, b = extract_many(document_paths([tmp_path]), workers=1)
    for doc, line, words in ((a, 2, "'abc' for a.txt is not a year"), (b, 4, "a second row for b.txt")):
        errors = [f for f in doc.findings if f.code == "manifest_error"]
        assert doc.failed and len(errors) == 1 and errors[0].severity == "error"
        assert f"manifest.csv, line {line}: " in errors[0].message and words in errors[0].message


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "x.txt"
    os.mkfifo(path)
    return path


def test_a_fifo_in_the_folder_is_a_finding_and_never_opened(tmp_path, fifo):
    shutil.copy(DOC_002, tmp_path)
    paths = document_paths([tmp_path])
    assert fifo in paths
    doc = extract_path(fifo)  # would block for ever if it were opened
    assert [(f.code, f.severity) for f in doc.findings] == [("special_file", "error")]
    assert "not a regular file" in doc.findings[0].message


def test_a_fifo_named_on_the_command_line_does_not_hang(fifo):
    run = subprocess.run([sys.executable, "-m", "extract", str(fifo), "--quiet"], cwd=ROOT, capture_output=True,
                         text=True, timeout=120, check=False)
    assert run.returncode == 1 and "special_file" in run.stderr
