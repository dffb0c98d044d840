"""The cluster's configuration without starting it: executor selection and the instance yaml."""

import pytest
import yaml
from dagster import (
    AssetSelection,
    ScheduleDefinition,
    asset,
    define_asset_job,
    in_process_executor,
    multiprocess_executor,
    sensor,
)

from orchestration.cluster.instance import POSTGRES_STORAGE, instance_settings, write_home
from orchestration.cluster.selection import on_executor, selected_executor


@asset
def numbers() -> list[int]:
    return [1, 2]


job = define_asset_job("numbers_job", AssetSelection.assets(numbers), executor_def=in_process_executor)
schedule = ScheduleDefinition(job=job, cron_schedule="0 3 * * *")


@sensor(job=job)
def numbers_sensor():
    return None


def test_one_machine_unless_asked(monkeypatch):
    monkeypatch.delenv("BUDGET_EXECUTOR", raising=False)
    assert selected_executor() is multiprocess_executor
    assert on_executor(multiprocess_executor, [job], [schedule], [numbers_sensor]) == ([job], [schedule], [numbers_sensor])
    monkeypatch.setenv("BUDGET_EXECUTOR", "celery")
    with pytest.raises(ValueError, match="BUDGET_EXECUTOR"):
        selected_executor()


def test_dask_moves_every_asset_job_and_what_starts_it(monkeypatch):
    pytest.importorskip("dagster_dask")
    monkeypatch.setenv("BUDGET_EXECUTOR", "dask")
    executor = selected_executor()
    assert executor.name == "dask_cluster"
    (moved,), (moved_schedule,), (moved_sensor,) = on_executor(executor, [job], [schedule], [numbers_sensor])
    assert moved.executor_def is executor and moved.name == job.name
    assert moved_schedule.job is moved and moved_sensor.job is moved


def test_automation_off_leaves_sensors_and_schedules_out(monkeypatch):
    monkeypatch.setenv("BUDGET_AUTOMATION", "off")
    assert on_executor(multiprocess_executor, [job], [schedule], [numbers_sensor]) == ([job], [], [])


def test_instance_is_the_projects_with_postgres_storage(tmp_path):
    settings = instance_settings()
    assert settings["storage"] == POSTGRES_STORAGE
    assert settings["concurrency"]["pools"]["default_limit"] == 1  # the warehouse pool, as on one machine
    workspace = write_home(tmp_path / "home")
    assert yaml.safe_load((tmp_path / "home" / "dagster.yaml").read_text())["storage"] == POSTGRES_STORAGE
    module = yaml.safe_load(workspace.read_text())["load_from"][0]["python_module"]
    assert module["module_name"] == "orchestration.definitions"
