"""``python -m orchestration.home``: make $DAGSTER_HOME (default .dagster_home) hold the repo's dagster.yaml."""

import os
import sys
from pathlib import Path

from extract.config import PROJECT_ROOT

INSTANCE_YAML = PROJECT_ROOT / "dagster.yaml"


def ensure_dagster_home(home: str | Path | None = None) -> Path:
    """Create the folder and link dagster.yaml into it (an existing dagster.yaml there is left alone)."""
    path = Path(home or os.environ.get("DAGSTER_HOME") or PROJECT_ROOT / ".dagster_home").resolve()
    path.mkdir(parents=True, exist_ok=True)
    target = path / "dagster.yaml"
    if not target.exists():
        target.symlink_to(INSTANCE_YAML)
    return path


if __name__ == "__main__":
    print(ensure_dagster_home(sys.argv[1] if len(sys.argv) > 1 else None))
