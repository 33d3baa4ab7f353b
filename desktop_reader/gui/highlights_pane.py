"""HighlightsPane: the article's highlights beside the reader, in reading order, orphaned ones flagged."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QMenu, QVBoxLayout, QWidget

from desktop_reader.models import HIGHLIGHT_COLORS, Highlight

# Light enough for dark text on either theme (the reader paints them behind #1a1a1a).
HIGHLIGHT_RGB = {
    "yellow": "#fff3a3",
    "green": "#c8f0c0",
    "blue": "#cfe3ff",
    "pink": "#ffd1e3",
    "purple": "#e5d4ff",
}
_QUOTE_CHARS = 160


class HighlightsPane(QWidget):
    """Lists highlights; activating one asks the reader to scroll to it.

    Signals:
        highlight_activated(object): a Highlight was clicked or chosen with Enter.
        delete_requested(int): the user asked to delete this highlight id.
        note_edit_requested(int): the user asked to edit this highlight's note.
        color_change_requested(int, str): a highlight id and its new colour.
    """

    highlight_activated = Signal(object)
    delete_requested = Signal(int)
    note_edit_requested = Signal(int)
    color_change_requested = Signal(int, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("highlightsPane")
        self.list = QListWidget()
        self.list.setObjectName("highlightList")
        self.list.setWordWrap(True)
        self.list.setSpacing(2)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.empty = QLabel("Select text in the reader and press Ctrl+Shift+H (or right-click) to highlight it.")
        self.empty.setWordWrap(True)
        self.empty.setObjectName("highlightsHint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.empty)
        layout.addWidget(self.list, 1)
        self._highlights: list[Highlight] = []
        self.list.itemActivated.connect(self._on_item_activated)
        self.list.itemClicked.connect(self._on_item_activated)
        self.list.customContextMenuRequested.connect(self._on_context_menu)
        delete = QShortcut(QKeySequence.StandardKey.Delete, self.list)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self._on_delete_key)

    @property
    def highlights(self) -> list[Highlight]:
        return list(self._highlights)

    def set_highlights(self, highlights: list[Highlight]) -> None:
        self._highlights = list(highlights)
        self.list.clear()
        for h in highlights:
            quote = " ".join(h.quote.split())
            if len(quote) > _QUOTE_CHARS:
                quote = quote[: _QUOTE_CHARS - 1] + "…"
            text = f"“{quote}”"
            if h.note:
                text += f"\n— {h.note}"
            if h.orphaned:
                text += "\n(no longer found in the text; kept here)"
            elif h.anchoring in ("context", "fuzzy"):
                text += "\n(the text here has changed since)"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, h.id)
            item.setBackground(QBrush(QColor(HIGHLIGHT_RGB.get(h.color, "#fff3a3"))))
            item.setForeground(QBrush(QColor("#777777" if h.orphaned else "#1a1a1a")))
            item.setToolTip(h.quote if not h.note else f"{h.quote}\n\nNote: {h.note}")
            self.list.addItem(item)
        self.empty.setVisible(not highlights)

    def _highlight_of(self, item: QListWidgetItem | None) -> Highlight | None:
        if item is None:
            return None
        hid = item.data(Qt.ItemDataRole.UserRole)
        return next((h for h in self._highlights if h.id == hid), None)

    @Slot(QListWidgetItem)
    def _on_item_activated(self, item: QListWidgetItem) -> None:
        h = self._highlight_of(item)
        if h is not None:
            self.highlight_activated.emit(h)

    @Slot()
    def _on_delete_key(self) -> None:
        h = self._highlight_of(self.list.currentItem())
        if h is not None:
            self.delete_requested.emit(h.id)

    @Slot(QPoint)
    def _on_context_menu(self, pos: QPoint) -> None:
        h = self._highlight_of(self.list.itemAt(pos))
        if h is None:
            return
        menu = QMenu(self)
        menu.addAction("Edit Note…").triggered.connect(lambda: self.note_edit_requested.emit(h.id))
        colours = menu.addMenu("Colour")
        for name in HIGHLIGHT_COLORS:
            action = colours.addAction(name.capitalize())
            action.setCheckable(True)
            action.setChecked(name == h.color)
            action.triggered.connect(lambda _=False, n=name: self.color_change_requested.emit(h.id, n))
        menu.addSeparator()
        menu.addAction("Delete Highlight").triggered.connect(lambda: self.delete_requested.emit(h.id))
        menu.exec(self.list.viewport().mapToGlobal(pos))
