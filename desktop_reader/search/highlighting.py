"""Where a query matches inside a text: the indexed words and phrases it asks for, as character spans.

This is the one meaning of "a match" outside ranking: the list's snippets and the reader's
highlights both come from `MatchTerms.spans`, so they always mark the same words. A word
matches when its indexed form (lowercased, accent-folded, stemmed by the index's own analyzer)
is one the query matched in the index: a plain word, a prefix or fuzzy expansion, a word of an
entity name. A phrase matches only where its words stand in a row (stop words between them are
skipped, as the index's positions skip them).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from whoosh import query
from whoosh.reading import IndexReader

from desktop_reader.search.schema import ENTITY_QUERY_FIELDS, NAME_WORD_FIELDS, TEXT_FIELDS, WORD_RE
from desktop_reader.search.snippets import SnippetMaker

Span = tuple[int, int]

_MAX_SPANS = 5000  # a reader pane past this many marks is no help to anyone


@dataclass(frozen=True, slots=True)
class MatchTerms:
    """What a query looks for in text, as indexed forms."""

    words: frozenset[str] = frozenset()
    phrases: tuple[tuple[str, ...], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.words or self.phrases)

    @property
    def all_forms(self) -> frozenset[str]:
        return self.words.union(*self.phrases)


class Highlighter:
    """Finds a query's matches in any article text (the reader asks for one per query)."""

    def __init__(self, terms: MatchTerms, forms: SnippetMaker) -> None:
        self.terms = terms
        self._forms = forms

    def spans(self, text: str) -> tuple[Span, ...]:
        """Character spans of `text` that the query matched, in reading order, neighbours not merged."""
        return tuple((s, e) for s, e, _ in find(text, self.terms, self._forms))


def match_terms(q: query.Query, reader: IndexReader, forms: SnippetMaker) -> MatchTerms:
    """The positive text terms of a parsed query with prefixes and fuzzy terms expanded against
    the index, its phrases, and the words of the entity names it asks for."""
    words: set[str] = set()
    phrases: list[tuple[str, ...]] = []
    for leaf in _positive_leaves(q):
        field = leaf.field()
        if field in TEXT_FIELDS:
            if isinstance(leaf, query.Phrase):
                phrase = tuple(_text(w) for w in leaf.words if w)
                if len(phrase) > 1:
                    phrases.append(phrase)
                else:
                    words.update(phrase)
                continue
            for _, text in leaf.expanded_terms(reader, phrases=True):
                words.add(_text(text))
        elif field in ENTITY_QUERY_FIELDS or field in NAME_WORD_FIELDS:
            # A word of a name (person:rutte) expands like a text word: prefixes too.
            for _, text in leaf.expanded_terms(reader, phrases=True):
                name = forms.forms_in_order(_text(text))
                if len(name) > 1:
                    phrases.append(name)
                else:
                    words.update(name)
    return MatchTerms(frozenset(words), tuple(dict.fromkeys(phrases)))


def find(text: str, terms: MatchTerms, forms: SnippetMaker) -> list[tuple[int, int, str]]:
    """(start, end, indexed form) of every matched word of `text`, in order."""
    if not text or not terms:
        return []
    if not terms.phrases:
        return forms.matches(text, terms.words)
    # Phrases need every word's form to know which stand in a row; forms are cached per word.
    tokens = [(m.start(), m.end(), f) for m in WORD_RE.finditer(text) if (f := forms.form(m.group()))]
    marked: dict[int, tuple[int, int, str]] = {}
    for i, (start, end, form) in enumerate(tokens):
        if form in terms.words:
            marked[i] = (start, end, form)
    for phrase in terms.phrases:
        n = len(phrase)
        first = phrase[0]
        for i, token in enumerate(tokens):
            if token[2] == first and tuple(t[2] for t in tokens[i : i + n]) == phrase:
                for j in range(i, i + n):
                    marked[j] = tokens[j]
        if len(marked) > _MAX_SPANS:
            break
    return [marked[i] for i in sorted(marked)][:_MAX_SPANS]


def _text(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _positive_leaves(q: query.Query) -> Iterable[Any]:
    if isinstance(q, query.Not):
        return
    if isinstance(q, query.AndNot):
        yield from _positive_leaves(q.a)
        return
    if isinstance(q, query.Phrase) or q.is_leaf():
        yield q
        return
    for child in q.children():
        yield from _positive_leaves(child)
