"""What the window says when there is nothing to show: what happened, and what to do about it."""

from __future__ import annotations


def count_text(total: int, searching: bool, message: str = "") -> str:
    """ "1 result", "12 articles", with how the query was read after a dash."""
    noun = "result" if searching else "article"
    text = f"{total:,} {noun}{'' if total == 1 else 's'}"
    return f"{text} — {message}" if message else text


def nothing_to_show(query: str, filters: int, library_size: int, deleted: bool = False) -> str:
    """The reader's text when the list is empty."""
    head = "The article was deleted.\n\n" if deleted else ""
    if library_size == 0:
        return (
            f"{head}The library is empty.\n\nImport saved pages with File → Import Files… (Ctrl+O) or "
            "Import Folder… (Ctrl+Shift+O), or drop files or folders on this window."
        )
    what = f"“{query}”" if query else "the search"
    narrowed = " with the chosen entity filters" if filters else ""
    tips = ["check the spelling", "try fewer or other words"]
    if filters:
        tips.append("remove a filter (the ✕ on its chip)")
    tips.append("or press Esc in the search box to list every article")
    return f"{head}No article matches {what}{narrowed}.\n\nYou could {', '.join(tips)}."
