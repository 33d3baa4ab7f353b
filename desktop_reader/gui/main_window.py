"""MainWindow: the three panes (articles, reader, entities), their actions, and all signal wiring."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QListView,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_reader import __version__
from desktop_reader import settings as settings_mod
from desktop_reader.errors import ReaderError
from desktop_reader.gui import dialogs, theme, window_state
from desktop_reader.gui import errors as gui_errors
from desktop_reader.gui.article_delegate import SNIPPET_LINES, ArticleDelegate
from desktop_reader.gui.article_model import ArticleListModel
from desktop_reader.gui.article_source import ArticleSource, EmptySource, LibrarySource, QuerySource
from desktop_reader.gui.empty_states import count_text, nothing_to_show
from desktop_reader.gui.entity_curation import EntityCuration
from desktop_reader.gui.entity_model import filter_for
from desktop_reader.gui.entity_pane import ARTICLE, RESULTS, EntityPane
from desktop_reader.gui.import_report import ImportReportDialog, summary
from desktop_reader.gui.jobs import Cancelled, JobRunner
from desktop_reader.gui.progress_panel import ProgressPanel
from desktop_reader.gui.reader_view import ReaderView, open_url
from desktop_reader.gui.reading_controller import ReadingController
from desktop_reader.gui.search_bar import SearchBar
from desktop_reader.gui.settings_dialog import SettingsDialog
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
from desktop_reader.gui.window_jobs import delete_job
from desktop_reader.library import Highlighter, Library
from desktop_reader.models import ImportOutcome, ImportReport
from desktop_reader.progress import Progress
from desktop_reader.resources import samples_dir
from desktop_reader.settings import Settings

log = logging.getLogger(__name__)

WATCH_MS = 2000  # how often the window looks for writes by other processes
LIVE_REFRESH_MS = 800  # while an import runs, the list catches up at most this often


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
    """

    article_shown = Signal(int)
    results_updated = Signal(int)
    import_finished = Signal(object)
    job_done = Signal(str)

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
        self._outcomes: list[ImportOutcome] = []
        self._shown_id: int | None = None
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
        self.reading = ReadingController(self)
        self.curation = EntityCuration(
            self.entity_pane, library, self.reading.undo_stack, self.on_entities_curated, lambda: self.runner.busy
        )
        self._place_reading_panes()
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
        self.setObjectName("mainWindow")
        self.setWindowTitle("Desktop Reader")
        self.setAcceptDrops(True)
        self.resize(1400, 860)

        self.search_bar = SearchBar()
        self.search_bar.set_recent(self.settings.recent_queries)
        self.search_bar.set_sort(self.settings.sort)
        self.model = ArticleListModel(self)
        self.delegate = ArticleDelegate(self)
        self.list_view = QListView()
        self.list_view.setObjectName("articleList")
        self.list_view.setModel(self.model)
        self.list_view.setItemDelegate(self.delegate)
        self.list_view.setUniformItemSizes(True)  # O(1) layout: 100,000 rows scroll like 10
        self.list_view.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.list_view.setSelectionMode(QListView.SelectionMode.SingleSelection)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(0)
        left_layout.addWidget(self.search_bar)
        left_layout.addWidget(self.list_view, 1)

        self.reader = ReaderView()
        self.reader.set_font_size(self.settings.font_size)
        self.reader.set_entity_highlighting(self.settings.highlight_entities)
        self.entity_pane = EntityPane()

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.reader)
        self.splitter.addWidget(self.entity_pane)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([380, 720, 300])
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)

        self.progress = ProgressPanel()
        self.hit_label = QLabel()
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.hit_label)
        self.live_refresh = QTimer(self)
        self.live_refresh.setSingleShot(True)
        self.live_refresh.setInterval(LIVE_REFRESH_MS)

    def _place_reading_panes(self) -> None:
        """Tags and saved searches in a sidebar at the left; the tag line above the reader; highlights
        and the note as tabs beside the entities (Zotero's collections pane | items | item pane)."""
        r = self.reading
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.setSpacing(0)
        middle_layout.addWidget(r.tag_bar)
        middle_layout.addWidget(self.reader, 1)  # (re-parenting takes it out of the splitter)
        self.side_tabs = QTabWidget()
        self.side_tabs.setObjectName("sideTabs")
        self.side_tabs.setUsesScrollButtons(True)  # a narrow pane scrolls its tabs rather than widening
        self.side_tabs.addTab(self.entity_pane, "&Entities")
        self.side_tabs.addTab(r.highlights, "Hi&ghlights")
        self.side_tabs.addTab(r.note, "N&ote")
        self.splitter.insertWidget(1, middle)
        self.splitter.insertWidget(2, self.side_tabs)
        self.splitter.insertWidget(0, r.sidebar)
        self.splitter.setCollapsible(0, True)
        self.splitter.setStretchFactor(2, 1)
        self.splitter.setSizes([190, 360, 680, 300])
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list_view.setDragEnabled(True)
        self.list_view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.model.marks_of = self.library.marks

    def acknowledge_own_writes(self) -> None:
        """The window's own writes (user data) are not news from another process."""
        self._generation = self.library.generation()

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
        self.entity_pane.tree.clicked.connect(self.on_entity_clicked)
        self.entity_pane.tree.activated.connect(self.on_entity_activated)
        self.entity_pane.scope_changed.connect(self.on_entity_scope_changed)
        self.runner.started.connect(self.on_job_started)
        self.runner.progressed.connect(self.on_job_progressed)
        self.runner.finished.connect(self.on_job_finished)
        self.runner.failed.connect(self.on_job_failed)
        self.runner.ended.connect(self.job_done)
        self.progress.cancel_requested.connect(self.runner.cancel)
        self._watch.timeout.connect(self.on_library_watch)
        self.live_refresh.timeout.connect(self.on_live_refresh_due)
        self.article_shown.connect(self.reading.on_article_shown)
        self.job_done.connect(self.reading.on_job_done)

        a = self.actions
        a.import_files.triggered.connect(self.on_import_files_triggered)
        a.import_folder.triggered.connect(self.on_import_folder_triggered)
        a.open_original.triggered.connect(self.on_open_original_triggered)
        a.open_web_page.triggered.connect(self.on_open_web_page_triggered)
        a.copy_citation.triggered.connect(self.on_copy_citation_triggered)
        a.delete_article.triggered.connect(self.on_delete_triggered)
        a.rebuild_index.triggered.connect(self.on_rebuild_index_triggered)
        a.settings.triggered.connect(self.on_settings_triggered)
        a.quit.triggered.connect(self.close)
        a.find.triggered.connect(self.on_find_triggered)
        a.next_hit.triggered.connect(self.reader.next_hit)
        a.previous_hit.triggered.connect(self.reader.previous_hit)
        a.zoom_in.triggered.connect(self.on_zoom_in_triggered)
        a.zoom_out.triggered.connect(self.on_zoom_out_triggered)
        a.zoom_reset.triggered.connect(self.on_zoom_reset_triggered)
        a.highlight_entities.toggled.connect(self.on_highlight_entities_toggled)
        a.about.triggered.connect(self.on_about_triggered)

    def _restore(self) -> None:
        extra = window_state.restore(self, self.splitter)
        self.side_panes.set_widths({name: extra.get(f"{name}_width") for name in ("list", "entities", "sidebar")})
        if extra.get("entity_scope") == RESULTS:
            self.entity_pane.results_button.setChecked(True)

    # -- start-up --------------------------------------------------------------------------

    @Slot()
    def on_window_started(self) -> None:
        """Runs once the event loop turns, so the window is already painted."""
        try:
            problem = self.library.index_problem()
        except Exception as exc:  # a damaged index must not keep the window from opening
            problem = f"The search index could not be read ({exc})."
        if problem:
            self.statusBar().showMessage(f"{problem} Repairing it from the library…")
            self.runner.start(self.library.sync_index, "Repairing the search index", self.on_index_synced)
        if self._import_samples and self.library.count() == 0:
            samples = samples_dir()
            if samples.is_dir() and any(samples.iterdir()):
                self.reader.clear_article("Importing the sample articles…")
                entities = self.import_entities
                self.runner.start(
                    lambda: self.library.import_paths([samples], entities=entities, interactive=True),
                    "Importing the sample articles",
                    self.on_samples_imported,
                )
        self.refresh_results(select_first=True)
        self.reading.refresh_sidebar()

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
        row = self.model.row_of(self._shown_id) if self._shown_id is not None else -1
        if row >= 0:
            self._select_row(row)
        elif select_first and self.model.rowCount():
            self._select_row(0)
        elif not self.model.rowCount() and not self.runner.busy:
            self._show_nothing()  # not the article of the previous query
        self._highlighter = self.library.highlighter(query)
        self.reader.set_highlighter(self._highlighter)
        if self.entity_pane.scope_value == RESULTS:
            self._show_facets()
        self.results_updated.emit(source.total)

    def _show_count(self) -> None:
        searching = bool(self.search_bar.query or self.search_bar.filters)
        self.search_bar.set_count(count_text(self.model.total, searching, self._list_message))

    def _show_nothing(self, *, deleted: bool = False) -> None:
        """Empty the reader and the entity pane, saying why the list is empty and what to do."""
        self._shown_id = None
        bar = self.search_bar
        self.reader.clear_article(nothing_to_show(bar.query, len(bar.filters), self.library.count(), deleted))
        self.entity_pane.model.clear()

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
            self._save_settings()

    @Slot()
    def on_filters_changed(self) -> None:
        self.refresh_results(select_first=True)

    @Slot(str)
    def on_sort_changed(self, sort: str) -> None:
        self.settings = replace(self.settings, sort=sort)
        self._save_settings()
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
        if article_id is None or article_id == self._shown_id:
            return
        self.show_article(int(article_id))

    @Slot(QModelIndex)
    def on_article_activated(self, _index: QModelIndex) -> None:
        self.reader.setFocus()

    def show_article(self, article_id: int) -> None:
        try:
            article = self.library.article(article_id)
        except ReaderError as exc:
            self._shown_id = None
            self.reader.clear_article(str(exc))
            self.entity_pane.model.clear()
            self.reading.on_article_cleared()
            return
        self._shown_id = article_id
        self.reader.show_article(article, self._highlighter)
        self.setWindowTitle(article.title or "Desktop Reader")
        if self.entity_pane.scope_value == ARTICLE:
            self.entity_pane.model.set_entities(article.entities)
            self.entity_pane.show_model()
        self.article_shown.emit(article_id)

    # -- entities --------------------------------------------------------------------------

    def _show_facets(self) -> None:
        try:
            facets = self.library.facets(self.search_bar.query, filters=self.search_bar.filters, per_type=100)
        except ReaderError as exc:
            self.statusBar().showMessage(str(exc), 5000)
            facets = []
        self.entity_pane.model.set_facets(facets)
        self.entity_pane.show_model()

    def on_entities_curated(self) -> None:
        """A name was merged, renamed, retyped or ignored (or that undone): show it, let the index follow."""
        if self.entity_pane.scope_value == RESULTS:
            self._show_facets()
        if self._shown_id is not None:
            self.show_article(self._shown_id)  # its entities and their highlights
        if self.library.index_problem():
            self.runner.start(self.library.sync_index, "Updating the search index", self.on_index_synced)

    @Slot(str)
    def on_entity_scope_changed(self, scope: str) -> None:
        if scope == RESULTS:
            self._show_facets()
        elif self.reader.article is not None:
            self.entity_pane.model.set_entities(self.reader.article.entities)
            self.entity_pane.show_model()
        else:
            self.entity_pane.model.clear()

    @Slot(QModelIndex)
    def on_entity_clicked(self, index: QModelIndex) -> None:
        row = self.entity_pane.model.entity(index)
        article = self.reader.article
        if row is None or article is None:
            return
        mentions = row.mentions or next(
            (e.mentions for e in article.entities if (e.text, e.label) == (row.text, row.label)), ()
        )
        shown = self.reader.focus_mentions(mentions)
        self.statusBar().showMessage(f"{row.text}: {shown} mention{'' if shown == 1 else 's'} in this article", 4000)

    @Slot(QModelIndex)
    def on_entity_activated(self, index: QModelIndex) -> None:
        row = self.entity_pane.model.entity(index)
        if row is not None:
            self.search_bar.add_filter(*filter_for(row.label, row.text))

    @Slot(int, int)
    def on_hit_changed(self, current: int, total: int) -> None:
        self.hit_label.setText(f"Match {current} of {total}  (F3)" if total else "")

    # -- jobs ------------------------------------------------------------------------------

    def import_paths(self, sources: list[Path]) -> None:
        """Import files and folders in the background; the list fills as they arrive."""
        if not sources:
            return
        entities = self.import_entities
        self.runner.start(
            lambda: self.library.import_paths(sources, entities=entities, interactive=True),
            "Importing",
            self.on_import_done,
        )

    @Slot(str)
    def on_job_started(self, kind: str) -> None:
        self._outcomes = []
        self.progress.begin(kind)

    @Slot(object)
    def on_job_progressed(self, step: Progress) -> None:
        self.progress.update_step(step)
        if isinstance(step.payload, ImportOutcome):
            self._outcomes.append(step.payload)
            if step.payload.status == "imported" and not self.live_refresh.isActive():
                self.live_refresh.start()

    @Slot()
    def on_live_refresh_due(self) -> None:
        self.refresh_results(keep_loaded=True, select_first=self._shown_id is None)

    @Slot(object)
    def on_job_finished(self, result: object) -> None:
        """What every job's end needs; the job's own handler runs next (see JobRunner.start)."""
        self._generation = self.library.generation()  # our own writes are not news
        self.progress.end()
        self.live_refresh.stop()

    @Slot(object)
    def on_job_failed(self, exc: object) -> None:
        self.progress.end()
        self.live_refresh.stop()
        if isinstance(exc, BaseException):
            gui_errors.show_error(self, exc)
        self.refresh_results(keep_loaded=True)

    def _import_report(self, result: object) -> ImportReport:
        if isinstance(result, ImportReport):
            return result
        # Cancelled: the generator was closed, so the report is what arrived until then.
        return ImportReport(tuple(self._outcomes), cancelled=True)

    def on_import_done(self, result: object) -> None:
        report = self._import_report(result)
        self.refresh_results(keep_loaded=True, select_first=self._shown_id is None)
        self.statusBar().showMessage(summary(report), 10_000)
        ImportReportDialog(report, self).show()
        self.import_finished.emit(report)

    def on_samples_imported(self, result: object) -> None:
        report = self._import_report(result)
        self.refresh_results(keep_loaded=True, select_first=self._shown_id is None)
        self.statusBar().showMessage(summary(report), 10_000)
        if report.failed:
            ImportReportDialog(report, self).show()
        self.import_finished.emit(report)

    def on_index_synced(self, result: object) -> None:
        if isinstance(result, Cancelled):
            self.statusBar().showMessage("Cancelled; the search index is repaired at the next start.", 8000)
        else:
            self.statusBar().showMessage(f"The search index is up to date ({self.library.count():,} articles).", 8000)
        self.refresh_results(keep_loaded=True, select_first=self._shown_id is None)

    def on_delete_done(self, result: object) -> None:
        if isinstance(result, int):
            self._after_delete(result)
        else:
            self.statusBar().showMessage("Cancelled.", 5000)
            self.refresh_results(keep_loaded=True)

    def _after_delete(self, article_id: int) -> None:
        row = self.model.row_of(article_id)
        self.model.remove_id(article_id)
        self._show_count()  # the list's total went down with it
        if self._shown_id == article_id:
            self._shown_id = None
            self.reading.on_article_cleared()
            if self.model.rowCount():
                self.reader.clear_article("The article was deleted.")
                self.entity_pane.model.clear()
                self._select_row(min(max(row, 0), self.model.rowCount() - 1))
            else:
                self._show_nothing(deleted=True)
        self.statusBar().showMessage("Article deleted.", 5000)

    # -- actions ---------------------------------------------------------------------------

    @Slot()
    def on_import_files_triggered(self) -> None:
        self.import_paths(dialogs.choose_files(self))

    @Slot()
    def on_import_folder_triggered(self) -> None:
        self.import_paths(dialogs.choose_folder(self))

    @Slot()
    def on_open_original_triggered(self) -> None:
        if self.reader.article is not None and not self.reader.open_original():
            gui_errors.show_error(self, ReaderError("The stored original file of this article is missing."))

    @Slot()
    def on_open_web_page_triggered(self) -> None:
        article = self.reader.article
        if article is not None and article.url.lower().startswith(("http://", "https://")):
            open_url(QUrl(article.url))
        elif article is not None:
            self.statusBar().showMessage("This article has no web address.", 5000)

    @Slot()
    def on_copy_citation_triggered(self) -> None:
        if self.reader.article is not None:
            QGuiApplication.clipboard().setText(Library.citation(self.reader.article))
            self.statusBar().showMessage("Citation copied.", 4000)

    @Slot()
    def on_delete_triggered(self) -> None:
        article = self.reader.article
        if article is None:
            return
        question = f"Delete “{article.title or '(untitled)'}” and its stored original from the library?"
        if not dialogs.confirm(self, "Delete article", question):
            return
        library, article_id = self.library, article.id
        self.runner.start(lambda: delete_job(library, article_id), "Deleting", self.on_delete_done)

    @Slot()
    def on_rebuild_index_triggered(self) -> None:
        self.runner.start(self.library.reindex, "Rebuilding the search index", self.on_index_synced)

    @Slot()
    def on_settings_triggered(self) -> None:
        dialog = SettingsDialog(self.settings, self.library.data_dir, self)
        if dialog.exec():
            self.apply_settings(dialog.result_settings())

    def apply_settings(self, new: Settings) -> None:
        old, self.settings = self.settings, new
        app = QGuiApplication.instance()
        if new.theme != old.theme and app is not None:
            theme.apply_theme(app, new.theme)  # type: ignore[arg-type]
            self.delegate.clear_cache()  # the reader rebuilds itself on the palette change
        if new.font_size != old.font_size:
            self.reader.set_font_size(new.font_size)
        if new.entity_model != old.entity_model:
            self.statusBar().showMessage("The new entity model is used from the next start.", 8000)
        self._save_settings()

    def _zoom(self, change: Callable[[int], int]) -> None:
        size = max(6, min(48, change(self.settings.font_size)))
        self.apply_settings(replace(self.settings, font_size=size))
        self.statusBar().showMessage(f"Text size {size} pt", 2000)

    @Slot()
    def on_zoom_in_triggered(self) -> None:
        self._zoom(lambda s: s + 1)

    @Slot()
    def on_zoom_out_triggered(self) -> None:
        self._zoom(lambda s: s - 1)

    @Slot()
    def on_zoom_reset_triggered(self) -> None:
        self._zoom(lambda _s: Settings().font_size)

    @Slot(bool)
    def on_highlight_entities_toggled(self, on: bool) -> None:
        self.reader.set_entity_highlighting(on)
        self.settings = replace(self.settings, highlight_entities=on)
        self._save_settings()

    @Slot()
    def on_find_triggered(self) -> None:
        self.search_bar.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_bar.field.selectAll()

    @Slot()
    def on_about_triggered(self) -> None:
        QMessageBox.about(
            self,
            "About Desktop Reader",
            f"<b>Desktop Reader</b> {__version__}<br>Read, search and explore an offline archive of saved "
            f"articles.<br><br>Library: {self.library.data_dir}",
        )

    def _save_settings(self) -> None:
        try:
            settings_mod.save(self.settings)
        except OSError as exc:
            self.statusBar().showMessage(f"Settings could not be saved: {exc}", 8000)

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
        window_state.save(
            self,
            self.splitter,
            {
                "entity_scope": self.entity_pane.scope_value,
                **{f"{name}_width": self.side_panes.wanted(name) for name in ("list", "entities", "sidebar")},
            },
        )
        self._save_settings()
        self.reading.note.flush()  # a note typed just before closing is kept
        # Committed articles stay; the running job stops at its next step.
        self.runner.shutdown()
        super().closeEvent(event)
