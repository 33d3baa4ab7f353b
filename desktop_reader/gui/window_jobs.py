"""WindowJobs: the window's background jobs, their progress, and what each one's end shows.

Every write (imports, deletes, index repairs) runs on the JobRunner thread; each job carries its
own completion handler here, so a new job adds a method, never a branch in a central dispatch.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Slot

from desktop_reader.gui import errors as gui_errors
from desktop_reader.gui.import_report import ImportReportDialog, summary
from desktop_reader.gui.jobs import Cancelled
from desktop_reader.library import Library
from desktop_reader.models import ImportOutcome, ImportReport
from desktop_reader.progress import Job, Progress
from desktop_reader.resources import samples_dir

if TYPE_CHECKING:
    from desktop_reader.gui.main_window import MainWindow

LIVE_REFRESH_MS = 800  # while an import runs, the list catches up at most this often


def delete_job(library: Library, article_id: int) -> Job[int]:
    """Delete one article on the writer thread (every write goes through the JobRunner)."""
    yield Progress(0, 1, "")
    library.delete(article_id)
    yield Progress(1, 1, "")
    return article_id


class WindowJobs(QObject):
    """Starts the window's jobs on its runner and shows their progress and their end."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.library = window.library
        self.runner = window.runner
        self._outcomes: list[ImportOutcome] = []
        self.live_refresh = QTimer(self)
        self.live_refresh.setSingleShot(True)
        self.live_refresh.setInterval(LIVE_REFRESH_MS)

    # -- starting jobs ---------------------------------------------------------------------

    def import_paths(self, sources: list[Path]) -> None:
        """Import files and folders in the background; the list fills as they arrive."""
        if not sources:
            return
        library, entities = self.library, self.window.import_entities
        self.runner.start(
            lambda: library.import_paths(sources, entities=entities, interactive=True),
            "Importing",
            self.on_import_done,
        )

    def import_samples(self) -> bool:
        """Import the bundled sample articles; False when there are none to import."""
        samples = samples_dir()
        if not (samples.is_dir() and any(samples.iterdir())):
            return False
        library, entities = self.library, self.window.import_entities
        self.runner.start(
            lambda: library.import_paths([samples], entities=entities, interactive=True),
            "Importing the sample articles",
            self.on_samples_imported,
        )
        return True

    def sync_index(self, title: str) -> None:
        """Bring the search index up to date with the library (a repair, or catching up on curation)."""
        self.runner.start(self.library.sync_index, title, self.on_index_synced)

    def rebuild_index(self) -> None:
        self.runner.start(self.library.reindex, "Rebuilding the search index", self.on_index_synced)

    def delete_article(self, article_id: int) -> None:
        library = self.library
        self.runner.start(lambda: delete_job(library, article_id), "Deleting", self.on_delete_done)

    # -- every job -------------------------------------------------------------------------

    @Slot(str)
    def on_job_started(self, kind: str) -> None:
        self._outcomes = []
        self.window.progress.begin(kind)

    @Slot(object)
    def on_job_progressed(self, step: Progress) -> None:
        self.window.progress.update_step(step)
        if isinstance(step.payload, ImportOutcome):
            self._outcomes.append(step.payload)
            if step.payload.status == "imported" and not self.live_refresh.isActive():
                self.live_refresh.start()

    @Slot()
    def on_live_refresh_due(self) -> None:
        self.window.refresh_results(keep_loaded=True, select_first=self.window.shown_id is None)

    @Slot(object)
    def on_job_finished(self, _result: object) -> None:
        """What every job's end needs; the job's own handler runs next (see JobRunner.start)."""
        self.window.acknowledge_own_writes()
        self.window.progress.end()
        self.live_refresh.stop()

    @Slot(object)
    def on_job_failed(self, exc: object) -> None:
        self.window.progress.end()
        self.live_refresh.stop()
        if isinstance(exc, BaseException):
            gui_errors.show_error(self.window, exc)
        self.window.refresh_results(keep_loaded=True)

    # -- each job's own end ----------------------------------------------------------------

    def _import_report(self, result: object) -> ImportReport:
        if isinstance(result, ImportReport):
            return result
        # Cancelled: the generator was closed, so the report is what arrived until then.
        return ImportReport(tuple(self._outcomes), cancelled=True)

    def on_import_done(self, result: object) -> None:
        self._show_import(self._import_report(result), always=True)

    def on_samples_imported(self, result: object) -> None:
        self._show_import(self._import_report(result), always=False)

    def _show_import(self, report: ImportReport, *, always: bool) -> None:
        """The summary in the status bar; the report's dialog always, or only when a file failed."""
        window = self.window
        window.refresh_results(keep_loaded=True, select_first=window.shown_id is None)
        window.statusBar().showMessage(summary(report), 10_000)
        if always or report.failed:
            ImportReportDialog(report, window).show()
        window.import_finished.emit(report)

    def on_index_synced(self, result: object) -> None:
        window = self.window
        if isinstance(result, Cancelled):
            window.statusBar().showMessage("Cancelled; the search index is repaired at the next start.", 8000)
        else:
            window.statusBar().showMessage(f"The search index is up to date ({self.library.count():,} articles).", 8000)
        window.refresh_results(keep_loaded=True, select_first=window.shown_id is None)

    def on_delete_done(self, result: object) -> None:
        if isinstance(result, int):
            self.window.remove_article(result)
            self.window.statusBar().showMessage("Article deleted.", 5000)
        else:
            self.window.statusBar().showMessage("Cancelled.", 5000)
            self.window.refresh_results(keep_loaded=True)
