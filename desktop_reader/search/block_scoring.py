"""Top hits of word queries scored a posting block at a time with numpy, the same BM25F as Whoosh.

Whoosh scores one posting at a time in Python: its matchers call id(), next(), weight() and
the scorer for every document (about 20 microseconds each through a union of four fields),
so a query matching 3,000 of 100,000 articles costs tens of milliseconds before any snippet.
The query shapes the search box produces are terms under Or (one word in every text field)
and And (all the words), quoted phrases, plus date ranges and entity filters: for those, the
scores of every matching document are the same arithmetic over whole posting lists. This
module reads each list once, block by block, and does that arithmetic in arrays: Whoosh's
scorer object gives the constants (idf, average length, B, K1) and the per-document field
lengths come from the segment's length column, so the scores are Whoosh's own
(tests/test_block_scoring.py compares them). The postings come as arrays from the blocks of
our codec (postings.py), nothing unpickled. Anything else (wildcards, fuzzy terms, Not,
proximity) is left to Whoosh.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np
from whoosh import columns, query
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.scoring import BM25FScorer, WeightScorer
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from desktop_reader.search.match_sets import FastRange, MatchSets
from desktop_reader.search.postings import ArrayLeafMatcher, BlockTable, positions_from_deltas, posting_arrays
from desktop_reader.search.schema import MINUTE_US, pubsort_minute

Ids = np.ndarray  # sorted unique int64 document numbers
Scores = np.ndarray  # float64, one per id

# A length byte of 0 means "no length": Whoosh's scorer then uses 1 (its dfl default).
_LENGTH_OF_BYTE = np.array([1.0] + [float(byte_to_length(b)) for b in range(1, 256)])


def can_score(q: query.Query | None) -> bool:
    """True when `q` is made only of what this module scores exactly."""
    if q is None:
        return True
    if type(q) is query.Term:
        return True
    if type(q) is query.Phrase:
        # Adjacent words, in order: what a quoted phrase means (the parser's slop is 1).
        return q.slop == 1 and len(q.words) >= 1
    if isinstance(q, FastRange):
        return True  # matched as a constant-score list, like FastRange's own matcher
    if type(q) in (query.And, query.Or):
        return all(can_score(sub) for sub in q.subqueries) and getattr(q, "scale", None) is None
    return False


@dataclass
class _Scored:
    ids: Ids
    scores: Scores


def _nothing() -> _Scored:
    return _Scored(np.zeros(0, dtype=np.int64), np.zeros(0))


class SegmentArrays:
    """Arrays read from segments, kept between searches: segments never change once written.

    Field lengths of every segment, and the postings of recently searched terms up to a
    memory budget (a user refines a query word by word, and every page of a long result
    list runs the search again).
    """

    def __init__(self, budget_bytes: int = 64 << 20) -> None:
        self._lengths: dict[tuple[str, str], np.ndarray] = {}
        self._postings: OrderedDict[tuple[str, str, bytes], tuple[Ids, np.ndarray]] = OrderedDict()
        self._budget = budget_bytes
        self._used = 0
        self._segments: set[str] = set()

    def lengths(self, leaf: Searcher, field: str) -> np.ndarray:
        reader = leaf.reader()
        key = (reader.segment().segment_id(), field)
        got = self._lengths.get(key)
        if got is None:
            got = self._lengths[key] = _read_lengths(reader, field)
        return got

    def column(self, leaf: Searcher, name: str) -> np.ndarray:
        """A numeric column of the segment (every document's value, deleted ones included), read once."""
        reader = leaf.reader()
        key = (reader.segment().segment_id(), f"column:{name}")
        got = self._lengths.get(key)
        if got is None:
            values = reader.column_reader(name, translate=False)
            got = self._lengths[key] = _read_numbers(values, reader.doc_count_all())
        return got

    def postings(self, leaf: Searcher, field: str, tbytes: bytes) -> tuple[Ids, np.ndarray]:
        """(ids, weights) of a term in a segment, deleted documents included (none if absent)."""
        key = (leaf.reader().segment().segment_id(), field, tbytes)
        got = self._postings.get(key)
        if got is not None:
            self._postings.move_to_end(key)
            return got
        try:
            m = leaf.reader().postings(field, tbytes)
        except TermNotFound:
            got = (np.zeros(0, dtype=np.int64), np.zeros(0))
        else:
            if isinstance(m, FilterMatcher):  # the segment's deletions: applied by the caller
                m = m.child
            got = _compact(*posting_arrays(m))
        size = got[0].nbytes + got[1].nbytes
        if size <= self._budget // 4:
            self._postings[key] = got
            self._used += size
            while self._used > self._budget:
                _, (old_ids, old_weights) = self._postings.popitem(last=False)
                self._used -= old_ids.nbytes + old_weights.nbytes
        return got

    def keep_only(self, segment_ids: set[str]) -> None:
        """Forget segments that are gone (merged away or deleted)."""
        if segment_ids == self._segments:
            return
        self._segments = set(segment_ids)
        for key in [k for k in self._lengths if k[0] not in segment_ids]:
            del self._lengths[key]
        for pkey in [k for k in self._postings if k[0] not in segment_ids]:
            ids, weights = self._postings.pop(pkey)
            self._used -= ids.nbytes + weights.nbytes


def _compact(ids: Ids, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Half-size copies to keep: document numbers fit 32 bits, and weights (term frequency
    times the field's boost) are small whole numbers that float32 holds exactly."""
    small = weights.astype(np.float32)
    return ids.astype(np.int32), small if np.array_equal(small, weights) else weights


def _read_numbers(column: Any, count: int) -> np.ndarray:
    """A numeric column's values as int64, from its bytes in one read (whoosh's NumericColumn
    stores them big-endian, then nothing for the trailing documents that have the default)."""
    if type(column) is not columns.NumericColumn.Reader:  # another column type: one value at a time
        return np.fromiter(column, dtype=np.int64, count=count)
    out = np.full(count, column._default, dtype=np.int64)
    stored = min(column._count, count)
    raw = column._dbfile.get(column._basepos, stored * column._fixedlen)
    out[:stored] = np.frombuffer(raw, dtype=">" + column._typecode, count=stored)
    return out


def _read_lengths(reader: Any, field: str) -> np.ndarray:
    """The field's length (as Whoosh's scorer sees it) of every document in a segment."""
    count = reader.doc_count_all()
    lenfield = f"_{field}_len"  # whoosh3's name for a field's length column
    perdoc: Any = getattr(reader, "_perdoc", None)
    try:
        if not perdoc.has_column(lenfield):
            return np.ones(count)
        col = perdoc._cached_reader(lenfield, LENGTHS_COLUMN)
        raw = np.zeros(count, dtype=np.uint8)
        stored = min(col._count, count)
        raw[:stored] = np.frombuffer(col._dbfile.get(col._basepos, stored), dtype=np.uint8)
    except AttributeError:  # another codec: one document at a time
        return np.array([float(reader.doc_field_length(d, field, 1)) for d in range(count)])
    return _LENGTH_OF_BYTE[raw]


class BlockScorer:
    """Ranks queries for which can_score() is true over one searcher's segments."""

    def __init__(self, searcher: Searcher, arrays: SegmentArrays) -> None:
        self._s = searcher
        self._leaves = list(searcher.leaf_searchers())
        self._arrays = arrays
        self._terms: dict[tuple[int, str, object], _Scored] = {}
        self._deleted: dict[int, Ids] = {}
        arrays.keep_only({leaf.reader().segment().segment_id() for leaf, _ in self._leaves})

    def newest(self, limit: int | None) -> tuple[int, list[tuple[int, float]]]:
        """Every live document, newest first: what Whoosh's sort on `pubsort` (reversed) returns,
        ties by the higher document number first, from the column in one array per segment
        (Whoosh's collector took 200 ms for this at 100,000 articles)."""
        keys: list[np.ndarray] = []
        docs: list[np.ndarray] = []
        for i, (leaf, offset) in enumerate(self._leaves):
            values = self._arrays.column(leaf, "pubsort")
            live = np.ones(values.size, dtype=bool)
            live[self._deleted_ids(i, leaf)] = False
            local = np.flatnonzero(live)
            keys.append(values[local])
            docs.append(local + offset)
        key = np.concatenate(keys) if keys else np.zeros(0, dtype=np.int64)
        doc = np.concatenate(docs) if docs else np.zeros(0, dtype=np.int64)
        total = int(doc.size)
        if limit is not None and limit < total:
            # Only the documents at least as new as the limit-th newest can be among the first.
            cut = np.partition(key, total - limit)[total - limit]
            keep = key >= cut
            key, doc = key[keep], doc[keep]
        order = np.lexsort((doc, key))[::-1]
        if limit is not None:
            order = order[:limit]
        return total, [(int(d), 0.0) for d in doc[order]]

    def rank(
        self,
        q: query.Query,
        first: query.Query | None,
        limit: int | None,
        filter_q: query.Query | None,
        bonus: float,
        units: Sequence[query.Query] = (),
    ) -> tuple[int, list[tuple[int, float]]]:
        """(number of matches, [(docnum, score)] best first), like SearchIndex._rank.

        With `units` (the parts of a query of several words), a document's score is scaled by
        the share of them it matches (coordination). Documents matching `first` (every word
        of the query) get `bonus` added, so they rank above the rest; their score is
        `first`'s, the others' `q`'s.
        """
        all_ids: list[Ids] = []
        all_scores: list[Scores] = []
        allowed = None if filter_q is None else MatchSets(self._s).per_segment(filter_q)
        for i, (leaf, offset) in enumerate(self._leaves):
            got = self._eval(i, leaf, q)
            size = leaf.doc_count_all()
            if len(units) > 1 and got.ids.size:
                matched = np.zeros(got.ids.size)
                for unit in units:
                    matched += _members(got.ids, self._eval(i, leaf, unit).ids, size)
                got = _Scored(got.ids, got.scores * (matched / len(units)))
            if first is not None and got.ids.size:
                top = self._eval(i, leaf, first)
                here, there = _shared(got.ids, top.ids, size)
                if here.size:
                    got = _Scored(got.ids, got.scores.copy())
                    got.scores[here] = top.scores[there] + bonus
            if allowed is not None:
                keep = _members(got.ids, np.fromiter(allowed[i], dtype=np.int64, count=len(allowed[i])), size)
                got = _Scored(got.ids[keep], got.scores[keep])
            all_ids.append(got.ids + offset)
            all_scores.append(got.scores)
        ids = np.concatenate(all_ids) if all_ids else np.zeros(0, dtype=np.int64)
        scores = np.concatenate(all_scores) if all_scores else np.zeros(0)
        total = int(ids.size)
        if limit is not None and total > limit:
            # Only the candidates that can be in the top `limit`, then an exact order.
            cut = np.argpartition(-scores, limit - 1)[:limit]
            threshold = scores[cut].min()
            cand = np.nonzero(scores >= threshold)[0]
        else:
            cand = np.arange(total)
        order = cand[np.lexsort((ids[cand], -scores[cand]))]  # best score first, then docnum (Whoosh's tie order)
        if limit is not None:
            order = order[:limit]
        return total, [(int(d), float(sc)) for d, sc in zip(ids[order], scores[order], strict=True)]

    # -- evaluation per segment --------------------------------------------------------------

    def _eval(self, i: int, leaf: Searcher, q: query.Query) -> _Scored:
        if type(q) is query.Term:
            got = self._term(i, leaf, q.fieldname, q.text)
        elif type(q) is query.Phrase:
            got = self._phrase(i, leaf, q.fieldname, q.words)
        elif isinstance(q, FastRange):
            ids = self._range_ids(i, leaf, q.child)
            return _Scored(ids, np.full(ids.size, float(q.child.boost)))  # FastRange's own score
        elif type(q) is query.Or:
            got = _union([self._eval(i, leaf, sub) for sub in q.subqueries], leaf.doc_count_all())
        elif type(q) is query.And:
            got = _intersection([self._eval(i, leaf, sub) for sub in q.subqueries], leaf.doc_count_all())
        else:  # can_score() keeps everything else away
            raise TypeError(f"cannot score {q!r} by blocks")
        if q.boost != 1.0:
            got = _Scored(got.ids, got.scores * q.boost)
        return got

    def _phrase(self, i: int, leaf: Searcher, field: str, words: Sequence[str]) -> _Scored:
        """Documents with the words at consecutive positions, scored as Whoosh scores a phrase
        (the sum of its words' scores); positions are read only for documents that have every word.
        """
        if len(words) == 1:
            return self._term(i, leaf, field, words[0])
        fieldobj = leaf.schema[field] if field in leaf.schema else None  # noqa: SIM401 (a Schema has no .get)
        if fieldobj is None or not fieldobj.format or not fieldobj.format.supports("positions"):
            return _nothing()
        both = _intersection([self._term(i, leaf, field, w) for w in words], leaf.doc_count_all())
        if not both.ids.size:
            return both
        # Every candidate is checked, not just enough for the top hits: the total is the
        # exact number of matching documents (the result list is that long). A key is
        # (candidate, position of the phrase's first word); a candidate keeps the keys that
        # every word continues, all candidates at once.
        keys: np.ndarray | None = None
        for k, word in enumerate(words):
            owner, positions = self._positions_of(leaf, field, fieldobj.to_bytes(word), both.ids)
            starts = positions - k
            ok = starts >= 0
            here = (owner[ok] << 32) | starts[ok]  # sorted and distinct, as intersect1d assumes
            keys = here if keys is None else np.intersect1d(keys, here, assume_unique=True)
            if not keys.size:
                return _nothing()
        assert keys is not None
        keep = np.unique(keys >> 32)
        return _Scored(both.ids[keep], both.scores[keep])

    def _positions_of(self, leaf: Searcher, field: str, tbytes: bytes, wanted: Ids) -> tuple[np.ndarray, np.ndarray]:
        """The term's positions in the `wanted` documents (which all contain it), as two arrays:
        the index in `wanted` of each position's document, and the position.

        Only the blocks holding a wanted document are read, and only their positions part;
        their arrays are joined first and decoded in one pass (the per-block numpy calls
        were most of a common phrase's cost).
        """
        m = leaf.reader().postings(field, tbytes)
        if isinstance(m, FilterMatcher):
            m = m.child
        if not isinstance(m, ArrayLeafMatcher):  # a list Whoosh keeps inline, or an index being upgraded
            lists: list[list[int]] = []
            while m.is_active() and len(lists) < wanted.size:
                if m.id() == wanted[len(lists)]:
                    lists.append(m.value_as("positions"))
                m.next()
            counts = np.array([len(p) for p in lists], dtype=np.int64)
            flat = np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=int(counts.sum()))
            return np.repeat(np.arange(len(lists), dtype=np.int64), counts), flat
        # Where each wanted document sits in the term's whole list (deletions included, as in
        # the blocks), from the ids its scoring has just read; then its block, and its place
        # among the postings of the blocks read.
        at = np.searchsorted(self._arrays.postings(leaf, field, tbytes)[0], wanted)
        table = BlockTable(m)
        ends = np.cumsum(table.counts)
        block_of = np.searchsorted(ends, at, side="right")
        blocks = np.unique(block_of)
        counts, deltas = table.position_deltas(blocks)
        positions = positions_from_deltas(counts, deltas)
        kept_before = np.zeros(table.counts.size, dtype=np.int64)
        kept_before[blocks] = np.cumsum(table.counts[blocks]) - table.counts[blocks]
        chosen = at - (ends - table.counts)[block_of] + kept_before[block_of]
        picked = counts[chosen]
        first = (np.cumsum(counts) - counts)[chosen]
        runs = np.repeat(first - (np.cumsum(picked) - picked), picked) + np.arange(int(picked.sum()))
        return np.repeat(np.arange(wanted.size, dtype=np.int64), picked), positions[runs]

    def _range_ids(self, i: int, leaf: Searcher, rng: query.Query) -> Ids:
        """Documents in a numeric or date range: the union of its trie terms' postings."""
        by_minute = self._published_ids(i, leaf, rng)
        if by_minute is not None:
            return by_minute
        terms: list[tuple[str, bytes]] = []
        pending = [rng._compile_query(leaf.reader()) if hasattr(rng, "_compile_query") else rng]
        while pending:
            q = pending.pop()
            if isinstance(q, query.WrappingQuery):
                pending.append(q.child)
            elif type(q) is query.Or:
                pending.extend(q.subqueries)
            elif type(q) is query.Term:
                terms.append((q.fieldname, q.text))
            elif isinstance(q, query.MultiTerm):
                terms.extend(q.expanded_terms(leaf.reader()))
            else:  # a shape ranges don't compile to today: the set way
                local = MatchSets(leaf).per_segment(rng)[0]
                return np.array(sorted(local), dtype=np.int64)
        parts = [self._read_term(i, leaf, field, text, scored=False).ids for field, text in terms]
        return np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)

    def _published_ids(self, i: int, leaf: Searcher, rng: query.Query) -> Ids | None:
        """Documents of a `published` range from the segment's pubsort column, or None for another range.

        A range of months expands to hundreds of trie terms whose postings were each read and
        joined (most of a 120 ms `word published:[...]` query at 20,000 articles); the column
        answers it with one comparison per document. The column keeps whole minutes, so only
        bounds on minute boundaries are answered here (the query language's are whole days).
        """
        if not (isinstance(rng, query.NumericRange) and rng.fieldname == "published" and "pubsort" in leaf.schema):
            return None
        start = None if rng.start is None else int(rng.start) + (1 if rng.startexcl else 0)
        end = None if rng.end is None else int(rng.end) - (1 if rng.endexcl else 0)
        if (start is not None and start % MINUTE_US) or (end is not None and (end + 1) % MINUTE_US):
            return None
        minutes = self._arrays.column(leaf, "pubsort")
        inside = minutes >= (1 if start is None else pubsort_minute(start))
        if end is not None:
            inside &= minutes <= pubsort_minute(end)
        ids = np.flatnonzero(inside).astype(np.int64)
        deleted = self._deleted_ids(i, leaf)
        return ids[~_members(ids, deleted, leaf.doc_count_all())] if deleted.size else ids

    def _deleted_ids(self, i: int, leaf: Searcher) -> Ids:
        """The segment's deleted documents, as an array once per search (not once per term)."""
        got = self._deleted.get(i)
        if got is None:
            reader = leaf.reader()
            deleted = reader.deleted_docs_set if reader.has_deletions() else frozenset()
            got = self._deleted[i] = np.fromiter(deleted, dtype=np.int64, count=len(deleted))
        return got

    def _term(self, i: int, leaf: Searcher, field: str, text: object) -> _Scored:
        key = (i, field, text)
        got = self._terms.get(key)
        if got is None:
            got = self._terms[key] = self._read_term(i, leaf, field, text)
        return got

    def _read_term(self, i: int, leaf: Searcher, field: str, text: object, scored: bool = True) -> _Scored:
        if field not in leaf.schema:
            return _nothing()
        try:
            tbytes = text if isinstance(text, bytes) else leaf.schema[field].to_bytes(text)
        except ValueError:
            return _nothing()
        ids, weights = self._arrays.postings(leaf, field, tbytes)
        if not ids.size:
            return _nothing()
        ids, weights = ids.astype(np.int64), weights.astype(np.float64)
        deleted = self._deleted_ids(i, leaf)
        if deleted.size:
            keep = ~_members(ids, deleted, leaf.doc_count_all())
            ids, weights = ids[keep], weights[keep]
        if not scored:
            return _Scored(ids, weights)
        scorer = leaf.weighting.scorer(leaf, field, tbytes)
        if isinstance(scorer, BM25FScorer):
            length = self._arrays.lengths(leaf, field)[ids]
            k1, b = scorer.K1, scorer.B
            scores = scorer.idf * ((weights * (k1 + 1)) / (weights + k1 * ((1 - b) + b * length / scorer.avgfl)))
        elif isinstance(scorer, WeightScorer):  # fields that are not scorable: the weight itself
            scores = weights
        else:
            raise TypeError(f"cannot score with {type(scorer).__name__} by blocks")
        return _Scored(ids, scores)


# Sets of document numbers holding more than 1/_DENSE_SHARE of a segment are joined through
# arrays as long as the segment instead of by sorting (np.unique, np.isin and intersect1d
# sort): a common word's union over four fields sorted 60,000 ids at 100,000 articles.
_DENSE_SHARE = 32


def _dense(count: int, size: int) -> bool:
    return count * _DENSE_SHARE >= size


def _members(ids: Ids, of: Ids, size: int) -> np.ndarray:
    """Which of `ids` (document numbers of a segment of `size`) are in `of`, as booleans."""
    if not _dense(ids.size + of.size, size):
        return np.isin(ids, of)
    mask = np.zeros(size, dtype=bool)
    mask[of] = True
    return mask[ids]


def _shared(ids: Ids, of: Ids, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Where the document numbers both sorted arrays hold stand in each (indexes into `ids`,
    ascending, and into `of`), as intersect1d's return_indices gives them."""
    if not _dense(ids.size + of.size, size):
        _, here, there = np.intersect1d(ids, of, assume_unique=True, return_indices=True)
        return here, there
    where = np.full(size, -1, dtype=np.int64)
    where[of] = np.arange(of.size)
    there = where[ids]
    here = np.flatnonzero(there >= 0)
    return here, there[here]


def _union(parts: Sequence[_Scored], size: int) -> _Scored:
    parts = [p for p in parts if p.ids.size]
    if not parts:
        return _nothing()
    if len(parts) == 1:
        return parts[0]
    if not _dense(sum(p.ids.size for p in parts), size):
        ids, inverse = np.unique(np.concatenate([p.ids for p in parts]), return_inverse=True)
        return _Scored(ids, np.bincount(inverse, weights=np.concatenate([p.scores for p in parts]), minlength=ids.size))
    # Each part's ids are distinct, so += adds each of its scores once; in the parts' order,
    # as bincount does, so the sums are the same to the last bit.
    total = np.zeros(size)
    hit = np.zeros(size, dtype=bool)
    for p in parts:
        total[p.ids] += p.scores
        hit[p.ids] = True
    ids = np.flatnonzero(hit)
    return _Scored(ids, total[ids])


def _intersection(parts: Sequence[_Scored], size: int) -> _Scored:
    if not parts or any(p.ids.size == 0 for p in parts):
        return _nothing()
    ordered = sorted(parts, key=lambda p: p.ids.size)  # smallest first: each step shrinks fastest
    ids, scores = ordered[0].ids, ordered[0].scores
    for p in ordered[1:]:
        here, there = _shared(ids, p.ids, size)
        ids, scores = ids[here], scores[here] + p.scores[there]
        if not ids.size:
            break
    return _Scored(ids, scores)
