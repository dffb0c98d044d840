"""A guard against a hang: a quadratic regression takes minutes where the fixed code takes milliseconds.

Not a timing assertion (no test is timed): the limit is generous and only stops a test that would
otherwise never end."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

HANG_SECONDS = 60


@contextmanager
def no_hang(seconds: int = HANG_SECONDS) -> Iterator[None]:
    def hung(signum: int, frame: object) -> None:
        raise TimeoutError(f"still running after {seconds} s: quadratic again?")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
