"""EntityCuration: the entity pane's context menu (merge, rename, retype, ignore, alias) and its undo."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, Qt, Slot
from PySide6.QtGui import QAction, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QInputDialog, QMenu, QWidget

from desktop_reader.errors import ReaderError
from desktop_reader.gui import errors
from desktop_reader.gui.entity_model import EntityRow

if TYPE_CHECKING:
    from desktop_reader.gui.entity_pane import EntityPane
    from desktop_reader.library import Library

# What "Retype as" offers: (menu text, spaCy label).
TYPES = (
    ("Person", "PERSON"),
    ("Organisation", "ORG"),
    ("Place", "GPE"),
    ("Date", "DATE"),
    ("Group or nationality", "NORP"),
    ("Event", "EVENT"),
    ("Product", "PRODUCT"),
    ("Work of art", "WORK_OF_ART"),
    ("Law", "LAW"),
)

Ask = Callable[[QWidget, str, str, str], str | None]


def ask_text(parent: QWidget, title: str, label: str, value: str) -> str | None:
    """A one-line question; None when cancelled (tests replace EntityCuration.ask)."""
    text, ok = QInputDialog.getText(parent, title, label, text=value)
    return " ".join(text.split()) if ok and text.strip() else None


class _Curation(QUndoCommand):
    """One curation action, already applied when pushed; undo takes the library's last one back."""

    def __init__(
        self, text: str, library: Library, action: Callable[[], object], done: Callable[[], None], steps: int = 1
    ) -> None:
        super().__init__(text)
        self._library, self._action, self._done = library, action, done
        self._steps = steps  # the library's undo steps the action made (a retype of 3 names: 3)
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._action()
        self._done()

    def undo(self) -> None:
        for _ in range(self._steps):
            self._library.undo_curation()
        self._done()


class EntityCuration(QObject):
    """Right-click curation of the names in the entity pane, with each action on the undo stack.

    `changed` runs after every action, undo and redo: the window refreshes the pane and lets the
    index catch up in the background.
    """

    def __init__(
        self,
        pane: EntityPane,
        library: Library,
        undo_stack: QUndoStack,
        changed: Callable[[], None],
        busy: Callable[[], bool] = lambda: False,
    ) -> None:
        super().__init__(pane)
        self.pane, self.library, self.undo_stack, self.changed = pane, library, undo_stack, changed
        self.busy = busy  # a job holds the library's write lock: a rule would wait for it on the GUI thread
        self.ask: Ask = ask_text
        pane.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        pane.tree.customContextMenuRequested.connect(self.on_context_menu_requested)

    @Slot(QPoint)
    def on_context_menu_requested(self, pos: QPoint) -> None:
        menu = self.menu()
        if menu is not None:
            menu.exec(self.pane.tree.viewport().mapToGlobal(pos))

    def menu(self) -> QMenu | None:
        """The menu for the selected names (None when no name is selected)."""
        rows = self.pane.selected_rows()
        if not rows:
            return None
        menu = QMenu(self.pane)
        first = rows[0].text
        if len(rows) > 1:
            self._add(menu, f"&Merge {len(rows)} Names…", lambda: self.merge(rows))
        else:
            self._add(menu, f"&Rename “{first}”…", lambda: self.rename(rows[0]))
            self._add(menu, "&Alias of Another Name…", lambda: self.alias(rows[0]))
        retype = menu.addMenu("Retype &As")
        for text, label in TYPES:
            action = self._add(retype, text, lambda label=label: self.retype(rows, label))
            action.setEnabled(any(r.label != label for r in rows))
        menu.addSeparator()
        what = f"“{first}”" if len(rows) == 1 else f"{len(rows)} Names"
        self._add(menu, f"&Ignore {what}", lambda: self.ignore(rows))
        return menu

    @staticmethod
    def _add(menu: QMenu, text: str, slot: Callable[[], None]) -> QAction:
        action = menu.addAction(text)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    # -- the actions ---------------------------------------------------------------------

    def merge(self, rows: list[EntityRow]) -> None:
        # The most widespread name is the likeliest to be the one to keep.
        best = max(rows, key=lambda r: r.count).text
        into = self.ask(self.pane, "Merge Names", f"Merge {len(rows)} names into:", best)
        if into:
            names = [r.text for r in rows]
            self._do(f"Merge into {into}", lambda: self.library.merge_entities(names, into))

    def rename(self, row: EntityRow) -> None:
        new = self.ask(self.pane, "Rename", f"New name for “{row.text}”:", row.text)
        if new and new != row.text:
            self._do(f"Rename {row.text}", lambda: self.library.rename_entity(row.text, new))

    def alias(self, row: EntityRow) -> None:
        existing = self.ask(self.pane, "Alias", f"“{row.text}” always counts as:", "")
        if existing:
            self._do(f"Alias {row.text}", lambda: self.library.alias_entity(row.text, existing))

    def retype(self, rows: list[EntityRow], label: str) -> None:
        names = [r.text for r in rows]

        def apply() -> None:
            for name in names:
                self.library.retype_entity(name, label)

        # One undo step per retyped name in the library; the window's step undoes them all.
        self._do(f"Retype as {label}", apply, steps=len(names))

    def ignore(self, rows: list[EntityRow]) -> None:
        names = [r.text for r in rows]
        text = f"Ignore {names[0]}" if len(names) == 1 else "Ignore Names"
        self._do(text, lambda: self.library.ignore_entities(names))

    def _do(self, text: str, action: Callable[[], object], steps: int = 1) -> None:
        if self.busy():
            errors.show_error(self.pane, ReaderError("Wait for the running job to finish, then try again."))
            return
        try:
            action()
        except ReaderError as exc:
            errors.show_error(self.pane, exc)
            return
        self.undo_stack.push(_Curation(text, self.library, action, self.changed, steps))
        self.changed()
