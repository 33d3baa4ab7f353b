"""A plain-text citation of an article for the clipboard."""

from __future__ import annotations

from desktop_reader.models import Article


def citation(article: Article) -> str:
    """Author. "Title". Site, date. URL — the parts that are known, in that order."""
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
