"""How results read on a terminal: counts with the right plural, snippets as plain text with marked matches."""

from __future__ import annotations

import os
from typing import TextIO

from desktop_reader.models import Snippet

_BOLD, _PLAIN = "\x1b[1m", "\x1b[0m"


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """`1 duplicate`, `2 duplicates`, `1,204 articles`."""
    return f"{count:,} {noun if count == 1 else (nouns or noun + 's')}"


def wants_bold(stream: TextIO) -> bool:
    """Bold only on a terminal, and not when the user asked for no colour (no-color.org)."""
    return stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def plain_snippet(snippet: Snippet | None, *, bold: bool = False) -> str:
    """A snippet as one line of text, each match in [brackets] (or bold on a terminal)."""
    if snippet is None:
        return ""
    left, right = (_BOLD, _PLAIN) if bold else ("[", "]")
    return " ".join(snippet.marked(left, right).split())
