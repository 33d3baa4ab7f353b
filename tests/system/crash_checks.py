"""What the crash-safety tests share: real corpus folders, CLI processes, a tmpfs, and the library check."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from random import Random

import pytest

from desktop_reader.library import Library
from desktop_reader.progress import Progress, drive
from tests.helpers import REPO, shared


def corpus_files() -> list[Path]:
    """The BBC 2005 corpus in a fixed order (skips cleanly when ../shared is absent)."""
    return sorted(shared("corpus", "bbc-news-2005").rglob("*.txt"))


def link_folder(folder: Path, files: Sequence[Path]) -> Path:
    """A folder of symlinks to real articles: an import source that costs no copying."""
    folder.mkdir(parents=True)
    for n, file in enumerate(files):
        (folder / f"{n:04d}_{file.name}").symlink_to(file)
    return folder


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def distinct_contents(folder: Path) -> set[str]:
    return {sha256(p) for p in folder.iterdir()}


def cli_args(home: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "desktop_reader", "--data-dir", str(home), *args]


def run_cli(home: Path, *args: str, timeout: float = 300, **kw: object) -> subprocess.CompletedProcess[str]:
    """Run the command line to completion (cwd = repo root, so `-m desktop_reader` is this tree)."""
    return subprocess.run(cli_args(home, *args), cwd=REPO, capture_output=True, text=True, timeout=timeout, **kw)  # type: ignore[call-overload]


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL a process started with start_new_session=True and every worker it spawned."""
    with suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # orphaned workers are reaped by init a moment later
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            return
        time.sleep(0.02)


def title_query(title: str) -> str:
    """A query that must find the article with this title (its plain words, all in the title)."""
    return " AND ".join(f"title:{w}" for w in title.split() if w.isalpha())


@dataclass
class Checked:
    """What one check of a library found."""

    count: int
    problem: str  # what index_problem() said before the repair ("" if nothing)
    steps: list[Progress]
    shas: set[str]


def check_library(data: Path, rng: Random, *, searches: int = 3, all_searchable: bool = False) -> Checked:
    """Open a library as start-up does, repair its index if needed, and assert nothing is lost or half-done.

    Every stored article must be complete (title, text, an original whose sha256 is the row's), stored
    once, in the index and findable; no half-copied original may survive the reopen.
    """
    library = Library(data, workers=0)
    try:
        problem = library.index_problem()
        steps: list[Progress] = []
        if problem:
            drive(library.sync_index(), steps.append)
        assert library.index_problem() == ""
        incoming = data / "originals" / ".incoming"
        assert not incoming.exists() or not any(incoming.iterdir()), "half-copied originals left"

        with sqlite3.connect(f"file:{data / 'library.sqlite3'}?mode=ro", uri=True) as db:
            rows = db.execute("SELECT id, sha256, title, text, stored_path FROM articles").fetchall()
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        shas = [r[1] for r in rows]
        assert len(set(shas)) == len(shas), "the same content is stored twice"
        for article_id, sha, title, text, stored_path in rows:
            assert title.strip() and text.strip(), f"article {article_id} is incomplete"
            original = data / stored_path
            assert original.is_file(), f"article {article_id} lost its original"
            assert sha256(original) == sha, f"article {article_id}'s original is damaged"

        ids = {r[0] for r in rows}
        assert library.index.ids() == ids
        assert library.index.doc_count() == len(ids)
        findable = [(r[0], title_query(r[2])) for r in rows if title_query(r[2])]
        picked = findable if all_searchable else rng.sample(findable, min(searches, len(findable)))
        for article_id, query in picked:
            assert article_id in library.index.matching_ids(query), (article_id, query)
        return Checked(len(ids), problem, steps, set(shas))
    finally:
        library.index.close()
        library.close()


def index_leftovers(index_dir: Path) -> int:
    """Files in the index folder that its current TOC does not use (an interrupted commit's)."""
    from whoosh import index

    if not index.exists_in(str(index_dir)):
        return 0  # killed before the first commit created the index
    try:
        ix = index.open_dir(str(index_dir))
        segments, generation = ix._segments(), ix.latest_generation()
    except Exception:  # damaged: the check that follows rebuilds it
        return -1
    keep = {f"_MAIN_{generation}.toc", "MAIN_WRITELOCK"}
    prefixes = tuple(f"{s.segment_id()}." for s in segments)
    return sum(
        1
        for p in index_dir.iterdir()
        if p.name not in keep and not p.name.startswith(prefixes) and p.name.startswith(("MAIN_", "_MAIN_"))
    )


@contextmanager
def tmpfs(mount_point: Path, size_kb: int) -> Iterator[Path]:
    """A small tmpfs (needs root or CAP_SYS_ADMIN; skips otherwise), unmounted afterwards."""
    mount_point.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip() or 'mount failed'})")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def remount(mount_point: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(mount_point)], check=True)
