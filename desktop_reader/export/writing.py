"""One entry point for every export format."""

from __future__ import annotations

from collections.abc import Sequence

from desktop_reader.errors import ReaderError
from desktop_reader.export.bibliography import to_bibtex, to_csljson, to_ris
from desktop_reader.export.markdown import to_markdown
from desktop_reader.export.records import FORMATS, ExportItem
from desktop_reader.export.table import to_csv


def write(items: Sequence[ExportItem], fmt: str, *, title: str = "", rows: str = "article") -> str:
    """The export of `items` in `fmt` (one of FORMATS) as text."""
    if fmt == "md":
        return to_markdown(items, title)
    if fmt == "csv":
        return to_csv(items, rows)
    if fmt == "bibtex":
        return to_bibtex(items)
    if fmt == "ris":
        return to_ris(items)
    if fmt == "csljson":
        return to_csljson(items)
    raise ReaderError(f"Unknown export format {fmt!r}; use one of {', '.join(FORMATS)}.")
