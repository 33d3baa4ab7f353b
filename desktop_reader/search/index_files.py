"""The search index's folder: checking, clearing, locking and opening a writer on the Whoosh files."""

from __future__ import annotations

import gc
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from whoosh import index
from whoosh.fields import Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.index import LockError
from whoosh.util.filelock import try_for
from whoosh.writing import SegmentWriter

from desktop_reader.errors import LibraryLocked, StorageError
from desktop_reader.search import index_buffers
from desktop_reader.search.postings import ArrayCodec, merge_postings
from desktop_reader.search.schema import SCHEMA_VERSION, VERSION_FILE

DAMAGED = "The search index is damaged; rebuild it with `desktop-reader reindex`."
# Whoosh's write lock is an OS file lock (fcntl.flock / msvcrt.locking) on this file: the OS
# drops it when the holding process dies, so a file left behind by a crash never blocks.
LOCK_NAME = f"{index._DEF_INDEX_NAME}_WRITELOCK"


def index_exists(folder: Path) -> bool:
    """True when the folder holds a Whoosh index (a TOC file), readable or not."""
    return folder.is_dir() and any(folder.glob(f"_{index._DEF_INDEX_NAME}_*.toc"))


def index_status(folder: Path, schema: Schema) -> str:
    """ "ok", "missing", "outdated" (written by another schema or format version: rebuilt from
    the store, like a damaged one) or "damaged" (unreadable)."""
    if not index_exists(folder):
        return "missing"
    try:
        version = (folder / VERSION_FILE).read_text().strip()
    except OSError:
        version = ""
    if version != str(SCHEMA_VERSION):
        return "outdated"
    # Whoosh leaves the files of a failed open to be closed by their finalizers; keep the
    # ResourceWarnings that causes out of the way (the caller rebuilds the index anyway).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            _read_everything_once(folder, schema)
        except Exception:  # any failure to read means the caller must rebuild
            damaged = True
        else:
            damaged = False
        if damaged:
            gc.collect()
    return "damaged" if damaged else "ok"


def _read_everything_once(folder: Path, schema: Schema) -> None:
    ix = open_index(folder, schema)
    with ix.reader() as reader:
        reader.doc_count()
        # Opening a segment reads its compound-file directory from the end of the file, so a
        # truncated or missing segment fails here; the last document is read as well.
        for leaf, _ in reader.leaf_readers():
            last = leaf.doc_count_all() - 1
            if last >= 0:
                leaf.column_reader("id")[last]
                leaf.stored_fields(last)


def clear_index(folder: Path, schema: Schema, lock_timeout: float) -> None:
    """Replace whatever is in the folder (even a damaged index) with an empty index.

    Raises:
        LibraryLocked: another process holds the write lock for `lock_timeout` seconds.
        StorageError: the folder cannot be written.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        writelock = FileStorage(str(folder)).lock(LOCK_NAME)
        if not try_for(writelock.acquire, timeout=lock_timeout, delay=0.1):
            raise locked_error()
        try:
            for path in folder.iterdir():
                if path.is_file() and path.name != LOCK_NAME:
                    path.unlink()
            index.create_in(str(folder), schema)
            (folder / VERSION_FILE).write_text(f"{SCHEMA_VERSION}\n")
        finally:
            writelock.release()
    except OSError as exc:
        raise StorageError(f"The search index in {folder} cannot be written: {exc.strerror or exc}.") from exc


index_buffers.install()  # before any index is opened: mapped segments are read in place


def open_index(folder: Path, schema: Schema, *, mapped: bool = True) -> index.FileIndex:
    """The index in `folder`; mapped files are read in place (index_buffers).

    Writers read with plain file reads (`mapped=False`): the one CI run with mapped writers
    failed the window's event-loop test during a 2,000-article import; plain reads pass it.
    """
    return index.FileIndex(FileStorage(str(folder), supports_mmap=mapped), schema=schema)


@contextmanager
def open_writer(
    folder: Path,
    schema: Schema,
    lock_timeout: float,
    limitmb: int,
    *,
    mergetype: Callable[[Any, list[Any]], list[Any]] | None = None,
    earlier: int = 0,
) -> Iterator[BatchWriter]:
    """One Whoosh writer for a batch: committed when the block ends, cancelled on an exception.

    Creates the index first when there is none. Commits merge by size tiers
    (merge_tiers, within the budget of a job that indexed `earlier` documents before this
    batch) unless a `mergetype` is given (optimize() gives merge_all, compact()
    gives fold_small_segments).
    """
    if not index_exists(folder):
        clear_index(folder, schema, lock_timeout)
    try:
        ix = open_index(folder, schema, mapped=False)
        # procs=1: a process pool costs more than it saves on import-sized batches, and the
        # cores are busy with cleaning and entity recognition during an import anyway.
        writer = ix.writer(timeout=lock_timeout, delay=0.1, limitmb=limitmb, codec=ArrayCodec())
    except LockError:
        raise locked_error() from None
    except OSError as exc:
        raise StorageError(f"The search index in {folder} cannot be opened: {exc.strerror or exc}.") from exc
    except Exception as exc:
        raise StorageError(DAMAGED) from exc
    try:
        yield BatchWriter(writer)
    except BaseException:
        writer.cancel()
        raise
    try:
        writer.commit(mergetype=mergetype or merge_tiers(TIER_FACTOR, earlier))
    except OSError as exc:
        raise StorageError(f"The search index in {folder} cannot be written: {exc.strerror or exc}.") from exc


TIER_FACTOR = 10  # segments of one size tier that make a batch commit merge them
# What compact() leaves at most (see fold_small_segments). With 6, adding 100 articles to the
# 100,000-article bench library took 17.6 s, most of it folding the new segment into one of
# 2,100 articles; block scoring pays little per segment, and merge_tiers already keeps the
# count down during imports.
MAX_SEGMENTS = 10
# How much merging one commit may do (merge_budget): Whoosh merges a few hundred articles a
# second here, so a small commit must never take on a big merge. Without this limit, 100 new
# files added to a 20,000-article library of ten 2,000-article segments rewrote all 20,000
# (731 s), and deleting one article would have done the same.
MERGE_FLOOR = 500
# A job's own tiers never hold more than it indexed, so a ratio of 1 still merges them all; more
# would only pull older segments in, at twice the speed of indexing them (4 made a 100-file import
# into the 20,000-article bench library spend 8.8 of its 21 s folding a 1,341-article segment).
MERGE_RATIO = 1


def merge_budget(added: int) -> int:
    """Documents a commit may rewrite by merging, when it (with the job it belongs to) added `added`.

    Proportional to what was added, merging costs at most about half as much as indexing did,
    and every tier a job builds itself can still be merged; older, bigger segments wait for a
    job as big as they are (or for optimize after a rebuild).
    """
    return max(MERGE_FLOOR, MERGE_RATIO * added)


def _docs(segments: list[Any]) -> int:
    return sum(seg.doc_count_all() for seg in segments)


def merge_tiers(factor: int, earlier: int = 0) -> Callable[[Any, list[Any]], list[Any]]:
    """A merge policy for batch commits: segments fall in size tiers (1-9, 10-99, 100-999
    documents... for a factor of 10), and a commit that finds a tier holding `factor`
    segments writes them, with its own batch, as one segment (Whoosh merges the segments
    that exist before the commit's own), if that fits the commit's merge_budget: `earlier`
    is how many documents the commit's job indexed before it.

    Every article is rewritten about once per tier it climbs (log of the import's size),
    and segments of bigger tiers are left alone until their tier fills. Whoosh's MERGE_SMALL
    merged far more often: importing the 2,127 BBC articles, reading segments back for its
    merges alone took 2,005 of the main process's 7,402 py-spy samples (then they were
    written again), and the main process competes with entity recognition for the cores.
    """

    def tier(seg: Any) -> int:
        docs, level = seg.doc_count_all(), 0
        while docs >= factor:
            docs //= factor
            level += 1
        return level

    def policy(writer: Any, segments: list[Any]) -> list[Any]:
        by_tier: dict[int, list[Any]] = {}
        for seg in segments:
            by_tier.setdefault(tier(seg), []).append(seg)
        full = [t for t, segs in sorted(by_tier.items()) if len(segs) >= factor]
        if not full or _docs(by_tier[full[0]]) > merge_budget(earlier + writer.docnum - writer.docbase):
            return segments  # the smallest full tier is too big to merge now; the others are bigger
        return _merge(writer, segments, by_tier[full[0]])

    return policy


def fold_small_segments(max_segments: int, budget: int | None = None) -> Callable[[Any, list[Any]], list[Any]]:
    """A merge policy: above `max_segments`, merge just enough of the smallest segments into
    one to get back to `max_segments`, or as many of them as `budget` documents allow.

    Every segment costs each search a few term lookups per word, but merging rewrites
    postings at a few hundred articles a second. Merging the smallest keeps each commit's
    merge about as big as what the commit added, so the big segments of a large library are
    left alone. (Whoosh's MERGE_SMALL also folds new batches into a segment of
    thousands of articles: 40 s to add 100 articles to a 100,000-article library.)
    """

    def policy(writer: Any, segments: list[Any]) -> list[Any]:
        if len(segments) <= max_segments:
            return segments
        ordered = sorted(segments, key=lambda seg: seg.doc_count_all())
        chosen = ordered[: len(segments) - max_segments + 1]  # max_segments left
        while budget is not None and len(chosen) > 1 and _docs(chosen) > budget:
            chosen.pop()
        return _merge(writer, segments, chosen) if len(chosen) > 1 else segments

    return policy


def merge_all(writer: Any, segments: list[Any]) -> list[Any]:
    """A merge policy: everything into one segment (Whoosh's OPTIMIZE, through _merge)."""
    return _merge(writer, segments, segments)


def _merge(writer: Any, segments: list[Any], merged: list[Any]) -> list[Any]:
    """Have the writer's new segment take in `merged`; returns the segments that stay."""
    from whoosh.reading import SegmentReader

    for seg in merged:
        reader = SegmentReader(writer.storage, writer.schema, seg)
        # add_reader takes every posting from iter_postings; ours reads them a block at a time.
        reader.iter_postings = partial(merge_postings, reader)
        writer.add_reader(reader)
        reader.close()
    return [seg for seg in segments if seg not in merged]


class BatchWriter:
    """The parts of a Whoosh writer a batch needs, plus whether the index was empty before it."""

    def __init__(self, writer: SegmentWriter) -> None:
        self._w = writer
        self.was_empty = sum(seg.doc_count_all() for seg in writer.segments) == 0

    def put(self, fields: dict[str, Any]) -> None:
        """Add a document, replacing one with the same id.

        A fresh index has nothing to replace; skipping update_document's per-document lookup
        makes full rebuilds faster.
        """
        if self.was_empty:
            self._w.add_document(**fields)
        else:
            self._w.update_document(**fields)

    def delete_id(self, article_id: int) -> int:
        """Delete the document of one article; returns how many there were (0 or 1)."""
        return int(self._w.delete_by_term("id", article_id))


def locked_error() -> LibraryLocked:
    return LibraryLocked(
        "The search index is being written by another desktop-reader process; "
        "wait for it to finish (or close it) and try again."
    )
