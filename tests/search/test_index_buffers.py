"""ViewReader behaves like the BytesIO it replaces, and searches read mapped segments in place."""

from __future__ import annotations

import io
import pickle

from whoosh.filedb.structfile import BufferFile

from desktop_reader.search.index import SearchIndex
from desktop_reader.search.index_buffers import ViewReader
from tests.search.test_index import DOCS

DATA = pickle.dumps({"a": [1, 2, 3]}) + b"line one\nline two\n" + bytes(range(256)) * 3


def test_view_reader_reads_seeks_and_unpickles_like_bytesio() -> None:
    view, copy = ViewReader(memoryview(DATA)), io.BytesIO(DATA)
    assert pickle.load(view) == pickle.load(copy)  # type: ignore[arg-type]
    assert view.tell() == copy.tell()
    assert view.readline() == copy.readline() == b"line one\n"
    assert view.read(4) == copy.read(4)
    for offset, whence in [(3, 0), (5, 1), (-7, 2), (0, 2)]:
        assert view.seek(offset, whence) == copy.seek(offset, whence)
        assert view.read(10) == copy.read(10)
    assert view.read() == copy.read() == b""
    view.seek(0)
    assert view.read() == DATA


def test_buffer_files_wrap_the_view_without_copying() -> None:
    f = BufferFile(memoryview(DATA))
    assert isinstance(f.file, ViewReader)
    assert f.get(0, 2) == DATA[:2]
    f.seek(len(DATA) - 3)
    assert f.read(3) == DATA[-3:]


def test_a_mapped_index_answers_as_before(tmp_path) -> None:
    index = SearchIndex(tmp_path / "ix")
    index.add(DOCS)
    index.close()
    reopened = SearchIndex(tmp_path / "ix")
    assert [h.id for h in reopened.search("river barge coal").hits][:2] == [1, 4]
    assert reopened.search("rutt~ OR harb*").total >= 2
