"""Finding a highlighted passage again in an article's text: a quote selector with a position hint.

A highlight is described the way the W3C Web Annotation model's TextQuoteSelector does it
(the exact quote, up to CONTEXT characters before it and after it), plus the offset where it
was made, as a TextPositionSelector-style hint. `anchor` places it on a text that may have
changed since (a better cleaning after an upgrade, a re-import), trying in turn:

1. **Exact, near the hint**: the quote where the hint says, else every occurrence of the quote;
   the one whose surroundings best agree with the stored prefix/suffix wins, ties going to the
   occurrence nearest the hint ("exact" or "moved").
2. **Context**: the quote itself was edited but its surroundings survive: a stored prefix
   followed, within about twice the quote's length, by the stored suffix, the passage between
   them similar enough to the quote ("context").
3. **Fuzzy**: the best approximate occurrence of the quote (RapidFuzz's partial-ratio alignment,
   an edit-distance score), first in a window around the hint, then in the whole text; accepted
   at a similarity of at least FUZZY_MIN out of 100 ("fuzzy").
4. Otherwise the highlight is **orphaned**: no offsets, and it is never dropped: its quote and
   note stay, the window lists it as orphaned and `show --json` gives null offsets.

Short quotes (under MIN_FUZZY_LEN characters) skip steps 2 and 3: an approximate match of a
word or two is a guess, not the user's passage.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

CONTEXT = 32  # characters of prefix and suffix kept with a quote
FUZZY_MIN = 80.0
CONTEXT_MIN = 50.0  # similarity of the passage between prefix and suffix to the old quote
MIN_FUZZY_LEN = 8
_MAX_OCCURRENCES = 2000


@dataclass(frozen=True, slots=True)
class Selector:
    """What is stored of a highlight's position: quote, context and the offset it had."""

    exact: str
    prefix: str
    suffix: str
    start: int


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a selector lies in a text; start/end None when it is orphaned."""

    start: int | None
    end: int | None
    how: str  # "exact", "moved", "context", "fuzzy" or "orphaned"


ORPHANED = Placement(None, None, "orphaned")


def describe(text: str, start: int, end: int) -> Selector:
    """The selector of text[start:end]."""
    start, end = max(0, start), min(len(text), end)
    return Selector(text[start:end], text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT], start)


def anchor(selector: Selector, text: str) -> Placement:
    """Place `selector` on `text` (see the module docstring for the order of attempts)."""
    exact = selector.exact
    n = len(exact)
    if not n or not text:
        return ORPHANED
    if text.startswith(exact, selector.start) and _context_score(selector, text, selector.start) >= _full(selector):
        return Placement(selector.start, selector.start + n, "exact")
    found = _occurrences(text, exact)
    if found:
        best = max(found, key=lambda pos: (_context_score(selector, text, pos), -abs(pos - selector.start)))
        return Placement(best, best + n, "exact" if best == selector.start else "moved")
    if n < MIN_FUZZY_LEN:
        return ORPHANED
    return _by_context(selector, text) or _fuzzy(selector, text) or ORPHANED


def _occurrences(text: str, needle: str) -> list[int]:
    out: list[int] = []
    pos = text.find(needle)
    while pos >= 0 and len(out) < _MAX_OCCURRENCES:
        out.append(pos)
        pos = text.find(needle, pos + 1)
    return out


def _full(selector: Selector) -> int:
    return len(selector.prefix) + len(selector.suffix)


def _context_score(selector: Selector, text: str, pos: int) -> int:
    """How many characters of the stored prefix and suffix agree with the text around `pos`."""
    before = text[max(0, pos - len(selector.prefix)) : pos]
    after = text[pos + len(selector.exact) : pos + len(selector.exact) + len(selector.suffix)]
    return _common_start(before[::-1], selector.prefix[::-1]) + _common_start(after, selector.suffix)


def _common_start(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _by_context(selector: Selector, text: str) -> Placement | None:
    prefix, suffix, n = selector.prefix, selector.suffix, len(selector.exact)
    if len(prefix) < MIN_FUZZY_LEN or len(suffix) < MIN_FUZZY_LEN:
        return None
    best: tuple[int, int] | None = None
    for p in _occurrences(text, prefix):
        start = p + len(prefix)
        end = text.find(suffix, start, start + 2 * n + len(suffix))
        if end < 0 or not n // 2 <= end - start <= 2 * n:
            continue
        if fuzz.ratio(text[start:end], selector.exact) < CONTEXT_MIN:
            continue
        if best is None or abs(start - selector.start) < abs(best[0] - selector.start):
            best = (start, end)
    return Placement(best[0], best[1], "context") if best else None


def _fuzzy(selector: Selector, text: str) -> Placement | None:
    n = len(selector.exact)
    margin = max(1000, 2 * n)
    lo = max(0, selector.start - margin)
    hi = selector.start + n + margin
    tries = [(lo, text[lo:hi])]
    if lo > 0 or hi < len(text):
        tries.append((0, text))
    for offset, window in tries:
        # With the quote longer than the text RapidFuzz would align the text inside the quote.
        if len(window) < n:
            continue
        got = fuzz.partial_ratio_alignment(selector.exact, window, score_cutoff=FUZZY_MIN)
        if got is not None:
            start, end = _refine(selector.exact, text, offset + got.dest_start, offset + got.dest_end)
            return Placement(start, end, "fuzzy")
    return None


def _refine(exact: str, text: str, start: int, end: int) -> tuple[int, int]:
    """Move the ends of an alignment (always as long as the quote) to where words were added or cut."""
    reach = max(4, min(len(exact) // 4, 64))

    def score(s: int, e: int) -> float:
        return float(fuzz.ratio(exact, text[s:e]))

    start = max(
        range(max(0, start - reach), min(end, start + reach) + 1), key=lambda s: (score(s, end), -abs(s - start))
    )
    end = max(
        range(max(start + 1, end - reach), min(len(text), end + reach) + 1),
        key=lambda e: (score(start, e), -abs(e - end)),
    )
    return start, end
