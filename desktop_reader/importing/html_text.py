"""HTML <-> plain text: parse untrusted HTML safely and turn an element tree into readable text."""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass

import lxml.html
from lxml import etree

# Elements that end a line; the value is how hard: 1 = line break, 2 = blank line (new paragraph).
BLOCK_BREAKS: dict[str, int] = {
    "p": 2,
    "h1": 2,
    "h2": 2,
    "h3": 2,
    "h4": 2,
    "h5": 2,
    "h6": 2,
    "blockquote": 2,
    "pre": 2,
    "table": 2,
    "ul": 2,
    "ol": 2,
    "dl": 2,
    "figure": 2,
    "hr": 2,
    "article": 2,
    "section": 2,
    "header": 2,
    "footer": 2,
    "main": 2,
    "aside": 2,
    "nav": 2,
    "address": 2,
    "fieldset": 2,
    "details": 2,
    "hgroup": 2,
    "body": 2,
    "html": 2,
    "div": 1,
    "li": 1,
    "dt": 1,
    "dd": 1,
    "tr": 1,
    "caption": 1,
    "figcaption": 1,
    "summary": 1,
    "legend": 1,
    "form": 1,
    "center": 1,
    "dialog": 1,
    "menu": 1,
    "dir": 1,
    "tbody": 1,
    "thead": 1,
    "tfoot": 1,
}

# Never text: code, styling, embedded documents and form controls.
SKIPPED = frozenset(
    {"script", "style", "noscript", "template", "head", "title", "iframe", "object", "embed", "svg", "math"}
    | {"select", "button", "input", "textarea", "canvas", "audio", "video", "map", "frameset", "frame"}
)

_CELLS = frozenset({"td", "th"})
_LISTS = frozenset({"ul", "ol", "menu", "dir"})
# Bullets by nesting depth; a list item keeps its marker in the text so that every reader of the
# text (the window, `show`, snippets, exports) sees a list, not loose lines (#12).
_BULLETS = ("•", "◦", "▪")
_INDENT = "  "  # per nesting level, before the marker
LIST_MARKER = re.compile(r"^[ ]*(?:[•◦▪]|\d{1,9}[.)]) ")
# Stands for a table-cell boundary while whitespace is collapsed; becomes a tab afterwards.
_CELL_MARK = "\x00"
_SPACE_RUN = re.compile(r"[^\S\x00]+")
_CELL_RUN = re.compile(r" ?\x00 ?")


class _TextWriter:
    """Collects inline text into lines and lines into paragraphs, never gluing words across blocks."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._line: list[str] = []
        self._pending = 0  # strongest break asked for since the last line written
        self._marker = ""  # list marker waiting for the first line of its item

    def item(self, marker: str) -> None:
        """Start a list item: a new line that opens with `marker`."""
        self.brk(1)
        self._marker = marker

    def text(self, value: str) -> None:
        self._line.append(value)

    def cell(self) -> None:
        self._line.append(_CELL_MARK)

    def brk(self, strength: int) -> None:
        if not strength:
            return
        self._flush()
        self._pending = max(self._pending, strength)

    def line_break(self) -> None:
        # <br><br> in a row means a paragraph break, a single <br> a line break.
        if self._flush():
            self._pending = max(self._pending, 1)
        else:
            self._pending = min(2, self._pending + 1)

    def verbatim(self, value: str) -> None:
        self.brk(2)
        self._marker = ""
        lines = [line.rstrip() for line in value.replace("\r\n", "\n").split("\n")]
        while lines and not lines[0].strip():
            lines.pop(0)
        while lines and not lines[-1].strip():
            lines.pop()
        if lines:
            self._emit("\n".join(lines))
        self._pending = 2

    def result(self) -> str:
        self._flush()
        return "".join(self._parts)

    def _flush(self) -> bool:
        if not self._line:
            return False
        raw = "".join(self._line).replace("\u00a0", " ")
        self._line = []
        line = _CELL_RUN.sub("\t", _SPACE_RUN.sub(" ", raw)).strip(" \t")
        if not line:
            return False
        self._emit(self._marker + line)
        self._marker = ""
        return True

    def _emit(self, line: str) -> None:
        if self._parts:
            self._parts.append("\n" * max(1, self._pending))
        self._parts.append(line)
        self._pending = 0


def element_text(root: etree._Element) -> str:
    """Readable text of `root`: block boundaries become line or paragraph breaks.

    Inline elements never add breaks and whitespace runs collapse to one space; <br> is a
    line break, paragraphs are separated by one blank line, table cells by a tab, <pre> is
    kept verbatim. The walk uses an explicit stack, so depth is bounded only by memory.

    Args:
        root: any lxml element (a whole document or a fragment); its own tail is ignored.

    Returns:
        The text, without leading or trailing whitespace.
    """
    out = _TextWriter()
    pre: list[str] | None = None  # text of the <pre> being collected, if inside one
    pre_depth = 0
    rows: list[int] = []  # cells seen so far in each open <tr>
    lists: list[_ListState] = []  # the open <ul>/<ol>, innermost last
    stack: list[tuple[etree._Element, bool]] = [(root, False)]
    while stack:
        el, closing = stack.pop()
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if closing:
            if tag == "pre":
                pre_depth -= 1
                if pre_depth == 0 and pre is not None:
                    out.verbatim("".join(pre))
                    pre = None
            elif pre is None:
                if tag == "tr" and rows:
                    rows.pop()
                if tag in _LISTS and lists:
                    lists.pop()
                out.brk(_strength(tag, lists))
            if el is not root and el.tail:
                (pre.append if pre is not None else out.text)(el.tail)
            continue
        if not tag or tag in SKIPPED:
            # Comments, processing instructions and skipped elements: only their tail is text.
            if el is not root and el.tail:
                (pre.append if pre is not None else out.text)(el.tail)
            continue
        if tag == "pre":
            pre_depth += 1
            if pre is None:
                pre = []
        if pre is not None:
            if tag == "br":
                pre.append("\n")
        elif tag == "br":
            out.line_break()
        elif tag == "li" and _is_item(el):
            out.item(_marker(el, lists))
        else:
            out.brk(_strength(tag, lists))
            if tag in _LISTS:
                lists.append(_ListState.of(el))
            elif tag == "tr":
                rows.append(0)
            elif tag in _CELLS and rows:
                if rows[-1]:
                    out.cell()
                rows[-1] += 1
        if el.text:
            (pre.append if pre is not None else out.text)(el.text)
        stack.append((el, True))
        stack.extend((child, False) for child in reversed(el))
    if pre is not None:
        out.verbatim("".join(pre))
    return out.result()


@dataclass(slots=True)
class _ListState:
    """One open list: ordered or not, and the number its next item gets."""

    ordered: bool
    number: int
    step: int

    @classmethod
    def of(cls, el: etree._Element) -> _ListState:
        if el.tag.lower() != "ol":
            return cls(False, 1, 1)
        step = -1 if el.get("reversed") is not None else 1
        default = sum(1 for child in el if isinstance(child.tag, str) and child.tag.lower() == "li")
        return cls(True, _integer(el.get("start"), default if step < 0 else 1), step)


def _strength(tag: str, lists: list[_ListState]) -> int:
    # A list nested in an item stays in its parent's paragraph.
    strength = BLOCK_BREAKS.get(tag, 0)
    return min(strength, 1) if tag in _LISTS and lists else strength


def _is_item(el: etree._Element) -> bool:
    """An item of a real list, not a page-layout cell that wraps whole stories in <li>."""
    return next(el.iter("h1", "h2", "h3", "h4", "h5", "h6", "article", "section", "table"), None) is None


def _marker(el: etree._Element, lists: list[_ListState]) -> str:
    indent = _INDENT * max(0, len(lists) - 1)
    if not lists or not lists[-1].ordered:
        return f"{indent}{_BULLETS[max(0, len(lists) - 1) % len(_BULLETS)]} "
    state = lists[-1]
    number = _integer(el.get("value"), state.number)
    state.number = number + state.step
    return f"{indent}{number}. "


def _integer(value: str | None, default: int) -> int:
    try:
        return int((value or "").strip()) if value and value.strip() else default
    except ValueError:
        return default


def html_to_text(markup: str) -> str:
    """Readable text of an HTML string (document or fragment); see `element_text`."""
    return element_text(parse_html(markup))


def parse_html(markup: str) -> lxml.html.HtmlElement:
    """Parse untrusted HTML into a document tree without losing text to libxml2's depth limit.

    libxml2 silently stops parsing at 256 nested elements, dropping everything after that
    point. Such pages are re-read as flat paragraphs so their text survives.

    Args:
        markup: decoded HTML, with or without <html>/<body>.

    Returns:
        The <html> root element (empty <body> for empty input).
    """
    # Encoding declarations inside a str upset lxml; give it UTF-8 bytes with a fixed encoding.
    data = markup.replace("\x00", "").encode("utf-8", "replace")
    if not data.strip():
        return lxml.html.document_fromstring(b"<html><body></body></html>")
    parser = lxml.html.HTMLParser(encoding="utf-8")
    try:
        root = lxml.html.document_fromstring(data, parser=parser)
    except etree.ParserError:
        return lxml.html.document_fromstring(b"<html><body></body></html>")
    if any(entry.type_name == "ERR_RESOURCE_LIMIT" for entry in parser.error_log):
        return _xml_safe(_flat_document(markup))
    return _xml_safe(root)


# Characters XML 1.0 forbids, which lxml refuses to set as text: C0 controls but tab, LF and CR,
# and the noncharacters U+FFFE and U+FFFF. Vertical tab and form feed are whitespace in HTML.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_SAFE = {c: None for c in [*range(0x09), *range(0x0E, 0x20), 0xFFFE, 0xFFFF]} | {0x0B: " ", 0x0C: " "}


def _xml_safe(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """Remove from every text of the tree the characters lxml would refuse to set back.

    libxml2 keeps raw control characters and makes them from references such as `&#1;`;
    left in, any later move of a text (dropping an element keeps its tail) raises ValueError.
    """
    for el in root.iter():
        if el.text and _NOT_XML.search(el.text):
            el.text = el.text.translate(_XML_SAFE)
        if el.tail and _NOT_XML.search(el.tail):
            el.tail = el.tail.translate(_XML_SAFE)
    return root


# Openers of what never holds text: comments and these elements. Each kind's closer is searched
# for separately (see _without_blocks).
_BLOCK_OPEN = re.compile(r"<(?:(script|style|template|noscript|head)\b|!--)", re.I)
_BLOCK_CLOSE = {
    kind: re.compile(rf"</{kind}\s*>", re.I) for kind in ("script", "style", "template", "noscript", "head")
} | {"!--": re.compile("-->")}
# Tags end at the next "<" as well as at ">", so an unclosed "<" costs one step, not a scan to the end.
_BLOCK_TAG = re.compile(
    r"</?(?:p|div|br|li|ul|ol|h[1-6]|tr|table|blockquote|pre|section|article|header|footer|hr|dd|dt)\b[^<>]*>",
    re.I,
)
_ANY_TAG = re.compile(r"<[^<>]*>")


def _flat_document(markup: str) -> lxml.html.HtmlElement:
    """The text of over-deep HTML as a document of plain paragraphs (structure is given up)."""
    text = _without_blocks(markup)
    text = _ANY_TAG.sub(" ", _BLOCK_TAG.sub("\n", text))
    paragraphs = [" ".join(html_lib.unescape(chunk).split()) for chunk in text.split("\n")]
    body = "".join(f"<p>{html_lib.escape(p)}</p>" for p in paragraphs if p)
    return lxml.html.document_fromstring(
        f"<html><body>{body}</body></html>".encode(), parser=lxml.html.HTMLParser(encoding="utf-8")
    )


def _without_blocks(markup: str) -> str:
    """`markup` without comments and script, style, template, noscript and head elements.

    An opener that is never closed stays. Once one opener of a kind has no closer after it,
    later openers of that kind are not searched again: a lazy `<x>.*?</x>` regex scans to the
    end for every unclosed opener, which is quadratic on pages full of them.
    """
    out: list[str] = []
    pos = 0
    unclosed: set[str] = set()
    for opener in _BLOCK_OPEN.finditer(markup):
        kind = (opener.group(1) or "!--").lower()
        if opener.start() < pos or kind in unclosed:
            continue
        closer = _BLOCK_CLOSE[kind].search(markup, opener.end())
        if closer is None:
            unclosed.add(kind)
            continue
        out += [markup[pos : opener.start()], " "]
        pos = closer.end()
    out.append(markup[pos:])
    return "".join(out)
