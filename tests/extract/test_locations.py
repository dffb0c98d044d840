"""One rule for every location: relative to the project root, whatever folder an entry point starts in.

Each entry point's warehouse (``python -m extract``, the Dagster resource, ``python -m expectations``)
must be the same absolute path when started from two different working directories.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from extract import locations
from extract.__main__ import argument_parser
from extract.locations import PROJECT_ROOT
from orchestration import resources
from orchestration.resources import DocumentsFolder, PublishFolder, Warehouse

LOCATIONS: dict[str, Callable[[], Path]] = {
    locations.DOCUMENTS: locations.documents_dir,
    locations.WAREHOUSE: locations.warehouse_path,
    locations.PUBLISH_DIR: locations.publish_dir,
    locations.QUALITY_DOCS: locations.quality_docs_dir,
    locations.DAGSTER_HOME: locations.dagster_home,
}
RELATIVE_WAREHOUSE = "not_a_real_folder/budget.duckdb"

# What each entry point uses when given no warehouse, printed as JSON by a process started elsewhere.
DEFAULTS_SCRIPT = """
import json
from extract.__main__ import argument_parser
from extract.locations import warehouse_path
from orchestration.resources import warehouse
print(json.dumps({
    "locations": str(warehouse_path()),
    "python -m extract": str(argument_parser().parse_args(["x.txt"]).warehouse),
    "dagster resource": str(warehouse.process_config_and_initialize().path),
}))
"""


@pytest.fixture
def folders(tmp_path: Path) -> list[Path]:
    """Two working directories, neither of them the project root."""
    elsewhere = [tmp_path / "one", tmp_path / "two" / "deeper"]
    for folder in elsewhere:
        folder.mkdir(parents=True)
    return elsewhere


def environment(**variables: str) -> dict[str, str]:
    """This process's environment without any location variable, plus `variables`; the code under test
    first on the path (not another checkout's installed in the same venv)."""
    env = {k: v for k, v in os.environ.items() if k not in LOCATIONS}
    path = os.pathsep.join(p for p in (str(PROJECT_ROOT), env.get("PYTHONPATH")) if p)
    return {**env, "PYTHONPATH": path, **variables}


@pytest.mark.parametrize("variable", sorted(LOCATIONS))
def test_a_relative_value_is_taken_from_the_project_root(variable, folders, monkeypatch):
    monkeypatch.setenv(variable, "some/where")
    for folder in folders:
        monkeypatch.chdir(folder)
        assert LOCATIONS[variable]() == PROJECT_ROOT / "some" / "where"


@pytest.mark.parametrize("variable", sorted(LOCATIONS))
def test_unset_or_empty_is_the_default_under_the_project_root(variable, folders, monkeypatch):
    for folder, value in zip(folders, (None, ""), strict=True):
        monkeypatch.chdir(folder)
        if value is None:
            monkeypatch.delenv(variable, raising=False)
        else:
            monkeypatch.setenv(variable, value)
        assert LOCATIONS[variable]() == PROJECT_ROOT / locations.DEFAULTS[variable]


def test_absolute_values_are_kept_and_normalised(tmp_path, monkeypatch):
    monkeypatch.setenv(locations.WAREHOUSE, str(tmp_path / "a" / ".." / "w.duckdb"))
    assert locations.warehouse_path() == tmp_path / "w.duckdb"
    monkeypatch.setenv(locations.WAREHOUSE, "~/w.duckdb")
    assert locations.warehouse_path() == Path.home() / "w.duckdb"


def test_a_command_line_path_is_taken_from_the_working_directory(folders, monkeypatch):
    monkeypatch.chdir(folders[0])
    assert argument_parser().parse_args(["x.txt", "--warehouse", "w.duckdb"]).warehouse == folders[0] / "w.duckdb"


def test_resources_resolve_relative_paths_from_the_project_root(folders, monkeypatch):
    for folder in folders:
        monkeypatch.chdir(folder)
        assert DocumentsFolder(path="docs").root == PROJECT_ROOT / "docs"
        assert PublishFolder(path="pub").root == PROJECT_ROOT / "pub"
        assert Warehouse(database="w.duckdb").path == PROJECT_ROOT / "w.duckdb"


def test_every_entry_point_names_one_warehouse_from_any_folder(folders, monkeypatch, capsys):
    """The same relative $BUDGET_WAREHOUSE, read by every entry point in two working directories."""
    from expectations.__main__ import main as expectations_main

    monkeypatch.setenv(locations.WAREHOUSE, RELATIVE_WAREHOUSE)
    expected = PROJECT_ROOT / RELATIVE_WAREHOUSE
    assert not expected.exists()
    for folder in folders:
        monkeypatch.chdir(folder)
        assert locations.warehouse_path() == expected
        assert argument_parser().parse_args(["x.txt"]).warehouse == expected
        assert resources.warehouse.process_config_and_initialize().path == expected  # the one Definitions uses
        # the warehouse is missing: the gate's CLI names the file it looked for and stops
        assert expectations_main(["validate", "--stage", "raw"]) == 2
        assert f"no warehouse at {expected};" in capsys.readouterr().err


def test_unset_every_entry_point_defaults_to_one_warehouse_from_any_folder(folders):
    """Fresh processes started elsewhere, with no location variable set at all."""
    seen = []
    for folder in folders:
        done = subprocess.run([sys.executable, "-c", DEFAULTS_SCRIPT], cwd=folder, env=environment(),
                              capture_output=True, text=True, check=True)
        seen.append(json.loads(done.stdout.splitlines()[-1]))
    expected = str(PROJECT_ROOT / locations.DEFAULTS[locations.WAREHOUSE])
    assert all(entry_points == dict.fromkeys(seen[0], expected) for entry_points in seen), seen


def test_the_command_line_tools_agree_when_started_elsewhere(folders):
    """``python -m extract --help`` shows its default; ``python -m expectations`` names the missing file."""
    expected = str(PROJECT_ROOT / RELATIVE_WAREHOUSE)
    for folder in folders:
        env = environment(BUDGET_WAREHOUSE=RELATIVE_WAREHOUSE)
        shown = subprocess.run([sys.executable, "-m", "extract", "--help"], cwd=folder, env=env,
                               capture_output=True, text=True, check=True).stdout
        assert expected in "".join(shown.split())  # argparse may wrap the path
        gate = subprocess.run([sys.executable, "-m", "expectations", "validate", "--stage", "raw"], cwd=folder,
                              env=env, capture_output=True, text=True, check=False)
        assert gate.returncode == 2 and f"no warehouse at {expected};" in gate.stderr


def test_the_extraction_folder_is_beside_the_warehouse_unless_set(folders, monkeypatch):
    monkeypatch.chdir(folders[0])
    monkeypatch.delenv(locations.EXTRACTS, raising=False)
    monkeypatch.setenv(locations.WAREHOUSE, "some/where/budget.duckdb")
    assert locations.extracts_dir() == PROJECT_ROOT / "some" / "where" / "extracts"
    monkeypatch.setenv(locations.EXTRACTS, "shared/extracts")
    assert locations.extracts_dir() == PROJECT_ROOT / "shared" / "extracts"
