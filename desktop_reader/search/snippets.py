"""Search-result snippets: the best ~200 characters of an article with matched words in <b class="match">."""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable

from whoosh.analysis import Analyzer

from desktop_reader.search.schema import FOLD_TABLE, WORD_RE

SNIPPET_CHARS = 200
_LEAD = 40  # context kept before the first match when the matches are spread out
_CACHE_LIMIT = 300_000
_OPEN = '<b class="match">'
_CLOSE = "</b>"
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

    def forms(self, text: str) -> set[str]:
        """Indexed forms of every word of `text` (for turning entity names into highlight terms)."""
        return {f for m in WORD_RE.finditer(text) if (f := self.form(m.group()))}

    def snippet(self, text: str, terms: Iterable[str], width: int = SNIPPET_CHARS) -> str:
        """HTML snippet of `text` around its densest cluster of `terms` (indexed forms).

        Falls back to the opening of the text when no term occurs in it.
        """
        wanted = frozenset(terms)
        if not text:
            return ""
        form, forms, seen = self.form, self._forms, self._initials
        if len(seen) > _CACHE_LIMIT:
            seen.clear()
        initials = {w[:1] for w in wanted}
        spans: list[tuple[int, int, str]] = []
        if wanted:
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


def _render(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> str:
    parts: list[str] = ["…"] if start > 0 else []
    pos = start
    i = 0
    while i < len(spans):
        s, e = spans[i]
        # Merge neighbours separated only by spaces: "Mark Rutte", CJK characters.
        while i + 1 < len(spans) and not text[e : spans[i + 1][0]].strip():
            e = spans[i + 1][1]
            i += 1
        parts.append(_plain(text[pos:s]))
        parts.append(_OPEN + _plain(text[s:e]) + _CLOSE)
        pos = e
        i += 1
    parts.append(_plain(text[pos:end]))
    if end < len(text):
        parts.append("…")
    return "".join(parts).strip()


def _plain(fragment: str) -> str:
    return html.escape(_SPACES.sub(" ", fragment))
