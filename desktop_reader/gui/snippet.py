"""A search snippet (plain text plus match spans, from the core) as safe HTML for the list to paint."""

from __future__ import annotations

import html

from desktop_reader.models import Snippet


def snippet_html(snippet: Snippet, mark_style: str) -> str:
    """Escaped text with each match in a styled span; the only markup is the spans we write.

    The text comes from untrusted pages, but it is plain text: escaping every piece is all
    it takes for no tag, image or link of the original to reach the list.
    """
    out: list[str] = []
    pos = 0
    for start, end in snippet.spans:
        out.append(html.escape(snippet.text[pos:start], quote=False))
        out.append(f'<span style="{mark_style}">{html.escape(snippet.text[start:end], quote=False)}</span>')
        pos = end
    out.append(html.escape(snippet.text[pos:], quote=False))
    return "".join(out).replace("\n", " ")
