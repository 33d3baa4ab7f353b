"""Fixtures for the window tests: a real Library in the test's own data folder, and windows over it."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BBC = REPO / ".." / "shared" / "corpus" / "bbc-news-2005"
SAMPLES = REPO / "resources" / "samples"
FORMATS = REPO / "tests" / "data" / "formats"


def bbc_files(count: int, section: str = "business") -> list[Path]:
    """Real plain-text news articles from ../shared, or a clean skip when the corpus is absent."""
    folder = BBC / section
    if not folder.is_dir():
        pytest.skip(f"{folder.resolve()} is not available")
    files = sorted(folder.glob("*.txt"))[:count]
    if len(files) < count:
        pytest.skip(f"{folder.resolve()} has fewer than {count} articles")
    return files


@pytest.fixture
def corpus() -> Callable[..., list[Path]]:
    """`corpus(count, section)`: that many real BBC articles (skips cleanly without ../shared)."""
    return bbc_files


@pytest.fixture
def corpus_all() -> Callable[[int], list[Path]]:
    """`corpus_all(count)`: that many BBC articles across all sections (skips without ../shared)."""

    def pick(count: int) -> list[Path]:
        files = sorted(BBC.glob("*/*.txt"))[:count]
        if len(files) < count:
            pytest.skip(f"{BBC.resolve()} is not available or too small")
        return files

    return pick


def drive_all(job) -> object:  # type: ignore[no-untyped-def]
    from desktop_reader.progress import drive

    return drive(job, lambda _step: None)


@pytest.fixture
def library(home: Path) -> Iterator[object]:
    """An empty Library under the test's own DESKTOP_READER_HOME; entities off for speed."""
    from desktop_reader.library import Library

    lib = Library()
    yield lib
    lib.close()


@pytest.fixture
def filled_library(library) -> object:  # type: ignore[no-untyped-def]
    """Twelve real BBC business articles, imported without entities."""
    drive_all(library.import_paths(bbc_files(12), entities=False))
    return library


@pytest.fixture
def entity_library(home: Path, extractor) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """Eight real BBC politics articles imported with the real English pipeline (loaded once per session)."""
    from desktop_reader.library import Library

    lib = Library(extractor=extractor, workers=1)
    drive_all(lib.import_paths(bbc_files(8, "politics"), entities=True))
    yield lib
    lib.close()


@pytest.fixture
def make_window(qtbot) -> Iterator[Callable[..., object]]:  # type: ignore[no-untyped-def]
    """Build MainWindows over a given library; each is closed (its job thread joined) at teardown."""
    from desktop_reader import settings as settings_mod
    from desktop_reader.gui.main_window import MainWindow

    made: list[MainWindow] = []

    def make(library, *, import_samples: bool = False, entities: bool = False) -> MainWindow:  # type: ignore[no-untyped-def]
        window = MainWindow(library, settings_mod.load(), import_samples=import_samples)
        window.import_entities = entities
        qtbot.addWidget(window)
        # The first fill of the list happens once the event loop turns after show().
        with qtbot.waitSignal(window.results_updated, timeout=10_000):
            window.show()
        made.append(window)
        return window

    yield make
    for window in made:
        window.close()  # saves state and joins the job thread


def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    # The offscreen platform warns that it can't pass window size hints on; harmless, and
    # qt_log_level_fail = WARNING would otherwise fail every test that shows a main window.
    here = Path(__file__).resolve().parent
    for item in items:
        if Path(str(item.fspath)).resolve().parent == here:
            item.add_marker(pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"))
