"""SidePanes: the reader keeps the space; the side panes shrink to a minimum, then fold away."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QTimer, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QSplitter, QWidget

READER_MIN = 460  # about 60 characters of body text: less and lines break every few words
LIST_MIN, ENTITIES_MIN, SIDEBAR_MIN = 240, 190, 140
LIST_WIDTH, ENTITIES_WIDTH, SIDEBAR_WIDTH = 360, 300, 190  # until the user drags a handle


@dataclass
class Pane:
    widget: QWidget
    toggle: QAction
    minimum: int
    wanted: int  # the width the user gave it (or the default)
    hidden_by_user: bool = False
    forced: bool = False  # shown from its toggle although there was no room


class SidePanes(QObject):
    """Lays out the splitter's side panes around the reader whenever the splitter changes size.

    Side panes keep the width the user gave them while the reader has at least READER_MIN;
    below that they shrink together down to their minimums, then fold away one by one in
    the order they were added (the first added folds first). A folded pane comes back when
    the window grows again, or at once from its toggle (which then wins over the reader's
    minimum, and the others fold instead).
    """

    def __init__(self, splitter: QSplitter, reader: QWidget) -> None:
        super().__init__(splitter)
        self.splitter = splitter
        self.reader = reader
        self.panes: dict[str, Pane] = {}
        self._fitting = False
        splitter.installEventFilter(self)
        # This helper's own wiring (the toggles are its panes'); MainWindow only creates it.
        splitter.splitterMoved.connect(self.on_splitter_moved)

    def add(self, name: str, widget: QWidget, toggle: QAction, minimum: int, width: int) -> None:
        """Manage `widget`; panes added first fold first."""
        self.panes[name] = Pane(widget, toggle, minimum, width)
        toggle.setCheckable(True)
        toggle.setChecked(True)
        toggle.triggered.connect(self.on_toggle_triggered)

    def wanted(self, name: str) -> int:
        return self.panes[name].wanted

    def remember_sizes(self) -> None:
        """Take the current side-pane widths (after the user dragged a handle) as the ones wanted."""
        sizes = self.splitter.sizes()
        for pane in self.panes.values():
            width = sizes[self.splitter.indexOf(pane.widget)]
            if width > 0:
                pane.wanted = max(pane.minimum, width)

    def set_widths(self, widths: dict[str, object]) -> None:
        """The widths the user chose last time (window.ini hands back strings, or nothing)."""
        for name, value in widths.items():
            if name in self.panes and value is not None:
                with contextlib.suppress(ValueError):
                    self.panes[name].wanted = max(self.panes[name].minimum, int(str(value)))
        self.fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.splitter and event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    @Slot(int, int)
    def on_splitter_moved(self, _pos: int, _index: int) -> None:
        if not self._fitting:
            self.remember_sizes()

    @Slot(bool)
    def on_toggle_triggered(self, checked: bool) -> None:
        pane = next((p for p in self.panes.values() if p.toggle is self.sender()), None)
        if pane is not None:
            self.set_shown(pane, checked)

    def set_shown(self, pane: Pane, shown: bool) -> None:
        pane.hidden_by_user, pane.forced = not shown, shown
        self.fit()

    def fit(self) -> None:
        """Share the splitter's width out again."""
        count = self.splitter.count()
        if self.splitter.width() <= 0:
            return
        shown = [p for p in self.panes.values() if not p.hidden_by_user]
        sizes = self._share(shown)
        if sizes is not None:
            for p in shown:
                p.forced = False  # room for every pane again: the next squeeze folds as usual
        for pane in list(shown):
            if sizes is not None:
                break
            if not pane.forced:
                shown.remove(pane)
                sizes = self._share(shown)
        if sizes is None:  # the user insists on panes there is no room for: their minimum
            sizes = {id(p): max(p.minimum, p.widget.minimumSizeHint().width()) for p in shown}
        widths = [0] * count
        self._fitting = True
        try:
            for pane in self.panes.values():
                visible = pane in shown
                if pane.widget.isVisibleTo(self.splitter) != visible and self.splitter.isVisible():
                    # Qt shows or hides the pane's handle later, then hands its width to the
                    # stretching reader or takes it from it: share out again once it has.
                    QTimer.singleShot(0, self.fit)
                pane.widget.setVisible(visible)
                pane.toggle.setChecked(visible)
                widths[self.splitter.indexOf(pane.widget)] = sizes.get(id(pane), 0)
            widths[self.splitter.indexOf(self.reader)] = max(0, self._room(shown) - sum(widths))
            self.splitter.setSizes(widths)
        finally:
            self._fitting = False

    def _room(self, shown: list[Pane]) -> int:
        """The width for the reader and the `shown` panes: a hidden pane's handle hides too."""
        return self.splitter.width() - self.splitter.handleWidth() * len(shown)

    def _share(self, shown: list[Pane]) -> dict[int, int] | None:
        """Widths of the `shown` panes leaving the reader READER_MIN, or None if impossible."""
        room = self._room(shown) - READER_MIN
        # Qt never makes a widget narrower than its own minimum: count with the larger one.
        least = {id(p): max(p.minimum, p.widget.minimumSizeHint().width()) for p in shown}
        wanted = {id(p): max(p.wanted, least[id(p)]) for p in shown}
        if sum(wanted.values()) <= room:
            return wanted
        if sum(least.values()) > room:
            return None
        # Shrink each pane by the same share of what it has above its minimum.
        spare = sum(wanted[k] - least[k] for k in wanted)
        keep = (room - sum(least.values())) / spare if spare else 0.0
        return {k: int(least[k] + (wanted[k] - least[k]) * keep) for k in wanted}
