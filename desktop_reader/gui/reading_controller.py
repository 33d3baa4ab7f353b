"""ReadingController: the reading layer in the window (sidebar, highlights and note tabs, tag line, read state, undo).

User-data writes (a tag, a highlight, a note, read state) are single-row SQLite transactions of a
few milliseconds that touch neither the index nor the library's write lock, so they run here on
the GUI thread instead of queueing on the JobRunner behind an import that may take minutes; the
store's per-thread connection keeps them apart from the writer thread's.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QPoint, QTimer, Slot
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMenu

from desktop_reader.errors import ReaderError
from desktop_reader.gui import dialogs
from desktop_reader.gui import errors as gui_errors
from desktop_reader.gui.highlights_pane import HighlightsPane
from desktop_reader.gui.library_sidebar import LibrarySidebar, tag_query
from desktop_reader.gui.note_editor import NoteEditor
from desktop_reader.gui.reading_undo import (
    HighlightAdded,
    HighlightDeleted,
    NoteChanged,
    TagChange,
    TagRenamed,
    TagsMerged,
)
from desktop_reader.gui.tag_editor import ArticleTagBar, TagDialog
from desktop_reader.models import HIGHLIGHT_COLORS, Highlight, ReadingMarks

if TYPE_CHECKING:
    from desktop_reader.gui.main_window import MainWindow

log = logging.getLogger(__name__)

USER_FIELDS = ("tag:", "is:", "has:", "note:")
EXPORT_FILTERS = {
    "Markdown (*.md)": "md",
    "CSV, one row per article (*.csv)": "csv",
    "BibTeX (*.bib)": "bibtex",
    "RIS (*.ris)": "ris",
    "CSL-JSON (*.json)": "csljson",
}
_BY_SUFFIX = {name.split("(*")[1].rstrip(")"): fmt for name, fmt in EXPORT_FILTERS.items()}


def export_format(path: str, chosen: str) -> str:
    """The format a typed suffix names ("refs.bib" is BibTeX whichever file type is shown), else the chosen type's."""
    return _BY_SUFFIX.get(Path(path).suffix.lower(), EXPORT_FILTERS.get(chosen, "md"))


class ReadingController(QObject):
    """Owns the reading layer's widgets and actions; MainWindow places the widgets and wires the events."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.library = window.library
        self.sidebar = LibrarySidebar()
        self.highlights = HighlightsPane()
        self.note = NoteEditor()
        self.tag_bar = ArticleTagBar()
        self.tag_bar.set_tags(None)
        self.undo_stack = QUndoStack(self)
        self.read_timer = QTimer(self)
        self.read_timer.setSingleShot(True)
        self.article_id: int | None = None
        self.actions = self._create_actions()
        self._connect()

    # -- construction ----------------------------------------------------------------------

    def _action(self, text: str, shortcut: str | QKeySequence.StandardKey | None, slot, tip: str = "") -> QAction:  # type: ignore[no-untyped-def]
        action = QAction(text, self.window)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        # triggered(bool) would land in the slot's first parameter (a colour, say): call it bare.
        action.triggered.connect(lambda _checked=False: slot())
        self.window.addAction(action)
        return action

    def _create_actions(self) -> dict[str, QAction]:
        a = {
            "undo": self.undo_stack.createUndoAction(self.window, "&Undo"),
            "redo": self.undo_stack.createRedoAction(self.window, "&Redo"),
            "tags": self._action("&Tags…", "Ctrl+T", self.edit_tags, "Tag the selected articles"),
            "toggle_read": self._action("Mark &Read / Unread", "Ctrl+Shift+M", self.toggle_read),
            "highlight": self._action("&Highlight Selection", "Ctrl+Shift+H", self.highlight_selection),
            "highlight_note": self._action("Highlight with &Note…", "Ctrl+Shift+N", self.highlight_with_note),
            "save_search": self._action("&Save Search…", "Ctrl+Shift+S", self.save_current_search),
            "export": self._action("&Export Results…", "Ctrl+Shift+E", self.export_results),
            "sidebar": self._action("Show &Sidebar", "Ctrl+Shift+L", lambda: None),
        }
        a["sidebar"].toggled.connect(self.on_sidebar_toggled)
        a["undo"].setShortcut(QKeySequence.StandardKey.Undo)
        a["redo"].setShortcut(QKeySequence.StandardKey.Redo)
        for key in ("undo", "redo"):
            self.window.addAction(a[key])
        a["sidebar"].setCheckable(True)
        a["sidebar"].setChecked(True)
        bar = self.window.menuBar()
        edit = QMenu("&Edit", bar)
        for key in ("undo", "redo"):
            edit.addAction(a[key])
        menus = bar.actions()
        bar.insertMenu(menus[1] if len(menus) > 1 else None, edit)  # Edit after File, as everywhere
        article = next((m.menu() for m in menus if m.text() == "&Article"), None)
        if article is not None:
            article.addSeparator()
            for key in ("tags", "toggle_read", "highlight", "highlight_note"):
                article.addAction(a[key])
        file = next((m.menu() for m in menus if m.text() == "&File"), None)
        if file is not None:
            first = file.actions()[0] if file.actions() else None
            file.insertAction(first, a["export"])
            file.insertAction(a["export"], a["save_search"])
            file.insertSeparator(first)
        view = next((m.menu() for m in menus if m.text() == "&View"), None)
        if view is not None:
            view.addSeparator()
            view.addAction(a["sidebar"])
        return a

    def _connect(self) -> None:
        s = self.sidebar
        s.query_chosen.connect(self.on_sidebar_query_chosen)
        s.saved_search_chosen.connect(self.open_saved_search)
        s.articles_dropped_on_tag.connect(self.on_articles_dropped_on_tag)
        s.rename_tag_requested.connect(self.rename_tag)
        s.delete_tag_requested.connect(self.delete_tag)
        s.delete_saved_requested.connect(self.delete_saved_search)
        s.export_requested.connect(self.on_sidebar_export_requested)
        self.highlights.highlight_activated.connect(self.on_highlight_activated)
        self.highlights.delete_requested.connect(self.delete_highlight)
        self.highlights.note_edit_requested.connect(self.edit_highlight_note)
        self.highlights.color_change_requested.connect(self.on_highlight_color_changed)
        self.note.note_edited.connect(self.on_note_edited)
        self.tag_bar.edit_requested.connect(self.edit_tags)
        self.read_timer.timeout.connect(self.on_read_timer_timeout)
        reader = self.window.reader
        reader.setContextMenuPolicy(reader.contextMenuPolicy().CustomContextMenu)
        reader.customContextMenuRequested.connect(self.on_reader_context_menu)

    # -- refreshing ------------------------------------------------------------------------

    def refresh_sidebar(self) -> None:
        try:
            self.sidebar.set_counts(self.library.count(), self.library.unread_count())
            self.sidebar.set_saved_searches(self.library.saved_searches())
            self.sidebar.set_tags(self.library.all_tags())
        except ReaderError as exc:  # e.g. an index being rebuilt: counts come back with the next refresh
            log.info("Sidebar not refreshed: %s", exc)

    def on_library_changed_elsewhere(self) -> None:
        """Tags, notes or highlights may have been changed from the command line."""
        self.refresh_sidebar()
        self._show_current()
        if self.article_id is not None and not self.note.editor.hasFocus():
            self.note.show_saved(self.article_id, self.library.note(self.article_id))

    @Slot(str)
    def on_job_done(self, _kind: str) -> None:
        self.refresh_sidebar()  # imports, deletes and rebuilds change the counts

    def _changed(self, ids: list[int] | None = None) -> None:
        """After any write: the window ignores its own writes, lists and panes catch up."""
        self.window.acknowledge_own_writes()
        if any(f in self.window.search_bar.query for f in USER_FIELDS):
            self.window.refresh_results(keep_loaded=True)
        else:
            self.window.model.refresh_marks(ids)
        self.refresh_sidebar()
        self._show_current()

    def _show_current(self) -> None:
        article_id = self.article_id
        if article_id is None:
            self.highlights.set_highlights([])
            self.window.reader.set_user_highlights([])
            self.tag_bar.set_tags(None)
            return
        try:
            placed = self.library.highlights(article_id)
            marks = self.library.marks([article_id]).get(article_id, ReadingMarks())
        except ReaderError:
            return
        self.highlights.set_highlights(placed)
        self.window.reader.set_user_highlights(placed)
        self.tag_bar.set_tags(marks.tags, marks.read)

    def _guard(self, work, *args) -> Any:  # type: ignore[no-untyped-def]
        try:
            return work(*args)
        except ReaderError as exc:
            gui_errors.show_error(self.window, exc)
        return None

    # -- the shown article -----------------------------------------------------------------

    @Slot(int)
    def on_article_shown(self, article_id: int) -> None:
        self.article_id = article_id
        self.note.set_note(article_id, self.library.note(article_id))
        self._show_current()
        seconds = self.window.settings.mark_read_seconds
        self.read_timer.stop()
        if seconds > 0 and not self.library.is_read(article_id):
            self.read_timer.start(seconds * 1000)

    def on_article_cleared(self) -> None:
        self.article_id = None
        self.read_timer.stop()
        self.note.set_note(None, "")
        self._show_current()

    @Slot()
    def on_read_timer_timeout(self) -> None:
        if self.article_id is not None and self.library.mark_read([self.article_id]):
            self._changed([self.article_id])

    def _chosen_ids(self) -> list[int]:
        """The selected articles of the list, else the one in the reader."""
        ids = self.window.model.selected_ids(self.window.list_view.selectionModel().selectedIndexes())
        if not ids and self.article_id is not None:
            ids = [self.article_id]
        return ids

    @Slot()
    def toggle_read(self) -> None:
        ids = self._chosen_ids()
        if not ids:
            return
        marks = self.library.marks(ids)
        read = not all(marks.get(i, ReadingMarks()).read for i in ids)
        self.read_timer.stop()  # a manual "unread" must not be undone by the timer
        self.library.mark_read(ids, read)
        self.window.statusBar().showMessage(f"Marked {len(ids)} article{'s' if len(ids) > 1 else ''} "
                                            f"{'read' if read else 'unread'}.", 3000)  # fmt: skip
        self._changed(ids)

    # -- tags --------------------------------------------------------------------------------

    @Slot()
    def edit_tags(self) -> None:
        ids = self._chosen_ids()
        if not ids:
            return
        marks = self.library.marks(ids)
        sets = [set(marks.get(i, ReadingMarks()).tags) for i in ids]
        common = sorted(set.intersection(*sets), key=str.lower) if sets else []
        known = [t.name for t in self.library.all_tags()]
        dialog = TagDialog(common, known, len(ids), self.window)
        if not dialog.exec():
            return
        add, remove = dialog.changes()
        added = self._guard(self.library.add_tags, ids, add) if add else []
        removed = self._guard(self.library.remove_tags, ids, remove) if remove else []
        self._push_tags(added or [], removed or [], ids)

    @Slot(list, str)
    def on_articles_dropped_on_tag(self, ids: list[int], tag: str) -> None:
        added = self._guard(self.library.add_tags, ids, [tag]) or []
        self.window.statusBar().showMessage(f"Tagged {len(ids)} article{'s' if len(ids) > 1 else ''} “{tag}”.", 4000)
        self._push_tags(added, [], ids)

    def _push_tags(self, added: list[tuple[int, str]], removed: list[tuple[int, str]], ids: list[int]) -> None:
        if added or removed:
            self.undo_stack.push(TagChange(self.library, added, removed, lambda: self._changed(ids)))
        self._changed(ids)

    @Slot(str)
    def rename_tag(self, name: str) -> None:
        new, ok = QInputDialog.getText(
            self.window, "Rename Tag", "New name (an existing tag's name merges the two):", text=name
        )
        new = new.strip()
        if not ok or not new or new == name:
            return
        merging = new.lower() != name.lower()
        target = next((t.name for t in self.library.all_tags() if merging and t.name.lower() == new.lower()), None)
        try:
            # Who carries which tag before a merge is what its undo needs to split them again.
            before = [self.library.matching_ids(tag_query(n)) for n in (name, target)] if target else []
            self.library.rename_tag(name, new)
        except ReaderError as exc:
            gui_errors.show_error(self.window, exc)
            return
        if target:
            self.undo_stack.push(TagsMerged(self.library, name, target, *before, self._changed))
        else:
            self.undo_stack.push(TagRenamed(self.library, name, new, self._changed))
        self._changed()

    @Slot(str)
    def delete_tag(self, name: str) -> None:
        if dialogs.confirm(self.window, "Delete tag", f"Remove the tag “{name}” from every article?"):
            ids = self._guard(self.library.matching_ids, tag_query(name)) or []
            self._guard(self.library.delete_tag, name)
            self._push_tags([], [(i, name) for i in ids], ids)

    # -- highlights --------------------------------------------------------------------------

    @Slot()
    def highlight_selection(self, color: str = "yellow", note: str = "") -> Highlight | None:
        span = self.window.reader.selected_text_range()
        if self.article_id is None or span is None:
            self.window.statusBar().showMessage("Select some text of the article to highlight it.", 4000)
            return None
        made = self._guard(lambda: self.library.add_highlight(
            self.article_id, start=span[0], end=span[1], color=color, note=note))  # fmt: skip
        if isinstance(made, Highlight):
            ids = [self.article_id]
            self.undo_stack.push(HighlightAdded(self.library, made.id, lambda: self._changed(ids)))
        cursor = self.window.reader.textCursor()
        cursor.clearSelection()  # so the new highlight shows at once
        self.window.reader.setTextCursor(cursor)
        self._changed([self.article_id])
        return made if isinstance(made, Highlight) else None

    @Slot()
    def highlight_with_note(self, color: str = "yellow") -> None:
        if self.window.reader.selected_text_range() is None:
            self.highlight_selection()
            return
        note, ok = QInputDialog.getMultiLineText(self.window, "Highlight with Note", "Note:")
        if ok:
            self.highlight_selection(color, note)

    @Slot(QPoint)
    def on_reader_context_menu(self, pos: QPoint) -> None:
        reader = self.window.reader
        menu = reader.createStandardContextMenu(pos)
        if reader.selected_text_range() is not None:
            menu.addSeparator()
            colours = menu.addMenu("Highlight")
            for name in HIGHLIGHT_COLORS:
                colours.addAction(name.capitalize()).triggered.connect(
                    lambda _=False, n=name: self.highlight_selection(n)
                )
            menu.addAction("Highlight with Note…").triggered.connect(lambda: self.highlight_with_note())
        menu.exec(reader.viewport().mapToGlobal(pos))
        menu.deleteLater()

    @Slot(object)
    def on_highlight_activated(self, h: Highlight) -> None:
        if h.orphaned:
            self.window.statusBar().showMessage("This passage is no longer in the article's text.", 4000)
        elif h.start is not None and h.end is not None:
            self.window.reader.reveal_text(h.start, h.end)

    @Slot(int)
    def delete_highlight(self, highlight_id: int) -> None:
        stored = self._guard(self.library.delete_highlight, highlight_id)
        if stored is not None:
            ids = [self.article_id] if self.article_id is not None else None
            self.undo_stack.push(HighlightDeleted(self.library, stored, lambda: self._changed(ids)))
            self.window.statusBar().showMessage("Highlight deleted (Ctrl+Z brings it back).", 4000)
        self._changed([self.article_id] if self.article_id is not None else None)

    @Slot(int)
    def edit_highlight_note(self, highlight_id: int) -> None:
        current = next((h for h in self.highlights.highlights if h.id == highlight_id), None)
        note, ok = QInputDialog.getMultiLineText(
            self.window, "Highlight Note", "Note:", current.note if current else ""
        )
        if ok:
            self._guard(lambda: self.library.update_highlight(highlight_id, note=note))
            self._changed([self.article_id] if self.article_id is not None else None)

    @Slot(int, str)
    def on_highlight_color_changed(self, highlight_id: int, color: str) -> None:
        self._guard(lambda: self.library.update_highlight(highlight_id, color=color))
        self._show_current()

    # -- notes -------------------------------------------------------------------------------

    @Slot(int, str)
    def on_note_edited(self, article_id: int, text: str) -> None:
        old = self._guard(self.library.set_note, article_id, text)
        if old is None:
            return

        def done() -> None:
            if self.article_id == article_id:
                self.note.show_saved(article_id, self.library.note(article_id))
            self._changed([article_id])

        self.undo_stack.push(NoteChanged(self.library, article_id, str(old), text, done))
        self.window.acknowledge_own_writes()
        self.window.model.refresh_marks([article_id])
        if "has:note" in self.window.search_bar.query or "note:" in self.window.search_bar.query:
            self.window.refresh_results(keep_loaded=True)

    # -- saved searches and export -------------------------------------------------------------

    @Slot(str)
    def on_sidebar_query_chosen(self, query: str) -> None:
        self.window.run_query(query)

    @Slot()
    def save_current_search(self) -> None:
        bar = self.window.search_bar
        if not bar.query and not bar.filters:
            self.window.statusBar().showMessage("Type a search first, then save it.", 4000)
            return
        name, ok = QInputDialog.getText(self.window, "Save Search", "Name:", text=bar.query[:40])
        if ok and name.strip():
            self._guard(lambda: self.library.save_search(name.strip(), bar.query, filters=bar.filters,
                                                         sort=bar.sort_value))  # fmt: skip
            self.window.acknowledge_own_writes()
            self.refresh_sidebar()

    @Slot(str)
    def open_saved_search(self, name: str) -> None:
        saved = self._guard(self.library.open_saved_search, name)
        if saved is not None:
            self.window.acknowledge_own_writes()  # what was seen is written: not news from elsewhere
            self.window.run_query(saved.query, saved.filters, saved.sort)
            self.refresh_sidebar()

    @Slot(str)
    def delete_saved_search(self, name: str) -> None:
        if dialogs.confirm(self.window, "Delete saved search", f"Delete the saved search “{name}”?"):
            self._guard(self.library.delete_saved_search, name)
            self.window.acknowledge_own_writes()
            self.refresh_sidebar()

    @Slot()
    def export_results(self) -> None:
        bar = self.window.search_bar
        self.export(bar.query, bar.filters, bar.sort_value, bar.query or "All articles")

    @Slot(str, str)
    def on_sidebar_export_requested(self, kind: str, name: str) -> None:
        if kind == "tag":
            self.export(tag_query(name), (), "date", f"Tag: {name}")
        else:
            saved = self._guard(self.library.saved_search, name)
            if saved is not None:
                self.export(saved.query, saved.filters, saved.sort, name)

    def export(self, query: str, filters: tuple[tuple[str, str], ...], sort: str, title: str) -> None:
        """Ask where to, then write every article `query` finds in the format the file type names."""
        path, chosen = QFileDialog.getSaveFileName(
            self.window, f"Export “{title}”", str(Path.home() / "export.md"), ";;".join(EXPORT_FILTERS)
        )
        if not path:
            return
        fmt = export_format(path, chosen)
        try:
            text, count = self.library.export(query, fmt, filters=filters, sort=sort, title=title)
            Path(path).write_text(text, encoding="utf-8")
        except (ReaderError, OSError) as exc:
            gui_errors.show_error(self.window, exc if isinstance(exc, ReaderError) else ReaderError(str(exc)))
            return
        self.window.statusBar().showMessage(f"Exported {count} article{'' if count == 1 else 's'} to {path}.", 8000)

    @Slot(bool)
    def on_sidebar_toggled(self, on: bool) -> None:
        self.sidebar.setVisible(on)
