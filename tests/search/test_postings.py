"""Our posting codec changes no answer: the same archive written with Whoosh's codec and with
ours answers the search bench's query mix with the same hits, totals and top-10 order."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh.codec.whoosh3 import W3Codec

from desktop_reader.bench.corpus import Base
from desktop_reader.bench.search_bench import make_queries
from desktop_reader.models import CleanDocument, IndexDoc, Metadata
from desktop_reader.search.index import SearchIndex
from desktop_reader.search.postings import ArrayCodec
from tests.helpers import shared, write_whoosh3_index
from tests.search.test_block_scoring import docs_from


class EntityTotals:
    """What make_queries asks the store for: the most widespread names of a label."""

    def __init__(self, docs: list[IndexDoc]) -> None:
        self._docs = docs

    def entity_totals(self, label: str, limit: int) -> list[tuple[str, str, int, int]]:
        counts: dict[str, int] = {}
        for doc in self._docs:
            for name in {n for n, lab in doc.entities if lab == label}:
                counts[name] = counts.get(name, 0) + 1
        ranked = sorted(counts, key=lambda n: (-counts[n], n))[:limit]
        return [(n, label, counts[n], counts[n]) for n in ranked]


@pytest.fixture(scope="module")
def archives(tmp_path_factory: pytest.TempPathFactory) -> tuple[SearchIndex, SearchIndex, list[str]]:
    files = sorted(shared("corpus", "bbc-news-2005").rglob("*.txt"))
    docs = docs_from([p.read_text(encoding="utf-8", errors="replace") for p in files])
    batches = [docs[i : i + 600] for i in range(0, len(docs), 600)]
    home = tmp_path_factory.mktemp("formats")
    write_whoosh3_index(home / "old", batches, version="2")
    new = SearchIndex(home / "new")
    for batch in batches:
        new.add(batch)
    old = SearchIndex(home / "old")
    gone = [d.id for d in docs[::29]]  # deletions too, as a library that has lived a while
    old.delete(gone)
    new.delete(gone)
    bases = [Base(CleanDocument(d.text, Metadata(title=d.title)), ()) for d in docs]
    queries = make_queries(bases, EntityTotals(docs), 240)  # type: ignore[arg-type]
    return old, new, queries


def test_each_archive_is_in_its_format(archives: tuple[SearchIndex, SearchIndex, list[str]]) -> None:
    old, new, _ = archives
    for ix, codec in ((old, W3Codec), (new, ArrayCodec)):
        with ix._searching() as s:
            assert s is not None
            leaves = [leaf.segment().codec() for leaf, _ in s.reader().leaf_readers()]
            assert len(leaves) >= 3 and {type(c) for c in leaves} == {codec}
    assert old.status() == "outdated" and new.status() == "ok"


def test_old_and_new_format_answer_the_bench_queries_alike(
    archives: tuple[SearchIndex, SearchIndex, list[str]],
) -> None:
    old, new, queries = archives
    kinds = {"phrase": 0, "field": 0, "many": 0}
    for text in queries:
        every_old = old.search(text, limit=None, snippets=0)
        every_new = new.search(text, limit=None, snippets=0)
        assert every_new.total == every_old.total, text
        assert {h.id for h in every_new.hits} == {h.id for h in every_old.hits}, text
        top_old, top_new = old.search(text, limit=10).hits, new.search(text, limit=10).hits
        assert [h.id for h in top_new] == [h.id for h in top_old], text
        assert [h.score for h in top_new] == pytest.approx([h.score for h in top_old], abs=1e-9), text
        kinds["phrase"] += text.startswith('"')
        kinds["field"] += ":" in text
        kinds["many"] += every_new.total > 200
    assert kinds["phrase"] >= 15 and kinds["field"] >= 80 and kinds["many"] >= 20, kinds


def test_a_merge_reads_every_live_posting_and_length_as_whoosh_does(
    archives: tuple[SearchIndex, SearchIndex, list[str]],
) -> None:
    """merge_postings and LengthsOnceReader are faster reads of the same data: every segment
    (deletions included) gives Whoosh's own postings and field lengths, in Whoosh's order."""
    from whoosh.codec.whoosh3 import W3PerDocReader

    from desktop_reader.search.postings import LengthsOnceReader, merge_postings

    _, new, _ = archives
    with new._searching() as s:
        assert s is not None
        # The two smallest segments: every one has deletions, and reading all is ten seconds.
        leaves = sorted((leaf for leaf, _ in s.reader().leaf_readers()), key=lambda r: r.doc_count_all())[:2]
        assert all(leaf.deleted_docs_set for leaf in leaves)
        names = [*s.schema.names(), "no_such_field"]
        for leaf in leaves:
            postings = list(merge_postings(leaf))
            assert postings == list(leaf.iter_postings())
            assert not {docnum for _, _, docnum, _, _ in postings} & leaf.deleted_docs_set
            segment = leaf.segment()
            theirs, ours = W3PerDocReader(leaf._storage, segment), LengthsOnceReader(leaf._storage, segment)
            for name in names:
                for docnum in range(segment.doc_count_all() + 1):
                    assert ours.doc_field_length(docnum, name) == theirs.doc_field_length(docnum, name)


def test_our_merge_answers_as_whoosh_own_merge(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same segments (with deletions) merged into one by our reads and by Whoosh's own
    (OPTIMIZE, W3PerDocReader) search alike: hits, order and BM25 scores."""
    from whoosh.codec.whoosh3 import W3Codec
    from whoosh.writing import OPTIMIZE

    files = sorted(shared("corpus", "bbc-news-2005").rglob("*.txt"))[:300]
    docs = docs_from([p.read_text(encoding="utf-8", errors="replace") for p in files])
    gone = [d.id for d in docs[::17]]
    ours, theirs = SearchIndex(tmp_path / "ours"), SearchIndex(tmp_path / "theirs")
    for ix in (ours, theirs):
        for start in range(0, len(docs), 100):
            ix.add(docs[start : start + 100])
        ix.delete(gone)
    ours.optimize()  # merge_all: merge_postings and LengthsOnceReader
    with monkeypatch.context() as m:
        m.setattr(ArrayCodec, "per_document_reader", W3Codec.per_document_reader)
        with theirs._writer(mergetype=OPTIMIZE):
            pass
    for ix in (ours, theirs):
        with ix._searching() as s:
            assert s is not None and len(s.reader().leaf_readers()) == 1
    bases = [Base(CleanDocument(d.text, Metadata(title=d.title)), ()) for d in docs]
    for q in make_queries(bases, EntityTotals(docs), 60):  # type: ignore[arg-type]
        got, want = ours.search(q, limit=None, snippets=0), theirs.search(q, limit=None, snippets=0)
        assert got.total == want.total, q
        assert [h.id for h in got.hits] == [h.id for h in want.hits], q
        assert [h.score for h in got.hits] == pytest.approx([h.score for h in want.hits], abs=1e-9), q
    ours.close()
    theirs.close()
