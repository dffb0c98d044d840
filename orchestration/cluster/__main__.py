"""``python -m orchestration.cluster start|stop|run|env``: the cluster on this machine (`make cluster`)."""

import argparse
import sys

from orchestration.cluster import services
from orchestration.cluster.run import run_on_cluster
from orchestration.cluster.settings import ClusterSettings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orchestration.cluster", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["start", "stop", "run", "env"],
                        help="start or stop the services, run the pipeline on them, or print the environment "
                        "a remote worker needs")
    command = parser.parse_args(argv).command
    settings = ClusterSettings.from_env()
    if command == "start":
        try:
            services.start(settings)
        except services.ClusterError as exc:
            print(f"cluster: {exc}", file=sys.stderr)
            return 1
        return 0
    if command == "stop":
        services.stop(settings)
        return 0
    if command == "env":
        for name, value in settings.environment().items():
            print(f"export {name}={value}")
        return 0
    return run_on_cluster(settings)


if __name__ == "__main__":
    sys.exit(main())
