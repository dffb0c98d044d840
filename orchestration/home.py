"""``python -m orchestration.home``: make $DAGSTER_HOME (default .dagster_home) hold the repo's dagster.yaml,
and create the instance's storage there once.

Two processes starting on a fresh home (a first `make run` beside `make dev`, two scheduled starts) would
otherwise both create the SQLite tables and stamp Dagster's schema version: "table runs already exists", or
two heads in `alembic_version` that break the instance for good. So the link and the storage are made
under an exclusive lock on ``$DAGSTER_HOME/.init.lock``; the second process waits, then finds them made.
"""

import fcntl
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from extract.locations import DAGSTER_HOME, PROJECT_ROOT, command_line_path, dagster_home

INSTANCE_YAML = PROJECT_ROOT / "dagster.yaml"
INIT_LOCK = ".init.lock"


def ensure_dagster_home(home: str | Path | None = None) -> Path:
    """Create the folder, link dagster.yaml into it (an existing dagster.yaml there is left alone) and create
    the instance's storage, all under the home's lock.

    `home` is a command-line path; without it, $DAGSTER_HOME (relative: to the project root). The variable
    is set to the absolute path, as Dagster requires, for this process and the ones it starts.
    """
    path = command_line_path(home) if home else dagster_home()
    path.mkdir(parents=True, exist_ok=True)
    with init_lock(path):
        target = path / "dagster.yaml"
        if not target.exists():
            target.symlink_to(INSTANCE_YAML)
        _create_storage(path)
    if not home:
        os.environ[DAGSTER_HOME] = str(path)
    return path


@contextmanager
def init_lock(path: Path) -> Iterator[None]:
    with open(path / INIT_LOCK, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes, even if the process dies
        yield


def _create_storage(path: Path) -> None:
    """Open the instance once: Dagster creates and stamps its tables when they are missing."""
    from dagster import DagsterInstance

    previous = os.environ.get(DAGSTER_HOME)
    os.environ[DAGSTER_HOME] = str(path)  # dagster.yaml names its storage folder by this variable
    try:
        DagsterInstance.from_config(str(path)).dispose()
    finally:
        if previous is None:
            del os.environ[DAGSTER_HOME]
        else:
            os.environ[DAGSTER_HOME] = previous


if __name__ == "__main__":
    print(ensure_dagster_home(sys.argv[1] if len(sys.argv) > 1 else None))
