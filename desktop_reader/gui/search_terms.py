"""Which words of a query the reader should highlight: phrases and terms, minus operators and exclusions."""

from __future__ import annotations

import re
import unicodedata

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


def _accent_classes() -> dict[str, str]:
    """Each ASCII letter with the accented Latin letters that fold to it (é, è, ê... for e)."""
    variants: dict[str, set[str]] = {}
    for code in range(0x00C0, 0x0250):
        char = chr(code)
        base = unicodedata.normalize("NFKD", char)[0]
        if base.isascii() and base.isalpha():
            variants.setdefault(base.lower(), set()).update({char.lower(), char.upper()})
    return {base: "".join(sorted(chars)) for base, chars in variants.items()}


_ACCENTS = _accent_classes()


def folding_pattern(term: str) -> str:
    """A regex for `term` that matches with or without accents, as the index does (cafe finds café).

    Spaces match any run of white space, so phrases survive line breaks.
    """
    out: list[str] = []
    for char in unicodedata.normalize("NFKD", term):
        if unicodedata.combining(char):
            continue
        if char.isspace():
            if not out or out[-1] != r"\s+":
                out.append(r"\s+")
        elif char.lower() in _ACCENTS:
            base = char.lower()
            out.append(f"[{base}{base.upper()}{_ACCENTS[base]}]")
        else:
            out.append(re.escape(char))
    return "".join(out)
