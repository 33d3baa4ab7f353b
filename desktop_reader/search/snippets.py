"""Search-result snippets: the best ~200 characters of an article, as plain text plus the spans of its matches."""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator

from whoosh.analysis import Analyzer

from desktop_reader.models import Snippet
from desktop_reader.search.schema import CJK_CHARS, FOLD_TABLE, WORD_RE

SNIPPET_CHARS = 200
_LEAD = 40  # context kept before the first match when the matches are spread out
_CACHE_LIMIT = 300_000
_SPACES = re.compile(r"\s+")
_CJK_RE = re.compile(f"[{CJK_CHARS}]")


class SnippetMaker:
    """Finds query terms in article text using the index's own analyzer.

    Each distinct surface word is analyzed once and cached, so a word matches exactly when
    the index would have matched it (stems, folded accents, CJK characters); a scan for
    matches only makes strings of the words that start with a wanted form's first letter.
    """

    def __init__(self, analyzer: Analyzer) -> None:
        self._analyzer = analyzer
        self._forms: dict[str, str] = {}

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
        form = self.form
        cjk_text = not text.isascii() and _CJK_RE.search(text) is not None
        finder = _tokens_starting_with(frozenset(w[:1] for w in wanted), cjk_text)
        if cjk_text:
            return [(m.start(), m.end(), f) for m in finder.finditer(text) if (f := form(m.group())) in wanted]
        # The distinct words first (one C-level findall), then only the wanted ones looked
        # for where they stand: a match object per word was most of the scan's cost.
        found = {word: f for word in set(finder.findall(text)) if (f := form(word)) in wanted}
        spans = [(start, start + len(word), f) for word, f in found.items() for start in _token_starts(text, word)]
        spans.sort()
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


def _token_starts(text: str, word: str) -> Iterator[int]:
    """Where `word` stands in `text` as a whole WORD_RE token (for text without CJK characters,
    where a token is word characters joined by single dots, as in "U.S")."""
    end = len(text)
    at = text.find(word)
    while at >= 0:
        after = at + len(word)
        if not (
            (at and _is_word_char(text[at - 1]))
            or (at > 1 and text[at - 1] == "." and _is_word_char(text[at - 2]))
            or (after < end and _is_word_char(text[after]))
            or (after + 1 < end and text[after] == "." and _is_word_char(text[after + 1]))
        ):
            yield at
        at = text.find(word, at + 1)


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"  # what \w matches in a str pattern


@functools.lru_cache(maxsize=256)
def _tokens_starting_with(initials: frozenset[str], cjk_text: bool) -> re.Pattern[str]:
    """WORD_RE's tokens, but only those whose first letter (`SnippetMaker.first_letter`) is one
    of `initials`: the regex engine skips the rest without making a string of each word, which
    was most of the snippets' cost (they were a quarter of a search at 100,000 articles).

    The same tokens as WORD_RE, cut at the same places: a word run starts where no run
    character (nor one followed by a joining dot, as in "U.S") comes before it.
    """
    starts = _starting_characters()
    # Characters without a first letter of their own, and word characters beyond the first
    # plane, are always tried: the form check decides.
    chars = "".join(starts.get(i, "") for i in initials) + starts.get("", "")
    # Without CJK characters in the text a word run is just \w, whose pattern compiles in a
    # fraction of a millisecond (the exact class takes 5 ms, for every new set of initials).
    run = f"[^\\W{CJK_CHARS}]" if cjk_text else "\\w"
    # One character class first, so that the regex engine skips to its characters in C; an
    # astral character must then be a word character (the first plane's ones all are).
    # With the class behind an alternative the scan took three times as long.
    first = f"[{chars}\U00010000-\U0010ffff](?<={run})"
    pattern = f"{first}(?<!{run}.)(?<!{run}\\..){run}*(?:\\.{run}+)*"
    cjk = "".join(i for i in initials if _CJK_RE.match(i))
    return re.compile(f"[{cjk}]|{pattern}" if cjk else pattern)


@functools.cache
def _starting_characters() -> dict[str, str]:
    """First letter -> every character of the first plane that starts a word run with it (50 ms, once)."""
    chars = [c for c in map(chr, range(0x10000)) if (c.isalnum() or c == "_") and not _CJK_RE.match(c)]
    # One translate over all of them: lower() may lengthen a character ("İ"), so they are kept apart.
    folded = "\x00".join(c.lower() for c in chars).translate(FOLD_TABLE).split("\x00")
    out: dict[str, list[str]] = {}
    for c, f in zip(chars, folded, strict=True):
        out.setdefault(f[:1], []).append(c)
    # Letters, digits and "_" need no escaping inside a character class.
    return {k: "".join(v) for k, v in out.items()}


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
