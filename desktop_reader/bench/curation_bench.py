"""How long a curation rule takes to apply on a big library, and how long the index takes to catch up.

Run from the repository root (builds the library in DIR once, then reuses it):
    python -m desktop_reader.bench.curation_bench DIR [--articles 20000]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from desktop_reader import paths
from desktop_reader.bench import corpus
from desktop_reader.entities.extractor import EntityExtractor
from desktop_reader.importing import file_readers
from desktop_reader.jobs import pipeline
from desktop_reader.library import Library
from desktop_reader.progress import drive
from desktop_reader.search.index import SearchIndex
from desktop_reader.storage.store import Store


def build(folder: Path, articles: int) -> None:
    """A library of `articles` BBC articles and perturbed copies, with the real model's entities."""
    from desktop_reader.bench.corpus import Base
    from desktop_reader.importing import cleaning

    files = corpus.bbc_files()
    cleaned = [cleaning.clean(file_readers.read_file(p)) for p in files]
    extractor = EntityExtractor()
    found = list(extractor.extract_many(c.text for c in cleaned))
    bases = [Base(c, e) for c, e in zip(cleaned, found, strict=True)]
    store = Store(folder)
    index = SearchIndex(paths.index_dir(folder))
    batch: list = []  # type: ignore[type-arg]
    for article in corpus.copies(bases, 0, articles):
        batch.append(article)
        if len(batch) == 1000:
            store.add_many(batch)
            batch = []
    if batch:
        store.add_many(batch)
    drive(pipeline.sync_index(store, index, rebuild=True), lambda _p: None)
    store.close()
    index.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--articles", type=int, default=20_000)
    args = parser.parse_args()
    if not (args.folder / "library.sqlite3").exists():
        t0 = time.perf_counter()
        build(args.folder, args.articles)
        print(f"built {args.articles} articles in {time.perf_counter() - t0:.0f} s")
    library = Library(args.folder)
    top = library.entities(label="ORG", limit=5)
    names = [e.text for e in top[1:3]]
    t0 = time.perf_counter()
    library.entities(label="ORG", limit=30)
    listing = time.perf_counter() - t0
    t0 = time.perf_counter()
    done = library.merge_entities(names, names[0] + " (merged)")
    apply_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    after = library.entities(label="ORG", limit=30)
    listing_after = time.perf_counter() - t0
    t0 = time.perf_counter()
    drive(library.sync_index(), lambda _p: None)
    catch_up = time.perf_counter() - t0
    hits = library.search(f'org:"{names[0]} (merged)"', limit=1)[0].total
    t0 = time.perf_counter()
    library.undo_curation()
    undo_s = time.perf_counter() - t0
    drive(library.sync_index(), lambda _p: None)
    print(
        json.dumps(
            {
                "articles": library.count(),
                "merged": names,
                "articles_changed": done.articles,
                "apply_s": round(apply_s, 3),
                "undo_s": round(undo_s, 3),
                "index_catch_up_s": round(catch_up, 2),
                "list_top30_before_s": round(listing, 3),
                "list_top30_after_s": round(listing_after, 3),
                "merged_found_by_query": hits,
                "merged_row": next(([e.text, e.articles] for e in after if "(merged)" in e.text), None),
            }
        )
    )


if __name__ == "__main__":
    main()
