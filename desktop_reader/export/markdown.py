"""Markdown export: per article a heading, the citation, URL, tags, the note, then the highlights and their notes."""

from __future__ import annotations

from collections.abc import Iterable

from desktop_reader.export.records import ExportItem, citation


def to_markdown(items: Iterable[ExportItem], title: str = "") -> str:
    lines: list[str] = []
    if title:
        lines += [f"# {_inline(title)}", ""]
    level = "##" if title else "#"
    for item in items:
        a = item.article
        lines += [f"{level} {_inline(a.title or '(untitled)')}", "", _inline(citation(a)), ""]
        if a.url:
            lines += [f"<{a.url}>", ""]
        if item.tags:
            lines += ["Tags: " + ", ".join(f"`{t}`" for t in item.tags), ""]
        if item.note:
            lines += [f"{level}# Note", "", item.note.strip(), ""]
        if item.highlights:
            lines += [f"{level}# Highlights", ""]
            for h in item.highlights:
                quote = " ".join(h.quote.split())
                flag = " *(no longer found in the text)*" if h.orphaned else ""
                lines.append(f"> {quote}{flag}")
                if h.note:
                    lines += ["", f"{h.note.strip()}"]
                lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _inline(text: str) -> str:
    """One line, with the characters that would start Markdown syntax at a line's start escaped."""
    text = " ".join(text.split())
    return "\\" + text if text[:1] in "#>-*+=|" else text
