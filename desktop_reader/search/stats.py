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

    Candidates are the indexed stems of `text` within edit distance 1 of the word's own stem
    (any letter may be the wrong one: "arbour" -> "harbour"), then within 2 for longer words
    (sharing the first letter, which keeps the scan of the term list short); among those at
    the same distance, the one in most documents wins. A stem is not a word ("economi"), so
    it is spelled out again: the user's own ending on the new stem ("barjes" -> "barg" + "es"),
    or a common ending, whichever analyzes back to that stem. Indexing unstemmed words for
    this instead would cost about 40% of indexing speed.
    """
    reader = searcher.reader()
    fixes: dict[str, str] = {}
    for word in words:
        form = snippets.form(word)
        if not form or len(word) < 3 or not word.isalpha() or word in fixes:
            continue
        if any(reader.doc_frequency(f, form) for f in ("text", "title")):
            continue
        for dist, prefix in ((1, 0), (2, 1)):
            if dist == 2 and len(word) < 5:
                break  # two edits turn a short word into almost any other
            found = [
                c
                for c in reader.terms_within("text", form, dist, prefix=prefix)
                if c != form and c not in _NEVER_SUGGESTED and c.isalpha()
            ]
            if found:
                best = max(found, key=lambda c: (reader.doc_frequency("text", c), c))
                fixed = _spell_out(best, fold_name(word), form, snippets)
                if fixed.lower() not in _NEVER_SUGGESTED:
                    fixes[word] = fixed
                break
    return fixes


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


_ENDINGS = ("", "e", "s", "es", "ed", "ing", "ion", "y")


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
        if snippets.form(candidate) == stem:
            return candidate
    return stem
