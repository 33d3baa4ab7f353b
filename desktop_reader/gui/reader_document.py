"""Builds the reader's QTextDocument from an Article's clean text, never from the page's HTML."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)

from desktop_reader.models import Article

ORIGINAL_HREF = "desktop-reader:original"  # our own anchor for "the stored original file"
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
# A list item's line as the importers write it ("  ◦ sub item", "3. third"), or a plain-text list.
_LIST_ITEM = re.compile(r"( *)((?:[•◦▪\-*]|\d{1,9}[.)]) )")


@dataclass
class OffsetMap:
    """Maps character offsets in Article.text to positions in the document.

    Each paragraph is inserted verbatim (single newlines become one line-separator char), so within
    a paragraph the mapping is linear; QTextDocument counts UTF-16 units, hence the surrogate care.
    """

    starts: list[int] = field(default_factory=list)  # text offset where each paragraph begins
    ends: list[int] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)  # document position of each paragraph start
    texts: list[str] = field(default_factory=list)

    def position(self, offset: int) -> int | None:
        i = bisect.bisect_right(self.starts, offset) - 1
        if i < 0:
            return None
        offset = min(offset, self.ends[i])
        head = self.texts[i][: offset - self.starts[i]]
        return self.positions[i] + _utf16_len(head)

    def offset(self, position: int) -> int | None:
        """The text offset at a document position (inverse of `position`); None outside the body."""
        i = bisect.bisect_right(self.positions, position) - 1
        if i < 0:
            return None
        units = position - self.positions[i]
        text = self.texts[i]
        count = 0
        for n, ch in enumerate(text):
            if count >= units:
                return self.starts[i] + n
            count += 2 if ord(ch) > 0xFFFF else 1
        return min(self.starts[i] + len(text), self.ends[i])

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        a, b = self.position(start), self.position(end)
        if a is None or b is None or b <= a:
            return None
        return a, b


def _utf16_len(text: str) -> int:
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the blank-line-separated paragraphs, whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for match in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        chunk = text[pos:end]
        stripped = chunk.strip()
        if stripped:
            start = pos + (len(chunk) - len(chunk.lstrip()))
            spans.append((start, start + len(stripped)))
        if match:
            pos = match.end()
    return spans


@dataclass(frozen=True, slots=True)
class Piece:
    """One block of the body: text[start:end], and how far a list item's lines are indented."""

    start: int
    end: int
    depth: int = 0
    marker: str = ""  # the item's marker ("• ", "2. ") when this line opens a list item
    in_list: bool = False  # an item, or a later line of one


def list_lines(text: str, start: int, end: int) -> list[Piece]:
    """The paragraph text[start:end] as pieces, one per list item line.

    A paragraph holding list items ("• x", "2. y", "- z", as the importers write lists) is cut
    into one piece per line so each item gets its own indented block; a later line of an item
    keeps its indent. Any other paragraph is one piece.
    """
    lines: list[tuple[int, int]] = []
    pos = start
    for line in text[start:end].split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    if not any(_LIST_ITEM.match(text, a, b) for a, b in lines):
        return [Piece(start, end)]
    pieces: list[Piece] = []
    last: Piece | None = None
    for a, b in lines:
        found = _LIST_ITEM.match(text, a, b)
        if found:
            # The indent is drawn as a margin, not as spaces.
            last = Piece(a + len(found.group(1)), b, len(found.group(1)) // 2, found.group(2), True)
            piece = last
        else:
            a += len(text[a:b]) - len(text[a:b].lstrip())
            piece = Piece(a, b, last.depth, "", True) if last else Piece(a, b)
        if piece.end > piece.start:
            pieces.append(piece)
    return pieces


@dataclass(frozen=True, slots=True)
class Typography:
    font_size: float
    text_color: QColor
    muted_color: QColor
    link_color: QColor
    family: str = ""


def build_document(article: Article, look: Typography) -> tuple[QTextDocument, OffsetMap]:
    """Header (title, byline, links) then the body, all inserted as plain text with formats.

    Nothing is parsed as HTML, so markup inside an article can never become a tag, an image
    or a link.
    """
    doc = QTextDocument()
    base = QFont(look.family) if look.family else QFont()
    base.setPointSizeF(look.font_size)
    doc.setDefaultFont(base)
    doc.setDocumentMargin(24)
    cursor = QTextCursor(doc)

    title_fmt = QTextCharFormat()
    title_fmt.setFontPointSize(look.font_size * 1.7)
    title_fmt.setFontWeight(QFont.Weight.Bold)
    title_fmt.setForeground(look.text_color)
    block = QTextBlockFormat()
    block.setBottomMargin(look.font_size * 0.5)
    block.setLineHeight(115, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
    cursor.setBlockFormat(block)
    cursor.insertText(article.title or "(untitled)", title_fmt)

    meta_fmt = QTextCharFormat()
    meta_fmt.setFontPointSize(look.font_size * 0.9)
    meta_fmt.setForeground(look.muted_color)
    byline = " · ".join(p for p in (article.author, article.site, article.published[:10]) if p)
    meta_block = QTextBlockFormat()
    meta_block.setBottomMargin(look.font_size * 0.3)
    if byline:
        cursor.insertBlock(meta_block)
        cursor.insertText(byline, meta_fmt)

    cursor.insertBlock(meta_block)
    links: list[tuple[str, str]] = []
    if article.stored_path:
        links.append(("Open original file", ORIGINAL_HREF))
    if article.url.lower().startswith(("http://", "https://")):
        links.append(("Open web page ↗", article.url))
    for n, (label, href) in enumerate(links):
        if n:
            cursor.insertText("   ", meta_fmt)
        link = QTextCharFormat(meta_fmt)
        link.setAnchor(True)
        link.setAnchorHref(href)
        link.setForeground(look.link_color)
        link.setFontUnderline(True)
        link.setToolTip(article.url if href == article.url else article.stored_path)
        cursor.insertText(label, link)

    rule = QTextBlockFormat()
    rule.setBottomMargin(look.font_size)
    rule.setProperty(QTextFormat.Property.BlockTrailingHorizontalRulerWidth, 1)
    cursor.insertBlock(rule)

    body_fmt = QTextCharFormat()
    body_fmt.setForeground(look.text_color)
    body_block = QTextBlockFormat()
    body_block.setBottomMargin(look.font_size * 0.9)
    body_block.setLineHeight(150, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
    body_block.setAlignment(Qt.AlignmentFlag.AlignLeft)
    item_block = QTextBlockFormat(body_block)
    item_block.setBottomMargin(look.font_size * 0.25)
    marker_width = QFontMetricsF(base)
    mapping = OffsetMap()
    for start, end in paragraphs(article.text):
        pieces = list_lines(article.text, start, end)
        hang = 0.0
        for n, piece in enumerate(pieces):
            a, b = piece.start, piece.end
            block = body_block
            if piece.in_list:
                # Hanging indent: an item's wrapped and later lines start under its text, not its bullet.
                block = QTextBlockFormat(item_block if n < len(pieces) - 1 else body_block)
                if piece.marker:
                    hang = marker_width.horizontalAdvance(piece.marker)
                    block.setTextIndent(-hang)
                block.setLeftMargin(look.font_size * (1.2 + 1.6 * piece.depth) + hang)
            cursor.insertBlock(block, body_fmt)
            # U+2028 keeps a single newline as a line break inside the paragraph: one char for one char.
            text = article.text[a:b].replace("\r", " ").replace("\n", "\u2028")
            mapping.starts.append(a)
            mapping.ends.append(b)
            mapping.positions.append(cursor.position())
            mapping.texts.append(text)
            cursor.insertText(text, body_fmt)
    if not mapping.starts:
        cursor.insertBlock(body_block, body_fmt)
        cursor.insertText("(This article has no text.)", meta_fmt)
    return doc, mapping
