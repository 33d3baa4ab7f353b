"""Opening: launch to a usable window over a big library, and the time to show an article.

Run as `python -m desktop_reader.bench.open_bench HOME LAUNCH_TIME MODE` (MODE "gui" or "core") it
opens the library in HOME/data and prints the timings as JSON. The parent passes the wall-clock
time at which it launched the process, so interpreter start and imports are counted.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from desktop_reader.bench.memory import rss

REPO = Path(__file__).resolve().parents[2]
ARTICLES = 50  # random articles shown one after another
_KEEP: list[object] = []  # the window outlives the measuring function: its job thread must not be destroyed


def measure_opening(home: Path, *, gui: bool = True) -> dict[str, float | str]:
    """Launch a fresh process over HOME/data and report its timings (see the module docstring)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DESKTOP_READER_HOME=str(home))
    mode = "gui" if gui else "core"
    cmd = [sys.executable, "-m", "desktop_reader.bench.open_bench", str(home), repr(time.time()), mode]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, env=env, timeout=600)
    if out.returncode:
        raise RuntimeError(f"opening subprocess failed ({out.returncode}):\n{out.stderr[-3000:]}")
    result: dict[str, float | str] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _show_times(show, ids: list[int]) -> dict[str, float]:  # type: ignore[no-untyped-def]
    # Here, not at the top: the search bench loads the index code, and this process's start-up
    # is what is being timed.
    from desktop_reader.bench.search_bench import percentile

    times = []
    for article_id in ids:
        t0 = time.perf_counter()
        show(article_id)
        times.append((time.perf_counter() - t0) * 1000)
    return {"show_median_ms": sorted(times)[len(times) // 2], "show_p95_ms": percentile(times, 0.95)}


def _gui_main(home: Path, launched: float) -> dict[str, float | str]:
    from desktop_reader import paths
    from desktop_reader import settings as settings_mod

    paths.set_home(home)
    from PySide6.QtCore import QEventLoop, QTimer

    from desktop_reader.gui import theme
    from desktop_reader.gui.app import create_app
    from desktop_reader.gui.main_window import MainWindow
    from desktop_reader.library import Library

    app = create_app()
    imported = time.time()
    settings = settings_mod.load()
    theme.apply_theme(app, settings.theme)
    library = Library(model=settings.entity_model or None)
    window = MainWindow(library, settings)
    _KEEP.extend((app, library, window))
    loop = QEventLoop()
    window.results_updated.connect(loop.quit)
    QTimer.singleShot(60_000, loop.quit)
    window.show()
    shown = time.time()
    loop.exec()  # until the first page of the list is filled (and the first article shown)
    app.processEvents()  # and painted
    ready = time.time()
    if not window.index_check_done:  # the start-up check, on its own thread, loads the search code
        checking = QEventLoop()
        window.index_checked.connect(checking.quit)
        QTimer.singleShot(60_000, checking.quit)
        checking.exec()
    checked = time.time()
    problem = library.index_problem()
    rows = window.model.rowCount()
    total = library.count()

    def show(article_id: int) -> None:
        window.show_article(article_id)
        app.processEvents()  # layout and paint belong to "shown"

    ids = random.Random(3).sample(range(1, total + 1), min(ARTICLES, total))
    timings = _show_times(show, ids)
    return {
        "mode": "gui",
        "imports_s": imported - launched,
        "shown_s": shown - launched,
        "ready_s": ready - launched,
        "search_ready_s": checked - launched,
        "rows": rows,
        "articles": total,
        "index_problem": problem,
        "rss": rss(os.getpid()),
        **timings,
    }


def _core_main(home: Path, launched: float) -> dict[str, float | str]:
    from desktop_reader.library import Library

    library = Library(home / "data")
    imported = time.time()
    problem = library.index_problem()
    rows = library.list_articles(0, 200)
    if rows:
        library.article(rows[0].id)
    ready = time.time()
    total = library.count()
    ids = random.Random(3).sample(range(1, total + 1), min(ARTICLES, total))
    timings = _show_times(library.article, ids)
    return {
        "mode": "core (Library open + first list page + article fetch)",
        "imports_s": imported - launched,
        "shown_s": ready - launched,
        "ready_s": ready - launched,
        "rows": len(rows),
        "articles": total,
        "index_problem": problem,
        "rss": rss(os.getpid()),
        **timings,
    }


if __name__ == "__main__":
    home_arg, launched_arg, mode_arg = Path(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
    try:
        result = _gui_main(home_arg, launched_arg) if mode_arg == "gui" else _core_main(home_arg, launched_arg)
    except ImportError as exc:  # no Qt here: measure the core part and say so
        result = _core_main(home_arg, launched_arg)
        result["mode"] = f"{result['mode']}; GUI unavailable: {exc}"
    print(json.dumps(result), flush=True)
    os._exit(0)  # skip Qt's and the runner's teardown: not part of what is measured
