"""Crash safety and concurrent use: killed imports, a damaged index, a full or read-only disk, two writers.

The SIGKILL test kills a real 2,000-article command-line import again and again and checks the
library after every kill. Its CI variant kills 20 imports run without entities; the longer local
variant finds entities (as people import) and kills as often as asked, e.g.:

    cd /work/main && DESKTOP_READER_KILLS=100 /work/venv/bin/python -m pytest \
        tests/system/test_crash_safety.py -k sigkill -s

Each run prints how many kills were survived and where in the import they landed.
"""

import contextlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from random import Random

import pytest

from desktop_reader.errors import ReaderError
from desktop_reader.library import Library
from desktop_reader.progress import drive
from desktop_reader.search.index_files import LOCK_NAME
from tests.helpers import REPO
from tests.system.crash_checks import (
    check_library,
    cli_args,
    corpus_files,
    distinct_contents,
    index_leftovers,
    kill_group,
    link_folder,
    remount,
    run_cli,
    sha256,
    title_query,
    tmpfs,
)

KILLS = int(os.environ.get("DESKTOP_READER_KILLS") or 0)


def _wait_for(path: Path, marker: bytes, proc: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while marker not in path.read_bytes() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)


def _where(grew: int, problem: str, incoming: bool, leftovers: int) -> str:
    """Where in the import a kill landed, judged from what it left behind."""
    if leftovers < 0 or "damaged" in problem:
        return "leaving an unreadable index (rebuilt)"
    if leftovers:
        return "during an index commit"
    if problem:
        return "after a store commit, before its index commit"
    if incoming:
        return "while copying originals"
    return "before this run stored anything" if grew == 0 else "between batches"


def test_sigkill_during_import_loses_nothing_and_reimport_completes(tmp_path, capsys):
    folder = link_folder(tmp_path / "src", corpus_files()[:2000])
    expected = distinct_contents(folder)
    kills = KILLS or 20
    extra = [] if KILLS else ["--no-entities"]  # CI: entities would triple the run time
    latest = 20.0 if KILLS else 4.0  # the entity model takes seconds to load in each worker
    rng = Random(6)
    landed: Counter[str] = Counter()
    survived = rounds = repairs = 0
    home = tmp_path / "home0"
    stored_before = 0
    out = tmp_path / "out.jsonl"
    while survived < kills:
        with out.open("wb") as stdout, (tmp_path / "err.txt").open("wb") as stderr:
            proc = subprocess.Popen(
                cli_args(home, "import", str(folder), "--json", *extra),
                cwd=REPO,
                stdout=stdout,
                stderr=stderr,
                start_new_session=True,  # its own process group: the kill takes the workers too
            )
        how = rng.random()
        if how < 0.2:  # right after the first line (usually a duplicate found by the scan)
            _wait_for(out, b"\n", proc)
        elif how < 0.4:  # soon after the first batch was stored
            _wait_for(out, b'"imported"', proc)
            time.sleep(rng.uniform(0, 1.0))
        else:
            time.sleep(rng.uniform(0.3, latest))
        finished = proc.poll() is not None
        kill_group(proc)
        data = home / "data"
        incoming = data / "originals" / ".incoming"
        half_copied = incoming.is_dir() and any(incoming.iterdir())
        leftovers = index_leftovers(data / "index") if (data / "index").is_dir() else 0

        checked = check_library(data, rng)

        if finished:
            assert proc.returncode == 0, (tmp_path / "err.txt").read_text()
        else:
            survived += 1
            repairs += bool(checked.problem)
            landed[_where(checked.count - stored_before, checked.problem, half_copied, leftovers)] += 1
        stored_before = checked.count
        if checked.shas == expected:  # the set is complete: start a fresh library, keep killing
            rounds += 1
            home = tmp_path / f"home{rounds}"
            stored_before = 0

    done = run_cli(home, "import", str(folder), "--json", *extra, timeout=900)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    outcomes = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(outcomes) == 2000
    assert not [o for o in outcomes if o["status"] == "failed"]
    final = check_library(home / "data", rng, searches=50)
    assert final.shas == expected
    assert final.count == len(expected)
    with capsys.disabled():
        where = ", ".join(f"{n} {place}" for place, n in landed.most_common())
        print(
            f"\nsurvived {survived} SIGKILLs of imports {'with' if KILLS else 'without'} entities"
            f" ({rounds} libraries completed along the way; {repairs} kills left the index to repair);"
            f" the kills landed {where}"
        )


# -- damage to the index at start-up ----------------------------------------------------------


@pytest.fixture(scope="session")
def template(tmp_path_factory):
    """A closed library of 200 real articles, stored in three imports (so the index has segments)."""
    files = corpus_files()[:200]
    data = tmp_path_factory.mktemp("template") / "home" / "data"
    library = Library(data, workers=0)
    for start in range(0, 200, 70):
        report = drive(library.import_paths(files[start : start + 70], entities=False), lambda _s: None)
        assert report.failed == 0
    assert library.index_problem() == ""
    library.index.close()
    library.close()
    return data.parent


@pytest.fixture
def lib_home(tmp_path, template):
    """A private copy of the template library's home folder."""
    return Path(shutil.copytree(template, tmp_path / "lib"))


def _index_file(data: Path, pattern: str, biggest: bool = True) -> Path:
    files = sorted((data / "index").glob(pattern), key=lambda p: p.stat().st_size)
    assert files, pattern
    return files[-1] if biggest else files[0]


DAMAGE = {
    "deleted segment": lambda d: _index_file(d, "*.seg", biggest=False).unlink(),
    "truncated segment": lambda d: os.truncate(_index_file(d, "*.seg"), _index_file(d, "*.seg").stat().st_size // 2),
    "truncated TOC": lambda d: os.truncate(_index_file(d, "_MAIN_*.toc"), 100),
    "deleted TOC": lambda d: _index_file(d, "_MAIN_*.toc").unlink(),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_damaged_index_is_detected_and_rebuilt_with_progress(lib_home, damage):
    home = lib_home
    data = home / "data"
    before = Library(data).store.ids()
    DAMAGE[damage](data)
    library = Library(data, workers=0)
    assert library.index_problem()
    steps = []
    rebuilt = drive(library.sync_index(), steps.append)
    assert rebuilt == len(before)
    indexing = [s for s in steps if s.total]
    assert indexing and indexing[-1].done == indexing[-1].total == len(before)
    assert library.index_problem() == ""
    assert library.store.ids() == before
    check_library(data, Random(1), all_searchable=True)


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_search_command_repairs_a_damaged_index_and_answers(lib_home, damage):
    home = lib_home
    data = home / "data"
    library = Library(data)
    article = library.article(min(library.store.ids()))
    library.close()
    DAMAGE[damage](data)
    done = run_cli(home, "search", title_query(article.title), "--json")
    assert done.returncode == 0, done.stderr
    assert "Repairing it from the library" in done.stderr
    assert "Traceback" not in done.stderr
    assert article.id in [json.loads(line)["id"] for line in done.stdout.splitlines()]
    check_library(data, Random(2), all_searchable=True)


def _leave_lock_behind(code: str, path: Path) -> None:
    """Take a lock in another process and SIGKILL it while held, as a crash leaves it."""
    proc = subprocess.Popen([sys.executable, "-c", code, str(path)], cwd=REPO, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert path.exists()


WHOOSH_LOCK = (
    "import sys, time\nfrom whoosh.filedb.filestore import FileStorage\n"
    f"lock = FileStorage(sys.argv[1]).lock({LOCK_NAME!r})\nassert lock.acquire()\n"
    "print('held', flush=True)\ntime.sleep(600)\n"
)
OUR_LOCK = (
    "import sys, time\nfrom pathlib import Path\nfrom desktop_reader.storage.write_lock import WriteLock\n"
    "assert WriteLock(Path(sys.argv[1])).try_acquire()\nprint('held', flush=True)\ntime.sleep(600)\n"
)


@pytest.mark.parametrize("which", ["whoosh index lock", "library write lock"])
def test_stale_lock_of_a_killed_process_blocks_nothing(lib_home, which):
    home = lib_home
    data = home / "data"
    if which == "whoosh index lock":
        _leave_lock_behind(WHOOSH_LOCK, data / "index")
        assert (data / "index" / LOCK_NAME).exists()
    else:
        _leave_lock_behind(OUR_LOCK, data)
    library = Library(data, workers=0)
    library.lock_wait = 5.0
    assert library.index_problem() == ""
    new = corpus_files()[200:210]
    steps = []
    started = time.monotonic()
    report = drive(library.import_paths(new, entities=False), steps.append)
    library.delete(report.outcomes[0].id or min(library.store.ids()))
    drive(library.reindex(), steps.append)
    assert time.monotonic() - started < 30
    assert not [s for s in steps if s.label.startswith("Waiting")]
    assert report.failed == 0
    # A blocked index writer would have deferred the update and left articles unindexed.
    assert library.store.unindexed_count() == 0
    assert library.index_problem() == ""
    check_library(data, Random(3), all_searchable=True)


# -- a full disk or a read-only data folder ----------------------------------------------------


def _import_json(done: subprocess.CompletedProcess[str]) -> list[dict[str, object]]:
    return [json.loads(line) for line in done.stdout.splitlines()]


def _failed_midway_cleanly(done, data: Path, before: set[int], causes: tuple[str, ...]) -> None:
    """The import says why it failed, and the library holds exactly what was imported before that."""
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    outcomes = _import_json(done)
    failed = [o for o in outcomes if o["status"] == "failed"]
    imported = [o for o in outcomes if o["status"] == "imported"]
    assert failed, "the disk never filled"
    assert imported, "the disk filled before the first article: nothing was tested midway"
    # A copy of a file that could not be stored fails with it ("same content as X, which could not be stored").
    causes = (*causes, "which could not be stored")
    assert all(any(c in str(o["error"]) for c in causes) for o in failed), failed[0]
    checked = check_library(data, Random(4), all_searchable=True)
    library = Library(data)
    assert library.store.ids() == before | {o["id"] for o in imported}
    for o in failed:
        assert sha256(Path(str(o["path"]))) not in checked.shas, o


def _no_file_bigger_than(limit: int):  # type: ignore[no-untyped-def]
    def limit_file_size() -> None:
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limit_file_size


def test_import_that_outgrows_the_file_size_limit_fails_cleanly(lib_home, tmp_path):
    data = lib_home / "data"
    before = Library(data).store.ids()
    folder = link_folder(tmp_path / "src", corpus_files()[200:800])
    biggest_db = (data / "library.sqlite3").stat().st_size
    done = run_cli(
        lib_home,
        "import",
        str(folder),
        "--json",
        "--no-entities",
        preexec_fn=_no_file_bigger_than(biggest_db + 300_000),
    )
    _failed_midway_cleanly(done, data, before, ("disk I/O error", "File too large"))


def _used_kb(mount_point: Path) -> int:
    st = os.statvfs(mount_point)
    return (st.f_blocks - st.f_bfree) * st.f_frsize // 1024


def test_import_onto_a_full_disk_fails_cleanly(template, tmp_path):
    with tmpfs(tmp_path / "disk", 65536) as disk:
        home = Path(shutil.copytree(template, disk / "lib"))
        data = home / "data"
        before = Library(data).store.ids()
        folder = link_folder(tmp_path / "src", corpus_files()[200:800])
        remount(disk, f"size={_used_kb(disk) + 1536}k")  # room for a few hundred more articles
        done = run_cli(home, "import", str(folder), "--json", "--no-entities")
        with contextlib.suppress(ReaderError):  # on the full disk it opens, or says why it cannot
            Library(data).article(min(before))
        remount(disk, "size=65536k")  # the user frees some space
        _failed_midway_cleanly(done, data, before, ("No space left on device", "database or disk is full"))


@pytest.fixture(params=["with its config folder", "without a config folder"])
def read_only(request, tmp_path, template):
    """A copy of the template library whose folder is read-only: a remounted tmpfs as root, else chmod."""
    config = request.param == "with its config folder"
    if os.geteuid() != 0:
        home = Path(shutil.copytree(template, tmp_path / "lib"))
        if config:
            (home / "config").mkdir()
        paths = [*home.rglob("*"), home]
        for p in paths:
            p.chmod(0o555 if p.is_dir() else 0o444)
        yield home
        for p in paths:
            p.chmod(0o755 if p.is_dir() else 0o644)
        return
    with tmpfs(tmp_path / "ro", 65536) as mount_point:
        home = Path(shutil.copytree(template, mount_point / "lib"))
        if config:
            (home / "config").mkdir()
        remount(mount_point, "ro")
        yield home
        remount(mount_point, "rw")


def test_import_into_a_read_only_folder_says_so_and_changes_nothing(read_only, tmp_path):
    data = read_only / "data"
    with sqlite3.connect(f"file:{data / 'library.sqlite3'}?mode=ro&immutable=1", uri=True) as db:
        before = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    folder = link_folder(tmp_path / "src", corpus_files()[200:220])
    done = run_cli(read_only, "import", str(folder), "--json", "--no-entities")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr, done.stderr
    assert any(cause in done.stderr.lower() for cause in ("read-only", "readonly", "permission denied")), done.stderr
    assert not [o for o in _import_json(done) if o["status"] == "imported"]
    with sqlite3.connect(f"file:{data / 'library.sqlite3'}?mode=ro&immutable=1", uri=True) as db:
        assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == before


# -- concurrent use -----------------------------------------------------------------------------


def _collect_lines(proc: subprocess.Popen[str], lines: list[tuple[float, str]]) -> threading.Thread:
    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append((time.monotonic(), line))

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


def test_two_imports_at_once_queue_and_an_open_library_sees_both(lib_home, tmp_path):
    data = lib_home / "data"
    files = corpus_files()
    folders = [link_folder(tmp_path / "a", files[800:950]), link_folder(tmp_path / "b", files[950:1100])]
    reader = Library(data)  # like an open window: its searcher is open before the imports start
    assert reader.search("said")[0].total
    expected = Library(data).store.count() + len(distinct_contents(folders[0]) | distinct_contents(folders[1]))
    procs, lines, threads = [], [], []
    for folder in folders:
        proc = subprocess.Popen(
            cli_args(lib_home, "import", str(folder), "--json", "--no-entities"),
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        procs.append(proc)
        lines.append([])
        threads.append(_collect_lines(proc, lines[-1]))
    seen = 0
    while any(p.poll() is None for p in procs):  # the window keeps reading while both write
        count = reader.count()
        assert count >= seen
        seen = count
        reader.search("said", limit=5)
        another = Library(data)  # a second window opened meanwhile must not disturb the import
        another.list_articles(limit=5)
        another.close()
        time.sleep(0.02)
    for proc, thread in zip(procs, threads, strict=True):
        thread.join(timeout=30)
        assert proc.stderr is not None
        err = proc.stderr.read()
        assert proc.returncode == 0, err
        assert "Traceback" not in err
    outcomes = [json.loads(line) for each in lines for _, line in each]
    assert not [o for o in outcomes if o["status"] == "failed"]
    first, second = sorted(lines, key=lambda each: each[0][0])
    assert first[-1][0] < second[0][0], "the two imports wrote at the same time"

    assert reader.count() == expected
    assert reader.index.ids() == reader.store.ids()
    for o in outcomes:
        if o["status"] == "imported" and title_query(str(o["title"])):
            assert o["id"] in reader.index.matching_ids(title_query(str(o["title"])))
    check_library(data, Random(5), all_searchable=True)


def test_an_open_library_sees_imports_and_deletes_made_elsewhere(lib_home, tmp_path):
    data = lib_home / "data"
    reader = Library(data)
    before = reader.count()
    assert reader.search("said")[0].total
    folder = link_folder(tmp_path / "src", corpus_files()[1100:1130])
    done = run_cli(lib_home, "import", str(folder), "--json", "--no-entities")
    assert done.returncode == 0, done.stderr
    imported = [o for o in _import_json(done) if o["status"] == "imported" and title_query(str(o["title"]))]
    assert imported
    assert reader.count() == before + len([o for o in _import_json(done) if o["status"] == "imported"])
    for o in imported:
        assert o["id"] in reader.index.matching_ids(title_query(str(o["title"])))
    victim = imported[0]
    assert run_cli(lib_home, "delete", str(victim["id"])).returncode == 0
    assert victim["id"] not in reader.index.matching_ids(title_query(str(victim["title"])))
    assert victim["id"] not in reader.store.ids()
