"""The window lists the library before the search and import code loads, then checks the index."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.gui.conftest import REPO

# What a fresh process has loaded once the window shows its first page and first article.
OPEN_WINDOW = """
import json, sys
from PySide6.QtCore import QEventLoop, QTimer
from desktop_reader import settings
from desktop_reader.gui.app import create_app
from desktop_reader.gui.main_window import MainWindow
from desktop_reader.library import Library

app = create_app()
library = Library()
window = MainWindow(library, settings.load())
MainWindow._start_index_check = lambda self: None  # the later check is measured apart
loop = QEventLoop()
window.results_updated.connect(loop.quit)
QTimer.singleShot(30_000, loop.quit)
window.show()
loop.exec()
app.processEvents()
heavy = sorted(m for m in ("whoosh", "numpy", "lxml", "readability", "spacy") if m in sys.modules)
print(json.dumps({"rows": window.model.rowCount(), "shown": window.shown_id, "heavy": heavy}))
window.close()
library.close()
"""


def test_the_first_page_shows_before_whoosh_numpy_or_the_importers_load(filled_library, home: Path):
    filled_library.close()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DESKTOP_READER_HOME=str(home))
    done = subprocess.run(
        [sys.executable, "-c", OPEN_WINDOW], capture_output=True, text=True, cwd=REPO, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["rows"] == 12 and seen["shown"] is not None
    assert seen["heavy"] == []


def test_the_start_up_check_runs_after_the_first_page_and_finds_a_current_index(qtbot, make_window, filled_library):
    window = make_window(filled_library)
    assert window.model.rowCount() == 12  # listed before the check answers
    assert not window.index_check_done
    qtbot.waitUntil(lambda: window.index_check_done, timeout=30_000)
    assert not window.runner.busy  # nothing to repair
    assert "Repairing" not in window.statusBar().currentMessage()
