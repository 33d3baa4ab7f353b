"""ReaderView: the middle pane, a QTextBrowser that shows clean text and never loads anything."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QUrl, Signal, Slot
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QFontMetricsF,
    QPalette,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QTextBrowser, QTextEdit

from desktop_reader.gui.entity_model import GROUP_COLORS, group_of
from desktop_reader.gui.highlights_pane import HIGHLIGHT_RGB
from desktop_reader.gui.reader_document import ORIGINAL_HREF, OffsetMap, Typography, build_document
from desktop_reader.models import Article, Highlight

if TYPE_CHECKING:
    from desktop_reader.library import Highlighter

log = logging.getLogger(__name__)

MEASURE_CHARS = 70  # comfortable line length, in average character widths
HIT_COLOR = QColor("#ffe08a")
CURRENT_HIT_COLOR = QColor("#ff9f43")
FOCUS_COLOR = QColor("#ffb347")


def open_url(url: QUrl) -> bool:
    """Hand a URL to the desktop (tests replace this to record what would open)."""
    return QDesktopServices.openUrl(url)


class ReaderView(QTextBrowser):
    """Shows one article with search hits and entity mentions highlighted.

    Links are never followed by Qt itself: only an explicit click on an http(s) link or on
    "Open original file" opens anything, and then in the system browser or viewer.

    Signals:
        hit_changed(int, int): current hit (1-based, 0 for none) and number of hits.
    """

    hit_changed = Signal(int, int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("reader")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setUndoRedoEnabled(False)
        self.font_size = 12.0
        self.article: Article | None = None
        self._map = OffsetMap()
        self._highlighter: Highlighter | None = None
        self._hits: list[QTextCursor] = []
        self._current = -1
        self._entity_highlight = False
        self._focused: tuple[tuple[int, int], ...] = ()
        self._user_highlights: list[Highlight] = []
        self.clear_article("Select an article on the left to read it here.")

    # -- security: nothing is ever loaded --------------------------------------------------

    def loadResource(self, type: int, name: QUrl | str) -> object:
        """Refuse every resource: no network, no local files, no data: URLs."""
        log.debug("Reader refused to load %s", name)
        return None

    @Slot(QUrl)
    def on_anchor_clicked(self, url: QUrl) -> None:
        """Open a link the user clicked: http(s) in the browser, our original-file anchor locally."""
        scheme = url.scheme().lower()
        if scheme in ("http", "https"):
            open_url(url)
        elif url.toString() == ORIGINAL_HREF:
            self.open_original()

    def open_original(self) -> bool:
        if self.article is None or not self.article.stored_path:
            return False
        path = Path(self.article.stored_path)
        if not path.is_file():
            return False
        return open_url(QUrl.fromLocalFile(str(path)))

    # -- content ---------------------------------------------------------------------------

    def clear_article(self, message: str = "") -> None:
        self.article = None
        self._map = OffsetMap()
        self._hits, self._current, self._focused = [], -1, ()
        self._user_highlights = []
        doc = QTextDocument(self)
        doc.setDocumentMargin(24)
        doc.setPlainText(message)
        self._replace_document(doc)
        self._update_measure()
        self._refresh_selections()
        self.hit_changed.emit(0, 0)

    def show_article(self, article: Article, highlighter: Highlighter | None = None) -> None:
        """Show `article`; the search hits are where `highlighter` (the core's reading of the query) says."""
        self.article = article
        self._focused = ()
        if highlighter is not None:
            self._highlighter = highlighter
        self._render()
        self.verticalScrollBar().setValue(0)

    def _render(self) -> None:
        if self.article is None:
            return
        palette = self.palette()
        look = Typography(
            font_size=self.font_size,
            text_color=palette.color(QPalette.ColorRole.Text),
            muted_color=palette.color(QPalette.ColorRole.PlaceholderText),
            link_color=palette.color(QPalette.ColorRole.Link),
        )
        doc, self._map = build_document(self.article, look)
        doc.setParent(self)
        self._replace_document(doc)
        self._update_measure()
        self._find_hits()

    def _replace_document(self, doc: QTextDocument) -> None:
        old = self.document()
        ours = old is not None and old is not doc and old.parent() is self
        self.setDocument(doc)  # (this deletes the editor's built-in first document itself)
        if ours and shiboken6.isValid(old):
            old.deleteLater()  # documents we parented would otherwise pile up

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.article is not None:
            # The document's colours are set when it is built: a theme switch must rebuild it,
            # keeping the reading position.
            self.set_font_size(self.font_size)

    def set_font_size(self, points: float) -> None:
        self.font_size = float(points)
        scroll = self.verticalScrollBar()
        ratio = scroll.value() / max(1, scroll.maximum())
        self._render()
        scroll.setValue(round(ratio * scroll.maximum()))

    # -- search hits -----------------------------------------------------------------------

    def set_highlighter(self, highlighter: Highlighter | None) -> None:
        self._highlighter = highlighter
        self._find_hits()

    def _find_hits(self) -> None:
        """Mark the query's matches in the article body, as the list's snippets mark them.

        The spans come from the core (search/highlighting), so stemming, prefixes, fuzzy terms,
        phrases and accent folding mean the same here as in the index; the title is not counted,
        so "Match 1 of N" is the first hit in the text.
        """
        self._hits, self._current = [], -1
        if self.article is not None and self._highlighter is not None:
            doc = self.document()
            for start, end in self._highlighter.spans(self.article.text):
                span = self._map.span(start, end)
                if span is None:
                    continue
                cursor = QTextCursor(doc)
                cursor.setPosition(span[0])
                cursor.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
                self._hits.append(cursor)
        if self._hits:
            self._current = 0
        self._refresh_selections()
        self.hit_changed.emit(self._current + 1 if self._hits else 0, len(self._hits))

    @property
    def hit_count(self) -> int:
        return len(self._hits)

    @property
    def current_hit(self) -> int:
        """0-based index of the current hit, -1 when there is none."""
        return self._current

    @Slot()
    def next_hit(self) -> None:
        self._step(1)

    @Slot()
    def previous_hit(self) -> None:
        self._step(-1)

    def _step(self, delta: int) -> None:
        if not self._hits:
            return
        self._current = (self._current + delta) % len(self._hits)
        self._reveal(self._hits[self._current])
        self._refresh_selections()
        self.hit_changed.emit(self._current + 1, len(self._hits))

    def _reveal(self, cursor: QTextCursor) -> None:
        show = QTextCursor(cursor)
        show.clearSelection()
        self.setTextCursor(show)
        self.ensureCursorVisible()

    # -- entity mentions -------------------------------------------------------------------

    def set_entity_highlighting(self, on: bool) -> None:
        self._entity_highlight = on
        self._refresh_selections()

    def focus_mentions(self, mentions: tuple[tuple[int, int], ...]) -> int:
        """Strongly highlight one entity's mentions and scroll to the first; returns how many were shown."""
        self._focused = mentions
        self._refresh_selections()
        spans = [s for s in (self._map.span(a, b) for a, b in mentions) if s]
        if spans:
            cursor = QTextCursor(self.document())
            cursor.setPosition(spans[0][0])
            cursor.setPosition(spans[0][1], QTextCursor.MoveMode.KeepAnchor)
            self._reveal(cursor)
        return len(spans)

    def _selection(self, span: tuple[int, int], color: QColor, underline: bool = False) -> QTextEdit.ExtraSelection:
        cursor = QTextCursor(self.document())
        cursor.setPosition(span[0])
        cursor.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
        fmt = QTextCharFormat()
        fmt.setBackground(color)
        fmt.setForeground(QColor("#1a1a1a"))  # highlight colours are light on both themes
        if underline:
            fmt.setFontUnderline(True)
        sel = QTextEdit.ExtraSelection()
        sel.cursor = cursor  # type: ignore[attr-defined]
        sel.format = fmt  # type: ignore[attr-defined]
        return sel

    # -- the reader's own highlights ----------------------------------------------------------

    def set_user_highlights(self, highlights: list[Highlight]) -> None:
        """Paint these highlights (orphaned ones have no place and are left out) under every other mark."""
        self._user_highlights = [h for h in highlights if not h.orphaned]
        self._refresh_selections()

    def selected_text_range(self) -> tuple[int, int] | None:
        """The selection as offsets into Article.text, or None (nothing selected, or only the title)."""
        cursor = self.textCursor()
        if self.article is None or not cursor.hasSelection():
            return None
        start, end = self._map.offset(cursor.selectionStart()), self._map.offset(cursor.selectionEnd())
        if start is None or end is None or end <= start:
            return None
        return start, end

    def reveal_text(self, start: int, end: int) -> bool:
        """Scroll to text[start:end] (the cursor lands at its end); False when it is not in the body."""
        span = self._map.span(start, end)
        if span is None:
            return False
        cursor = QTextCursor(self.document())
        cursor.setPosition(span[0])
        cursor.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
        self._reveal(cursor)
        return True

    def _refresh_selections(self) -> None:
        selections: list[QTextEdit.ExtraSelection] = []
        for h in self._user_highlights:
            span = self._map.span(h.start or 0, h.end or 0)
            if span:
                selections.append(self._selection(span, QColor(HIGHLIGHT_RGB.get(h.color, "#fff3a3"))))
        if self._entity_highlight and self.article is not None:
            for entity in self.article.entities:
                color = QColor(GROUP_COLORS[group_of(entity.label)])
                for a, b in entity.mentions:
                    span = self._map.span(a, b)
                    if span:
                        selections.append(self._selection(span, color))
        for i, hit in enumerate(self._hits):
            color = CURRENT_HIT_COLOR if i == self._current else HIT_COLOR
            selections.append(self._selection((hit.selectionStart(), hit.selectionEnd()), color))
        for a, b in self._focused:
            span = self._map.span(a, b)
            if span:
                selections.append(self._selection(span, FOCUS_COLOR, underline=True))
        self.setExtraSelections(selections)

    @property
    def extra_selection_count(self) -> int:
        return len(self.extraSelections())

    # -- layout: a centred column of about MEASURE_CHARS characters --------------------------

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._update_measure()

    def _update_measure(self) -> None:
        doc = self.document()
        font = doc.defaultFont()
        if self.article is not None:
            font.setPointSizeF(self.font_size)
        measure = QFontMetricsF(font).averageCharWidth() * MEASURE_CHARS
        width = self.viewport().width()
        side = max(24.0, (width - measure) / 2)
        frame = doc.rootFrame().frameFormat()
        if abs(frame.leftMargin() - side) < 1 and abs(frame.rightMargin() - side) < 1:
            return
        frame.setLeftMargin(side)
        frame.setRightMargin(side)
        doc.rootFrame().setFrameFormat(frame)
