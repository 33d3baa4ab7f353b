"""Turns the index's snippet HTML into safe, highlighted HTML that only we wrote."""

from __future__ import annotations

import html
import re

_TOKEN = re.compile(r"(<b\b[^>]*>|</b>|<[^>]*>)", re.IGNORECASE)


def highlighted_html(snippet: str, mark_style: str) -> str:
    """Keep only the text and which parts were matches; every other tag is dropped.

    The snippet is derived from untrusted pages, so it is re-escaped piece by piece: no tag,
    image or link from the original can survive into the list.
    """
    out: list[str] = []
    depth = 0
    for piece in _TOKEN.split(snippet):
        if not piece:
            continue
        lower = piece.lower()
        if lower.startswith("<b") and piece.endswith(">") and (len(piece) == 3 or piece[2] in " \t>"):
            depth += 1
            if depth == 1:
                out.append(f'<span style="{mark_style}">')
        elif lower == "</b>":
            if depth == 1:
                out.append("</span>")
            depth = max(0, depth - 1)
        elif piece.startswith("<") and piece.endswith(">"):
            continue
        else:
            out.append(html.escape(html.unescape(piece), quote=False))
    if depth:
        out.append("</span>")
    return "".join(out).replace("\n", " ")


def plain_text(snippet: str) -> str:
    return html.unescape(_TOKEN.sub("", snippet))
