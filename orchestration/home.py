"""``python -m orchestration.home``: make $DAGSTER_HOME (default .dagster_home) hold the repo's dagster.yaml."""

import os
import sys
from pathlib import Path

from extract.locations import DAGSTER_HOME, PROJECT_ROOT, command_line_path, dagster_home

INSTANCE_YAML = PROJECT_ROOT / "dagster.yaml"


def ensure_dagster_home(home: str | Path | None = None) -> Path:
    """Create the folder and link dagster.yaml into it (an existing dagster.yaml there is left alone).

    `home` is a command-line path; without it, $DAGSTER_HOME (relative: to the project root). The variable
    is set to the absolute path, as Dagster requires, for this process and the ones it starts.
    """
    path = command_line_path(home) if home else dagster_home()
    path.mkdir(parents=True, exist_ok=True)
    target = path / "dagster.yaml"
    if not target.exists():
        target.symlink_to(INSTANCE_YAML)
    if not home:
        os.environ[DAGSTER_HOME] = str(path)
    return path


if __name__ == "__main__":
    print(ensure_dagster_home(sys.argv[1] if len(sys.argv) > 1 else None))
