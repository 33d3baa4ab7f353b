"""Search-result snippets: the best ~200 characters of an article, as plain text plus the spans of its matches."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter

from whoosh.analysis import Analyzer

from desktop_reader.models import Snippet
from desktop_reader.search.schema import FOLD_TABLE, WORD_RE

SNIPPET_CHARS = 200
_LEAD = 40  # context kept before the first match when the matches are spread out
_CACHE_LIMIT = 300_000
_SPACES = re.compile(r"\s+")


class SnippetMaker:
    """Finds query terms in article text using the index's own analyzer.

    Each distinct surface word is analyzed once and cached, so a word matches exactly when
    the index would have matched it (stems, folded accents, CJK characters), at the cost of
    one regex scan and a dict lookup per word (about 1-2 ms for 5,000 words).
    """

    def __init__(self, analyzer: Analyzer) -> None:
        self._analyzer = analyzer
        self._forms: dict[str, str] = {}
        self._initials: dict[str, str] = {}  # words seen but not stemmed yet: their first letter

    @staticmethod
    def first_letter(word: str) -> str:
        """The first character of a word's indexed form, without stemming it.

        English stemming only rewrites endings, so a form starts like the lowercased, folded
        word (tests/test_snippets.py checks this on real articles); the snippet scan uses it
        to skip stemming the many words that cannot match.
        """
        return word.lower().translate(FOLD_TABLE)[:1]

    def form(self, word: str) -> str:
        """The indexed form of one word ("" for a stop word)."""
        found = self._forms.get(word)
        if found is None:
            if len(self._forms) > _CACHE_LIMIT:
                self._forms.clear()
            found = next((t.text for t in self._analyzer(word)), "")
            self._forms[word] = found
        return found

    def form_uncached(self, word: str) -> str:
        """`form` without remembering the answer, for the throwaway words a spelling search tries."""
        return next((t.text for t in self._analyzer(word)), "")

    def forms(self, text: str) -> set[str]:
        """Indexed forms of every word of `text` (for turning entity names into highlight terms)."""
        return {f for m in WORD_RE.finditer(text) if (f := self.form(m.group()))}

    def forms_in_order(self, text: str) -> tuple[str, ...]:
        """Indexed forms of the words of `text` in order, stop words left out (an entity name as a phrase)."""
        return tuple(f for m in WORD_RE.finditer(text) if (f := self.form(m.group())))

    def matches(self, text: str, wanted: frozenset[str]) -> list[tuple[int, int, str]]:
        """(start, end, form) of each word of `text` whose indexed form is in `wanted`."""
        if not text or not wanted:
            return []
        form, forms, seen = self.form, self._forms, self._initials
        if len(seen) > _CACHE_LIMIT:
            seen.clear()
        initials = {w[:1] for w in wanted}
        spans: list[tuple[int, int, str]] = []
        for m in WORD_RE.finditer(text):
            word = m.group()
            f = forms.get(word)
            if f is None:
                initial = seen.get(word)
                if initial is None:
                    initial = seen[word] = self.first_letter(word)
                if initial not in initials:
                    continue
                f = form(word)
            if f in wanted:
                spans.append((m.start(), m.end(), f))
        return spans

    def snippet(self, text: str, spans: list[tuple[int, int, str]], width: int = SNIPPET_CHARS) -> Snippet:
        """The part of `text` around its densest cluster of matches (`spans`, from highlighting.find).

        Falls back to the opening of the text when nothing matched.
        """
        if not text:
            return Snippet("")
        if not spans:
            return _render(text, 0, _cut_end(text, width), [])
        first, last = _best_window(spans, width)
        start = _cut_start(text, spans[first][0], spans[last][1], width)
        end = _cut_end(text, start + width)
        starts = [s[0] for s in spans]
        chosen = spans[bisect_right(starts, start - 1) : bisect_right(starts, end - 1)]
        return _render(text, start, end, [(s, e) for s, e, _ in chosen if e <= end])


def _best_window(spans: list[tuple[int, int, str]], width: int) -> tuple[int, int]:
    """Indexes of the first and last span of the window with most distinct terms, then most hits."""
    best = (0, 0, 0, 0)  # distinct, hits, first, last
    counts: Counter[str] = Counter()
    j = 0
    for i, (start, _, term) in enumerate(spans):
        if j <= i:  # a single word wider than the window: start afresh at it
            counts.clear()
            j = i
        while j < len(spans) and (j == i or spans[j][1] - start <= width):
            counts[spans[j][2]] += 1
            j += 1
        score = (len(counts), j - i)
        if score > best[:2]:
            best = (*score, i, j - 1)
        counts[term] -= 1
        if not counts[term]:
            del counts[term]
    return best[2], best[3]


def _cut_start(text: str, first: int, last_end: int, width: int) -> int:
    """Start so the matches sit inside the window with some context before them, at a word start."""
    slack = max(0, width - (last_end - first))
    start = max(0, first - min(_LEAD, slack // 2 + 10))
    if start == 0:
        return 0
    # A sentence start nearby reads better than a cut word.
    sentence = max(text.rfind(". ", start - 30, first), text.rfind("\n", start - 30, first))
    if sentence != -1 and sentence + 1 < first:
        return sentence + 1
    space = text.find(" ", start, first)
    return space + 1 if space != -1 else start


def _cut_end(text: str, end: int) -> int:
    if end >= len(text):
        return len(text)
    space = text.rfind(" ", end - 30, end)
    return space if space != -1 else end


def _render(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> Snippet:
    """`text[start:end]` with runs of white space made one space, ellipses where it was cut, and
    the spans moved onto that new text; neighbours separated only by spaces become one span
    ("Mark Rutte", CJK characters)."""
    out: list[str] = []
    length = 0
    marks: list[tuple[int, int]] = []

    def put(fragment: str) -> None:
        nonlocal length
        out.append(fragment)
        length += len(fragment)

    if start > 0:
        put("…")
    pos = start
    i = 0
    while i < len(spans):
        s, e = spans[i]
        while i + 1 < len(spans) and not text[e : spans[i + 1][0]].strip():
            e = spans[i + 1][1]
            i += 1
        put(_SPACES.sub(" ", text[pos:s]))
        mark_start = length
        put(_SPACES.sub(" ", text[s:e]))
        marks.append((mark_start, length))
        pos = e
        i += 1
    put(_SPACES.sub(" ", text[pos:end]))
    if end < len(text):
        put("…")
    joined = "".join(out)
    lead = len(joined) - len(joined.lstrip())
    joined = joined.strip()
    shifted = tuple((max(0, a - lead), min(len(joined), b - lead)) for a, b in marks)
    return Snippet(joined, tuple((a, b) for a, b in shifted if b > a))
