"""The dbt project and how its nodes line up with the rest of the asset graph.

The manifest is parsed whenever it is missing or older than a project file, so a fresh clone, the tests,
`dagster dev` and `python -m orchestration.run` all load without a separate `dbt parse` step.
"""

import fcntl
import json
import os
import shutil
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from dagster import AssetCheckSpec, AssetKey, AssetSpec
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, DbtProject

from extract.locations import PROJECT_ROOT
from orchestration.dbt_checks import describe

DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
# The dbt beside this interpreter: the venv's bin/ is not on PATH unless the venv is activated.
_VENV_DBT = Path(sys.executable).parent / "dbt"
DBT_EXECUTABLE = str(_VENV_DBT) if _VENV_DBT.exists() else "dbt"
PARTIAL_PARSE = "partial_parse.msgpack"
RAW_SCHEMA = "raw"
LAYERS = ("staging", "intermediate", "marts")
_PROJECT_INPUTS = ("models", "macros", "seeds", "tests", "snapshots", "dbt_project.yml", "profiles.yml")


def manifest_is_stale(project: DbtProject) -> bool:
    """Missing, older than a project file, or not whole (a parse killed while writing it)."""
    try:
        json.loads(project.manifest_path.read_bytes())
    except (FileNotFoundError, ValueError):
        return True
    built = project.manifest_path.stat().st_mtime
    for name in _PROJECT_INPUTS:
        root = project.project_dir / name
        files = [root] if root.is_file() else (p for p in root.rglob("*") if p.is_file())
        if any(p.stat().st_mtime > built for p in files):
            return True
    return False


def dbt_cli(project: DbtProject) -> DbtCliResource:
    return DbtCliResource(project_dir=project, dbt_executable=DBT_EXECUTABLE)


def prepared_project(project_dir: Path = DBT_PROJECT_DIR) -> DbtProject:
    """The project with an up-to-date manifest; processes starting together parse it once."""
    project = DbtProject(project_dir=project_dir)
    lock_path = project.project_dir / project.target_path / ".manifest.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if manifest_is_stale(project):
            dbt_cli(project).cli(["parse", "--quiet"], target_path=project.target_path).wait()
    return project


class BudgetDbtTranslator(DagsterDbtTranslator):
    """dbt sources on the `raw` schema are the `raw/<table>` assets the extraction loads, so lineage runs
    document → raw → staging → marts unbroken; models and seeds are keyed and grouped by their schema."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        props = dbt_resource_props
        if props["resource_type"] == "source":
            if props.get("schema") == RAW_SCHEMA:
                return AssetKey([RAW_SCHEMA, props.get("identifier") or props["name"]])
            return super().get_asset_key(props)
        return AssetKey([props["schema"], props.get("alias") or props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return dbt_resource_props.get("schema") or super().get_group_name(dbt_resource_props)

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> Sequence[str] | None:
        """A model's `meta: owner`, else its dbt group's owner (models/_groups.yml): an email stays an email,
        a name becomes the Dagster team of that name. (dagster-dbt alone takes only a group owner's email.)"""
        props = dbt_resource_props
        group = props.get("group")  # dagster-dbt puts the group's properties here in place of its name
        group_owner = (group.get("owner") or {}) if isinstance(group, Mapping) else {}
        owner = (props.get("meta") or {}).get("owner") or group_owner.get("email") or group_owner.get("name")
        if not owner:
            return super().get_owners(props)
        return [owner if "@" in owner or owner.startswith("team:") else f"team:{owner}"]


    def get_asset_check_spec(self, asset_spec: AssetSpec, manifest: Mapping[str, Any], unique_id: str,
                             project: DbtProject | None) -> AssetCheckSpec | None:
        """dagster-dbt's spec, with a description saying what the test guards and at what severity."""
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None:
            return None
        return spec._replace(description=describe(manifest["nodes"][unique_id]))


translator = BudgetDbtTranslator(DagsterDbtTranslatorSettings(enable_source_tests_as_checks=True))


def parse_cache(warehouse_path: Path) -> Path:
    """Where dbt writes its artifacts for a warehouse: beside the warehouse file. dbt re-parses the whole
    project when the profile (the warehouse path) differs from the one its partial-parse file was written
    with, so each warehouse keeps its own; dagster-dbt copies it from DBT_TARGET_PATH into the target
    folder of every invocation, and `keep_partial_parse` brings the newest one back."""
    return warehouse_path.parent / f".dbt-{warehouse_path.stem}"


def keep_partial_parse(invocation_target: Path, cache: Path) -> None:
    source = invocation_target / PARTIAL_PARSE
    if source.exists():  # copied under another name, then renamed: a killed copy leaves no half file
        partial = cache / f".{PARTIAL_PARSE}.{os.getpid()}"
        shutil.copy(source, partial)
        os.replace(partial, cache / PARTIAL_PARSE)


@contextmanager
def dbt_environment(warehouse_path: Path) -> Iterator[Path]:
    """The environment a dbt invocation starts with: the warehouse as an absolute path (the profile reads
    BUDGET_WAREHOUSE); the warehouse's parse cache; and tests selected only once all their parents are
    built ("buildable"), so a relationships test between layers runs with the later layer."""
    cache = parse_cache(warehouse_path)
    cache.mkdir(parents=True, exist_ok=True)
    wanted = {"BUDGET_WAREHOUSE": str(warehouse_path), "DBT_TARGET_PATH": str(cache),
              "DBT_INDIRECT_SELECTION": "buildable"}
    saved = {name: os.environ.get(name) for name in wanted}
    os.environ.update(wanted)
    try:
        yield cache
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
