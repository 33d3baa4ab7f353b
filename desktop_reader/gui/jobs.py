"""JobRunner: one QThread that drives the core's Progress generators; every write happens there."""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Generator
from dataclasses import dataclass

from PySide6.QtCore import QObject, QThread, Signal, Slot

from desktop_reader.progress import JobCancelled, Progress, drive

log = logging.getLogger(__name__)

JobFactory = Callable[[], Generator[Progress, None, object]]
JobHandler = Callable[[object], None]


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
            self.done.emit(drive(factory(), self.progressed.emit, self.cancel_requested.is_set))
        except JobCancelled:
            self.done.emit(Cancelled(kind))
        except Exception as exc:
            log.exception("Job %s failed", kind)
            self.crashed.emit(exc)


class JobRunner(QObject):
    """Runs core jobs one after another on a single background thread.

    Jobs started while one runs wait in a queue. Each job carries its own completion
    handler (`on_finished`), called on the GUI thread with the job's result or a `Cancelled`,
    so a new job never edits a central dispatch. `kind` names the job that is running (or
    just ended, while `finished`/`failed` are being delivered).

    Signals:
        started(str): a job of this kind began.
        progressed(object): a Progress step of the running job.
        finished(object): the job's return value, or a `Cancelled` (before its handler runs).
        failed(object): the exception that ended the job.
        ended(str): a job of this kind ended and its handler has run.
        idle(): the queue is empty and nothing runs.
    """

    started = Signal(str)
    progressed = Signal(object)
    finished = Signal(object)
    failed = Signal(object)
    ended = Signal(str)
    idle = Signal()
    _launch = Signal(object, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.kind = ""
        self._busy = False
        self._queue: deque[tuple[JobFactory, str, JobHandler | None]] = deque()
        self._handler: JobHandler | None = None
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

    def start(self, factory: JobFactory, kind: str = "job", on_finished: JobHandler | None = None) -> None:
        """Queue a job; `factory` is called on the worker thread and returns the generator.

        `on_finished` runs on the GUI thread with the job's result (or a `Cancelled`).
        """
        self._queue.append((factory, kind, on_finished))
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
        factory, self.kind, self._handler = self._queue.popleft()
        self._busy = True
        self.started.emit(self.kind)
        self._launch.emit(factory, self.kind)

    @Slot(object)
    def _on_worker_progressed(self, step: object) -> None:
        self.progressed.emit(step)

    @Slot(object)
    def _on_worker_done(self, result: object) -> None:
        self.finished.emit(result)
        handler, self._handler = self._handler, None
        try:
            if handler is not None:
                handler(result)
        finally:
            self.ended.emit(self.kind)
            self._next()

    @Slot(object)
    def _on_worker_crashed(self, exc: object) -> None:
        self._handler = None
        try:
            self.failed.emit(exc)
        finally:
            self.ended.emit(self.kind)
            self._next()
