"""CSV export: one row per article, or one row per highlight (articles without highlights get one row)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from desktop_reader.export.records import ExportItem

ARTICLE_COLUMNS = ("id", "title", "author", "published", "site", "url", "tags", "read", "note", "highlights")
HIGHLIGHT_COLUMNS = ("id", "title", "author", "published", "site", "url", "tags", "read", "note",
                     "highlight", "highlight_note", "color", "start", "end")  # fmt: skip


def to_csv(items: Iterable[ExportItem], rows: str = "article") -> str:
    """`rows`: "article" or "highlight". Tags are joined with "; ", highlights (per article) with blank lines."""
    out = io.StringIO()
    per_highlight = rows == "highlight"
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HIGHLIGHT_COLUMNS if per_highlight else ARTICLE_COLUMNS)
    for item in items:
        a = item.article
        base = [a.id, a.title, a.author, a.published, a.site, a.url, "; ".join(item.tags), int(item.read), item.note]
        if not per_highlight:
            writer.writerow([*base, "\n\n".join(h.quote for h in item.highlights)])
            continue
        for h in item.highlights or [None]:
            if h is None:
                writer.writerow([*base, "", "", "", "", ""])
            else:
                writer.writerow([*base, h.quote, h.note, h.color, _num(h.start), _num(h.end)])
    return out.getvalue()


def _num(value: int | None) -> str:
    return "" if value is None else str(value)
