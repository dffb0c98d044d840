"""Running a producer's program (soffice, chromium) with a time limit that ends all its processes."""

from __future__ import annotations

import os
import signal
import subprocess


def run(command: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    """Run `command` in its own process group; on timeout kill the whole group (soffice and chromium
    start helper processes that would outlive their parent) and raise `subprocess.TimeoutExpired`."""
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          start_new_session=True) as process:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise
        return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
