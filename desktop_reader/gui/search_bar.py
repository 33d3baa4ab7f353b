"""SearchBar: the query box (debounced live search, recent queries), entity filter chips, sort and count."""

from __future__ import annotations

import html

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

DEBOUNCE_MS = 250
PLACEHOLDER = 'Search…  "exact phrase"  title:  person:  site:  -exclude'
SORTS = (("Relevance", "relevance"), ("Newest first", "date"))
_KIND_NAMES = {"person": "Person", "org": "Organisation", "place": "Place", "entity": "Entity"}


class SearchField(QLineEdit):
    """A line edit that hands list-navigation keys to the result list.

    Signals:
        navigated(int): Up/Down/PageUp/PageDown pressed; rows to move (negative is up).
    """

    navigated = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        popup = self.completer().popup() if self.completer() else None
        if popup is not None and popup.isVisible():
            super().keyPressEvent(event)
            return
        steps = {
            Qt.Key.Key_Down: 1,
            Qt.Key.Key_Up: -1,
            Qt.Key.Key_PageDown: 10,
            Qt.Key.Key_PageUp: -10,
        }.get(Qt.Key(event.key()))
        if steps is not None:
            self.navigated.emit(steps)
            return
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            self.textEdited.emit("")
            return
        super().keyPressEvent(event)


class SearchBar(QWidget):
    """The top of the left pane.

    Signals:
        query_changed(str): the text settled after typing (debounced).
        query_committed(str): Enter was pressed.
        filters_changed(): a chip was added or removed.
        sort_changed(str): "relevance" or "date".
        navigated(int): forwarded from the field.
    """

    query_changed = Signal(str)
    query_committed = Signal(str)
    filters_changed = Signal()
    sort_changed = Signal(str)
    navigated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = SearchField()
        self.field.setObjectName("searchField")
        self.field.setPlaceholderText(PLACEHOLDER)
        self.field.setClearButtonEnabled(True)
        self.field.setToolTip(
            'Words match any form (elect → elections). "quotes" for a phrase; title:, author:, site:,\n'
            "person:, org:, place: search one field; -word excludes; OR between alternatives."
        )
        self.recent = QStringListModel(self)
        completer = QCompleter(self.recent, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.field.setCompleter(completer)

        self.chips = QHBoxLayout()
        self.chips.setContentsMargins(0, 0, 0, 0)
        self.chips.setSpacing(4)
        self.chips.setAlignment(Qt.AlignmentFlag.AlignLeft)
        self.chip_row = QWidget()
        self.chip_row.setLayout(self.chips)
        self.chip_row.hide()
        self.count_label = QLabel()
        self.count_label.setObjectName("resultCount")
        self.count_label.setWordWrap(True)
        # "Did you mean" as a link that runs the corrected query.
        self.suggestion_label = QLabel()
        self.suggestion_label.setObjectName("suggestion")
        self.suggestion_label.setTextFormat(Qt.TextFormat.RichText)
        self.suggestion_label.setWordWrap(True)
        self.suggestion_label.hide()
        self._suggestion = ""
        self.sort = QComboBox()
        self.sort.setObjectName("sortCombo")
        for label, value in SORTS:
            self.sort.addItem(label, value)
        self.sort.setToolTip("Order of the results")

        status_row = QHBoxLayout()
        status_row.setContentsMargins(0, 0, 0, 0)
        status_row.addWidget(self.count_label, 1)
        status_row.addWidget(self.sort)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 2)
        layout.setSpacing(4)
        layout.addWidget(self.field)
        layout.addWidget(self.chip_row)
        layout.addLayout(status_row)
        layout.addWidget(self.suggestion_label)

        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self._filters: list[tuple[str, str]] = []
        # Only this widget's own internals are wired here; everything between widgets is
        # wired in MainWindow._connect_signals.
        self.field.textEdited.connect(self.on_text_edited)
        self.field.returnPressed.connect(self.on_return_pressed)
        self.field.navigated.connect(self.navigated)
        self.debounce.timeout.connect(self.on_debounce_timeout)
        self.sort.currentIndexChanged.connect(self.on_sort_index_changed)
        self.suggestion_label.linkActivated.connect(self.on_suggestion_activated)

    # -- query -----------------------------------------------------------------------------

    @property
    def query(self) -> str:
        return self.field.text().strip()

    @Slot(str)
    def on_text_edited(self, _text: str) -> None:
        self.debounce.start()

    @Slot()
    def on_debounce_timeout(self) -> None:
        self.query_changed.emit(self.query)

    @Slot()
    def on_return_pressed(self) -> None:
        self.debounce.stop()
        self.query_committed.emit(self.query)

    def set_recent(self, queries: tuple[str, ...]) -> None:
        self.recent.setStringList(list(queries))

    def set_count(self, text: str) -> None:
        self.count_label.setText(text)

    def set_suggestion(self, query: str) -> None:
        """Offer `query` (the typed one with its spelling corrected); "" hides the offer."""
        self._suggestion = query
        self.suggestion_label.setText(f'Did you mean <a href="#suggestion">{html.escape(query)}</a>?' if query else "")
        self.suggestion_label.setVisible(bool(query))

    @Slot(str)
    def on_suggestion_activated(self, _link: str) -> None:
        """Run the suggested query as if it had been typed and Enter pressed."""
        if self._suggestion:
            self.field.setText(self._suggestion)
            self.on_return_pressed()

    # -- sort ------------------------------------------------------------------------------

    @property
    def sort_value(self) -> str:
        return str(self.sort.currentData())

    def set_sort(self, value: str) -> None:
        i = self.sort.findData(value)
        self.sort.setCurrentIndex(i if i >= 0 else 0)

    @Slot(int)
    def on_sort_index_changed(self, _index: int) -> None:
        self.sort_changed.emit(self.sort_value)

    # -- filter chips ----------------------------------------------------------------------

    @property
    def filters(self) -> tuple[tuple[str, str], ...]:
        return tuple(self._filters)

    def add_filter(self, kind: str, text: str) -> None:
        if (kind, text) in self._filters:
            return
        self._filters.append((kind, text))
        chip = QToolButton()
        chip.setProperty("chip", True)
        chip.setObjectName("filterChip")
        chip.setText(f"{_KIND_NAMES.get(kind, kind)}: {text}  ✕")
        chip.setToolTip("Remove this filter")
        chip.setAutoRaise(False)
        chip.setProperty("filter", (kind, text))
        chip.clicked.connect(self.on_chip_clicked)
        self.chips.addWidget(chip)
        self.chip_row.show()
        self.filters_changed.emit()

    def remove_filter(self, kind: str, text: str) -> None:
        if (kind, text) not in self._filters:
            return
        self._filters.remove((kind, text))
        for chip in self.chip_buttons():
            if tuple(chip.property("filter")) == (kind, text):
                self.chips.removeWidget(chip)
                chip.deleteLater()
        self.chip_row.setVisible(bool(self._filters))
        self.filters_changed.emit()

    def chip_buttons(self) -> list[QToolButton]:
        return [
            w
            for i in range(self.chips.count())
            if isinstance(w := self.chips.itemAt(i).widget(), QToolButton) and w.property("chip")
        ]

    @Slot()
    def on_chip_clicked(self) -> None:
        chip = self.sender()
        if isinstance(chip, QToolButton):
            kind, text = chip.property("filter")
            self.remove_filter(kind, text)
