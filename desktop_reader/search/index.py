"""The Whoosh search index: batched writes, ranked queries with snippets, facets and spelling hints."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from whoosh import query
from whoosh.searching import Searcher

from desktop_reader.errors import QueryError, StorageError
from desktop_reader.models import Facet, IndexDoc, SearchHit, SearchResults
from desktop_reader.search.block_scoring import BlockScorer, SegmentArrays, can_score
from desktop_reader.search.highlighting import Highlighter, MatchTerms, find, match_terms
from desktop_reader.search.index_files import (
    DAMAGED,
    MAX_SEGMENTS,
    BatchWriter,
    clear_index,
    fold_small_segments,
    index_exists,
    index_status,
    merge_all,
    merge_budget,
    open_index,
    open_writer,
)
from desktop_reader.search.match_sets import MatchSets
from desktop_reader.search.query_reading import QueryReader, Reading
from desktop_reader.search.schema import (
    ENTITY_QUERY_FIELDS,
    build_schema,
    entity_field,
    fold_name,
    text_analyzer,
    to_fields,
)
from desktop_reader.search.snippets import SnippetMaker
from desktop_reader.search.stats import FacetTable, suggested_query
from desktop_reader.search.user_terms import UserFacts, UserTerms, split_filter, uses_user_fields, with_user_fields
from desktop_reader.search.weighting import Bm25

# Added to the scores of documents with every plain word of the query, which rank first, so
# scores still fall along the ranking. BM25F scores of real queries stay far below it.
ALL_WORDS_BONUS = 1000.0
# Up to this many plain words a query is keywords, and documents with all of them rank first.
# A longer one is a sentence (a pasted claim or quote): no document need hold every word of
# it, and ranking by relevance alone finds the one that answers it (bench/scifact.py).
MAX_TIERED_WORDS = 4


class SearchIndex:
    """A Whoosh index in one folder, derived from the store and rebuildable at any time.

    The index is created on the first write; until then `status()` says "missing" and
    searches find nothing. Reads may come from any thread (they share one searcher under a
    lock); writes take Whoosh's inter-process write lock.
    """

    def __init__(self, index_dir: Path, *, lock_timeout: float = 3.0, limitmb: int = 128) -> None:
        self._dir = Path(index_dir)
        self._lock_timeout = lock_timeout
        self._limitmb = limitmb
        self._schema = build_schema()
        # The parser also knows tag:, is:, has: and note:, which are answered from the library (user_terms).
        self._reader = QueryReader(with_user_fields(self._schema, text_analyzer()))
        self._user_terms = UserTerms(text_analyzer())
        self._snippets = SnippetMaker(text_analyzer())
        self._lock = threading.RLock()
        self._searcher: Searcher | None = None
        self._facets = FacetTable()
        self._arrays = SegmentArrays()

    # -- state -------------------------------------------------------------------------------

    def status(self) -> str:
        """ "ok", "missing" (no index yet), "outdated" (another schema or format version) or "damaged" (unreadable).

        The caller rebuilds from the store on anything but "ok".
        """
        return index_status(self._dir, self._schema)

    def doc_count(self) -> int:
        """Number of (undeleted) documents."""
        with self._searching() as s:
            return s.doc_count() if s else 0

    def ids(self) -> set[int]:
        """Article ids of every indexed document."""
        with self._searching() as s:
            if s is None:
                return set()
            reader = s.reader()
            col = reader.column_reader("id")
            return {col[n] for n in reader.all_doc_ids()}

    def close(self) -> None:
        """Release the open searcher (files stay as they are)."""
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None

    # -- writing -----------------------------------------------------------------------------

    def clear(self) -> None:
        """Replace whatever is in the folder (even a damaged index) with an empty index."""
        self.close()
        clear_index(self._dir, self._schema, self._lock_timeout)

    def add(self, docs: Iterable[IndexDoc], *, earlier: int = 0) -> int:
        """Add or replace documents (matched on id) with one writer and one commit.

        `earlier`: documents the calling job indexed before this batch, which let the commit
        merge more (merge_budget); a lone small commit never rewrites a big part of the index.

        Returns:
            How many distinct documents were written.

        Raises:
            LibraryLocked: another process kept the index locked for `lock_timeout` seconds.
            StorageError: the index cannot be written (damaged, disk full, read-only).
        """
        seen: set[int] = set()
        again: dict[int, IndexDoc] = {}
        with self._writer(earlier=earlier) as w:
            for doc in docs:
                if doc.id in seen:
                    # Whoosh cannot delete inside the segment being written, so a repeated id
                    # is written again after the commit (rare; the last one wins).
                    again[doc.id] = doc
                    continue
                seen.add(doc.id)
                w.put(to_fields(doc))
        if again:
            self.add(again.values(), earlier=earlier + len(seen))
        return len(seen)

    def delete(self, ids: Iterable[int]) -> int:
        """Delete documents by article id in one commit; returns how many existed."""
        with self._writer() as w:
            return sum(w.delete_id(article_id) for article_id in set(ids))

    def compact(self, job_docs: int | None = None) -> bool:
        """Fold the small segments that imports leave behind into one (see fold_small_segments).

        `job_docs`: what the calling job indexed, which bounds how much may be rewritten
        (merge_budget); None (maintenance, after a rebuild) folds without a bound.
        Returns whether it merged anything.
        """
        with self._searching() as s:
            if s is None or len(s.reader().leaf_readers()) <= MAX_SEGMENTS:
                return False
        budget = None if job_docs is None else merge_budget(job_docs)
        fold = fold_small_segments(MAX_SEGMENTS, budget)
        merged = False

        def policy(writer: Any, segments: list[Any]) -> list[Any]:
            nonlocal merged
            kept = fold(writer, segments)
            merged = len(kept) < len(segments)
            return kept

        with self._writer(mergetype=policy):
            pass
        return merged

    def optimize(self) -> None:
        """Merge all segments into one (after a full rebuild): fastest searching."""
        with self._searching() as s:
            # Whoosh rewrites even a lone segment; skip that.
            if s is None or len(s.reader().leaf_readers()) <= 1:
                return
        with self._writer(mergetype=merge_all):
            pass

    def _writer(self, *, mergetype: Any = None, earlier: int = 0) -> AbstractContextManager[BatchWriter]:
        return open_writer(
            self._dir, self._schema, self._lock_timeout, self._limitmb, mergetype=mergetype, earlier=earlier
        )

    # -- reading -----------------------------------------------------------------------------

    def search(
        self,
        query_text: str,
        *,
        limit: int | None = 50,
        sort: str = "relevance",
        text_of: Callable[[int], str | None] | None = None,
        snippets: int = 20,
        filters: Sequence[tuple[str, str]] = (),
        snippet_start: int = 0,
        user: UserFacts | None = None,
    ) -> SearchResults:
        """Ranked hits for a query (see query_reading for the language).

        Args:
            query_text: What the user typed; "" lists every document, newest first.
            limit: Hits to return (None: all).
            sort: "relevance" (BM25F; documents with every plain word first) or "date" (newest first).
            text_of: Gives an article's text for its snippet; None leaves snippets empty.
            snippets: How many of the first hits get a snippet.
            filters: (field or spaCy label, name) exact entity filters, ANDed.
            snippet_start: Hits ranked before this get no snippet (a list that fetches its next
                page runs the search again and already has the earlier ones).
            user: Answers tag:, is:, has: and note: (None: those match nothing).
        """
        if sort not in ("relevance", "date"):
            raise QueryError(f"Unknown sort order {sort!r}: use 'relevance' or 'date'.")
        with self._searching() as s:
            reading, user_sets = self._with_user(self._read(query_text), user)
            if s is None or reading.query is None:
                return SearchResults((), 0, message=reading.message)
            by_date = sort == "date" or isinstance(reading.query, query.Every)
            filter_q = _all_of(self._filter(filters), user_sets)
            wanted = None if limit is None else max(1, limit)
            try:
                total, ranked = self._rank(s, reading, wanted, by_date, filter_q)
            except Exception:  # a query shape Whoosh only rejects while matching: read it as words
                reading, _ = self._with_user(self._read(" ".join(re.findall(r"\w+", query_text)), fallback=True), user)
                if reading.query is None:
                    return SearchResults((), 0, message=reading.message)
                total, ranked = self._rank(s, reading, wanted, by_date, filter_q)
            ids = s.reader().column_reader("id")
            terms = MatchTerms()
            if text_of is not None and snippets > 0 and ranked:
                terms = match_terms(reading.query, s.reader(), self._snippets)
            hits = []
            for rank, (docnum, score) in enumerate(ranked):
                article_id = ids[docnum]
                snippet = None
                if text_of is not None and snippet_start <= rank < snippets:
                    text = text_of(article_id) or ""
                    snippet = self._snippets.snippet(text, find(text, terms, self._snippets))
                hits.append(SearchHit(article_id, score, snippet))
            suggestion = self._suggest(s, query_text, reading) if reading.words else ""
        return SearchResults(tuple(hits), total, suggestion=suggestion, message=reading.message)

    def _rank(
        self, s: Searcher, reading: Reading, limit: int | None, by_date: bool, filter_q: query.Query | None
    ) -> tuple[int, list[tuple[int, float]]]:
        """The number of matches and the (docnum, score) of the first `limit`, best first."""
        if not by_date and can_score(reading.query) and can_score(reading.first):
            # Word queries (the usual ones): every match scored in arrays, the same BM25F as Whoosh's.
            return self._rank_by_blocks(s, reading, limit, filter_q)
        if isinstance(reading.query, query.Every) and filter_q is None:
            # Everything by date (a query of stop words only reads as that): from the date column.
            return BlockScorer(s, self._arrays).newest(limit)
        return self._rank_by_whoosh(s, reading, limit, by_date, filter_q)

    def _rank_by_blocks(
        self, s: Searcher, reading: Reading, limit: int | None, filter_q: query.Query | None
    ) -> tuple[int, list[tuple[int, float]]]:
        assert reading.query is not None
        first, units = _tiers(reading)
        return BlockScorer(s, self._arrays).rank(reading.query, first, limit, filter_q, ALL_WORDS_BONUS, units)

    def _rank_by_whoosh(
        self, s: Searcher, reading: Reading, limit: int | None, by_date: bool, filter_q: query.Query | None
    ) -> tuple[int, list[tuple[int, float]]]:
        """Whoosh's matchers, for wildcards, fuzzy terms, negations, proximity and date order.

        With a limit, Whoosh's own count is not the number of matches: its matchers drop the
        parts of a query that can no longer reach the top hits (and with block skipping it has
        no count at all), so MatchSets counts instead.
        """
        q = reading.query
        assert q is not None
        run = {"filter": filter_q, "terms": False}
        if by_date:
            results = s.search(q, limit=limit, sortedby="pubsort", reverse=True, **run)
            ranked = [(results.docnum(i), 0.0) for i in range(results.scored_length())]
        else:
            first, units = _tiers(reading)
            ranked = []
            if first is not None:
                # Documents with every plain word first, scored on their own so Whoosh can skip
                # the posting blocks that cannot reach the top; then the best of the rest.
                ranked = _ranked(s.search(first, limit=limit, **run), bonus=ALL_WORDS_BONUS)
            if limit is None or len(ranked) < limit:
                seen = {docnum for docnum, _ in ranked}  # all of them: fewer than the limit
                more = None if limit is None else limit - len(ranked)
                if units:  # coordination reorders every match: score them all, then cut
                    rest = _coordinated(s, _ranked(s.search(q, limit=None, mask=seen or None, **run)), units)
                    ranked += rest[:more]
                else:
                    ranked += _ranked(s.search(q, limit=more, mask=seen or None, **run))
        if limit is None:
            return len(ranked), ranked
        return MatchSets(s).count(q if filter_q is None else query.And([q, filter_q])), ranked

    def highlighter(self, query_text: str) -> Highlighter:
        """What the query matches in any text, exactly as the snippets mark it (for the reader)."""
        reading = self._read(query_text)
        if reading.query is None or isinstance(reading.query, query.Every):
            # No searcher for nothing to mark: the list refreshes this way after every commit of
            # an import, and opening the changed index each time stalled the window.
            return Highlighter(MatchTerms(), self._snippets)
        with self._searching() as s:
            if s is None:
                return Highlighter(MatchTerms(), self._snippets)
            return Highlighter(match_terms(reading.query, s.reader(), self._snippets), self._snippets)

    def matching_ids(
        self, query_text: str, filters: Sequence[tuple[str, str]] = (), user: UserFacts | None = None
    ) -> list[int]:
        """Every matching article id in rank order (empty query: all, newest first)."""
        return [hit.id for hit in self.search(query_text, limit=None, snippets=0, filters=filters, user=user).hits]

    def suggest(self, query_text: str) -> str:
        """A corrected query when some plain word is not in the index, else ""."""
        with self._searching() as s:
            return self._suggest(s, query_text, self._read(query_text)) if s else ""

    def facets(
        self,
        query_text: str = "",
        limit: int = 30,
        filters: Sequence[tuple[str, str]] = (),
        user: UserFacts | None = None,
    ) -> list[Facet]:
        """The entities in most of the query's matching articles (counted over every match)."""
        with self._searching() as s:
            if s is None:
                return []
            reading, user_sets = self._with_user(self._read(query_text), user)
            if reading.query is None:
                return []
            filter_q = _all_of(self._filter(filters), user_sets)
            q = reading.query if filter_q is None else query.And([reading.query, filter_q])
            docnums = None if isinstance(q, query.Every) else MatchSets(s).docnums(q)
            return self._facets.count(s, docnums, limit)

    def _suggest(self, s: Searcher, query_text: str, reading: Reading) -> str:
        return suggested_query(s, query_text, reading.words, self._snippets)

    def _read(self, query_text: str, *, fallback: bool = False) -> Reading:
        # A command line hands undecodable bytes over as lone surrogates, which the index
        # cannot encode; they can't match anything anyway.
        query_text = query_text.encode("utf-8", "ignore").decode("utf-8")
        with self._lock:  # one QueryReader (and its parser) serves every thread
            reading = self._reader.read(query_text)
        if fallback:
            note = f"Could not run the query as written; searched for the words {query_text!r}."
            reading = Reading(reading.query, f"{note} {reading.message}".strip(), reading.words, first=reading.first)
        return reading

    def _with_user(self, reading: Reading, user: UserFacts | None) -> tuple[Reading, list[query.Query]]:
        """The reading with its user-field parts answered; top-level AND parts come back apart, as filters."""
        if reading.query is None or not uses_user_fields(reading.query):
            return reading, []
        notes = list(reading.notes)
        q, sets = split_filter(self._user_terms.resolve(reading.query, user, notes))
        first, _ = split_filter(self._user_terms.resolve(reading.first, user, notes))
        if isinstance(first, query.Every):
            first = None
        return Reading(q, " ".join(notes), reading.words, tuple(notes), first), list(sets)

    def _filter(self, filters: Sequence[tuple[str, str]]) -> query.Query | None:
        terms = []
        for name, value in filters:
            field = entity_field(name)
            if field is None:
                fields = ", ".join(ENTITY_QUERY_FIELDS)
                raise QueryError(f"Unknown entity filter {name!r}; use one of {fields} or a spaCy label.")
            terms.append(query.Term(field, fold_name(value)))
        return query.And(terms) if terms else None

    @contextmanager
    def _searching(self) -> Iterator[Searcher | None]:
        with self._lock:
            try:
                if self._searcher is not None and not self._searcher.up_to_date():
                    # Not Searcher.refresh(): its reader reuse keeps a segment's old deletions
                    # (deleted documents stay visible), so open a new searcher instead.
                    self._searcher.close()
                    self._searcher = None
                if self._searcher is None:
                    if not index_exists(self._dir):
                        yield None
                        return
                    self._searcher = open_index(self._dir, self._schema).searcher(weighting=Bm25())
            except Exception as exc:
                self._searcher = None
                raise StorageError(DAMAGED) from exc
            # An index with no segments (just cleared, or killed before its first commit) has an
            # EmptyReader, which has no columns at all: treat it as having nothing to search.
            yield self._searcher if self._searcher.doc_count_all() else None


def _all_of(filter_q: query.Query | None, more: Sequence[query.Query]) -> query.Query | None:
    parts = ([filter_q] if filter_q is not None else []) + list(more)
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else query.And(parts)


def _tiers(reading: Reading) -> tuple[query.Query | None, tuple[query.Query, ...]]:
    """The query of documents that rank first (None: no such tier) and the parts whose share
    a document matches scales its score (none for a query of one part)."""
    first = reading.first
    units = tuple(first.subqueries) if isinstance(first, query.And) else ()
    if len(units) > MAX_TIERED_WORDS:
        first = None
    return first, units if len(units) > 1 else ()


def _coordinated(s: Searcher, ranked: list[tuple[int, float]], units: Sequence[query.Query]) -> list[tuple[int, float]]:
    """Scores scaled by the share of `units` each document matches, best first (BlockScorer's rule)."""
    sets = MatchSets(s)
    matched = [sets.docnums(unit) for unit in units]
    scaled = [(d, sc * sum(d in m for m in matched) / len(units)) for d, sc in ranked]
    scaled.sort(key=lambda pair: (-pair[1], pair[0]))
    return scaled


def _ranked(results: Any, bonus: float = 0.0) -> list[tuple[int, float]]:
    return [(results.docnum(i), float(results.score(i) or 0.0) + bonus) for i in range(results.scored_length())]
