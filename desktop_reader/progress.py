"""Progress values for long jobs, and the one driver that both front ends use."""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Progress:
    """One step of a long job. `payload` carries per-step results (e.g. an ImportOutcome)."""

    done: int
    total: int
    label: str = ""
    payload: object = None


Job = Generator[Progress, None, T]


def drive(job: Generator[Progress, None, T], report: Callable[[Progress], None]) -> T:
    """Run a job to completion, handing every step to `report`; return its result."""
    while True:
        try:
            step = next(job)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]
        report(step)
