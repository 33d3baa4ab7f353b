"""A one-line terminal progress bar with count, rate and time left."""

from __future__ import annotations

import shutil
import time
from typing import TextIO

from desktop_reader.progress import Progress


class ProgressBar:
    """Redraws one line on a terminal; throttled so it never slows the job down."""

    def __init__(self, out: TextIO, every: float = 0.1) -> None:
        self.out = out
        self.every = every
        self.started = time.monotonic()
        self.last_draw = 0.0
        self.last: Progress | None = None
        self.drawn = False

    def update(self, step: Progress) -> None:
        self.last = step
        now = time.monotonic()
        if now - self.last_draw < self.every and step.done != step.total:
            return
        self.last_draw = now
        self.out.write("\r" + self.render(step, now - self.started) + "\x1b[K")
        self.out.flush()
        self.drawn = True

    def render(self, step: Progress, elapsed: float) -> str:
        width = shutil.get_terminal_size((80, 20)).columns
        if step.total <= 0:
            return (step.label or "Working…")[: width - 1]
        rate = step.done / elapsed if elapsed > 0 else 0.0
        left = (step.total - step.done) / rate if rate > 0 else 0.0
        stats = f" {step.done}/{step.total}  {rate:.1f}/s  {_duration(left)} left"
        bar_width = max(10, min(30, width - len(stats) - 4))
        filled = int(bar_width * step.done / step.total)
        return f"[{'#' * filled}{'.' * (bar_width - filled)}]{stats}"[: width - 1]

    def clear(self) -> None:
        """Erase the bar so a normal output line can be printed in its place."""
        if self.drawn:
            self.out.write("\r\x1b[K")
            self.out.flush()
            self.drawn = False
            self.last_draw = 0.0

    def finish(self) -> None:
        self.clear()


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    return f"{seconds // 60}:{seconds % 60:02d}"
