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


class JobCancelled(Exception):
    """Raised by `drive` when `cancelled()` said so; the job was closed between two steps."""


def drive(
    job: Generator[Progress, None, T],
    report: Callable[[Progress], None],
    cancelled: Callable[[], bool] | None = None,
) -> T:
    """Run a job to completion, handing every step to `report`; return its result.

    Between steps `cancelled()` is asked; when it is true the job is closed (its `finally`
    blocks run: committed work stays, work in flight is dropped) and JobCancelled is raised.
    The command line and the window's job thread both drive jobs with this loop.
    """
    while True:
        if cancelled is not None and cancelled():
            job.close()
            raise JobCancelled
        try:
            step = next(job)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]
        report(step)
