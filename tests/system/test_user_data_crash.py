"""The reader's own data survives SIGKILLs of an import running beside it, and writes made during one.

Tags, notes, read state, highlights and saved searches are written while a command-line import
of generated articles runs in another process; the import is killed with SIGKILL at random
moments, and after every kill the library is opened as start-up does and checked.
"""

import json
import subprocess
import time
from pathlib import Path
from random import Random

from desktop_reader.library import Library
from desktop_reader.progress import drive
from tests.helpers import REPO, SAMPLES
from tests.system.crash_checks import cli_args, kill_group, run_cli

WORDS = ["harbour", "council", "barge", "strike", "ferry", "court", "wind", "farm", "survey", "grant", "museum",
         "river", "flood", "market", "election", "mayor", "ruling", "appeal", "crew", "dock", "tide"]  # fmt: skip


def _articles(folder: Path, count: int, seed: int) -> Path:
    rng = Random(seed)
    folder.mkdir(parents=True)
    for n in range(count):
        paragraphs = [" ".join(rng.choice(WORDS) for _ in range(60)).capitalize() + "." for _ in range(8)]
        (folder / f"article-{n:04d}.txt").write_text(f"Report {seed}-{n}\n\n" + "\n\n".join(paragraphs))
    return folder


def _check(data: Path, expected: dict[int, dict[str, object]]) -> Library:
    library = Library(data, workers=0)
    if library.index_problem():
        drive(library.sync_index(), lambda _s: None)
    for article_id, want in expected.items():
        assert library.tags(article_id) == want["tags"]
        assert library.note(article_id) == want["note"]
        assert library.is_read(article_id) is want["read"]
        assert [(h.quote, h.note, h.start) for h in library.highlights(article_id)] == want["highlights"]
        for tag in want["tags"]:
            assert article_id in library.matching_ids(f'tag:"{tag}"')
    assert [s.name for s in library.saved_searches(counts=False)] == ["Kept"]
    return library


def test_user_data_survives_sigkills_of_an_import_and_is_written_during_one(tmp_path):
    home = tmp_path / "home"
    data = home / "data"
    library = Library(data, workers=0)
    drive(library.import_paths([SAMPLES], entities=False), lambda _s: None)
    ids = [a.id for a in library.list_articles()]
    a, b = ids[0], ids[1]
    library.add_tags([a], ["keep", "Research"])
    library.set_note(a, "A note that must survive")
    library.mark_read([a])
    h = library.add_highlight(a, start=5, end=40, note="highlight note")
    library.save_search("Kept", "tag:keep")
    expected = {
        a: {"tags": ("keep", "Research"), "note": "A note that must survive", "read": True,
            "highlights": [(h.quote, "highlight note", 5)]},
        b: {"tags": (), "note": "", "read": False, "highlights": []},
    }  # fmt: skip
    library.close()
    # A new folder for every run, so each killed import has all of its work still ahead of it.
    sources = [_articles(tmp_path / f"src{k}", 100, seed=k) for k in range(4)]
    rng = Random(8)
    killed = 0
    for kill in range(4):
        out = tmp_path / f"out{kill}.jsonl"
        with out.open("wb") as stdout:
            proc = subprocess.Popen(
                cli_args(home, "import", str(sources[kill]), "--json", "--no-entities"),
                cwd=REPO,
                stdout=stdout,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        # Meanwhile, in this process: user data written while the import commits its batches.
        writer = Library(data, workers=0)
        tag = f"during-{kill}"
        writer.add_tags([b], [tag])
        writer.set_note(b, f"note {kill}")
        writer.mark_read([b], kill % 2 == 0)
        writer.close()
        expected[b] = {**expected[b], "tags": tuple(sorted({*expected[b]["tags"], tag}, key=str.lower)),
                       "note": f"note {kill}", "read": kill % 2 == 0}  # fmt: skip
        deadline = time.monotonic() + rng.uniform(0.3, 1.5)
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        running = proc.poll() is None
        kill_group(proc)
        killed += running
        _check(data, expected).close()

    assert killed >= 1  # (a kill usually lands during the import; on a fast machine one may come after it)
    done = run_cli(home, "import", *map(str, sources), "--json", "--no-entities", timeout=600)
    assert done.returncode == 0, done.stderr
    assert all(json.loads(line)["status"] in ("imported", "duplicate") for line in done.stdout.splitlines())
    library = _check(data, expected)
    assert library.count() == 410
    report = drive(library.import_paths([SAMPLES], entities=False), lambda _s: None)
    assert report.imported == 0
    _check(data, expected).close()
    library.close()
