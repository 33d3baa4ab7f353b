"""How fast the reading layer's changes show in search, and what tag:/is:/has:/note: cost, on a big archive.

    python -m desktop_reader.bench.reading_bench --size 20000 --dir /tmp/reading20k

Builds (once; it is reused) an archive of `size` articles from the shared BBC corpus and its
perturbed copies, without entities (they play no part here), then times, for each kind of
change, from the Library call that makes it until a search with the matching query field first
finds the article (change + one search: nothing is indexed), and the latency of queries that mix
the user fields with words.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path

from desktop_reader.bench import corpus
from desktop_reader.bench.search_bench import ArchiveBuilder
from desktop_reader.jobs.preparation import prepare_many
from desktop_reader.library import Library
from desktop_reader.models import PreparedArticle


def _bases(limit: int) -> list[corpus.Base]:
    prepared = prepare_many(corpus.bbc_files(limit), None)
    return [corpus.Base(p.clean, ()) for p in prepared if isinstance(p, PreparedArticle)]


def _visible_after(library: Library, change: object, query: str, article_id: int) -> float:
    t0 = time.perf_counter()
    change()  # type: ignore[operator]
    while article_id not in library.matching_ids(query):
        pass
    return time.perf_counter() - t0


def _timed(library: Library, query: str, repeat: int = 5) -> float:
    best = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        library.search(query, limit=50)
        best.append(time.perf_counter() - t0)
    return statistics.median(best)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/desktop-reader-reading-bench"))
    parser.add_argument("--changes", type=int, default=20)
    o = parser.parse_args()
    data = o.dir / "data"
    builder = ArchiveBuilder(data, [] if data.exists() else _bases(2225))
    if builder.size < o.size:
        if not builder.bases:
            builder.bases = _bases(2225)
        print(f"building {o.size:,} articles… ({builder.grow_to(o.size):.0f} s)")
    builder.close()
    library = Library(data, workers=0)
    print(f"{library.count():,} articles")
    rng = random.Random(5)
    ids = [a.id for a in library.list_articles(0, 100_000)]
    # Some user data already there, as in a library in use: 500 read, 200 tagged, 50 notes.
    library.mark_read(rng.sample(ids, 500))
    library.add_tags(rng.sample(ids, 200), ["background"])
    for i in rng.sample(ids, 50):
        library.set_note(i, "Background reading on the economy and the election")
    kinds = {
        "tag": lambda i, n: (lambda: library.add_tags([i], [f"bench{n}"]), f"tag:bench{n}"),
        "read": lambda i, n: (lambda: library.mark_read([i]), "is:read"),
        "note": lambda i, n: (lambda: library.set_note(i, f"zebra{n} crossing"), f"note:zebra{n}"),
        "highlight": lambda i, n: (
            lambda: library.add_highlight(i, start=0, end=20, note=f"okapi{n}"),
            f"note:okapi{n}",
        ),
    }
    for kind, make in kinds.items():
        times = []
        for n in range(o.changes):
            article_id = rng.choice(ids)
            change, query = make(article_id, n)
            times.append(_visible_after(library, change, query, article_id))
        print(
            f"{kind:<10} change -> in search: median {statistics.median(times) * 1000:.1f} ms,"
            f" max {max(times) * 1000:.1f} ms ({o.changes} changes)"
        )
    for query in (
        "economy",
        "economy tag:background",
        "economy is:unread",
        "economy is:read",
        "is:unread",
        "tag:background OR election",
        "economy NOT is:read",
        "note:economy",
        '"prime minister" has:note',
    ):
        print(f"{query!r:<34} {_timed(library, query) * 1000:7.1f} ms")
    library.close()


if __name__ == "__main__":
    main()
