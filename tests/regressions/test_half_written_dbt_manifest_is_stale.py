"""Bug (fixed in 95e1dbb): a dbt parse killed while writing manifest.json left a half-written file newer
than every project file, taken as up to date; the definitions then failed to load until it was deleted
by hand. Its partial-parse cache was likewise copied in place, so a killed copy left half a file."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from orchestration import dbt_project
from orchestration.dbt_project import PARTIAL_PARSE, keep_partial_parse, manifest_is_stale


def project(tmp_path: Path) -> SimpleNamespace:
    """A dbt project with one model, parsed after it was last changed."""
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "m.sql").write_text("select 1")
    (tmp_path / "dbt_project.yml").write_text("name: p\n")
    manifest = tmp_path / "target" / "manifest.json"
    manifest.parent.mkdir()
    manifest.write_text(json.dumps({"nodes": {"model.p.m": {}}}))
    later = (tmp_path / "models" / "m.sql").stat().st_mtime + 10
    os.utime(manifest, (later, later))
    return SimpleNamespace(project_dir=tmp_path, manifest_path=manifest)


def test_a_whole_manifest_newer_than_the_project_is_fresh(tmp_path):
    assert not manifest_is_stale(project(tmp_path))  # type: ignore[arg-type]


def test_a_half_written_manifest_is_stale(tmp_path):
    parsed = project(tmp_path)
    whole = parsed.manifest_path.read_text()
    stat = parsed.manifest_path.stat()
    parsed.manifest_path.write_text(whole[: len(whole) // 2])
    os.utime(parsed.manifest_path, (stat.st_atime, stat.st_mtime))  # still newer than every project file
    assert manifest_is_stale(parsed)  # type: ignore[arg-type]


def test_a_missing_manifest_is_stale(tmp_path):
    parsed = project(tmp_path)
    parsed.manifest_path.unlink()
    assert manifest_is_stale(parsed)  # type: ignore[arg-type]


class Killed(Exception):
    """The process killed part-way through the copy."""


def test_a_killed_partial_parse_copy_leaves_the_previous_cache_whole(tmp_path, monkeypatch):
    invocation, cache = tmp_path / "invocation", tmp_path / "cache"
    invocation.mkdir(), cache.mkdir()
    (cache / PARTIAL_PARSE).write_bytes(b"previous whole cache")
    (invocation / PARTIAL_PARSE).write_bytes(b"new cache" * 1000)

    def killed_copy(source: Path, target: Path) -> None:
        Path(target).write_bytes(Path(source).read_bytes()[:100])
        raise Killed

    whole_copy = shutil.copy
    monkeypatch.setattr(dbt_project.shutil, "copy", killed_copy)
    with pytest.raises(Killed):
        keep_partial_parse(invocation, cache)
    assert (cache / PARTIAL_PARSE).read_bytes() == b"previous whole cache"

    monkeypatch.setattr(dbt_project.shutil, "copy", whole_copy)
    keep_partial_parse(invocation, cache)
    assert (cache / PARTIAL_PARSE).read_bytes() == b"new cache" * 1000
