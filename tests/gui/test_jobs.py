"""JobRunner: core generators run on one background thread, report progress, finish, fail and cancel."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThread

from desktop_reader.errors import ReaderError
from desktop_reader.gui.jobs import Cancelled, JobRunner
from desktop_reader.models import ImportReport
from desktop_reader.progress import Progress


@pytest.fixture
def runner(qapp):  # type: ignore[no-untyped-def]
    runner = JobRunner()
    yield runner
    runner.shutdown()


def test_import_runs_off_the_gui_thread_with_progress(qtbot, runner, library, corpus):
    files = corpus(5)
    steps: list[Progress] = []
    threads: set[object] = set()

    def job():  # type: ignore[no-untyped-def]
        threads.add(QThread.currentThread())
        return (yield from library.import_paths(files, entities=False))

    runner.progressed.connect(steps.append)
    with qtbot.waitSignal(runner.finished, timeout=30_000) as done:
        runner.start(job, "import")
    report = done.args[0]
    assert isinstance(report, ImportReport)
    assert report.imported == 5
    assert steps[-1].done == steps[-1].total == 5
    assert sum(1 for s in steps if s.payload is not None) == 5
    assert QThread.currentThread() not in threads
    assert library.count() == 5


def test_a_failing_job_reports_its_exception(qtbot, runner):
    def job():  # type: ignore[no-untyped-def]
        yield Progress(0, 1, "starting")
        raise ReaderError("The data folder is read-only.")

    with qtbot.waitSignal(runner.failed, timeout=5_000) as err:
        runner.start(job, "broken")
    assert str(err.args[0]) == "The data folder is read-only."
    assert runner.kind == "broken"


def test_cancel_closes_the_generator_between_steps(qtbot, runner):
    gate = threading.Event()
    closed: list[bool] = []
    reached: list[int] = []

    def job():  # type: ignore[no-untyped-def]
        try:
            for n in range(100):
                reached.append(n)
                yield Progress(n, 100)
                gate.wait(5)
            return "all done"
        finally:
            closed.append(True)

    with qtbot.waitSignal(runner.progressed, timeout=5_000):
        runner.start(job, "long")
    with qtbot.waitSignal(runner.finished, timeout=5_000) as done:
        runner.cancel()
        gate.set()
    assert done.args[0] == Cancelled("long")
    assert closed == [True]
    assert len(reached) < 100


def test_jobs_started_while_busy_run_in_order(qtbot, runner):
    order: list[str] = []

    def job(name: str):  # type: ignore[no-untyped-def]
        def run():  # type: ignore[no-untyped-def]
            order.append(name)
            yield Progress(1, 1)
            return name

        return run

    with qtbot.waitSignal(runner.idle, timeout=5_000):
        runner.start(job("first"), "a")
        runner.start(job("second"), "b")
    assert order == ["first", "second"]
    assert not runner.busy


def test_each_job_runs_its_own_handler_with_its_result_on_the_gui_thread(qtbot, runner):
    seen: list[tuple[str, object, bool]] = []
    gui_thread = threading.current_thread()

    def job(value: str):  # type: ignore[no-untyped-def]
        def run():  # type: ignore[no-untyped-def]
            yield Progress(1, 1)
            return value

        return run

    def handler(name: str):  # type: ignore[no-untyped-def]
        return lambda result: seen.append((name, result, threading.current_thread() is gui_thread))

    with qtbot.waitSignals([runner.ended, runner.ended], timeout=5_000):
        runner.start(job("one"), "first", handler("first"))
        runner.start(job("two"), "second", handler("second"))
    assert seen == [("first", "one", True), ("second", "two", True)]


def test_a_failed_job_skips_its_handler_but_still_ends(qtbot, runner):
    called: list[object] = []

    def broken():  # type: ignore[no-untyped-def]
        yield Progress(0, 1)
        raise RuntimeError("boom")

    with qtbot.waitSignal(runner.ended, timeout=5_000) as ended:
        runner.start(broken, "broken", called.append)
    assert ended.args == ["broken"] and called == []
