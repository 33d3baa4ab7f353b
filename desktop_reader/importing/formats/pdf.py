"""PDF files (.pdf), including web pages a browser printed: text layer, metadata and source URL (pypdfium2)."""

from __future__ import annotations

import ctypes
import re
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_reader.errors import ImportFailed
from desktop_reader.importing.page_metadata import normalize_date, strip_site_name
from desktop_reader.importing.pdf_text import Line, article_paragraphs, paragraphs, split_furniture
from desktop_reader.models import Metadata, RawDocument

if TYPE_CHECKING:
    import pypdfium2

_XMP = re.compile(rb"<x:xmpmeta.*?</x:xmpmeta>", re.S)
_XMP_FIELD = {
    "title": re.compile(r"<dc:title>.*?<rdf:li[^>]*>(.*?)</rdf:li>", re.S),
    "author": re.compile(r"<dc:creator>.*?<rdf:li[^>]*>(.*?)</rdf:li>", re.S),
    "published": re.compile(r"<(?:dc:date>.*?<rdf:li[^>]*|xmp:CreateDate)>(.*?)<", re.S),
}
# Loose boxes are missing for a few fonts; browsers' text is then in CSS pixels (3/4 pt) of a font
# whose line box is about 1.1 em.
_FALLBACK_SCALE = 0.83
_PDF_DATE = re.compile(r"D:(\d{4})(\d{2})?(\d{2})?")
# A browser's CreationDate is when the page was printed, not when it was published.
_BROWSERS = re.compile(r"Chrome|Mozilla|Firefox|Safari|Skia|WebKit|wkhtmltopdf", re.I)


def read_pdf(path: Path, data: bytes) -> RawDocument:
    """The text of a PDF's text layer, cleaned of print furniture, with its metadata as hints.

    Pages without any text (scans) are counted and reported as a warning; a PDF with no text at
    all is still imported, so the file is in the library and the warning says why it is empty.

    Raises:
        ImportFailed: not a PDF, damaged beyond reading, or protected by a password.
    """
    start = data.find(b"%PDF-", 0, 1024)
    if start < 0:
        raise ImportFailed(path, f"not a PDF file{_looks_like(data)}")
    import pypdfium2  # here, not at the top: the window imports this module and opens no PDF at start

    try:
        pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ImportFailed(path, "this PDF is protected by a password") from exc
        raise ImportFailed(path, "damaged or truncated PDF: it cannot be opened") from exc
    try:
        lines, empty_pages = _lines(pdf)
        info = pdf.get_metadata_dict(skip_empty=True)
        pages = len(pdf)
    finally:
        pdf.close()
    body, furniture = split_furniture(lines, pages)
    text = "\n\n".join(article_paragraphs(paragraphs(body)))
    warnings = (f"no text layer: {empty_pages} page{'s' if empty_pages > 1 else ''}",) if empty_pages else ()
    return RawDocument(
        path=path,
        format="pdf",
        content=data,
        text=text,
        hints=_metadata(info, _xmp(data), body, furniture.url),
        warnings=warnings,
    )


def _lines(pdf: pypdfium2.PdfDocument) -> tuple[list[Line], int]:
    lines: list[Line] = []
    empty = 0
    for number in range(len(pdf)):
        page = pdf[number]
        try:
            height = page.get_height()
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            if not text.strip():
                empty += 1
                continue
            index = 0
            # PDFium numbers the characters of get_text_range() one to one, generated line breaks
            # included, so the first character of each line places the line: its origin on the
            # baseline, and its loose box as tall as the font, whatever the glyph.
            for raw in text.split("\r\n"):
                if raw.strip():
                    first = index + len(raw) - len(raw.lstrip())
                    left, bottom, _, top = textpage.get_charbox(first, loose=True)
                    size = top - bottom if top - bottom > 1 else _FALLBACK_SCALE * _font_size(textpage, first)
                    lines.append(Line(number, raw, left, _baseline(textpage, first, bottom), size, height))
                index += len(raw) + 2
            textpage.close()
        finally:
            page.close()
    return lines, empty


def _baseline(textpage: pypdfium2.PdfTextPage, index: int, fallback: float) -> float:
    x, y = ctypes.c_double(), ctypes.c_double()
    import pypdfium2.raw as pdfium_c

    if pdfium_c.FPDFText_GetCharOrigin(textpage.raw, index, ctypes.byref(x), ctypes.byref(y)):
        return float(y.value)
    return fallback


def _font_size(textpage: pypdfium2.PdfTextPage, index: int) -> float:
    import pypdfium2.raw as pdfium_c

    return float(pdfium_c.FPDFText_GetFontSize(textpage.raw, index)) or 10.0


def _xmp(data: bytes) -> dict[str, str]:
    # XMP packets are stored uncompressed so that tools can find them without a PDF parser.
    packet = _XMP.search(data[-2_000_000:]) or _XMP.search(data[:2_000_000])
    if packet is None:
        return {}
    xml = packet.group().decode("utf-8", "replace")
    found = {key: pattern.search(xml) for key, pattern in _XMP_FIELD.items()}
    return {key: _unescape(m.group(1)) for key, m in found.items() if m and m.group(1).strip()}


def _unescape(text: str) -> str:
    import html

    return html.unescape(" ".join(text.split()))


def _metadata(info: dict[str, str], xmp: dict[str, str], body: list[Line], url: str) -> Metadata:
    printed = bool(_BROWSERS.search(info.get("Creator", "") + info.get("Producer", "")))
    published = xmp.get("published", "") or ("" if printed else _pdf_date(info.get("CreationDate", "")))
    title = xmp.get("title") or info.get("Title", "")
    # A printed page's title is the tab's: "Headline | Site".
    title = (strip_site_name(title) if printed else title) or _first_page_title(body)
    return Metadata(
        title=title.strip(),
        author=(xmp.get("author") or info.get("Author", "")).strip(),
        published=normalize_date(published) if published else "",
        url=url,
    )


def _pdf_date(value: str) -> str:
    m = _PDF_DATE.match(value)
    return "-".join(part for part in m.groups() if part) if m else ""


def _first_page_title(body: list[Line]) -> str:
    """The biggest line of the first page's top half, as title pages set it."""
    first = [line for line in body if line.page == body[0].page] if body else []
    top = [line for line in first if line.top > line.page_height / 2 and len(line.text.strip()) > 3]
    if not top:
        return ""
    tallest = max(line.height for line in top)
    return " ".join(line.text.strip() for line in top if line.height >= 0.9 * tallest)[:300]


def _looks_like(data: bytes) -> str:
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        return " (it is an HTML page renamed to .pdf)"
    return ""
