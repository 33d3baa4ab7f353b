"""The public API of the core: one object over the store, the index and the jobs, for the CLI and GUI.

`Library` is the one facade; its methods over entity names (entity_names) and over the reader's
own data (reading_layer) live in the modules beside this one and are mixed into it.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from desktop_reader import paths
from desktop_reader.entities.curation import Rule, UnknownType, parse_types
from desktop_reader.entities.extractor import EntityExtractor, installed_models
from desktop_reader.export.records import ExportItem, citation
from desktop_reader.jobs.curating import Curated, Curator
from desktop_reader.library.entity_names import EntityCount, EntityNames
from desktop_reader.library.reading_layer import ReadingLayer
from desktop_reader.models import (
    Article,
    ArticleSummary,
    Entity,
    FailedFile,
    ImportReport,
    ReadingMarks,
    SearchResults,
)
from desktop_reader.progress import Job, Progress
from desktop_reader.storage.store import Store
from desktop_reader.storage.user_data import UserData
from desktop_reader.storage.write_lock import WriteLock

if TYPE_CHECKING:
    from desktop_reader.search.highlighting import Highlighter
    from desktop_reader.search.index import SearchIndex

T = TypeVar("T")

__all__ = ["Curated", "EntityCount", "Library", "Rule", "UnknownType"]


@dataclass(frozen=True, slots=True)
class Extracted:
    """One file cleaned and its entities found without storing it (`Library.extract`)."""

    path: Path
    title: str = ""
    text: str = ""
    entities: tuple[Entity, ...] = ()
    error: str = ""  # why the file could not be read; empty when it was


class Library(ReadingLayer, EntityNames):
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
        self._index: SearchIndex | None = None
        self._index_lock = threading.Lock()
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

    @property
    def index(self) -> SearchIndex:
        """The search index, opened on first use.

        Whoosh, numpy and the importers load only when a search, an import or the index check
        first needs them, so the window can list the library before they do.
        """
        if self._index is None:
            with self._index_lock:  # reads come from several threads: one index object for all
                if self._index is None:
                    from desktop_reader.search.index import SearchIndex

                    self._index = SearchIndex(paths.index_dir(self.data_dir))
        return self._index

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
        from desktop_reader.jobs.preparation import prepare_many

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
        from desktop_reader.jobs import pipeline

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
        """Why the index must be repaired before use, or "" when it is current.

        The first call loads the search and import code (a few tenths of a second): the window
        makes it from a background thread once its list shows, so its first search does not wait.
        """
        from desktop_reader.jobs import pipeline

        return pipeline.index_problem(self.store, self.index)

    def sync_index(self) -> Job[int]:
        """Repair or catch up the index from the store (what start-up runs when index_problem() says so)."""
        from desktop_reader.jobs import pipeline

        return self._exclusive(pipeline.sync_index(self.store, self.index))

    def reindex(self) -> Job[int]:
        """Rebuild the whole index from the store."""
        from desktop_reader.jobs import pipeline

        return self._exclusive(pipeline.sync_index(self.store, self.index, rebuild=True))

    def refresh_entities(self, *, everything: bool = False) -> Job[int]:
        from desktop_reader.jobs import pipeline

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

    def highlighter(self, query: str) -> Highlighter | None:
        """Where `query` matches in any article's text: the same words the result snippets mark.

        None for an empty query, which marks nothing: the window asks for one before its first
        list page, and answering must not wait for the index to load.
        """
        if not query.strip():
            return None
        return self.index.highlighter(query)

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
        # Imported here: the writers' libraries (pybtex, rispy) cost the window's start a tenth of a second.
        from desktop_reader.export.writing import write as write_export

        return write_export(items, fmt, title=title, rows=rows), len(items)
