"""E-books (.epub, EPUB 2 and 3): package metadata and the spine's documents in order, one article per book."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from desktop_reader.errors import ImportFailed
from desktop_reader.importing.decoding import decode
from desktop_reader.importing.zip_limits import open_archive, read_member
from desktop_reader.models import Metadata, RawDocument

_NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
}
_DOCUMENTS = ("application/xhtml+xml", "text/html", "application/x-dtbook+xml")
# Nothing in these is the book's text: the cover, the title page (title and author again) and
# the table of contents, as Calibre, pandoc, Sigil and InDesign name them.
_NOT_TEXT = re.compile(r"(?:^|[_\-.])(?:cover|title[_-]?page|half[_-]?title|toc|nav)(?:$|[_\-.])", re.I)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)


def read_epub(path: Path, data: bytes) -> RawDocument:
    """The book as one HTML document (the spine's bodies in order) with the package's metadata.

    Raises:
        ImportFailed: not a ZIP, no package document, nothing readable in the spine, or a zip bomb.
    """
    archive = open_archive(path, data)
    container = _xml(path, read_member(path, archive, "META-INF/container.xml"))
    rootfile = container.find(".//c:rootfile", _NS)
    opf_name = rootfile.get("full-path", "") if rootfile is not None else ""
    if not opf_name:
        raise ImportFailed(path, "not a valid EPUB (no package document named in META-INF/container.xml)")
    opf = _xml(path, read_member(path, archive, opf_name))
    base = posixpath.dirname(opf_name)
    manifest = {item.get("id", ""): item for item in opf.iterfind(".//opf:manifest/opf:item", _NS) if item.get("href")}
    bodies = []
    for ref in opf.iterfind(".//opf:spine/opf:itemref", _NS):
        item = manifest.get(ref.get("idref", ""))
        if item is None or ref.get("linear") == "no" or item.get("media-type") not in _DOCUMENTS:
            continue
        if _is_furniture(item):
            continue
        name = posixpath.normpath(posixpath.join(base, unquote(item.get("href", ""))))
        page = decode(read_member(path, archive, name), path, markup=True)
        bodies.append(_body(page))
    if not any(b.strip() for b in bodies):
        raise ImportFailed(path, "no readable text in this EPUB's spine")
    html = "<html><body>" + "\n".join(f"<section>{b}</section>" for b in bodies) + "</body></html>"
    return RawDocument(path=path, format="epub", content=data, html=html, hints=_metadata(opf))


def _xml(path: Path, data: bytes) -> etree._Element:
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ImportFailed(path, f"not a valid EPUB ({exc})") from exc
    if root is None:
        raise ImportFailed(path, "not a valid EPUB (empty package file)")
    return root


def _is_furniture(item: etree._Element) -> bool:
    props = (item.get("properties") or "").split()
    if "nav" in props:
        return True
    stem = posixpath.splitext(posixpath.basename(item.get("href", "")))[0]
    return bool(_NOT_TEXT.search(stem) or _NOT_TEXT.search(item.get("id") or ""))


def _body(page: str) -> str:
    """The inside of a chapter's <body> (its head holds only the chapter's own title and styles)."""
    lower = page.lower()
    start = lower.find("<body")
    start = lower.find(">", start) + 1 if start >= 0 else 0
    end = lower.rfind("</body>")
    return page[start : end if end > start else len(page)]


def _metadata(opf: etree._Element) -> Metadata:
    def first(tag: str) -> str:
        el = opf.find(f".//opf:metadata/dc:{tag}", _NS)
        if el is None:  # EPUB 2 files sometimes leave the metadata element unnamespaced
            el = opf.find(f".//dc:{tag}", _NS)
        return " ".join((el.text or "").split()) if el is not None else ""

    creators = [" ".join((el.text or "").split()) for el in opf.iterfind(".//dc:creator", _NS)]
    return Metadata(
        title=first("title"),
        author=", ".join(c for c in creators if c),
        published=first("date"),
        language=language if len(language := first("language").split("-")[0].lower()) in (2, 3) else "",
    )
