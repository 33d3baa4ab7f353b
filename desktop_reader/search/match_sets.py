"""Exact sets of matching documents read from posting lists: counts and masks without scoring.

Whoosh counts the matches of a limited search by running the query again, one document at a
time through its matchers (a few microseconds per posting in Python, so about 0.3 s for a
common word at 100,000 articles), and miscounts when its matchers have pruned the query.
Queries are mostly terms under And, Or and Not, plus ranges and expansions (prefixes, fuzzy
terms), which are unions of terms: for all of those the answer is set algebra over posting
lists, read here a whole block (up to 128 postings) at a time. Phrases need positions and are
left to Whoosh's own matcher, checked only against the documents the rest of an And allows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import reduce

from whoosh import matching, query
from whoosh.matching import Matcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import IndexReader, TermNotFound
from whoosh.searching import Searcher

DocSet = set[int]


class MatchSets:
    """Evaluates queries to document-number sets over one searcher's segments.

    Results are kept per segment (local document numbers) so that counting never has to
    shift numbers; `docnums` gives the searcher-wide numbers when a caller needs them.
    """

    def __init__(self, searcher: Searcher) -> None:
        self._leaves = [(leaf, offset) for leaf, offset in searcher.leaf_searchers()]
        self._live: dict[int, DocSet] = {}

    def per_segment(self, q: query.Query) -> list[DocSet]:
        """Local document numbers matching `q`, one set per segment."""
        return [
            _Evaluator(leaf, lambda i=i, leaf=leaf: self._live_docs(i, leaf)).ids(q)  # type: ignore[misc]
            for i, (leaf, _) in enumerate(self._leaves)
        ]

    def count(self, q: query.Query) -> int:
        return sum(len(ids) for ids in self.per_segment(q))

    def docnums(self, q: query.Query) -> DocSet:
        """Searcher-wide document numbers matching `q` (what Whoosh's filter and mask take)."""
        out: DocSet = set()
        for ids, (_, offset) in zip(self.per_segment(q), self._leaves, strict=True):
            out.update(ids if not offset else (d + offset for d in ids))
        return out

    def _live_docs(self, i: int, leaf: Searcher) -> DocSet:
        live = self._live.get(i)
        if live is None:
            live = self._live[i] = set(leaf.reader().all_doc_ids())
        return live


class FastRange(query.WrappingQuery):  # type: ignore[misc]
    """A numeric or date range whose matcher is its document list, read in one pass.

    Whoosh matches a range as a constant-score union of trie-term ranges and lists its
    documents one at a time through union matchers (about 0.15 s for two months of a 20,000
    article archive); reading the same posting lists by blocks takes a few milliseconds.
    """

    def matcher(self, searcher: Searcher, context: object = None) -> Matcher:
        live = lambda: set(searcher.reader().all_doc_ids())  # noqa: E731
        ids = sorted(_Evaluator(searcher, live).ids(self.child))
        if not ids:
            return matching.NullMatcher()
        return matching.ListMatcher(ids, all_weights=self.child.boost)


def with_fast_ranges(q: query.Query) -> query.Query:
    """`q` with every numeric or date range matched as a FastRange."""
    if isinstance(q, query.NumericRange):
        return FastRange(q)
    if isinstance(q, FastRange):
        return q
    return q.apply(with_fast_ranges)


class _Evaluator:
    def __init__(self, leaf: Searcher, live: Callable[[], DocSet]) -> None:
        self._leaf = leaf
        self._reader: IndexReader = leaf.reader()
        self._live = live

    def ids(self, q: query.Query) -> DocSet:
        if isinstance(q, query.Term) and type(q) is query.Term:
            return self._term(q.fieldname, q.text)
        if isinstance(q, query.And):
            return self._intersect(q.subqueries)
        if isinstance(q, query.Or):
            return reduce(set.union, (self.ids(sub) for sub in q.subqueries), set())
        if isinstance(q, query.AndNot):
            return self.ids(q.a) - self.ids(q.b)
        if isinstance(q, query.Not):
            return self._live() - self.ids(q.query)
        if isinstance(q, query.Require):
            return self._intersect([q.a, q.b])
        if isinstance(q, query.AndMaybe):
            return self.ids(q.a)
        if isinstance(q, query.Every) and not q.fieldname:
            return set(self._live())
        if isinstance(q, query.MultiTerm):  # prefixes, wildcards, fuzzy terms, term ranges
            return reduce(set.union, (self._term(f, t) for f, t in q.expanded_terms(self._reader)), set())
        if isinstance(q, query.NumericRange) and hasattr(q, "_compile_query"):
            # Numbers and dates are indexed as trie terms without positions: a union of short
            # posting lists, cheap to read (Whoosh itself compiles the range to that union).
            return self.ids(q._compile_query(self._reader))
        if isinstance(q, query.WrappingQuery):  # boosts and constant scores don't change what matches
            return self.ids(q.child)
        if q is query.NullQuery or isinstance(q, type(query.NullQuery)):
            return set()
        return set(self._leaf.docs_for_query(q))

    def _intersect(self, subs: Iterable[query.Query]) -> DocSet:
        # Posting-list parts first; a phrase or range is then only checked on their matches,
        # which is how "word published:[...]" avoids reading every document in the range.
        cheap: list[query.Query] = []
        costly: list[query.Query] = []
        for sub in subs:
            (cheap if _from_postings(sub) else costly).append(sub)
        out: DocSet | None = None
        for sub in cheap:
            ids = self.ids(sub)
            out = ids if out is None else out & ids
            if not out:
                return set()
        for sub in costly:
            out = self.ids(sub) if out is None else self._among(sub, out)
            if not out:
                return set()
        return out if out is not None else set()

    def _among(self, q: query.Query, candidates: DocSet) -> DocSet:
        """The candidates that `q` matches, by skipping its matcher to each of them."""
        try:
            size = q.estimate_size(self._reader)
        except ValueError:  # Whoosh's estimate fails on some empty expansions
            size = len(candidates) * 4
        if len(candidates) * 4 > size:  # walking q's own matches is cheaper than skipping to each candidate
            return candidates & set(self._leaf.docs_for_query(q))
        m = q.matcher(self._leaf, self._leaf.boolean_context())
        keep: DocSet = set()
        for d in sorted(candidates):
            if not m.is_active():
                break
            if m.id() < d:
                m.skip_to(d)
                if not m.is_active():
                    break
            if m.id() == d:
                keep.add(d)
        return keep

    def _term(self, field: str, text: object) -> DocSet:
        try:
            m = self._reader.postings(field, text)
        except TermNotFound:
            return set()
        return _posting_ids(m)


_SET_ALGEBRA = (query.And, query.Or, query.AndNot, query.Not, query.Require, query.AndMaybe, query.WrappingQuery)


def _from_postings(q: query.Query) -> bool:
    """True when `ids` answers `q` by set algebra alone (no phrase, range or expansion)."""
    if type(q) is query.Term or q is query.NullQuery:
        return True
    if isinstance(q, query.Every | query.NumericRange | query.MultiTerm):
        return True
    return isinstance(q, _SET_ALGEBRA) and all(_from_postings(c) for c in q.children())


def _posting_ids(m: Matcher) -> DocSet:
    """Every id of a fresh posting matcher, a block at a time where the codec allows it."""
    deleted: set[int] | None = None
    if isinstance(m, FilterMatcher) and m._exclude:  # a segment's deletions
        deleted, m = m._ids, m.child
    if not all(hasattr(m, a) for a in ("_read_ids", "_next_block", "_atend", "_i")):
        return set(m.all_ids()) - (deleted or set())  # another codec: the slow, public way
    ids: DocSet = set()
    while m.is_active():
        if m._ids is None:
            m._read_ids()
        ids.update(m._ids[m._i :])
        m._i = len(m._ids)
        m._next_block()
    return ids - deleted if deleted else ids
