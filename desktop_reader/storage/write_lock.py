"""One writer per library across processes: an advisory lock file in the data folder."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from desktop_reader import paths
from desktop_reader.errors import LibraryLocked


class WriteLock:
    """The library's write lock (flock, so the kernel drops it when its holder dies)."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.path = paths.write_lock_file(data_dir)
        self._fd: int | None = None

    def try_acquire(self) -> bool:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the lock
            self._fd = None

    def holder(self) -> str:
        try:
            pid = self.path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeError):
            return ""
        return f" (process {pid})" if pid.isdigit() else ""

    def waiting_message(self) -> str:
        return f"Waiting for another desktop-reader{self.holder()} to finish writing to the library…"

    def locked_error(self) -> LibraryLocked:
        return LibraryLocked(
            f"Another desktop-reader{self.holder()} is writing to the library in {self.data_dir}; "
            "try again when it has finished."
        )

    @contextmanager
    def held(self, wait: float = 30.0) -> Iterator[None]:
        """Hold the lock for a short write, waiting up to `wait` seconds for another writer."""
        deadline = time.monotonic() + wait
        while not self.try_acquire():
            if time.monotonic() >= deadline:
                raise self.locked_error()
            time.sleep(0.1)
        try:
            yield
        finally:
            self.release()
