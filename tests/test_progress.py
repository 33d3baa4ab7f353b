import io

from desktop_reader.cli.progress_bar import ProgressBar
from desktop_reader.progress import Progress, drive


def _job():
    for i in range(1, 4):
        yield Progress(i, 3, f"step {i}")
    return "result"


def test_drive_reports_every_step_and_returns_the_result():
    steps = []
    assert drive(_job(), steps.append) == "result"
    assert [s.done for s in steps] == [1, 2, 3]
    assert steps[-1].done == steps[-1].total


def test_progress_bar_shows_count_rate_and_time_left():
    out = io.StringIO()
    bar = ProgressBar(out)
    line = bar.render(Progress(50, 200), elapsed=10.0)
    assert "50/200" in line
    assert "5.0/s" in line
    assert "0:30 left" in line
    bar.update(Progress(200, 200))
    bar.finish()
    assert out.getvalue().endswith("\r\x1b[K")


def test_drive_closes_a_cancelled_job_between_steps():
    import pytest

    from desktop_reader.progress import JobCancelled

    closed: list[bool] = []
    steps: list[Progress] = []

    def job():  # type: ignore[no-untyped-def]
        try:
            for n in range(10):
                yield Progress(n, 10)
            return "done"
        finally:
            closed.append(True)

    with pytest.raises(JobCancelled):
        drive(job(), steps.append, lambda: len(steps) >= 3)
    assert [s.done for s in steps] == [0, 1, 2] and closed == [True]
    assert drive(job(), steps.append, lambda: False) == "done"
