"""Which words of a query the reader should highlight: phrases and terms, minus operators and exclusions."""

from __future__ import annotations

import re

_TOKEN = re.compile(r'(-?)(?:(\w+):)?(?:"([^"]*)"?|(\S+))')
_OPERATORS = {"and", "or", "not", "to"}


def highlight_terms(query: str) -> list[str]:
    """Words and quoted phrases to find in the text; `-excluded` terms and AND/OR/NOT are skipped."""
    terms: list[str] = []
    for minus, _field, phrase, word in _TOKEN.findall(query):
        if minus:
            continue
        value = phrase if phrase else word
        value = value.strip().strip("()*?~^\"'")
        if not value or value.lower() in _OPERATORS or (value.isupper() and value in {"AND", "OR", "NOT"}):
            continue
        if value.lower() not in (t.lower() for t in terms):
            terms.append(value)
    return terms
