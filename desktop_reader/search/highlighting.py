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
    # Only the query's own words are found; two of them stand in a row when no indexed word
    # stands between them (the index's positions skip stop words). Finding every word's form
    # instead cost 15 ms for a page of snippets.
    spans = forms.matches(text, terms.all_forms)
    marked = {i for i, span in enumerate(spans) if span[2] in terms.words}
    joined: dict[int, bool] = {}

    def next_to_following(i: int) -> bool:
        got = joined.get(i)
        if got is None:
            gap = text[spans[i][1] : spans[i + 1][0]]
            got = joined[i] = not any(forms.form(word) for word in WORD_RE.findall(gap))
        return got

    for phrase in terms.phrases:
        n = len(phrase)
        for i in range(len(spans) - n + 1):
            if all(spans[i + k][2] == phrase[k] for k in range(n)) and all(
                next_to_following(i + k) for k in range(n - 1)
            ):
                marked.update(range(i, i + n))
        if len(marked) > _MAX_SPANS:
            break
    return [spans[i] for i in sorted(marked)][:_MAX_SPANS]


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
