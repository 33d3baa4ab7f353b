"""What the search index knows beyond ranking: entity facet counts and spelling fixes."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import chain

from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from desktop_reader.models import Facet
from desktop_reader.search.query_repair import without_lone_quote
from desktop_reader.search.schema import (
    STOP_WORDS,
    decode_facets,
    fold_name,
)
from desktop_reader.search.snippets import SnippetMaker


class FacetTable:
    """Per-document entity keys, read once per index version from the `facets` column.

    Counting then touches only Python tuples: about 0.1 s per 100,000 matching articles.
    """

    def __init__(self) -> None:
        self._reader: IndexReader | None = None
        self._docs: list[tuple[int, ...]] = []
        self._names: list[tuple[str, str]] = []  # key -> (display text, label)
        self._all: Counter[int] | None = None

    def count(self, searcher: Searcher, docnums: Iterable[int] | None, limit: int) -> list[Facet]:
        """Top entities by number of articles among `docnums` (None: every document)."""
        self._load(searcher.reader())
        docs = self._docs
        if docnums is None:
            if self._all is None:
                live = searcher.reader().all_doc_ids()
                self._all = Counter(chain.from_iterable(docs[d] for d in live))
            counts = self._all
        else:
            counts = Counter(chain.from_iterable(docs[d] for d in docnums))
        names = self._names
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], names[kv[0]][0].lower()))
        return [Facet(names[k][0], names[k][1], n) for k, n in ranked[:limit]]

    def _load(self, reader: IndexReader) -> None:
        if reader is self._reader:
            return
        keys: dict[tuple[str, str], int] = {}
        names: list[tuple[str, str]] = []
        docs: list[tuple[int, ...]] = []
        empty: tuple[int, ...] = ()
        for value in reader.column_reader("facets"):
            if not value:
                docs.append(empty)
                continue
            row = []
            for label, text in decode_facets(value):
                key = (label, fold_name(text))
                k = keys.get(key)
                if k is None:
                    k = keys[key] = len(names)
                    names.append((text, label))
                row.append(k)
            docs.append(tuple(row))
        self._reader, self._docs, self._names, self._all = reader, docs, names, None


# Words never offered as a correction: the query language's operators (a user who typed
# "nato" does not mean "not") and words the index drops anyway.
_NEVER_SUGGESTED = frozenset({"and", "or", "not", "andnot", "andmaybe", "require", "to"}) | STOP_WORDS


def spelling_fixes(searcher: Searcher, words: Sequence[str], snippets: SnippetMaker) -> dict[str, str]:
    """For each word of the query that is in no document, the closest word of the library (if any).

    First the words one edit away from what was typed (a letter dropped, added, changed, or two
    neighbours swapped: "electoin" -> "election", "arbour" -> "harbour") whose indexed form is
    in the library; the one in most documents wins. Failing that, the indexed stems within edit
    distance 1 of the word's own stem, then 2 for longer words (sharing the first letter, which
    keeps the scan of the term list short). A stem is not a word ("celebr"), so it is spelled
    out again with the user's ending or a common one, and only a spelling within two edits of
    what was typed is offered. Indexing unstemmed words for this instead would cost about 40%
    of indexing speed.
    """
    reader = searcher.reader()
    fixes: dict[str, str] = {}
    for word in words:
        form = snippets.form(word)
        if not form or len(word) < 3 or not word.isalpha() or word in fixes:
            continue
        if any(reader.doc_frequency(f, form) for f in ("text", "title")):
            continue
        fixed = _one_edit_away(reader, fold_name(word), snippets) or _near_stem(reader, word, form, snippets)
        if fixed:
            fixes[word] = fixed
    return fixes


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _one_edit_away(reader: IndexReader, word: str, snippets: SnippetMaker) -> str:
    """The most common library word one edit (transpositions included) from `word`, or ""."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    # Ranked by how often people make each slip: a swap or a missed letter before a wrong
    # letter, and that before a letter too many.
    edits: dict[str, int] = {}
    for rank, made in enumerate(
        (
            {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1},
            {a + c + b for a, b in splits for c in _LETTERS},
            {a + c + b[1:] for a, b in splits if b for c in _LETTERS},
            {a + b[1:] for a, b in splits if b},
        )
    ):
        for candidate in made:
            edits.setdefault(candidate, rank)
    edits.pop(word, None)
    spellings: dict[str, list[str]] = {}
    counts: dict[str, int] = {}
    for candidate in sorted(edits, key=lambda c: (edits[c], c)):
        if len(candidate) < 2 or candidate in _NEVER_SUGGESTED:
            continue
        form = snippets.form_uncached(candidate)
        if not form or form in _NEVER_SUGGESTED:
            continue
        if form not in counts:
            counts[form] = reader.doc_frequency("text", form) + reader.doc_frequency("title", form)
        if counts[form]:
            spellings.setdefault(form, []).append(candidate)
    if not spellings:
        return ""
    # At equal counts the longer stem explains more of what was typed: "officails" is
    # "officials" (stem "offici"), not "officals" (stem "offic", as in "office").
    stem = max(spellings, key=lambda f: (counts[f], len(f)))
    return _likeliest_word(stem, spellings[stem], edits)


def _likeliest_word(stem: str, spellings: list[str], ranks: dict[str, int]) -> str:
    """Of the edits that analyze to `stem` (likeliest slip first), the one most likely a real word.

    Several misspellings share a stem ("governent" and "government" both give "govern") and
    only the index's stems are known: the stem itself when it was typed, else the likeliest
    slip, and of equally likely ones a stem plus a common ending.
    """
    if stem in spellings:
        return stem
    likeliest = [s for s in spellings if ranks[s] == ranks[spellings[0]]]
    endings = [s for s in likeliest if s.startswith(stem) and s[len(stem) :] in _ENDINGS]
    return (endings or likeliest)[0]


def _near_stem(reader: IndexReader, word: str, form: str, snippets: SnippetMaker) -> str:
    folded = fold_name(word)
    for dist, prefix in ((1, 0), (2, 1)):
        if dist == 2 and len(word) < 5:
            break  # two edits turn a short word into almost any other
        found = [
            c
            for c in reader.terms_within("text", form, dist, prefix=prefix)
            if c != form and c not in _NEVER_SUGGESTED and c.isalpha()
        ]
        spelled = []
        for stem in found:
            fixed = _spell_out(stem, folded, form, snippets)
            if fixed and fixed.lower() not in _NEVER_SUGGESTED and _edits(fixed, folded) <= 2:
                spelled.append((_edits(fixed, folded), -reader.doc_frequency("text", stem), fixed))
        if spelled:
            return min(spelled)[2]
    return ""


def _edits(a: str, b: str) -> int:
    """Edit distance with neighbour swaps counted as one edit (optimal string alignment)."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def suggested_query(searcher: Searcher, query_text: str, words: Sequence[str], snippets: SnippetMaker) -> str:
    """The query with its misspelled words corrected, or "" when there is nothing to correct.

    A quote without a partner is dropped as the search itself dropped it, so the suggestion
    runs as one clean query instead of repeating the repair.
    """
    fixed = spelling_fixes(searcher, words, snippets)
    if not fixed:
        return ""
    out = without_lone_quote(query_text)
    for wrong, right in fixed.items():
        out = re.sub(rf"(?<![\w:]){re.escape(wrong)}(?!\w)", lambda _m, r=right: r, out, count=1)
    return out if out != query_text else ""


_ENDINGS = ("", "e", "s", "es", "ed", "ing", "ion", "y", "ate", "al", "als", "ity", "ment", "er", "ers", "ly")


def _spell_out(stem: str, word: str, word_stem: str, snippets: SnippetMaker) -> str:
    """A word that analyzes to `stem`, preferring the ending the user typed."""
    common = 0
    while common < min(len(word), len(word_stem)) and word[common] == word_stem[common]:
        common += 1
    ending = word[common:] if word_stem == word[:common] else ""
    candidates = [stem + ending] if ending else []
    if stem.endswith("i"):
        candidates += [stem[:-1] + "y", stem[:-1] + "ies"]
    candidates += [stem + e for e in _ENDINGS]
    for candidate in candidates:
        if snippets.form_uncached(candidate) == stem:
            return candidate
    return ""  # no spelling found: better no suggestion than a stem that is not a word
