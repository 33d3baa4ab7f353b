"""The public API of the core: one object over the store, the index and the jobs, for the CLI and GUI."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TypeVar

from desktop_reader import paths
from desktop_reader.entities.extractor import EntityExtractor, installed_models
from desktop_reader.jobs import pipeline
from desktop_reader.jobs.preparation import prepare_many
from desktop_reader.models import Article, ArticleSummary, Entity, Facet, FailedFile, ImportReport, SearchResults
from desktop_reader.progress import Job, Progress
from desktop_reader.search.highlighting import Highlighter
from desktop_reader.search.index import SearchIndex
from desktop_reader.storage.store import Store
from desktop_reader.storage.write_lock import WriteLock

T = TypeVar("T")


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
        self.index = SearchIndex(paths.index_dir(self.data_dir))
        self._model = model or None
        self._extractor = extractor
        self.workers = min(2, os.cpu_count() or 1) if workers is None else workers
        self.lock_wait = 600.0  # seconds a job waits for another process's import to finish

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
    def installed_models() -> list[str]:
        """English spaCy pipelines that are installed, best first (nothing is loaded to find out)."""
        return installed_models()

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
        return self.store.get(article_id)

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

    def facets(self, query: str = "", *, limit: int = 30, filters: Sequence[tuple[str, str]] = ()) -> list[Facet]:
        """The most frequent entities among a query's results."""
        return self.index.facets(query, limit=limit, filters=filters)

    def entities(self, *, label: str | None = None, query: str = "", limit: int = 50) -> list[EntityCount]:
        """Entities archive-wide, or within a query's results, most widespread first."""
        if not query.strip():
            return [EntityCount(*row) for row in self.store.entity_totals(label, limit)]
        facets = [f for f in self.index.facets(query, limit=max(limit * 4, 200)) if not label or f.label == label]
        facets = facets[:limit]
        ids = self.index.matching_ids(query)
        mentions = self.store.entity_mentions_in(ids, facets)
        return [EntityCount(f.text, f.label, f.articles, mentions.get((f.text, f.label), 0)) for f in facets]

    # -- writing ------------------------------------------------------------------------

    def delete(self, article_id: int) -> None:
        """Delete from the store first: if the index update is lost, start-up reconciles it."""
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
