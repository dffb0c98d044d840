"""The daily warehouse build: every dbt layer and gate over what `raw` holds (documents arrive by sensor)."""

from dagster import DefaultScheduleStatus, ScheduleDefinition

from orchestration.jobs import warehouse_job

daily_warehouse_build = ScheduleDefinition(
    name="daily_warehouse_build",
    job=warehouse_job,
    cron_schedule="0 6 * * *",
    execution_timezone="Asia/Shanghai",
    default_status=DefaultScheduleStatus.RUNNING,
    description="Rebuild the dbt layers and run every check at 06:00 Guangzhou time.",
)
