"""Paints one article row: bold title, site · date, and the snippet with its matches highlighted."""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QFont, QFontMetrics, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from desktop_reader.gui.article_model import ArticleListModel
from desktop_reader.gui.snippet import snippet_html
from desktop_reader.models import ArticleSummary, ReadingMarks

PAD = 8
SNIPPET_LINES = 2
_CACHE = 600  # laid-out snippet documents kept; a screenful is ~15


class ArticleDelegate(QStyledItemDelegate):
    """Paints rows directly (no per-row widgets) at one uniform height; snippet layouts are cached."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._docs: OrderedDict[tuple[object, ...], QTextDocument] = OrderedDict()
        # Rows are uniform, so the snippet space is all or nothing: none when no query is typed.
        self.snippet_lines = SNIPPET_LINES

    def clear_cache(self) -> None:
        self._docs.clear()

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont, QFont]:
        base = QFont(option.font)
        title = QFont(base)
        title.setBold(True)
        title.setPointSizeF(base.pointSizeF() * 1.08)
        small = QFont(base)
        small.setPointSizeF(base.pointSizeF() * 0.9)
        return title, small, small

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        title, meta, snippet = self._fonts(option)
        height = (
            QFontMetrics(title).height()
            + QFontMetrics(meta).height()
            + QFontMetrics(snippet).lineSpacing() * self.snippet_lines
            + PAD * 2
            + 4
        )
        return QSize(200, height)

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        summary = index.data(ArticleListModel.SummaryRole)
        if not isinstance(summary, ArticleSummary):
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        palette: QPalette = opt.palette
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        rect = opt.rect.adjusted(PAD + 2, PAD, -PAD, -PAD)
        title_font, meta_font, snippet_font = self._fonts(opt)
        marks = index.data(ArticleListModel.MarksRole)
        if isinstance(marks, ReadingMarks) and marks.read:
            title_font.setBold(False)  # unread titles stay bold, as in a mail reader

        painter.save()
        painter.setClipRect(opt.rect)
        painter.setFont(title_font)
        painter.setPen(palette.color(text_role))
        fm = QFontMetrics(title_font)
        title = fm.elidedText(summary.title or "(untitled)", Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(QRect(rect.left(), rect.top(), rect.width(), fm.height()), 0, title)
        y = rect.top() + fm.height() + 1

        painter.setFont(meta_font)
        meta_color = palette.color(text_role)
        if not selected:
            meta_color = palette.color(QPalette.ColorRole.PlaceholderText)
        painter.setPen(meta_color)
        mfm = QFontMetrics(meta_font)
        meta = " · ".join(p for p in (summary.site, summary.published[:10]) if p)
        if isinstance(marks, ReadingMarks) and marks.tags:
            meta = "  ".join([meta, *(f"#{t}" for t in marks.tags)] if meta else [f"#{t}" for t in marks.tags])
        meta = meta or "—"  # no site, date or tag: the row keeps its shape
        painter.drawText(
            QRect(rect.left(), y, rect.width(), mfm.height()),
            0,
            mfm.elidedText(meta, Qt.TextElideMode.ElideRight, rect.width()),
        )
        y += mfm.height() + 2

        if summary.snippet is not None and summary.snippet.text and self.snippet_lines:
            doc = self._document(summary, snippet_font, rect.width(), selected)
            painter.translate(rect.left() - doc.documentMargin(), y - doc.documentMargin())
            # Clip at the bottom of the last visible line as laid out, not at a font-metric
            # estimate: a few pixels more show the top of the next line's highlights.
            clip = QRectF(0, 0, rect.width() + doc.documentMargin() * 2, _lines_bottom(doc, self.snippet_lines))
            ctx = QAbstractTextDocumentLayout.PaintContext()
            ctx.clip = clip
            ctx.palette.setColor(QPalette.ColorRole.Text, palette.color(text_role))
            painter.setClipRect(clip)
            doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def _document(self, summary: ArticleSummary, font: QFont, width: int, selected: bool) -> QTextDocument:
        key = (summary.id, summary.snippet, width, "s" if selected else "n")
        doc = self._docs.get(key)
        if doc is not None:
            self._docs.move_to_end(key)
            return doc
        doc = QTextDocument()
        doc.setDefaultFont(font)
        doc.setDocumentMargin(2)
        # Highlight kept readable on both palettes: a soft amber behind dark text.
        mark = "background-color:#ffe08a; color:#1a1a1a; font-weight:600;"
        doc.setHtml(snippet_html(summary.snippet, mark))
        doc.setTextWidth(width + 4)
        self._docs[key] = doc
        if len(self._docs) > _CACHE:
            self._docs.popitem(last=False)
        return doc


def _lines_bottom(doc: QTextDocument, lines: int) -> float:
    """The y (in document coordinates) where the first `lines` laid-out lines end."""
    layout = doc.documentLayout()
    seen = 0
    block = doc.begin()
    while block.isValid():
        text_layout = block.layout()
        top = layout.blockBoundingRect(block).top()
        for i in range(text_layout.lineCount()):
            line = text_layout.lineAt(i)
            seen += 1
            if seen == lines:
                return top + line.y() + line.height()
        block = block.next()
    return doc.size().height()
