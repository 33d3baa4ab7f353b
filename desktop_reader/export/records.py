"""What an export holds of one article: its metadata and the reader's own data, and the formats known."""

from __future__ import annotations

from dataclasses import dataclass

from desktop_reader.models import Article, Highlight

FORMATS = ("md", "csv", "bibtex", "ris", "csljson")
SUFFIXES = {"md": ".md", "csv": ".csv", "bibtex": ".bib", "ris": ".ris", "csljson": ".json"}


@dataclass(frozen=True, slots=True)
class ExportItem:
    """One article to export."""

    article: Article
    tags: tuple[str, ...] = ()
    note: str = ""
    read: bool = False
    highlights: tuple[Highlight, ...] = ()


def citation(article: Article) -> str:
    """Author. “Title”. Site, date. URL — the parts that are known, in that order."""
    parts: list[str] = []
    if article.author:
        parts.append(f"{article.author.rstrip('.')}.")
    parts.append(f"“{article.title or '(untitled)'}”.")
    where = ", ".join(p for p in (article.site, article.published[:10]) if p)
    if where:
        parts.append(f"{where}.")
    if article.url:
        parts.append(article.url)
    return " ".join(parts)


def year_month_day(published: str) -> list[int]:
    """[year, month, day] as far as the published date tells (CSL's date-parts); [] when unknown."""
    out: list[int] = []
    for part in published[:10].split("-"):
        if not part.isdigit():
            break
        out.append(int(part))
    return out[:3]
