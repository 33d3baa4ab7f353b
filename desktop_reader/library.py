"""The public API of the core: one object over the store, the index and the jobs, for the CLI and GUI."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import TypeVar

from desktop_reader import paths
from desktop_reader.entities.curation import Rule, UnknownType, fold, parse_type, parse_types
from desktop_reader.entities.extractor import EntityExtractor, installed_models
from desktop_reader.errors import ReaderError
from desktop_reader.export.records import ExportItem, citation
from desktop_reader.export.writing import write as write_export
from desktop_reader.jobs import pipeline
from desktop_reader.jobs.curating import Curated, Curator
from desktop_reader.jobs.preparation import prepare_many
from desktop_reader.models import (
    ENTITY_GROUPS,
    Article,
    ArticleSummary,
    Entity,
    Facet,
    FailedFile,
    Highlight,
    ImportReport,
    ReadingMarks,
    SavedSearch,
    SearchResults,
    TagCount,
)
from desktop_reader.progress import Job, Progress
from desktop_reader.search.highlighting import Highlighter
from desktop_reader.search.index import SearchIndex
from desktop_reader.storage.anchoring import describe
from desktop_reader.storage.store import Store
from desktop_reader.storage.user_data import StoredHighlight, UserData
from desktop_reader.storage.write_lock import WriteLock

T = TypeVar("T")

__all__ = ["Curated", "EntityCount", "Library", "Rule", "UnknownType"]


@dataclass(frozen=True, slots=True)
class EntityCount:
    """An entity with how many articles mention it and how often."""

    text: str
    label: str
    articles: int
    mentions: int


@dataclass(frozen=True, slots=True)
class Extracted:
    """One file cleaned and its entities found without storing it (`Library.extract`)."""

    path: Path
    title: str = ""
    text: str = ""
    entities: tuple[Entity, ...] = ()
    error: str = ""  # why the file could not be read; empty when it was


class Library:
    """An archive of articles in one data folder: the one door the CLI and the window use.

    Reads may come from any thread (each gets its own SQLite connection); writes (the
    jobs and `delete`) must come from one thread at a time. `store` and `index` are the
    subsystems below; the front ends never touch them, only the core's own tests and the
    benchmarks do.
    """

    def __init__(
        self,
        data_dir: Path | None = None,
        *,
        model: str | None = None,
        extractor: EntityExtractor | None = None,
        workers: int | None = None,
    ) -> None:
        self.data_dir = Path(data_dir) if data_dir else paths.data_dir()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.store = Store(self.data_dir)
        self.user_data = UserData(self.store)
        self.index = SearchIndex(paths.index_dir(self.data_dir))
        self._model = model or None
        self._extractor = extractor
        self.workers = min(2, os.cpu_count() or 1) if workers is None else workers
        self.lock_wait = 600.0  # seconds a job waits for another process's import to finish
        self.curator = Curator(self.store)

    def _exclusive(self, job: Job[T]) -> Job[T]:
        """Run a writing job under the library's write lock, queueing behind another writer."""
        lock = WriteLock(self.data_dir)
        deadline = time.monotonic() + self.lock_wait
        while not lock.try_acquire():
            if time.monotonic() >= deadline:
                raise lock.locked_error()
            yield Progress(0, 0, lock.waiting_message())
            time.sleep(0.25)
        try:
            return (yield from job)
        finally:
            lock.release()

    @cached_property
    def extractor(self) -> EntityExtractor:
        """The entity extractor; the model itself loads on first use, not here."""
        return self._extractor or EntityExtractor(model=self._model)

    def close(self) -> None:
        self.store.close()

    @staticmethod
    def citation(article: Article) -> str:
        """A plain-text citation (author, title, site, date, URL), as the Markdown export writes it."""
        return citation(article)

    @staticmethod
    def installed_models() -> list[str]:
        """English spaCy pipelines that are installed, best first (nothing is loaded to find out)."""
        return installed_models()

    @staticmethod
    def entity_labels(word: str) -> tuple[str, ...]:
        """The spaCy labels a type word means ("person", "org", "place", "date" or a label).

        Raises:
            UnknownType: no such type; its message lists the valid ones.
        """
        return parse_types(word)

    def generation(self) -> int:
        """A number that changes with every write to the library, by this process or another."""
        return self.store.generation()

    def articles_without_entities(self) -> int:
        """How many articles still wait for entities (the model was missing when they came in)."""
        return len(self.store.without_entities())

    @staticmethod
    def extract(paths: Iterable[Path | str], *, model: str | None = None) -> Iterator[Extracted]:
        """Clean each file and find its entities, one at a time, without a library or storing anything."""
        extractor = EntityExtractor(model=model)
        for path in map(Path, paths):
            (result,) = prepare_many([path], extractor)
            if isinstance(result, FailedFile):
                yield Extracted(path, error=result.reason)
            else:
                yield Extracted(path, result.clean.meta.title, result.clean.text, tuple(result.entities or ()))

    # -- jobs (generators of Progress; drive them with progress.drive) --------------------

    def import_paths(
        self, sources: Iterable[Path | str], *, entities: bool = True, interactive: bool = False
    ) -> Job[ImportReport]:
        """Import files and folders; Progress as files are read, each ImportOutcome as payload.

        `interactive`: smaller commits, for a window whose thread shares the GIL with the writer.
        """
        return self._exclusive(
            pipeline.import_files(
                [Path(s) for s in sources],
                self.store,
                self.index,
                extractor=self.extractor if entities else None,
                workers=self.workers,
                batching=pipeline.INTERACTIVE if interactive else pipeline.THROUGHPUT,
            )
        )

    def index_problem(self) -> str:
        """Why the index must be repaired before use, or "" when it is current."""
        return pipeline.index_problem(self.store, self.index)

    def sync_index(self) -> Job[int]:
        """Repair or catch up the index from the store (what start-up runs when index_problem() says so)."""
        return self._exclusive(pipeline.sync_index(self.store, self.index))

    def reindex(self) -> Job[int]:
        """Rebuild the whole index from the store."""
        return self._exclusive(pipeline.sync_index(self.store, self.index, rebuild=True))

    def refresh_entities(self, *, everything: bool = False) -> Job[int]:
        return self._exclusive(pipeline.refresh_entities(self.store, self.index, self.extractor, everything=everything))

    # -- reading ------------------------------------------------------------------------

    def count(self) -> int:
        return self.store.count()

    def article(self, article_id: int) -> Article:
        """One article, its entities as the user's rules have them (the reader highlights these)."""
        article = self.store.get(article_id)
        return replace(article, entities=self.curator.entities_of(article.entities))

    def list_articles(self, offset: int = 0, limit: int = 200, *, newest_first: bool = True) -> list[ArticleSummary]:
        """All articles, newest first (the list with no query)."""
        return self.store.page(offset, limit, newest_first)

    def search(
        self,
        query: str,
        *,
        limit: int | None = 50,
        sort: str = "relevance",
        filters: Sequence[tuple[str, str]] = (),
        snippets: int = 20,
        snippet_start: int = 0,
    ) -> tuple[SearchResults, list[ArticleSummary]]:
        """Ranked results and, in the same order, their list rows with score and snippet
        (for the hits ranked from `snippet_start` to `snippets`)."""
        results = self.index.search(
            query,
            limit=limit,
            sort=sort,
            text_of=self.store.text,
            snippets=snippets,
            filters=filters,
            snippet_start=snippet_start,
            user=self.user_data,
        )
        rows = self.store.summaries([h.id for h in results.hits])
        summaries = []
        for hit in results.hits:
            row = rows.get(hit.id)
            if row is None:  # in the index but deleted meanwhile
                continue
            summaries.append(
                ArticleSummary(
                    id=row.id,
                    title=row.title,
                    site=row.site,
                    published=row.published,
                    snippet=hit.snippet,
                    score=hit.score,
                    url=row.url,
                    source_path=row.source_path,
                )
            )
        return results, summaries

    def highlighter(self, query: str) -> Highlighter:
        """Where `query` matches in any article's text: the same words the result snippets mark."""
        return self.index.highlighter(query)

    def facets(
        self,
        query: str = "",
        *,
        limit: int = 30,
        filters: Sequence[tuple[str, str]] = (),
        per_type: int | None = None,
    ) -> list[Facet]:
        """The entities in most of a query's results ("" : the whole archive), curated names.

        Counted by results mentioning them, not mentions. `per_type`: up to that many of each type
        group (people, organisations, places, dates, other) instead of the `limit` overall.
        """
        wanted = 1_000_000 if per_type else limit
        facets = self.curator.facets(self.index.facets(query, limit=wanted, filters=filters, user=self.user_data))
        if not per_type:
            return facets[:limit]
        taken: dict[str, int] = {}
        out = []
        for facet in facets:
            group = ENTITY_GROUPS.get(facet.label, "Other")
            if taken.get(group, 0) < per_type:
                taken[group] = taken.get(group, 0) + 1
                out.append(facet)
        return out

    def entities(self, *, label: str | None = None, query: str = "", limit: int = 50) -> list[EntityCount]:
        """Entities archive-wide, or within a query's results, most widespread first.

        `label`: a spaCy label or a type word ("person", "place": every place label).
        """
        labels = parse_types(label) if label else None
        if not query.strip():
            return [EntityCount(t.text, t.label, t.articles, t.mentions) for t in self.curator.totals(labels, limit)]
        facets = [f for f in self.facets(query, limit=max(limit * 4, 200)) if not labels or f.label in labels]
        facets = facets[:limit]
        mentions = self.curator.mentions_in(self.index.matching_ids(query, user=self.user_data))
        return [EntityCount(f.text, f.label, f.articles, mentions.get(fold(f.text), 0)) for f in facets]

    # -- curation: the user's entity rules, applied at once; the index catches up (sync_index) ----

    def entity_rules(self) -> list[Rule]:
        """Every curation rule, oldest first."""
        return self.curator.book.rules()

    def merge_entities(self, names: Sequence[str], into: str, *, label: str = "") -> Curated:
        """Count every name in `names` as `into` (label: a type word or spaCy label; default: into's)."""
        return self._curate(lambda: self.curator.merge(names, into, parse_type(label) if label else ""))

    def rename_entity(self, old: str, new: str) -> Curated:
        return self._curate(lambda: self.curator.rename(old, new))

    def retype_entity(self, name: str, label: str) -> Curated:
        return self._curate(lambda: self.curator.retype(name, parse_type(label)))

    def ignore_entities(self, names: Sequence[str]) -> Curated:
        """Never count these names as entities again (until unignored)."""
        return self._curate(lambda: self.curator.ignore(names))

    def unignore_entity(self, name: str) -> Curated:
        return self._curate(lambda: self.curator.unignore(name))

    def alias_entity(self, name: str, existing: str) -> Curated:
        """Count `name` as the existing entity `existing`, wherever it occurs."""
        return self._curate(lambda: self.curator.alias(name, existing))

    def undo_curation(self) -> Curated | None:
        """Take back the last curation action; None when there is nothing to undo."""
        return self._curate(self.curator.undo)

    def last_curation(self) -> str:
        """What `undo_curation` would take back ("" when nothing)."""
        return self.curator.book.last_action()

    def export_rules(self, path: Path | str) -> int:
        """Write every rule to a JSON file; returns how many."""
        return self.curator.export(Path(path))

    def import_rules(self, path: Path | str) -> Curated:
        """Add the rules of an exported JSON file."""
        return self._curate(lambda: self.curator.import_rules(Path(path)))

    def _curate(self, action: Callable[[], T]) -> T:
        with WriteLock(self.data_dir).held():
            return action()

    # -- writing ------------------------------------------------------------------------

    def delete(self, article_id: int) -> None:
        """Delete from the store first: if the index update is lost, start-up reconciles it.

        The article's tags, note and highlights are kept, detached, and come back if the same
        file is imported again (`forget_deleted_user_data` removes them).
        """
        with WriteLock(self.data_dir).held():
            self.store.delete(article_id)
            self.index.delete([article_id])

    def stats(self) -> dict[str, object]:
        return {
            "articles": self.store.count(),
            "index_docs": self.index.doc_count() if self.index.status() == "ok" else 0,
            "index_status": self.index.status(),
            "unindexed": self.store.unindexed_count(),
            "without_entities": len(self.store.without_entities()),
            "data_dir": str(self.data_dir),
        }

    # -- the reader's own data: tags, notes, read state, highlights, saved searches ---------
    # Small single-transaction writes on SQLite only (no index write, no library write lock):
    # tag:, is:, has: and note: are answered from the database at query time.

    def matching_ids(self, query: str, *, filters: Sequence[tuple[str, str]] = ()) -> list[int]:
        """Every article id a query finds, in rank order ("" = all, newest first)."""
        return self.index.matching_ids(query, filters, user=self.user_data)

    def marks(self, ids: Sequence[int]) -> dict[int, ReadingMarks]:
        """Read state, tags, note and highlight count per article, for lists and search output."""
        return self.user_data.marks(ids)

    def tags(self, article_id: int) -> tuple[str, ...]:
        return self.user_data.tags_of(article_id)

    def all_tags(self) -> list[TagCount]:
        """Every tag with its number of articles, by name."""
        return self.user_data.tag_counts()

    def add_tags(self, ids: Iterable[int], names: Iterable[str]) -> list[tuple[int, str]]:
        """Tag articles (tags are created on the fly); returns the (id, tag) pairs that are new."""
        return self.user_data.add_tags(list(ids), list(names))

    def remove_tags(self, ids: Iterable[int], names: Iterable[str]) -> list[tuple[int, str]]:
        """Untag articles; returns the (id, tag) pairs removed."""
        return self.user_data.remove_tags(list(ids), list(names))

    def rename_tag(self, old: str, new: str) -> None:
        """Rename a tag everywhere; onto an existing name, the two tags merge."""
        self.user_data.rename_tag(old, new)

    def merge_tags(self, sources: Iterable[str], target: str) -> None:
        self.user_data.merge_tags(list(sources), target)

    def delete_tag(self, name: str) -> None:
        self.user_data.delete_tag(name)

    def note(self, article_id: int) -> str:
        return self.user_data.note(article_id)

    def set_note(self, article_id: int, text: str) -> str:
        """Set an article's Markdown note ("" removes it); returns the previous note (for undo)."""
        return self.user_data.set_note(article_id, text)

    def is_read(self, article_id: int) -> bool:
        return self.user_data.is_read(article_id)

    def mark_read(self, ids: Iterable[int], read: bool = True) -> list[int]:
        """Mark articles read or unread; returns the ids that changed."""
        return self.user_data.set_read(list(ids), read)

    def unread_count(self) -> int:
        return self.user_data.unread_count()

    def highlights(self, article_id: int) -> list[Highlight]:
        """The article's highlights placed on its current text (orphaned ones last, without offsets)."""
        return self.user_data.highlights(article_id, self.store.text(article_id))

    def add_highlight(
        self,
        article_id: int,
        quote: str = "",
        *,
        start: int | None = None,
        end: int | None = None,
        color: str = "yellow",
        note: str = "",
    ) -> Highlight:
        """Highlight text[start:end], or the first occurrence of `quote` in the article's text.

        Raises:
            ReaderError: the quote is not in the text (or the range is empty).
        """
        text = self.store.get(article_id).text
        if start is None or end is None:
            start, end = find_quote(text, quote)
            if start < 0:
                raise ReaderError(f"The quote {quote!r} is not in the text of article {article_id}.")
        if not 0 <= start < end <= len(text):
            raise ReaderError("Select some text of the article to highlight.")
        highlight_id = self.user_data.add_highlight(article_id, describe(text, start, end), color, note)
        return next(h for h in self.highlights(article_id) if h.id == highlight_id)

    def update_highlight(self, highlight_id: int, *, color: str | None = None, note: str | None = None) -> None:
        self.user_data.update_highlight(highlight_id, color=color, note=note)

    def delete_highlight(self, highlight_id: int) -> StoredHighlight | None:
        """Delete a highlight; returns what `restore_highlight` needs to undo it."""
        return self.user_data.delete_highlight(highlight_id)

    def restore_highlight(self, stored: StoredHighlight) -> None:
        self.user_data.restore_highlight(stored)

    def save_search(
        self, name: str, query: str, *, filters: Sequence[tuple[str, str]] = (), sort: str = "relevance"
    ) -> SavedSearch:
        """Save a search; its current results count as seen (only later ones are new)."""
        self.user_data.save_search(SavedSearch(name, query, tuple(filters), sort))
        return self.open_saved_search(name)

    def saved_searches(self, *, counts: bool = True) -> list[SavedSearch]:
        """Saved searches by name; with `counts`, their current result count and how many are new."""
        out = []
        for saved in self.user_data.saved_searches():
            if counts:
                try:
                    ids = set(self.matching_ids(saved.query, filters=saved.filters))
                except ReaderError:
                    ids = set()
                new = len(ids - self.user_data.seen_ids(saved.name))
                saved = SavedSearch(saved.name, saved.query, saved.filters, saved.sort, saved.opened_at, len(ids), new)
            out.append(saved)
        return out

    def saved_search(self, name: str) -> SavedSearch:
        """One saved search by name (without counts; nothing is marked as seen)."""
        return self.user_data.saved_search(name)

    def open_saved_search(self, name: str) -> SavedSearch:
        """The saved search, its results now marked as seen (the "new" badge restarts)."""
        saved = self.user_data.saved_search(name)
        ids = self.matching_ids(saved.query, filters=saved.filters)
        self.user_data.mark_opened(saved.name, ids)
        return SavedSearch(saved.name, saved.query, saved.filters, saved.sort, saved.opened_at, len(ids), 0)

    def delete_saved_search(self, name: str) -> SavedSearch:
        return self.user_data.delete_saved(name)

    def forget_deleted_user_data(self) -> int:
        """Drop the tags, notes and highlights kept for deleted articles; returns how many articles'."""
        return self.user_data.purge_detached()

    def export(
        self,
        query: str,
        fmt: str,
        *,
        filters: Sequence[tuple[str, str]] = (),
        sort: str = "relevance",
        ids: Sequence[int] | None = None,
        title: str = "",
        rows: str = "article",
    ) -> tuple[str, int]:
        """Every result of a query (or the given ids) with tags, note and highlights in `fmt`.

        Returns:
            (the exported text, the number of articles in it).
        """
        if ids is None:
            results, _ = self.search(query, limit=None, sort=sort, filters=filters, snippets=0)
            ids = [h.id for h in results.hits]
        marks = self.user_data.marks(ids)
        items = []
        for article_id in ids:
            article = self.store.get(article_id)
            mark = marks.get(article_id, ReadingMarks())
            items.append(
                ExportItem(article, mark.tags, self.note(article_id), mark.read, tuple(self.highlights(article_id)))
            )
        return write_export(items, fmt, title=title, rows=rows), len(items)


def find_quote(text: str, quote: str) -> tuple[int, int]:
    """Where `quote` first occurs in `text`, whitespace-insensitively; (-1, -1) when it does not."""
    quote = quote.strip()
    if not quote:
        return -1, -1
    pos = text.find(quote)
    if pos >= 0:
        return pos, pos + len(quote)
    # A quote copied from a terminal or a PDF may break lines where the text has spaces.
    pattern = r"\s+".join(re.escape(word) for word in quote.split())
    m = re.search(pattern, text)
    return (m.start(), m.end()) if m else (-1, -1)
