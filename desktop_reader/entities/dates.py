"""Dates as entities: relative and vague ones dropped, absolute ones normalised to ISO (pure functions)."""

from __future__ import annotations

import re
from datetime import date

# Years a bare four-digit number may be: outside this it is a house number, a count or a code.
FIRST_YEAR, LAST_YEAR = 1800, 2100

_MONTHS = {
    name: n
    for n, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[89]\d\d|20\d\d|2100)"
_PATTERNS = [
    re.compile(r"\b(?P<iso>(?:1[89]\d\d|20\d\d)-(?:0[1-9]|1[0-2])(?:-[0-3]\d)?)\b"),
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+{_DAY}\b", re.IGNORECASE),
    re.compile(r"\b(?P<decade>1[89]\d0|20\d0)s\b"),
    re.compile(rf"\b{_YEAR}\b"),
    re.compile(rf"^(?:the\s+)?(?:(?P<rel>last|next|this)\s+)?{_MONTH}$", re.IGNORECASE),
]


def normalise(text: str, anchor: date | None = None) -> tuple[str, int, int] | None:
    """The ISO form of a date mention and the part of `text` it came from, or None when it is no entity.

    "25 March 2005" -> 2005-03-25, "March 2005" -> 2005-03, "2005" -> 2005, "the 1990s" -> 1990s;
    a day or month without a year takes the year of `anchor` (the article's published date). Relative
    and vague dates (today, Monday, this year, annual, two years ago) and bare numbers that cannot be
    years (1119) are None: they name no day a reader could look up.

    Returns:
        (iso, start, end) with start/end offsets of the matched part within `text`.
    """
    for pattern in _PATTERNS:
        m = pattern.search(text)
        if m is None:
            continue
        groups = m.groupdict()
        if groups.get("iso"):
            return m.group(0), m.start(), m.end()
        if groups.get("decade"):
            return f"{groups['decade']}s", m.start(), m.end()
        month = _MONTHS[groups["month"].lower().rstrip(".")] if groups.get("month") else 0
        day = int(groups["day"]) if groups.get("day") else 0
        year = int(groups["year"]) if groups.get("year") else 0
        if not year:
            if anchor is None:
                return None
            year = anchor.year
            if groups.get("rel") == "last" and month >= anchor.month:
                year -= 1
            elif groups.get("rel") == "next" and month <= anchor.month:
                year += 1
        if month and day:
            try:
                return date(year, month, day).isoformat(), m.start(), m.end()
            except ValueError:
                return None
        if month:
            return f"{year:04d}-{month:02d}", m.start(), m.end()
        return f"{year:04d}", m.start(), m.end()
    return None


def anchor_of(published: str) -> date | None:
    """The date an article was published, from its ISO date or date-time ("" or junk: None)."""
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", published or "")
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
