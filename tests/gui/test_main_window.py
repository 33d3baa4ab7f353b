"""MainWindow wiring: search, reading, entity filters, imports, cancel, delete, drop, restart persistence."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from desktop_reader import paths
from desktop_reader.gui import dialogs
from desktop_reader.gui import errors as gui_errors
from desktop_reader.gui.article_model import ArticleListModel
from desktop_reader.gui.import_report import ImportReportDialog
from desktop_reader.gui.search_bar import DEBOUNCE_MS
from desktop_reader.models import ImportReport
from tests.helpers import DATA


def _ids(window) -> list[int]:  # type: ignore[no-untyped-def]
    return [window.model.index(r, 0).data(ArticleListModel.IdRole) for r in range(window.model.rowCount())]


def _first_entity(window):  # type: ignore[no-untyped-def]
    model = window.entity_pane.model
    for g in range(model.rowCount()):
        group = model.index(g, 0)
        if model.rowCount(group):
            return model.index(0, 0, group)
    raise AssertionError("no entities shown")


def test_typing_a_query_updates_the_list(qtbot, make_window, filled_library):
    window = make_window(filled_library)
    assert window.model.total == 12
    assert window.search_bar.count_label.text() == "12 articles"
    with qtbot.waitSignal(window.results_updated, timeout=DEBOUNCE_MS + 5_000) as shown:
        qtbot.keyClicks(window.search_bar.field, "Yukos")
    assert 1 <= shown.args[0] < 12
    assert "result" in window.search_bar.count_label.text()
    first = window.model.index(0, 0).data(ArticleListModel.SummaryRole)
    assert "yukos" in (first.title + first.snippet.text).lower()
    # The first result is opened and its matches are highlighted in the reader.
    assert window.reader.article is not None
    assert window.reader.hit_count >= 1


def test_enter_commits_and_remembers_the_query(qtbot, make_window, filled_library):
    window = make_window(filled_library)
    window.search_bar.field.setText("profit")
    with qtbot.waitSignal(window.results_updated, timeout=5_000):
        qtbot.keyClick(window.search_bar.field, Qt.Key.Key_Return)
    assert window.settings.recent_queries[0] == "profit"
    assert window.search_bar.recent.stringList()[0] == "profit"


def test_arrow_keys_in_the_search_box_move_the_selection(qtbot, make_window, filled_library):
    window = make_window(filled_library)
    assert window.list_view.currentIndex().row() == 0
    ids = _ids(window)
    with qtbot.waitSignal(window.article_shown, timeout=5_000) as shown:
        qtbot.keyClick(window.search_bar.field, Qt.Key.Key_Down)
    assert window.list_view.currentIndex().row() == 1
    assert shown.args[0] == ids[1]
    qtbot.keyClick(window.search_bar.field, Qt.Key.Key_Up)
    assert window.reader.article.id == ids[0]


def test_selecting_an_article_fills_reader_and_entity_pane(qtbot, make_window, entity_library):
    window = make_window(entity_library)
    ids = _ids(window)
    with qtbot.waitSignal(window.article_shown, timeout=5_000):
        window.list_view.setCurrentIndex(window.model.index(len(ids) - 1, 0))
    article = window.reader.article
    assert article.id == ids[-1]
    assert article.title in window.reader.toPlainText()
    assert article.entities
    model = window.entity_pane.model
    shown = sum(model.rowCount(model.index(g, 0)) for g in range(model.rowCount()))
    assert shown == len(article.entities)

    # Clicking an entity highlights its mentions in the text.
    entity_index = _first_entity(window)
    window.entity_pane.tree.clicked.emit(entity_index)
    row = model.entity(entity_index)
    highlighted = [s.cursor.selectedText() for s in window.reader.extraSelections()]
    assert highlighted.count(article.text[row.mentions[0][0] : row.mentions[0][1]]) >= 1


def test_activating_an_entity_narrows_the_list_and_the_chip_restores_it(qtbot, make_window, entity_library):
    window = make_window(entity_library)
    everything = _ids(window)
    # Pick an entity of an article that is not mentioned by every article, so the list must shrink.
    for row in range(window.model.rowCount()):
        window.list_view.setCurrentIndex(window.model.index(row, 0))
        entity_index = _first_entity(window)
        entity = window.entity_pane.model.entity(entity_index)
        with qtbot.waitSignal(window.results_updated, timeout=5_000) as narrowed:
            window.entity_pane.tree.activated.emit(entity_index)
        if narrowed.args[0] < len(everything):
            break
        window.search_bar.remove_filter(*window.search_bar.filters[0])
    assert 1 <= narrowed.args[0] < len(everything)
    chips = window.search_bar.chip_buttons()
    assert len(chips) == 1
    assert chips[0].property("chip") is True
    assert entity.text in chips[0].text()
    assert set(_ids(window)) < set(everything)

    with qtbot.waitSignal(window.results_updated, timeout=5_000) as restored:
        chips[0].click()
    assert restored.args[0] == len(everything)
    assert window.search_bar.filters == ()


def test_facets_over_all_results(qtbot, make_window, entity_library):
    window = make_window(entity_library)
    window.entity_pane.set_scope("results")
    model = window.entity_pane.model
    assert model.rowCount() > 0
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Articles"


def test_import_in_the_worker_reports_progress_and_fills_the_list(qtbot, make_window, library, corpus):
    window = make_window(library)
    files = corpus(6, "tech")
    steps = []
    window.runner.progressed.connect(steps.append)
    with qtbot.waitSignal(window.import_finished, timeout=30_000) as done:
        window.import_paths(files)
    report = done.args[0]
    assert isinstance(report, ImportReport)
    assert report.imported == 6
    assert steps[-1].done == steps[-1].total == 6
    assert window.model.total == 6
    dialogs_shown = window.findChildren(ImportReportDialog)
    assert dialogs_shown
    assert "6 imported" in dialogs_shown[-1].summary.text()
    dialogs_shown[-1].close()


def test_failed_files_are_listed_with_their_reason(qtbot, make_window, library, tmp_path, corpus):
    window = make_window(library)
    bad = tmp_path / "notes.xyz"
    bad.write_text("not an article", encoding="utf-8")
    with qtbot.waitSignal(window.import_finished, timeout=30_000) as done:
        window.import_paths([bad, *corpus(1)])
    report = done.args[0]
    assert report.imported == 1
    assert report.failed == 1
    dialog = window.findChildren(ImportReportDialog)[-1]
    item = dialog.details.topLevelItem(0)
    assert item.text(0) == "notes.xyz"
    assert item.text(1) == "failed"
    assert ".xyz" in item.text(2)
    dialog.close()


def test_cancel_stops_an_import(qtbot, make_window, library, corpus):
    window = make_window(library)
    # Ask for cancellation from the worker thread on its very first step, so the test doesn't
    # race the import; the job must then close before storing anything.
    window.runner._worker.progressed.connect(
        lambda _step: window.runner._worker.cancel_requested.set(), Qt.ConnectionType.DirectConnection
    )
    with qtbot.waitSignal(window.import_finished, timeout=30_000) as done:
        window.import_paths(corpus(30))
    report = done.args[0]
    assert report.cancelled
    assert library.count() < 30
    for dialog in window.findChildren(ImportReportDialog):
        assert "cancelled" in dialog.summary.text().lower()
        dialog.close()


def test_cancel_button_reaches_the_runner(qtbot, make_window, library):
    window = make_window(library)
    with qtbot.waitSignal(window.runner.idle, timeout=5_000):
        window.runner.start(lambda: iter(()), "noop")
    window.progress.begin("Importing")
    window.progress.cancel_button.click()
    assert window.progress.label.text() == "Cancelling…"


def test_delete_asks_and_removes_the_article(qtbot, make_window, filled_library, monkeypatch):
    window = make_window(filled_library)
    questions: list[str] = []
    monkeypatch.setattr(dialogs, "confirm", lambda _p, _t, text: questions.append(text) or False)
    victim = window.reader.article.id
    window.actions.delete_article.trigger()
    assert questions
    assert filled_library.count() == 12

    monkeypatch.setattr(dialogs, "confirm", lambda *_a: True)
    with qtbot.waitSignal(window.job_done, timeout=10_000):
        window.actions.delete_article.trigger()
    assert filled_library.count() == 11
    assert victim not in _ids(window)
    assert window.model.rowCount() == 11
    assert window.reader.article is not None
    assert window.reader.article.id != victim
    _results, rows = filled_library.search(window.model.summary(0).title.split()[0])
    assert victim not in [r.id for r in rows]


# PySide marks the QPoint-based QDragEnterEvent constructor deprecated, yet Qt 6 has no other.
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_dropping_files_imports_them(qtbot, make_window, library, corpus):
    window = make_window(library)
    files = corpus(3, "sport")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f)) for f in files])
    event = QDropEvent(
        QPointF(200, 200),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    enter = QDragEnterEvent(
        QPoint(200, 200),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dragEnterEvent(enter)
    assert enter.isAccepted()
    # Called directly: QApplication refuses to deliver a Drop when no real drag is in progress.
    with qtbot.waitSignal(window.import_finished, timeout=30_000) as done:
        window.dropEvent(event)
    assert done.args[0].imported == 3
    assert event.isAccepted()
    assert library.count() == 3


# PySide marks the QPoint-based QDragEnterEvent constructor deprecated, yet Qt 6 has no other.
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_dropping_a_web_archive_an_export_and_an_ebook_imports_their_articles(qtbot, make_window, library):
    window = make_window(library)
    archives = DATA / "archives"
    files = [
        archives / "warc" / "pages.warc.gz",
        archives / "wallabag" / "wallabag.json",
        archives / "epub" / "book3.epub",
    ]
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f)) for f in files])
    event = QDropEvent(
        QPointF(200, 200), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    with qtbot.waitSignal(window.import_finished, timeout=60_000) as done:
        window.dropEvent(event)
    report = done.args[0]
    assert report.imported == 11  # 5 pages of the WARC, 5 entries of the export, the book
    assert {o.member for o in report.outcomes if o.path.endswith(".warc.gz") and o.status == "imported"} >= {
        "https://example.org/news/bohnenhaus-cafe-opens-first-uk-branch-in-wrexley"
    }
    qtbot.waitUntil(lambda: window.model.rowCount() == 11)


def test_first_run_imports_the_bundled_samples(qtbot, make_window, library):
    from desktop_reader.gui.app import resource_path

    samples = resource_path("samples")
    if not samples.is_dir() or not any(samples.iterdir()):
        pytest.skip("resources/samples/ is empty")
    window = make_window(library, import_samples=True)
    qtbot.waitUntil(lambda: not window.runner.busy and library.count() >= 5, timeout=60_000)
    assert window.model.total == library.count() >= 5
    assert window.reader.article is not None


def test_a_damaged_index_is_repaired_at_start(qtbot, make_window, filled_library):
    index_dir = paths.index_dir(filled_library.data_dir)
    filled_library.close()
    shutil.rmtree(index_dir)
    from desktop_reader.library import Library

    library = Library()
    assert library.index_problem()
    window = make_window(library)
    qtbot.waitUntil(lambda: window.index_check_done and not window.runner.busy, timeout=30_000)
    assert library.index_problem() == ""
    assert "index" in window.statusBar().currentMessage().lower()
    window.search_bar.field.setText("Yukos")
    window.refresh_results()
    assert window.model.total >= 1
    library.close()


def test_a_first_window_fits_its_screen(qtbot, make_window, filled_library):
    """With no saved geometry the window takes the preferred size only where it fits (the
    offscreen screen is 800 by 800 pixels, smaller than a three-pane window wants)."""
    from PySide6.QtCore import QSize

    from desktop_reader.gui.window_layout import PREFERRED_SIZE, first_size

    window = make_window(filled_library)
    free = window.screen().availableGeometry()
    assert free.width() < PREFERRED_SIZE.width()
    assert window.width() <= free.width() * 0.9 and window.height() <= free.height() * 0.9
    assert first_size(QSize(1920, 1040)) == PREFERRED_SIZE
    assert first_size(QSize(1366, 728)) == QSize(1229, 655)  # a common laptop screen, less its task bar


def test_settings_and_layout_persist_across_a_restart(qtbot, make_window, filled_library):
    window = make_window(filled_library)
    window.resize(720, 520)  # within the offscreen screen, which clamps restored geometry
    window.splitter.setSizes([150, 300, 500, 200])
    window.side_panes.remember_sizes()  # what a drag of a handle does
    window.side_panes.fit()
    qtbot.waitUntil(lambda: window.splitter.sizes()[2] >= 460)  # once Qt has placed the handles
    wanted = {name: window.side_panes.wanted(name) for name in ("sidebar", "list", "entities")}
    sizes = window.splitter.sizes()
    window.search_bar.set_sort("date")
    window.actions.zoom_in.trigger()
    window.actions.zoom_in.trigger()
    font = window.settings.font_size
    window.close()

    again = make_window(filled_library)
    assert again.size().width() == 720
    assert again.size().height() == 520
    assert {name: again.side_panes.wanted(name) for name in wanted} == wanted
    qtbot.waitUntil(lambda: again.splitter.sizes() == sizes)
    assert again.search_bar.sort_value == "date"
    assert again.settings.font_size == font
    assert again.reader.font_size == font
    assert (paths.config_dir() / "window.ini").is_file()


def test_copy_citation_puts_the_article_on_the_clipboard(qtbot, make_window, filled_library):
    window = make_window(filled_library)
    window.actions.copy_citation.trigger()
    text = QApplication.clipboard().text()
    assert window.reader.article.title in text


def test_errors_show_the_message_or_where_the_log_is(qtbot, make_window, filled_library, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(gui_errors, "show_error", lambda _p, exc: shown.append(gui_errors.message_for(exc)))
    window = make_window(filled_library)

    def broken():  # type: ignore[no-untyped-def]
        yield from ()
        raise KeyError("bug")

    with qtbot.waitSignal(window.job_done, timeout=5_000):
        window.runner.start(broken, "broken")
    assert str(paths.log_file()) in shown[0]
    assert "KeyError" in paths.log_file().read_text(encoding="utf-8")
    assert window.isVisible()


def test_the_window_picks_up_articles_imported_by_another_process(qtbot, make_window, library, tmp_path):
    import subprocess
    import sys

    from desktop_reader import paths

    window = make_window(library)
    assert window.model.rowCount() == 0
    note = tmp_path / "elsewhere.txt"
    note.write_text("Imported elsewhere\n\nA command-line import about barges.\n", encoding="utf-8")
    env = {**__import__("os").environ, paths.ENV_HOME: str(library.data_dir.parent)}
    subprocess.run(
        [sys.executable, "-m", "desktop_reader", "import", str(note), "--no-entities"],
        check=True,
        env=env,
        capture_output=True,
    )
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=10_000)


def test_did_you_mean_is_a_link_that_runs_the_corrected_query(qtbot, make_window, filled_library):
    window = make_window(filled_library)
    bar = window.search_bar
    bar.field.setText("profitt")
    with qtbot.waitSignal(window.results_updated, timeout=5_000):
        qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert window.model.total == 0
    assert bar.suggestion_label.isVisibleTo(window) and "profit" in bar.suggestion_label.text()
    assert "Did you mean" not in bar.count_label.text()
    with qtbot.waitSignal(window.results_updated, timeout=5_000) as shown:
        bar.suggestion_label.linkActivated.emit("#suggestion")
    assert bar.field.text() == "profit" and shown.args[0] > 0
    assert not bar.suggestion_label.isVisibleTo(window)


def _search(qtbot, window, text):  # type: ignore[no-untyped-def]
    window.search_bar.field.setText(text)
    with qtbot.waitSignal(window.results_updated, timeout=5_000):
        qtbot.keyClick(window.search_bar.field, Qt.Key.Key_Return)


def test_no_results_empty_the_reader_and_entities_and_say_what_to_do(qtbot, make_window, entity_library):
    window = make_window(entity_library)
    assert window.reader.article is not None and window.entity_pane.model.rowCount()
    shown = window.reader.article.id
    entity_library.add_tags([shown], ["kept"])
    entity_library.add_highlight(shown, start=0, end=12)
    window.reading.on_article_shown(shown)
    assert "#kept" in window.reading.tag_bar.label.text() and window.reading.tag_bar.isVisibleTo(window)
    assert window.reading.highlights.highlights
    _search(qtbot, window, "zeppelinwharf")
    assert window.model.total == 0
    assert window.reader.article is None and window.entity_pane.model.rowCount() == 0
    # Nothing of the article shown before stays beside the empty reader: no tags, highlights or note.
    assert not window.reading.tag_bar.isVisibleTo(window) and not window.reading.highlights.highlights
    assert window.reading.article_id is None
    text = window.reader.toPlainText()
    assert "No article matches “zeppelinwharf”" in text and "Esc" in text


def test_deleting_the_only_result_updates_the_count_and_says_so(qtbot, make_window, library, tmp_path, monkeypatch):
    from tests.gui.conftest import drive_all

    for name, body in (("kelp", "Kelp forests off the cape grew back."), ("ferry", "The ferry ran late.")):
        (tmp_path / f"{name}.txt").write_text(f"{name.title()} story\n\n{body}\n")
    drive_all(library.import_paths([tmp_path / "kelp.txt", tmp_path / "ferry.txt"], entities=False))
    window = make_window(library)
    _search(qtbot, window, "kelp")
    assert window.search_bar.count_label.text() == "1 result"
    monkeypatch.setattr(dialogs, "confirm", lambda *_a: True)
    with qtbot.waitSignal(window.job_done, timeout=10_000):
        window.actions.delete_article.trigger()
    assert window.search_bar.count_label.text() == "0 results"
    assert window.reader.article is None
    assert window.reader.toPlainText().startswith("The article was deleted.")
    assert "No article matches “kelp”" in window.reader.toPlainText()


def test_a_theme_switch_recolours_the_open_article_at_once(qtbot, make_window, filled_library):
    from PySide6.QtGui import QGuiApplication, QPalette

    from desktop_reader.gui import theme

    window = make_window(filled_library)
    app = QGuiApplication.instance()
    try:
        theme.apply_theme(app, "dark")
        qtbot.waitUntil(lambda: window.reader.palette().color(QPalette.ColorRole.Text).lightness() > 200)
        title = window.reader.document().firstBlock().begin().fragment().charFormat().foreground().color()
        assert title == window.reader.palette().color(QPalette.ColorRole.Text)
    finally:
        theme.apply_theme(app, "system")
