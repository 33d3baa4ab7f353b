"""The index folder: status after damage, clearing, write lock, batched add/delete/replace."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from desktop_reader.errors import LibraryLocked, StorageError
from desktop_reader.models import IndexDoc
from desktop_reader.search.index import MAX_SEGMENTS, SearchIndex
from desktop_reader.search.index_files import LOCK_NAME
from desktop_reader.search.schema import VERSION_FILE
from tests.helpers import REPO


def doc(i: int, title: str = "", text: str = "") -> IndexDoc:
    return IndexDoc(
        i,
        title or f"Harbour report number {i}",
        text or f"The harbour master counted {i} ships in the port this morning.",
        "Desk",
        "Port News",
        f"https://port.example.com/{i}",
        f"2024-01-{i % 28 + 1:02d}",
        (("Port Authority", "ORG"),),
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "index"


@pytest.fixture
def filled(folder: Path) -> SearchIndex:
    ix = SearchIndex(folder, lock_timeout=0.5)
    ix.add(doc(i) for i in range(1, 6))
    return ix


def segment_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("MAIN_*.seg"))


# -- status -----------------------------------------------------------------------------------


def test_missing_folder_is_missing_and_reads_are_empty(folder: Path) -> None:
    ix = SearchIndex(folder)
    assert ix.status() == "missing"
    assert ix.doc_count() == 0 and ix.ids() == set()
    assert ix.search("harbour").total == 0 and ix.facets("") == []
    assert not folder.exists()  # nothing is created until the first write


def test_empty_folder_is_missing(folder: Path) -> None:
    folder.mkdir()
    assert SearchIndex(folder).status() == "missing"


def test_first_write_creates_the_index(filled: SearchIndex) -> None:
    assert filled.status() == "ok"
    assert filled.doc_count() == 5


def test_deleted_segment_file_is_damaged(filled: SearchIndex, folder: Path) -> None:
    filled.close()
    for seg in segment_files(folder):
        seg.unlink()
    assert SearchIndex(folder).status() == "damaged"


def test_truncated_segment_file_is_damaged(filled: SearchIndex, folder: Path) -> None:
    filled.close()
    (seg,) = segment_files(folder)
    data = seg.read_bytes()
    seg.write_bytes(data[: len(data) // 2])
    assert SearchIndex(folder).status() == "damaged"


def test_garbage_toc_is_damaged(filled: SearchIndex, folder: Path) -> None:
    for toc in folder.glob("_MAIN_*.toc"):
        toc.write_bytes(b"\x00garbage")
    assert SearchIndex(folder).status() == "damaged"


def test_other_schema_version_is_outdated(filled: SearchIndex, folder: Path) -> None:
    (folder / VERSION_FILE).write_text("0\n")
    assert filled.status() == "outdated"


def test_search_on_damaged_index_is_a_storage_error(filled: SearchIndex, folder: Path) -> None:
    filled.close()
    for seg in segment_files(folder):
        seg.unlink()
    with pytest.raises(StorageError, match="damaged"):
        SearchIndex(folder).search("harbour")


def test_clear_repairs_a_damaged_index(filled: SearchIndex, folder: Path) -> None:
    filled.close()
    (seg,) = segment_files(folder)
    seg.write_bytes(b"truncated")
    ix = SearchIndex(folder)
    ix.clear()
    assert ix.status() == "ok" and ix.doc_count() == 0
    ix.add([doc(7)])
    assert ix.ids() == {7}


# -- writing ----------------------------------------------------------------------------------


def test_add_is_one_commit_per_batch(folder: Path) -> None:
    ix = SearchIndex(folder)
    ix.add(doc(i) for i in range(1, 40))
    assert len(list(folder.glob("_MAIN_*.toc"))) == 1
    assert sorted(p.name for p in folder.glob("_MAIN_*.toc")) == ["_MAIN_1.toc"]  # create = 0, batch = 1


def test_re_adding_replaces(filled: SearchIndex) -> None:
    filled.add([doc(3, title="Lighthouse keeper retires", text="The lighthouse keeper retired after forty years.")])
    assert filled.doc_count() == 5
    assert [h.id for h in filled.search("lighthouse").hits] == [3]
    assert filled.search('"counted 3 ships"').total == 0


def test_repeated_id_in_one_batch_keeps_the_last(folder: Path) -> None:
    ix = SearchIndex(folder)
    assert ix.add([doc(1, text="first version"), doc(2), doc(1, text="second version")]) == 2
    assert ix.doc_count() == 2
    assert ix.search('"second version"').total == 1 and ix.search('"first version"').total == 0


def test_delete_counts_what_existed(filled: SearchIndex) -> None:
    assert filled.delete([2, 4, 99]) == 2
    assert filled.ids() == {1, 3, 5}
    assert filled.search("harbour").total == 3
    assert {f.articles for f in filled.facets("")} == {3}


def test_delete_is_seen_by_an_open_searcher(filled: SearchIndex) -> None:
    assert filled.search("harbour").total == 5  # opens the searcher
    filled.delete([1])
    assert filled.search("harbour").total == 4


def test_optimize_merges_segments(filled: SearchIndex, folder: Path) -> None:
    filled.add([doc(10)])
    filled.add([doc(11)])
    assert len(segment_files(folder)) > 1
    filled.optimize()
    assert len(segment_files(folder)) == 1
    assert filled.doc_count() == 7


# -- locking ----------------------------------------------------------------------------------

_HOLDER = textwrap.dedent(
    """
    import sys, time
    from whoosh import index
    ix = index.open_dir(sys.argv[1])
    w = ix.writer()
    print("locked", flush=True)
    time.sleep(60)
    """
)


def _hold_lock(folder: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(folder)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def test_writer_lock_held_by_another_process_raises_library_locked(filled: SearchIndex, folder: Path) -> None:
    proc = _hold_lock(folder)
    try:
        started = time.monotonic()
        with pytest.raises(LibraryLocked, match="another desktop-reader process"):
            filled.add([doc(20)])
        assert 0.4 < time.monotonic() - started < 5
        with pytest.raises(LibraryLocked):
            filled.clear()
        assert filled.search("harbour").total == 5  # reading is never blocked
    finally:
        proc.kill()
        proc.wait()
    # The OS released the dead process's lock: writing works again at once.
    filled.add([doc(20)])
    assert 20 in filled.ids()


def test_stale_lock_file_left_behind_does_not_block(filled: SearchIndex, folder: Path) -> None:
    # A crash leaves the lock file; Whoosh's lock is an OS lock on it, not its existence.
    lock = folder / LOCK_NAME
    lock.write_text("left over by a crashed process")
    assert lock.exists()
    filled.add([doc(30)])
    filled.clear()
    assert filled.status() == "ok"


@pytest.mark.skipif(os.name != "posix", reason="read-only folders via chmod")
def test_unwritable_folder_is_a_storage_error(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root ignores folder permissions")
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(StorageError):
            SearchIndex(folder).add([doc(1)])
    finally:
        folder.chmod(0o700)


def _segment_sizes(index: SearchIndex) -> list[int]:
    with index._searching() as s:
        assert s is not None
        return sorted(r.doc_count_all() for r, _ in s.reader().leaf_readers())


def _add_unmerged(folder: Path, docs: list[IndexDoc], delete: tuple[int, ...] = ()) -> None:
    """One commit that leaves every segment as it is (SearchIndex.add would merge small ones)."""
    from whoosh.writing import NO_MERGE

    from desktop_reader.search.index_files import open_writer
    from desktop_reader.search.schema import build_schema, to_fields

    with open_writer(folder, build_schema(), 3.0, 64, mergetype=NO_MERGE) as w:
        for d in docs:
            w.put(to_fields(d))
        for article_id in delete:
            w.delete_id(article_id)


def test_compact_merges_only_the_smallest_segments(folder: Path) -> None:
    _add_unmerged(folder, [doc(i) for i in range(1, 201)])
    next_id = 201
    sizes = list(range(1, MAX_SEGMENTS + 2))  # with the big one: two segments too many
    for size in sorted(sizes, key=lambda n: (n * 7) % 11):  # added in no particular order
        _add_unmerged(folder, [doc(i) for i in range(next_id, next_id + size)], delete=(5,) if size == 6 else ())
        next_id += size
    index = SearchIndex(folder)
    assert _segment_sizes(index) == [*sizes, 200]
    assert index.compact() is True
    # 1 + 2 + 3 became one segment; the big one keeps its deletion.
    assert _segment_sizes(index) == sorted([6, *sizes[3:], 200])
    assert index.doc_count() == next_id - 2
    assert index.search("harbour", limit=None).total == next_id - 2
    assert index.compact() is False  # few segments: nothing to do


def test_compact_leaves_max_segments_when_all_are_alike(folder: Path) -> None:
    next_id = 1
    for _ in range(MAX_SEGMENTS + 3):
        _add_unmerged(folder, [doc(i) for i in range(next_id, next_id + 10)])
        next_id += 10
    index = SearchIndex(folder)
    assert index.compact() is True
    sizes = _segment_sizes(index)
    assert len(sizes) == MAX_SEGMENTS and sum(sizes) == next_id - 1


def test_batch_commits_merge_a_size_tier_only_when_it_is_full(folder: Path) -> None:
    from desktop_reader.search.index_files import TIER_FACTOR

    _add_unmerged(folder, [doc(i) for i in range(1, 301)])  # a big segment (tier 2)
    index = SearchIndex(folder)
    next_id = 301
    for batch in range(1, TIER_FACTOR + 2):
        index.add([doc(i) for i in range(next_id, next_id + 12)])  # tier 1 each
        next_id += 12
        if batch <= TIER_FACTOR:
            assert _segment_sizes(index) == [12] * batch + [300], batch  # the tier is not full yet
    # A commit finding tier 1 full writes those segments and its own batch as one segment of
    # the next tier; the big segment is left alone.
    assert _segment_sizes(index) == [12 * (TIER_FACTOR + 1), 300]
    assert index.search("harbour", limit=None).total == next_id - 1


def test_a_small_commit_never_takes_on_a_big_merge_but_its_import_job_can(folder: Path) -> None:
    # Ten segments of one tier, 600 articles in all: more than a lone commit may rewrite
    # (MERGE_FLOOR), as a library built by ten imports would be.
    from desktop_reader.search.index_files import MERGE_FLOOR, MERGE_RATIO, TIER_FACTOR

    size = 60
    assert TIER_FACTOR * size > MERGE_FLOOR
    next_id = 1
    for _ in range(TIER_FACTOR):
        _add_unmerged(folder, [doc(i) for i in range(next_id, next_id + size)])
        next_id += size
    index = SearchIndex(folder)
    index.add([doc(next_id)])  # one new article (or a delete): its commit leaves the full tier alone
    assert _segment_sizes(index) == [1] + [size] * TIER_FACTOR
    # The same commit inside a job that has already indexed enough may merge the tier.
    earlier = TIER_FACTOR * size // MERGE_RATIO
    index.add([doc(next_id + 1)], earlier=earlier)
    assert _segment_sizes(index) == [1, TIER_FACTOR * size + 1]
    assert index.search("harbour", limit=None).total == next_id + 1


def test_compact_for_a_small_job_folds_only_what_its_budget_allows(folder: Path) -> None:
    from desktop_reader.search.index_files import MERGE_FLOOR, MERGE_RATIO

    size = MERGE_FLOOR // 2 + 50  # two fit a budget of 2 * size, three never a small job's
    next_id = 1
    for _ in range(MAX_SEGMENTS + 2):
        _add_unmerged(folder, [doc(i) for i in range(next_id, next_id + size)])
        next_id += size
    index = SearchIndex(folder)
    assert index.compact(job_docs=1) is False  # budget MERGE_FLOOR: not even two segments
    assert len(_segment_sizes(index)) == MAX_SEGMENTS + 2
    assert index.compact(job_docs=-(-2 * size // MERGE_RATIO)) is True  # two of the three it would fold
    assert _segment_sizes(index) == [size] * MAX_SEGMENTS + [2 * size]
    assert index.compact() is True  # maintenance: no bound
    assert len(_segment_sizes(index)) == MAX_SEGMENTS
    assert index.search("harbour", limit=None).total == next_id - 1
