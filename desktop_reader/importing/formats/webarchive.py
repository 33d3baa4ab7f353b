"""Safari web archives (.webarchive): the main resource's HTML, in its declared encoding, with its URL."""

from __future__ import annotations

import plistlib
from pathlib import Path

from desktop_reader.errors import ImportFailed
from desktop_reader.importing.decoding import decode
from desktop_reader.models import Metadata, RawDocument

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_webarchive(path: Path, data: bytes) -> RawDocument:
    """The page Safari saved: WebMainResource's data, its text encoding and its URL.

    Raises:
        ImportFailed: not a property list, no main resource, or the main resource is not a page.
    """
    try:
        archive = plistlib.loads(data)
    except (plistlib.InvalidFileException, ValueError, OverflowError, TypeError) as exc:
        raise ImportFailed(path, "not a Safari web archive (not a property list)") from exc
    main = archive.get("WebMainResource") if isinstance(archive, dict) else None
    if not isinstance(main, dict) or not isinstance(main.get("WebResourceData"), bytes):
        raise ImportFailed(path, "not a Safari web archive (no main resource)")
    mime = str(main.get("WebResourceMIMEType", "text/html")).lower()
    if mime not in _HTML_TYPES:
        raise ImportFailed(path, f"the saved page is {mime}, not a web page")
    charset = main.get("WebResourceTextEncodingName")
    html = decode(main["WebResourceData"], path, charset=str(charset) if charset else None, markup=True)
    url = str(main.get("WebResourceURL", ""))
    return RawDocument(
        path=path,
        format="webarchive",
        content=data,
        html=html,
        hints=Metadata(url=url if url.startswith(("http://", "https://")) else ""),
    )
