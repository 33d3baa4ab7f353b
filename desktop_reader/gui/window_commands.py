"""WindowCommands: what the File, Article, View and Help menus' actions do (window_actions makes them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

from desktop_reader import __version__
from desktop_reader import settings as settings_mod
from desktop_reader.errors import ReaderError
from desktop_reader.gui import dialogs, theme
from desktop_reader.gui import errors as gui_errors
from desktop_reader.gui.reader_view import open_url
from desktop_reader.gui.settings_dialog import SettingsDialog
from desktop_reader.library import Library
from desktop_reader.settings import Settings

if TYPE_CHECKING:
    from desktop_reader.gui.main_window import MainWindow


class WindowCommands(QObject):
    """The menu commands' slots, and the settings they change (saved at once)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def _status(self, text: str, ms: int) -> None:
        self.window.statusBar().showMessage(text, ms)

    # -- File and Article ------------------------------------------------------------------

    @Slot()
    def on_import_files_triggered(self) -> None:
        self.window.import_paths(dialogs.choose_files(self.window))

    @Slot()
    def on_import_folder_triggered(self) -> None:
        self.window.import_paths(dialogs.choose_folder(self.window))

    @Slot()
    def on_open_original_triggered(self) -> None:
        reader = self.window.reader
        if reader.article is not None and not reader.open_original():
            gui_errors.show_error(self.window, ReaderError("The stored original file of this article is missing."))

    @Slot()
    def on_open_web_page_triggered(self) -> None:
        article = self.window.reader.article
        if article is not None and article.url.lower().startswith(("http://", "https://")):
            open_url(QUrl(article.url))
        elif article is not None:
            self._status("This article has no web address.", 5000)

    @Slot()
    def on_copy_citation_triggered(self) -> None:
        article = self.window.reader.article
        if article is not None:
            QGuiApplication.clipboard().setText(Library.citation(article))
            self._status("Citation copied.", 4000)

    @Slot()
    def on_delete_triggered(self) -> None:
        article = self.window.reader.article
        if article is None:
            return
        question = f"Delete “{article.title or '(untitled)'}” and its stored original from the library?"
        if dialogs.confirm(self.window, "Delete article", question):
            self.window.jobs.delete_article(article.id)

    @Slot()
    def on_rebuild_index_triggered(self) -> None:
        self.window.jobs.rebuild_index()

    @Slot()
    def on_settings_triggered(self) -> None:
        dialog = SettingsDialog(self.window.settings, self.window.library.data_dir, self.window)
        if dialog.exec():
            self.apply_settings(dialog.result_settings())

    # -- settings --------------------------------------------------------------------------

    def apply_settings(self, new: Settings) -> None:
        window = self.window
        old, window.settings = window.settings, new
        app = QGuiApplication.instance()
        if new.theme != old.theme and app is not None:
            theme.apply_theme(app, new.theme)  # type: ignore[arg-type]
            window.delegate.clear_cache()  # the reader rebuilds itself on the palette change
        if new.font_size != old.font_size:
            window.reader.set_font_size(new.font_size)
        if new.entity_model != old.entity_model:
            self._status("The new entity model is used from the next start.", 8000)
        self.save_settings()

    def save_settings(self) -> None:
        try:
            settings_mod.save(self.window.settings)
        except OSError as exc:
            self._status(f"Settings could not be saved: {exc}", 8000)

    # -- View and Help ---------------------------------------------------------------------

    def _zoom(self, change: Callable[[int], int]) -> None:
        size = max(6, min(48, change(self.window.settings.font_size)))
        self.apply_settings(replace(self.window.settings, font_size=size))
        self._status(f"Text size {size} pt", 2000)

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
        self.window.reader.set_entity_highlighting(on)
        self.window.settings = replace(self.window.settings, highlight_entities=on)
        self.save_settings()

    @Slot()
    def on_find_triggered(self) -> None:
        field = self.window.search_bar.field
        field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        field.selectAll()

    @Slot()
    def on_about_triggered(self) -> None:
        QMessageBox.about(
            self.window,
            "About Desktop Reader",
            f"<b>Desktop Reader</b> {__version__}<br>Read, search and explore an offline archive of saved "
            f"articles.<br><br>Library: {self.window.library.data_dir}",
        )
