"""MainWindow: the window over one Library: the list of the current query, the shown article, and all signal wiring.

Its parts live beside it: window_layout places the panes, window_actions makes the menus,
window_commands does what they say, window_jobs runs the background jobs and shows their end,
entity_links ties the entity pane to the list and the reader, reading_controller owns the
reading layer (tags, highlights, note).
"""

from __future__ import annotations

import contextlib
import logging
import threading
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

from desktop_reader.errors import ReaderError
from desktop_reader.gui import errors as gui_errors
from desktop_reader.gui import window_layout, window_state
from desktop_reader.gui.article_delegate import SNIPPET_LINES, ArticleDelegate
from desktop_reader.gui.article_model import ArticleListModel
from desktop_reader.gui.article_source import ArticleSource, EmptySource, LibrarySource, QuerySource
from desktop_reader.gui.empty_states import count_text, nothing_to_show
from desktop_reader.gui.entity_curation import EntityCuration
from desktop_reader.gui.entity_links import EntityLinks
from desktop_reader.gui.entity_pane import RESULTS, EntityPane
from desktop_reader.gui.jobs import JobRunner
from desktop_reader.gui.progress_panel import ProgressPanel
from desktop_reader.gui.reader_view import ReaderView
from desktop_reader.gui.reading_controller import ReadingController
from desktop_reader.gui.search_bar import SearchBar
from desktop_reader.gui.side_panes import (
    ENTITIES_MIN,
    ENTITIES_WIDTH,
    LIST_MIN,
    LIST_WIDTH,
    SIDEBAR_MIN,
    SIDEBAR_WIDTH,
    SidePanes,
)
from desktop_reader.gui.window_actions import create_actions
from desktop_reader.gui.window_commands import WindowCommands
from desktop_reader.gui.window_jobs import WindowJobs
from desktop_reader.library import Library
from desktop_reader.settings import Settings

if TYPE_CHECKING:
    from desktop_reader.library import Highlighter

log = logging.getLogger(__name__)

WATCH_MS = 2000  # how often the window looks for writes by other processes
INDEX_CHECK_DELAY_MS = 150  # after the first list page and article have painted


class MainWindow(QMainWindow):
    """The application window over one Library.

    Args:
        library: the archive; the window reads from it on the GUI thread and sends every
            write (imports, deletes, index repairs) to its JobRunner.
        settings: user settings; changes are saved with settings.save().
        import_samples: import the bundled sample articles when the library is empty.
        runner: the job thread; one is created (and owned) when omitted.

    Signals:
        article_shown(int): the reader now shows this article id.
        results_updated(int): the list was refilled; the number of results.
        import_finished(object): an import ended (an ImportReport, cancelled or not).
        job_done(str): any job ended (its title), after the window and the job's own handler reacted.
        index_checked(str): the start-up check of the index answered: why it needs repair, or "".
    """

    article_shown = Signal(int)
    results_updated = Signal(int)
    import_finished = Signal(object)
    job_done = Signal(str)
    index_checked = Signal(str)
    _index_loaded = Signal()  # from the thread that loads the search code

    def __init__(
        self,
        library: Library,
        settings: Settings,
        *,
        import_samples: bool = False,
        runner: JobRunner | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.settings = settings
        self.import_entities = True  # tests switch this off where entities don't matter
        self._import_samples = import_samples
        self.runner = runner or JobRunner(self)
        self.shown_id: int | None = None
        self.index_check_done = False  # the start-up check of the index has answered
        self._index_check: threading.Thread | None = None
        self._closing = False
        self._highlighter: Highlighter | None = None
        self._last_query: tuple[str, tuple[tuple[str, str], ...], str] | None = None
        self._list_message = ""  # how the current query was read, shown after the count
        # Another window or a command-line import may write to the same library: watch its
        # generation (one indexed read) and refresh the list when it moves.
        self._generation = library.generation()
        self._watch = QTimer(self)
        self._watch.setInterval(WATCH_MS)
        self._build()
        self.actions = create_actions(self)
        self.commands = WindowCommands(self)
        self.jobs = WindowJobs(self)
        self.entity_links = EntityLinks(self)
        self.reading = ReadingController(self)
        self.curation = EntityCuration(
            self.entity_pane,
            library,
            self.reading.undo_stack,
            self.entity_links.on_entities_curated,
            lambda: self.runner.busy,
        )
        self._arrange()
        self.actions.highlight_entities.setChecked(settings.highlight_entities)
        self.side_panes = SidePanes(self.splitter, self.reader.parentWidget())
        # Fold order: the tag sidebar first, then the entity tabs, the list last.
        self.side_panes.add(
            "sidebar", self.reading.sidebar, self.reading.actions["sidebar"], SIDEBAR_MIN, SIDEBAR_WIDTH
        )
        self.side_panes.add("entities", self.side_tabs, self.actions.show_entities, ENTITIES_MIN, ENTITIES_WIDTH)
        self.side_panes.add("list", self.list_view.parentWidget(), self.actions.show_list, LIST_MIN, LIST_WIDTH)
        self._connect_signals()
        self._restore()
        QTimer.singleShot(0, self.on_window_started)
        self._watch.start()

    # -- construction ----------------------------------------------------------------------

    def _build(self) -> None:
        """The window's own panes; the reading layer adds its own before _arrange places them all."""
        self.setObjectName("mainWindow")
        self.setWindowTitle("Desktop Reader")
        self.setAcceptDrops(True)
        self.resize(window_layout.first_size(self.screen().availableGeometry().size()))
        self.search_bar = SearchBar()
        self.search_bar.set_recent(self.settings.recent_queries)
        self.search_bar.set_sort(self.settings.sort)
        self.model = ArticleListModel(self)
        self.model.marks_of = self.library.marks
        self.delegate = ArticleDelegate(self)
        self.list_view = window_layout.article_list(self.model, self.delegate)
        self.reader = ReaderView()
        self.reader.set_font_size(self.settings.font_size)
        self.reader.set_entity_highlighting(self.settings.highlight_entities)
        self.entity_pane = EntityPane()
        self.progress = ProgressPanel()
        self.hit_label = QLabel()
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.hit_label)

    def _arrange(self) -> None:
        r = self.reading
        self.side_tabs = window_layout.side_tabs(self.entity_pane, r.highlights, r.note)
        self.splitter = window_layout.main_splitter(
            r.sidebar,
            window_layout.column(self.search_bar, self.list_view),
            window_layout.column(r.tag_bar, self.reader),
            self.side_tabs,
        )
        self.setCentralWidget(self.splitter)

    def acknowledge_own_writes(self) -> None:
        """The window's own writes (user data) are not news from another process."""
        self._generation = self.library.generation()

    def import_paths(self, sources: list[Path]) -> None:
        """Import files and folders in the background; the list fills as they arrive."""
        self.jobs.import_paths(sources)

    def run_query(self, query: str, filters: tuple[tuple[str, str], ...] = (), sort: str | None = None) -> None:
        """Show a query's results as if typed: the sidebar's tags and saved searches use this."""
        bar = self.search_bar
        for kind, text in list(bar.filters):
            bar.remove_filter(kind, text)
        for kind, text in filters:
            bar.add_filter(kind, text)
        if sort:
            bar.set_sort(sort)
        bar.field.setText(query)
        bar.on_return_pressed()

    def _connect_signals(self) -> None:
        """Every connection between the window's parts, in one place."""
        self._index_loaded.connect(self._check_index)
        bar = self.search_bar
        bar.query_changed.connect(self.on_query_changed)
        bar.query_committed.connect(self.on_query_committed)
        bar.filters_changed.connect(self.on_filters_changed)
        bar.sort_changed.connect(self.on_sort_changed)
        bar.navigated.connect(self.on_search_navigated)
        self.list_view.selectionModel().currentChanged.connect(self.on_current_article_changed)
        self.list_view.activated.connect(self.on_article_activated)
        self.reader.anchorClicked.connect(self.reader.on_anchor_clicked)
        self.reader.hit_changed.connect(self.on_hit_changed)
        links = self.entity_links
        self.entity_pane.tree.clicked.connect(links.on_entity_clicked)
        self.entity_pane.tree.activated.connect(links.on_entity_activated)
        self.entity_pane.scope_changed.connect(links.on_entity_scope_changed)
        jobs = self.jobs
        self.runner.started.connect(jobs.on_job_started)
        self.runner.progressed.connect(jobs.on_job_progressed)
        self.runner.finished.connect(jobs.on_job_finished)
        self.runner.failed.connect(jobs.on_job_failed)
        self.runner.ended.connect(self.job_done)
        self.progress.cancel_requested.connect(self.runner.cancel)
        self._watch.timeout.connect(self.on_library_watch)
        jobs.live_refresh.timeout.connect(jobs.on_live_refresh_due)
        self.article_shown.connect(self.reading.on_article_shown)
        self.job_done.connect(self.reading.on_job_done)

        a, c = self.actions, self.commands
        a.import_files.triggered.connect(c.on_import_files_triggered)
        a.import_folder.triggered.connect(c.on_import_folder_triggered)
        a.open_original.triggered.connect(c.on_open_original_triggered)
        a.open_web_page.triggered.connect(c.on_open_web_page_triggered)
        a.copy_citation.triggered.connect(c.on_copy_citation_triggered)
        a.delete_article.triggered.connect(c.on_delete_triggered)
        a.rebuild_index.triggered.connect(c.on_rebuild_index_triggered)
        a.settings.triggered.connect(c.on_settings_triggered)
        a.quit.triggered.connect(self.close)
        a.find.triggered.connect(c.on_find_triggered)
        a.next_hit.triggered.connect(self.reader.next_hit)
        a.previous_hit.triggered.connect(self.reader.previous_hit)
        a.zoom_in.triggered.connect(c.on_zoom_in_triggered)
        a.zoom_out.triggered.connect(c.on_zoom_out_triggered)
        a.zoom_reset.triggered.connect(c.on_zoom_reset_triggered)
        a.highlight_entities.toggled.connect(c.on_highlight_entities_toggled)
        a.about.triggered.connect(c.on_about_triggered)

    def _restore(self) -> None:
        extra = window_state.restore(self, self.splitter)
        self.side_panes.set_widths({name: extra.get(f"{name}_width") for name in ("list", "entities", "sidebar")})
        if extra.get("entity_scope") == RESULTS:
            self.entity_pane.results_button.setChecked(True)

    # -- start-up --------------------------------------------------------------------------

    @Slot()
    def on_window_started(self) -> None:
        """Runs once the event loop turns, so the window is already painted."""
        if self._import_samples and self.library.count() == 0 and self.jobs.import_samples():
            self.reader.clear_article("Importing the sample articles…")
            self.index_check_done = True  # a new library: nothing to repair
        else:
            # The first check loads Whoosh, numpy and the importers (a few tenths of a second of
            # Python that holds the GIL): on a thread started once the first page has painted, so
            # it neither delays that page nor blocks the window while it runs.
            QTimer.singleShot(INDEX_CHECK_DELAY_MS, self._start_index_check)
        self.refresh_results(select_first=True)
        self.reading.refresh_sidebar()

    def _start_index_check(self) -> None:
        if self._closing:
            return
        self._index_check = threading.Thread(target=self._load_index, name="index-load", daemon=True)
        self._index_check.start()

    def _load_index(self) -> None:
        """On its own thread: load the search code and open the index; the window then decides."""
        with contextlib.suppress(Exception):  # a damaged index is for the check to report
            self.library.index_problem()
        with contextlib.suppress(RuntimeError):  # the window was deleted meanwhile
            self._index_loaded.emit()

    @Slot()
    def _check_index(self) -> None:
        """Whether the index needs repair, asked on this thread once no job of ours is writing:
        an import running now (files opened with the app, a quick drop) is not a damaged index."""
        if self._closing:
            return
        if self.runner.busy:
            self.runner.idle.connect(self._check_index, Qt.ConnectionType.SingleShotConnection)
            return
        try:
            problem = self.library.index_problem()
        except Exception as exc:  # a damaged index must not keep the window from opening
            problem = f"The search index could not be read ({exc})."
        self.index_check_done = True
        self.index_checked.emit(problem)
        if problem:
            self.statusBar().showMessage(f"{problem} Repairing it from the library…")
            self.jobs.sync_index("Repairing the search index")

    # -- the article list ------------------------------------------------------------------

    @Slot()
    def on_library_watch(self) -> None:
        """Pick up articles imported or deleted by another process (our own jobs refresh themselves)."""
        if self.runner.busy:
            return
        generation = self.library.generation()
        if generation == self._generation:
            return
        self._generation = generation
        self.refresh_results(keep_loaded=True)
        self.reading.on_library_changed_elsewhere()
        self.statusBar().showMessage("The library changed elsewhere; the list is up to date.", 5000)

    def refresh_results(self, *, select_first: bool = False, keep_loaded: bool = False) -> None:
        """Refill the list for the current query, filters and sort; keep the selected article if listed."""
        query, filters, sort = self.search_bar.query, self.search_bar.filters, self.search_bar.sort_value
        source: ArticleSource
        try:
            if query or filters:
                source = QuerySource(self.library, query, sort, filters)
            else:
                source = LibrarySource(self.library, newest_first=True)
        except ReaderError as exc:
            source = EmptySource()
            source.message = str(exc)
        except Exception as exc:
            gui_errors.show_error(self, exc)
            source = EmptySource()
        self._last_query = (query, filters, sort)
        self.delegate.clear_cache()
        self.delegate.snippet_lines = SNIPPET_LINES if (query or filters) else 0
        self.model.set_source(source, keep_loaded=keep_loaded)
        self._list_message = source.message
        self._show_count()
        self.search_bar.set_suggestion(source.suggestion)
        row = self.model.row_of(self.shown_id) if self.shown_id is not None else -1
        if row >= 0:
            self._select_row(row)
        elif select_first and self.model.rowCount():
            self._select_row(0)
        elif not self.model.rowCount() and not self.runner.busy:
            self._show_nothing()  # not the article of the previous query
        self._highlighter = self.library.highlighter(query)
        self.reader.set_highlighter(self._highlighter)
        self.entity_links.on_results_changed()
        self.results_updated.emit(source.total)

    def _show_count(self) -> None:
        searching = bool(self.search_bar.query or self.search_bar.filters)
        self.search_bar.set_count(count_text(self.model.total, searching, self._list_message))

    def _show_nothing(self, *, deleted: bool = False) -> None:
        """Empty the reader and the entity pane, saying why the list is empty and what to do."""
        self.shown_id = None
        bar = self.search_bar
        self.reader.clear_article(nothing_to_show(bar.query, len(bar.filters), self.library.count(), deleted))
        self.entity_pane.model.clear()
        self.reading.on_article_cleared()  # its tags, highlights and note go with it

    def _select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.list_view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.list_view.scrollTo(index)

    @Slot(str)
    def on_query_changed(self, _query: str) -> None:
        self.refresh_results(select_first=True)

    @Slot(str)
    def on_query_committed(self, query: str) -> None:
        current = (query, self.search_bar.filters, self.search_bar.sort_value)
        if current == self._last_query and self.list_view.currentIndex().isValid():
            self.reader.setFocus()  # Enter again on the same query opens the selected article
        else:
            self.refresh_results(select_first=True)
        if query:
            self.settings = self.settings.with_recent_query(query)
            self.search_bar.set_recent(self.settings.recent_queries)
            self.commands.save_settings()

    @Slot()
    def on_filters_changed(self) -> None:
        self.refresh_results(select_first=True)

    @Slot(str)
    def on_sort_changed(self, sort: str) -> None:
        self.settings = replace(self.settings, sort=sort)
        self.commands.save_settings()
        self.refresh_results(select_first=True)

    @Slot(int)
    def on_search_navigated(self, steps: int) -> None:
        count = self.model.rowCount()
        if not count:
            return
        current = self.list_view.currentIndex()
        row = current.row() + steps if current.isValid() else 0
        while row >= self.model.rowCount() and self.model.canFetchMore(QModelIndex()):
            self.model.fetchMore(QModelIndex())
        self._select_row(max(0, min(row, self.model.rowCount() - 1)))

    @Slot(QModelIndex, QModelIndex)
    def on_current_article_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        article_id = current.data(ArticleListModel.IdRole) if current.isValid() else None
        if article_id is None or article_id == self.shown_id:
            return
        self.show_article(int(article_id))

    @Slot(QModelIndex)
    def on_article_activated(self, _index: QModelIndex) -> None:
        self.reader.setFocus()

    def show_article(self, article_id: int) -> None:
        try:
            article = self.library.article(article_id)
        except ReaderError as exc:
            self.shown_id = None
            self.reader.clear_article(str(exc))
            self.entity_pane.model.clear()
            self.reading.on_article_cleared()
            return
        self.shown_id = article_id
        self.reader.show_article(article, self._highlighter)
        self.setWindowTitle(article.title or "Desktop Reader")
        self.entity_links.on_article_shown(article)
        self.article_shown.emit(article_id)

    def remove_article(self, article_id: int) -> None:
        """Take a deleted article out of the list; if it was shown, move to its neighbour."""
        row = self.model.row_of(article_id)
        self.model.remove_id(article_id)
        self._show_count()  # the list's total went down with it
        if self.shown_id == article_id:
            self.shown_id = None
            self.reading.on_article_cleared()
            if self.model.rowCount():
                self.reader.clear_article("The article was deleted.")
                self.entity_pane.model.clear()
                self._select_row(min(max(row, 0), self.model.rowCount() - 1))
            else:
                self._show_nothing(deleted=True)

    @Slot(int, int)
    def on_hit_changed(self, current: int, total: int) -> None:
        self.hit_label.setText(f"Match {current} of {total}  (F3)" if total else "")

    # -- drag and drop, closing --------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closing = True
        if self._index_check is not None:
            self._index_check.join(timeout=10)  # it reads the library, which is closed after us
        window_state.save(
            self,
            self.splitter,
            {
                "entity_scope": self.entity_pane.scope_value,
                **{f"{name}_width": self.side_panes.wanted(name) for name in ("list", "entities", "sidebar")},
            },
        )
        self.commands.save_settings()
        self.reading.note.flush()  # a note typed just before closing is kept
        # Committed articles stay; the running job stops at its next step.
        self.runner.shutdown()
        super().closeEvent(event)
