"""JobRunner: one QThread that drives the core's Progress generators; every write happens there."""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Generator
from dataclasses import dataclass

from PySide6.QtCore import QObject, QThread, Signal, Slot

from desktop_reader.progress import Progress

log = logging.getLogger(__name__)

JobFactory = Callable[[], Generator[Progress, None, object]]


@dataclass(frozen=True, slots=True)
class Cancelled:
    """What `finished` carries when the user cancelled: the job was closed between steps."""

    kind: str


class _Worker(QObject):
    """Lives on the worker thread; runs one generator at a time to its end.

    Signals:
        progressed(object): a Progress step.
        done(object): the generator's return value, or a Cancelled.
        crashed(object): the exception the job raised.
    """

    progressed = Signal(object)
    done = Signal(object)
    crashed = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        # A plain Event, not a queued signal: the worker is busy in a loop and never returns
        # to its event loop until the job ends, so only shared state can reach it mid-job.
        self.cancel_requested = threading.Event()

    @Slot(object, str)
    def run(self, factory: JobFactory, kind: str) -> None:
        self.cancel_requested.clear()
        try:
            # The generator is created here so even its set-up code runs off the GUI thread.
            job = factory()
            while True:
                if self.cancel_requested.is_set():
                    job.close()
                    self.done.emit(Cancelled(kind))
                    return
                try:
                    step = next(job)
                except StopIteration as stop:
                    self.done.emit(stop.value)
                    return
                self.progressed.emit(step)
        except Exception as exc:
            log.exception("Job %s failed", kind)
            self.crashed.emit(exc)


class JobRunner(QObject):
    """Runs core jobs one after another on a single background thread.

    Jobs started while one runs wait in a queue. `kind` names the job that is running (or
    just ended, while `finished`/`failed` are being delivered), so receivers know what ended.

    Signals:
        started(str): a job of this kind began.
        progressed(object): a Progress step of the running job.
        finished(object): the job's return value, or a `Cancelled`.
        failed(object): the exception that ended the job.
        idle(): the queue is empty and nothing runs.
    """

    started = Signal(str)
    progressed = Signal(object)
    finished = Signal(object)
    failed = Signal(object)
    idle = Signal()
    _launch = Signal(object, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.kind = ""
        self._busy = False
        self._queue: deque[tuple[JobFactory, str]] = deque()
        self._thread = QThread()
        self._thread.setObjectName("desktop-reader-jobs")
        self._worker = _Worker()
        self._worker.moveToThread(self._thread)
        self._launch.connect(self._worker.run)
        self._worker.progressed.connect(self._on_worker_progressed)
        self._worker.done.connect(self._on_worker_done)
        self._worker.crashed.connect(self._on_worker_crashed)
        self._thread.start()

    @property
    def busy(self) -> bool:
        return self._busy

    def start(self, factory: JobFactory, kind: str = "job") -> None:
        """Queue a job; `factory` is called on the worker thread and returns the generator."""
        self._queue.append((factory, kind))
        if not self._busy:
            self._next()

    def cancel(self) -> None:
        """Stop the running job at its next step and drop the queued ones."""
        self._queue.clear()
        if self._busy:
            self._worker.cancel_requested.set()

    def shutdown(self) -> None:
        """Cancel everything and join the thread (a QThread destroyed while running aborts)."""
        self.cancel()
        self._thread.quit()
        self._thread.wait()

    def _next(self) -> None:
        if not self._queue:
            self._busy = False
            self.idle.emit()
            return
        factory, self.kind = self._queue.popleft()
        self._busy = True
        self.started.emit(self.kind)
        self._launch.emit(factory, self.kind)

    @Slot(object)
    def _on_worker_progressed(self, step: object) -> None:
        self.progressed.emit(step)

    @Slot(object)
    def _on_worker_done(self, result: object) -> None:
        self.finished.emit(result)
        self._next()

    @Slot(object)
    def _on_worker_crashed(self, exc: object) -> None:
        self.failed.emit(exc)
        self._next()
