"""Long jobs over the store and the index: import, reindex, refresh entities; generators of Progress."""

from __future__ import annotations

import contextlib
import logging
import time
from collections import deque
from collections.abc import Generator, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path

from desktop_reader.entities.extractor import EntityExtractor
from desktop_reader.errors import ImportFailed, LibraryLocked, ModelUnavailable, ReaderError, StorageError
from desktop_reader.importing import file_readers
from desktop_reader.jobs import preparation
from desktop_reader.jobs.curating import Curator
from desktop_reader.models import (
    FailedFile,
    ImportOutcome,
    ImportReport,
    IndexDoc,
    Member,
    MemberIssue,
    PreparedArticle,
    shown_path,
)
from desktop_reader.progress import Job, Progress
from desktop_reader.search.index import SearchIndex
from desktop_reader.storage.store import Store
from desktop_reader.storage.user_data import UserData

log = logging.getLogger(__name__)

CHUNK = 8  # files per worker task: enough for nlp.pipe batching, small enough for smooth progress
FILE_SECONDS = 60.0  # per-file time limit: a hostile page must not stall an import forever
SECONDS_PER_MB = 60.0
STARTUP_SECONDS = 60.0  # allowance for spawning workers and loading the model before the first result


@dataclass(frozen=True)
class Batching:
    """When the writer commits: at `articles` articles, or when the oldest waiting one has waited
    `seconds` seconds, whichever comes first."""

    articles: int
    seconds: float


# Index cost per article falls steeply with the batch (BBC articles, one writer: 12.3 ms in
# batches of 30, 4.6 ms in batches of 150: every commit writes a posting block per distinct
# term), and the main process's indexing competes with the two entity workers for the cores.
THROUGHPUT = Batching(articles=200, seconds=5.0)
# A window shares the GIL with its writer thread, and a bigger commit holds it in longer
# stretches (sorting the batch's postings: a probe thread saw 86 ms gaps with batches of 200,
# 56 ms with 50), so imports started from the window keep small batches; new articles also
# show up every second.
INTERACTIVE = Batching(articles=50, seconds=1.0)


class _Writer:
    """Stores prepared articles in batches: one SQLite transaction and one index commit each."""

    def __init__(self, store: Store, index: SearchIndex, batching: Batching, roots: Sequence[str] = ()) -> None:
        self.store, self.index, self.batching = store, index, batching
        self.roots = tuple(roots)
        self.pending: list[PreparedArticle] = []
        # When the oldest pending article arrived: the workers' start (seconds, loading the model)
        # must not count, or the first commit would hold only the first few articles.
        self.oldest = 0.0
        self.batch_shas: dict[str, int] = {}
        self.batch_paths: dict[str, Path] = {}  # sha -> the file of this import that holds it
        # Files (or members) with the content of a pending article: reported once it is stored.
        self.waiting: dict[str, list[tuple[Path, str]]] = {}
        self.indexed = 0  # articles this import has indexed so far

    def hold(self, prepared: PreparedArticle) -> None:
        """Keep an article for the next commit."""
        if not self.pending:
            self.oldest = time.monotonic()
        self.pending.append(prepared)

    def due(self) -> bool:
        return bool(self.pending) and (
            len(self.pending) >= self.batching.articles or time.monotonic() - self.oldest >= self.batching.seconds
        )

    def flush(self) -> list[ImportOutcome]:
        batch, self.pending = self.pending, []
        if not batch:
            return []
        outcomes: list[ImportOutcome] = []
        stored: list[tuple[PreparedArticle, int]] = []
        try:
            ids = self.store.add_many(batch)
            stored = list(zip(batch, ids, strict=True))
        except ReaderError as exc:
            # Retry one by one so a single unstorable article doesn't take its batch with it.
            for p in batch:
                try:
                    stored.append((p, self.store.add_many([p])[0]))
                except ReaderError as one:
                    outcomes.append(ImportOutcome(str(p.path), "failed", error=str(one), member=_name(p)))
            log.warning("Batch store failed (%s); retried one by one", exc)
        if stored:
            index_stored(self.store, self.index, [(p, i) for p, i in stored], self.indexed)
            self.indexed += len(stored)
        for p, article_id in stored:
            self.batch_shas[p.sha256] = article_id
            self.batch_paths[p.sha256] = p.path
            outcomes.append(
                ImportOutcome(
                    str(p.path), "imported", article_id, p.clean.meta.title, warnings=p.warnings, member=_name(p)
                )
            )
        _labels_as_tags(self.store, stored)
        stored_ids = {p.sha256: article_id for p, article_id in stored}
        for p in batch:
            for twin, member in self.waiting.pop(p.sha256, []):
                if p.sha256 in stored_ids:
                    outcomes.append(
                        _duplicate(twin, stored_ids[p.sha256], p.clean.meta.title, self.shown(p.path), member)
                    )
                else:
                    error = f"same content as {self.shown(p.path)}, which could not be stored"
                    outcomes.append(ImportOutcome(str(twin), "failed", error=error, member=member))
        return outcomes

    def shown(self, path: Path | None) -> str | None:
        return None if path is None else shown_path(str(path), self.roots)

    def wait_for(self, sha: str, path: Path, member: str = "") -> bool:
        """Hold back the report of `path` if a pending article has its content (True if so)."""
        if not any(p.sha256 == sha for p in self.pending):
            return False
        self.waiting.setdefault(sha, []).append((path, member))
        return True


def _name(item: PreparedArticle | FailedFile) -> str:
    """The member's name when the item is one article of a container, else ""."""
    if isinstance(item, FailedFile):
        return item.member
    return item.member.name if item.member else ""


def _labels_as_tags(store: Store, stored: Sequence[tuple[PreparedArticle, int]]) -> None:
    """A read-later service's labels become the article's tags (they are also kept with the member)."""
    labelled = [(article_id, p.member.labels) for p, article_id in stored if p.member and p.member.labels]
    if not labelled:
        return
    tags = UserData(store)
    for article_id, labels in labelled:
        try:
            tags.add_tags([article_id], labels)
        except ReaderError as exc:  # the article is stored; its labels stay in article_members
            log.warning("Labels of article %s not added as tags: %s", article_id, exc)


RESOLVE_SECONDS = 10.0


def _resolve(curator: Curator) -> bool:
    """Work out the automatic entity resolution; False when it cannot be written now.

    It is derived from the archive totals and redone by the next import or sync, so a full
    disk here must not fail an import whose articles are already stored.
    """
    try:
        curator.resolve()
    except ReaderError as exc:
        log.warning("Automatic entity resolution deferred: %s", exc)
        return False
    return True


_resolved: dict[Path, float] = {}  # store -> when its automatic entity resolution was last worked out


def index_stored(
    store: Store, index: SearchIndex, stored: Sequence[tuple[PreparedArticle, int]], earlier: int = 0
) -> None:
    """Index freshly stored articles; if that fails they stay marked unindexed and are caught up later.

    `earlier`: articles the same job indexed before these (how much merging the commit may do).

    The entity fields get the curated names (the user's rules); the store keeps the model's.
    """
    curator = Curator(store)
    # The new articles' names take part in the archive-wide vote and aliases; at most every few
    # seconds (150 ms at 20,000 articles), the end of the import catches up what is left.
    if time.monotonic() - _resolved.get(store.db_path, -RESOLVE_SECONDS) >= RESOLVE_SECONDS:
        _resolve(curator)
        _resolved[store.db_path] = time.monotonic()
    curation = curator.curation()
    docs = [
        IndexDoc(
            id=article_id,
            title=p.clean.meta.title,
            text=p.clean.text,
            author=p.clean.meta.author,
            site=p.clean.meta.site,
            url=p.clean.meta.url,
            published=p.clean.meta.published,
            entities=curation.apply_pairs((e.text, e.label) for e in p.entities or ()),
        )
        for p, article_id in stored
    ]
    try:
        index.add(docs, earlier=earlier)
        # If only this mark fails (disk full), start-up re-adds the articles: harmless.
        store.mark_indexed(article_id for _, article_id in stored)
    except ReaderError as exc:
        log.warning("Index update deferred: %s", exc)


def import_files(
    paths: Iterable[Path],
    store: Store,
    index: SearchIndex,
    *,
    extractor: EntityExtractor | None,
    workers: int = 2,
    batching: Batching = THROUGHPUT,
) -> Job[ImportReport]:
    """Import files and folders; Progress as files are read, then each ImportOutcome as payload.

    Closing the generator cancels: articles already committed stay, nothing half-stored remains.
    """
    yield Progress(0, 0, "Looking for files…")
    roots = [Path(p) for p in paths]
    targets: list[Path] = []
    outcomes: list[ImportOutcome] = []
    for found in file_readers.discover(roots):
        if isinstance(found, FailedFile):
            status = "skipped" if found.skipped else "failed"
            outcomes.append(ImportOutcome(str(found.path), status, error=found.reason))
        else:
            targets.append(found)
    total = len(targets) + len(outcomes)
    done = 0
    for outcome in outcomes:
        done += 1
        yield Progress(done, total, outcome.path, outcome)

    curated_before = Curator(store).curation()
    writer = _Writer(store, index, batching, [str(r) for r in roots])
    todo: list[Path | Member] = []
    shas: dict[Path, str] = {}  # hashed once here, handed to the workers with each file
    for path in targets:
        if file_readers.is_container(path):
            found = yield from _list_container(path, done, total)
            members = [m for m in found if isinstance(m, Member)]
            total += len(found) - 1
            todo += members
            for outcome in (o for o in found if isinstance(o, ImportOutcome)):
                done += 1
                outcomes.append(outcome)
                yield Progress(done, total, outcome.path, outcome)
            continue
        sha, duplicate = _known_duplicate(path, store, writer)
        if duplicate is None:
            todo.append(path)
            if sha:
                shas[path] = sha
            continue
        done += 1
        outcomes.append(duplicate)
        yield Progress(done, total, str(path), duplicate)

    # Worker processes even for one file: only a process can be stopped when a file hangs it.
    results = (
        _prepare_in_process(todo, extractor, shas)
        if workers <= 0 or not todo
        else _prepare_in_pool(todo, extractor, workers, shas)
    )
    try:
        for result in results:
            if isinstance(result, FailedFile):
                done += 1
                outcome = ImportOutcome(str(result.path), "failed", error=result.reason, member=result.member)
                outcomes.append(outcome)
                yield Progress(done, total, str(result.path), outcome)
            else:
                dup = store.find_sha(result.sha256) or writer.batch_shas.get(result.sha256)
                if dup is None and writer.wait_for(result.sha256, result.path, _name(result)):
                    yield Progress(done + len(writer.pending), total, str(result.path))
                    continue
                if dup is not None:
                    done += 1
                    twin = writer.shown(writer.batch_paths.get(result.sha256))
                    outcome = _duplicate(result.path, dup, result.clean.meta.title, twin, _name(result))
                    outcomes.append(outcome)
                    yield Progress(done, total, str(result.path), outcome)
                    continue
                writer.hold(result)
                # Outcomes come with each batch commit; the count moves with every file meanwhile.
                yield Progress(done + len(writer.pending), total, str(result.path))
            if writer.due():
                for outcome in writer.flush():
                    done += 1
                    outcomes.append(outcome)
                    yield Progress(done, total, outcome.path, outcome)
        for outcome in writer.flush():
            done += 1
            outcomes.append(outcome)
            yield Progress(done, total, outcome.path, outcome)
    finally:
        results.close()
    if any(o.status == "imported" for o in outcomes):
        # New articles can change the type a name gets archive-wide; the older articles that name
        # it are reindexed (only those: the vote reads the archive totals, never the model).
        curator = Curator(store)
        if _resolve(curator) and curator.revoted(curated_before):
            # Only the articles the vote marked: the store and the index agree on everything else
            # (comparing their 100,000 ids, and voting again, was a second of every such import).
            yield from _index_unindexed(store, index, curator, earlier=writer.indexed)
        else:
            yield from _compact(index, done, total, writer.indexed)
    return ImportReport(tuple(outcomes), roots=tuple(str(r) for r in roots))


def _compact(index: SearchIndex, done: int, total: int, indexed: int) -> Iterator[Progress]:
    """Fold the small index segments the batches left behind (as much as a job that indexed
    `indexed` articles may rewrite), so searches stay fast."""
    yield Progress(done, total, "Tidying the search index…")
    try:
        index.compact(job_docs=indexed)
    except (LibraryLocked, StorageError) as exc:
        # Every article is stored and indexed already; the next job folds the segments.
        log.warning("Could not merge the search index segments: %s", exc)


def _known_duplicate(path: Path, store: Store, writer: _Writer) -> tuple[str, ImportOutcome | None]:
    """The file's hash and, when the library already holds that content, the duplicate outcome."""
    try:
        sha = preparation.file_sha256(path)
    except OSError:
        return "", None  # the reader will report exactly what is wrong with it
    existing = store.find_sha(sha) or writer.batch_shas.get(sha)
    twin = writer.shown(writer.batch_paths.get(sha))
    return sha, (_duplicate(path, existing, "", twin) if existing is not None else None)


def _duplicate(path: Path, existing: int, title: str, twin: str | None = None, member: str = "") -> ImportOutcome:
    """A duplicate of article `existing`; `twin` is the file of this import that brought it in."""
    same = f"{twin} (article {existing})" if twin is not None else f"article {existing}"
    return ImportOutcome(str(path), "duplicate", existing, title, f"same content as {same}", member=member)


def _list_container(path: Path, done: int, total: int) -> Generator[Progress, None, list[Member | ImportOutcome]]:
    """The members of a container to import, and outcomes for what it holds but cannot give.

    A container that fails as a whole gives one "failed" outcome for itself (no member).
    """
    yield Progress(done, total, f"Reading {path.name}…")
    found: list[Member | ImportOutcome] = []
    sha = ""
    for item in file_readers.members_of(path):
        if isinstance(item, ImportFailed):
            return [ImportOutcome(str(path), "failed", error=item.reason)]
        if isinstance(item, MemberIssue):
            found.append(ImportOutcome(str(path), item.status, error=item.reason, member=item.name))
            continue
        if not sha:
            try:
                sha = preparation.file_sha256(path)
            except OSError as exc:
                return [ImportOutcome(str(path), "failed", error=f"file could not be read: {exc}")]
        found.append(replace(item, container_sha256=sha))
        if len(found) % 500 == 0:
            yield Progress(done, total, f"Reading {path.name}: {len(found):,} records…")
    if not found:
        return [ImportOutcome(str(path), "failed", error="holds no web page or saved article")]
    return found


def _prepare_in_process(todo: Sequence[Path | Member], extractor: EntityExtractor | None, shas: dict[Path, str]):  # type: ignore[no-untyped-def]
    for start in range(0, len(todo), CHUNK):
        chunk = todo[start : start + CHUNK]
        yield from preparation.prepare_many(chunk, extractor, [shas.get(p) for p in chunk])


def _prepare_in_pool(  # type: ignore[no-untyped-def]
    todo: Sequence[Path | Member], extractor: EntityExtractor | None, workers: int, shas: dict[Path, str]
):
    """Prepare chunks in worker processes, a bounded number in flight (bounded memory).

    A chunk that hangs or kills its worker is retried one file at a time, with nothing else in
    flight, so exactly the guilty file fails and every other file still imports.
    """
    model = extractor.model_name if extractor is not None else None
    with_entities = extractor is not None
    workers = max(1, min(workers, -(-len(todo) // CHUNK)))
    pool: ProcessPoolExecutor = preparation.worker_pool(workers, model, with_entities)
    pending: deque[list[Path | Member]] = deque(list(todo[i : i + CHUNK]) for i in range(0, len(todo), CHUNK))
    in_flight: deque[tuple[list[Path | Member], Future[list[PreparedArticle | FailedFile]]]] = deque()
    careful = 0  # how many of the next chunks must run alone (singles being retried)
    warm_up = STARTUP_SECONDS
    try:
        while pending or in_flight:
            limit = 1 if careful else workers * 3
            while pending and len(in_flight) < limit:
                chunk = pending.popleft()
                in_flight.append((chunk, preparation.submit(pool, chunk, [shas.get(p) for p in chunk])))
            chunk, future = in_flight.popleft()
            try:
                results = future.result(timeout=warm_up + _time_limit(chunk))
            except (FutureTimeout, BrokenProcessPool) as exc:
                reason = (
                    f"reading this file took longer than {_time_limit(chunk):.0f} s; skipped"
                    if isinstance(exc, FutureTimeout)
                    else "reading this file crashed the importer"
                )
                _kill(pool)
                lost = [c for c, _ in in_flight]
                in_flight.clear()
                pool = preparation.worker_pool(workers, model, with_entities)
                warm_up = STARTUP_SECONDS
                if careful or len(chunk) == 1:
                    careful = max(0, careful - 1)
                    first = chunk[0]
                    yield (
                        FailedFile(first.container, reason, member=first.name)
                        if isinstance(first, Member)
                        else FailedFile(first, reason)
                    )
                    pending.extendleft(reversed(lost))
                else:
                    singles = [[p] for p in chunk]
                    careful += len(singles)
                    pending.extendleft(reversed(singles + lost))
                continue
            warm_up = 0.0
            careful = max(0, careful - 1)
            yield from results
    finally:
        _kill(pool)


def _time_limit(chunk: Sequence[Path | Member]) -> float:
    """Seconds a chunk may take: generous per file, more for big files (spaCy reads ~10k words/s)."""
    size = 0
    for item in chunk:
        if isinstance(item, Member):
            size += item.size
            continue
        with contextlib.suppress(OSError):
            size += item.stat().st_size
    return FILE_SECONDS * len(chunk) + SECONDS_PER_MB * size / 1e6


def _kill(pool: ProcessPoolExecutor) -> None:
    """Stop a pool now, including a worker stuck in native code (shutdown alone would wait for it)."""
    processes = list(getattr(pool, "_processes", {}).values())  # no public API to kill a worker
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.kill()
    for process in processes:
        process.join(timeout=5)


# -- keeping the index in step with the store ---------------------------------------------


def index_problem(store: Store, index: SearchIndex) -> str:
    """Why the index needs work before searching ("" when it is current); cheap enough for start-up."""
    status = index.status()
    if status == "missing" and store.count() == 0:
        return ""  # a new library: the first import creates the index
    if status != "ok":
        return f"The search index is {status}."
    if store.unindexed_count():
        return "Some articles are not in the search index yet."
    if index.doc_count() != store.count():
        return "The search index does not match the library."
    return ""


def sync_index(store: Store, index: SearchIndex, *, rebuild: bool = False) -> Job[int]:
    """Bring the index in line with the store: rebuild it if damaged (or asked), else catch up."""
    yield Progress(0, 0, "Checking the search index…")
    if rebuild or index.status() != "ok":
        index.clear()
        store.mark_all_unindexed()
    else:
        stored, indexed = store.ids(), index.ids()
        extra = indexed - stored
        if extra:
            index.delete(extra)
        missing = stored - indexed
        if missing:
            store.mark_indexed(missing, indexed=False)
    curator = Curator(store)
    curator.resolve()
    return (yield from _index_unindexed(store, index, curator))


def _index_unindexed(store: Store, index: SearchIndex, curator: Curator, earlier: int = 0) -> Job[int]:
    """Index the articles the store marks unindexed, with the curated names, then fold segments.

    `earlier`: articles the same job indexed before (how much its commits may merge).
    """
    total = store.unindexed_count()
    done = 0
    curation = curator.curation()
    for docs in store.iter_for_index(only_unindexed=True):
        if curation:
            docs = [replace(d, entities=curation.apply_pairs(d.entities)) for d in docs]
        index.add(docs, earlier=earlier + done)
        store.mark_indexed(d.id for d in docs)
        done += len(docs)
        yield Progress(done, total, "Indexing…")
    if done or earlier:
        yield from _compact(index, done, total, earlier + done)
    return done


def refresh_entities(store: Store, index: SearchIndex, extractor: EntityExtractor, *, everything: bool) -> Job[int]:
    """Find entities again for articles imported without a model (or for all of them)."""
    ids = store.all_ids_ordered() if everything else store.without_entities()
    total = len(ids)
    yield Progress(0, total, "Loading the entity model…")
    try:
        _ = extractor.nlp
    except ModelUnavailable:
        raise
    done = 0
    for start in range(0, total, 64):
        chunk = ids[start : start + 64]
        texts = [store.text(i) for i in chunk]
        published = [store.get(i).published for i in chunk]  # the anchor of dates without a year
        found = list(extractor.extract_many(texts, published=published))
        store.set_entities(list(zip(chunk, found, strict=True)))
        done += len(chunk)
        yield Progress(done, total, "Finding entities…")
    yield from sync_index(store, index)
    return done
