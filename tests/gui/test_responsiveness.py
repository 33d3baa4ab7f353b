"""The GUI thread keeps turning while 2,000 articles import in the JobRunner (an event-loop latency probe)."""

from __future__ import annotations

import gc

import pytest
from PySide6.QtCore import QElapsedTimer, QObject, QTimer, Slot

from desktop_reader.gui.app import settle_heap

ARTICLES = 2_000
# The product target is 100 ms (issue 4); 90-100 ms measured alone on this 2-core machine once
# the collector's full passes stopped walking the startup heap (settle_heap) and the list's
# refresh stopped reopening the index for an empty query. Before, 190-350 ms: every full
# collection walked everything earlier tests had left in the process, with the GIL held.
# The guard leaves room for a loaded CI machine; a freeze is seconds, not that spread.
MAX_GAP_MS = 250
TICK_MS = 10


class LatencyProbe(QObject):
    """A 10 ms timer on the GUI thread; the longest gap between ticks is how long the loop stalled."""

    def __init__(self) -> None:
        super().__init__()
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.on_tick)
        self.clock = QElapsedTimer()
        self.last = 0
        self.max_gap_ms = 0.0
        self.ticks = 0

    def start(self) -> None:
        self.clock.start()
        self.last = self.clock.nsecsElapsed()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.seconds = self.clock.elapsed() / 1000

    @Slot()
    def on_tick(self) -> None:
        now = self.clock.nsecsElapsed()
        self.max_gap_ms = max(self.max_gap_ms, (now - self.last) / 1e6)
        self.last = now
        self.ticks += 1


@pytest.mark.slow
def test_event_loop_never_stalls_during_a_big_import(qtbot, make_window, library, corpus_all, record_property):
    files = corpus_all(ARTICLES)
    # Entities off: on a 2-core CI machine spaCy over 2,000 articles alone takes minutes, and it
    # runs in worker processes anyway; what can stall the GUI thread is this process's writer.
    window = make_window(library, entities=False)
    # As run() does once the window shows; here it also exempts what earlier tests left in this
    # process, whose size would otherwise set the length of every full collection.
    settle_heap()
    probe = LatencyProbe()
    try:
        with qtbot.waitSignal(window.import_finished, timeout=115_000) as done:
            probe.start()
            window.import_paths(files)
        probe.stop()
    finally:
        gc.unfreeze()
    print(
        f"\n{done.args[0].imported} articles imported in {probe.seconds:.1f} s; "
        f"event-loop max gap {probe.max_gap_ms:.1f} ms over {probe.ticks} ticks"
    )
    record_property("max_gap_ms", probe.max_gap_ms)
    report = done.args[0]
    assert report.imported + report.duplicates == ARTICLES  # the corpus repeats a few stories
    assert window.model.total == report.imported
    assert probe.max_gap_ms < MAX_GAP_MS
