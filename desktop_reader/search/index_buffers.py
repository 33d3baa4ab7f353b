"""Whoosh's in-memory segment files, without the copy Whoosh makes of them.

Whoosh maps each segment file and hands its parts out as BufferFile objects, whose
constructor wraps the mapped bytes in a BytesIO: a full copy of every posting and term
file a search touches (about 310 MB at 100,000 articles, for a single search). Reading
the same bytes straight from the mapping keeps them in the OS page cache, shared and
reclaimable, so an open library costs the app memory only for what it computes.
"""

from __future__ import annotations

from whoosh.filedb import structfile


class ViewReader:
    """A read-only file over a memoryview: what BytesIO(view) offers, without copying."""

    def __init__(self, view: memoryview) -> None:
        self._view = view
        self._pos = 0

    def read(self, size: int | None = -1) -> bytes:
        end = len(self._view) if size is None or size < 0 else min(len(self._view), self._pos + size)
        data = bytes(self._view[self._pos : end])
        self._pos = max(self._pos, end)
        return data

    def readinto(self, buffer: bytearray | memoryview) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        limit = len(self._view) if size is None or size < 0 else min(len(self._view), self._pos + size)
        start = pos = self._pos
        while pos < limit:  # pickles read lines only for short headers
            chunk = bytes(self._view[pos : min(limit, pos + 256)])
            found = chunk.find(b"\n")
            if found != -1:
                pos += found + 1
                break
            pos += len(chunk)
        self._pos = pos
        return bytes(self._view[start:pos])

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self._pos, 2: len(self._view)}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass


def _buffer_file_init(
    self: structfile.BufferFile, buf: object, name: str | None = None, onclose: object = None
) -> None:
    self._buf = buf
    self._name = name
    self.file = ViewReader(memoryview(buf))  # type: ignore[arg-type]
    self.onclose = onclose
    self.is_real = False
    self.is_closed = False


def install() -> None:
    """Make every BufferFile read its bytes in place (idempotent)."""
    structfile.BufferFile.__init__ = _buffer_file_init
