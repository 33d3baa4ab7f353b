"""Memory and disk measures: RSS of a process tree sampled from /proc, idle RSS, and archive sizes.

Run as `python -m desktop_reader.bench.memory DATA_DIR` it opens the library, runs one search and
prints its own RSS as JSON: the "library open and idle" figure, free of the benchmark's own heap.
"""

from __future__ import annotations

import gc
import json
import os
import resource
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from desktop_reader import paths

_PAGE = os.sysconf("SC_PAGE_SIZE")


def rss(pid: int) -> int:
    """Resident bytes of one process (0 if it is gone)."""
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


def descendants(pid: int) -> list[int]:
    """Every live process below `pid` (worker processes, the resource tracker...)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                # The command name may hold spaces and parentheses: split after its closing one.
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants together."""
    return rss(pid) + sum(rss(c) for c in descendants(pid))


class PeakSampler:
    """Samples the RSS of a process tree on a thread; `peak` is the largest sum seen."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self.pid, self.interval = pid, interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._stop.set()
        self._thread.join()


def run_sampled(cmd: list[str], cwd: Path) -> tuple[dict[str, Any], int]:
    """Run a measuring subprocess: the JSON object its last output line prints, and its tree's peak RSS.

    Raises:
        RuntimeError: the subprocess failed (with the end of its stderr).
    """
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd)
    with PeakSampler(proc.pid) as sampler:
        out, err = proc.communicate()
    if proc.returncode:
        raise RuntimeError(f"import subprocess failed ({proc.returncode}):\n{err[-3000:]}")
    return json.loads(out.strip().splitlines()[-1]), sampler.peak


def max_rss_children() -> int:
    """Largest RSS (bytes) any waited-for child process of this one ever reached (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else 0


def disk_sizes(data_dir: Path) -> dict[str, float]:
    """Bytes of article text (UTF-8), of the search index, the database and the stored originals."""
    db = paths.database_file(data_dir)
    with sqlite3.connect(db) as conn:
        text = conn.execute("SELECT coalesce(sum(length(CAST(text AS BLOB))), 0) FROM articles").fetchone()[0]
    db_bytes = sum(p.stat().st_size for p in data_dir.glob("library.sqlite3*"))
    index = folder_bytes(data_dir / "index")
    return {
        "text_bytes": float(text),
        "index_bytes": float(index),
        "db_bytes": float(db_bytes),
        "originals_bytes": float(folder_bytes(data_dir / "originals")),
        "index_ratio": index / text if text else 0.0,
    }


def idle_rss(data_dir: Path, query: str = "government minister") -> dict[str, float]:
    """RSS of a fresh process with the library open after one search (run in a subprocess)."""
    out = subprocess.run(
        [sys.executable, "-m", "desktop_reader.bench.memory", str(data_dir), query],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    return {k: float(v) for k, v in json.loads(out.stdout.strip().splitlines()[-1]).items()}


def _idle_main(data_dir: Path, query: str) -> None:
    from desktop_reader.library import Library

    before = rss(os.getpid())
    library = Library(data_dir)
    t0 = time.perf_counter()
    library.search(query)
    first_search = time.perf_counter() - t0
    library.list_articles(0, 200)
    gc.collect()
    time.sleep(0.2)
    print(json.dumps({"idle_rss": rss(os.getpid()), "python_rss": before, "first_search_s": first_search}))


if __name__ == "__main__":
    _idle_main(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "government minister")
