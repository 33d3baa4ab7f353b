"""Search latency at growing archive sizes, with archives written straight through Store and SearchIndex.

Large archives skip the import pipeline: the real articles are prepared once (cleaned, entities
found), and their perturbed copies go through `Store.add_many` + `SearchIndex.add` in big batches,
the library API just below the pipeline.
"""

from __future__ import annotations

import gc
import random
import re
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop_reader import paths
from desktop_reader.bench.corpus import SITES, Base, copies, vocabulary_of
from desktop_reader.library import Library
from desktop_reader.models import IndexDoc
from desktop_reader.search.index import SearchIndex
from desktop_reader.storage.store import Store

BATCH = 2000  # articles per store transaction and per index commit while building
KINDS = ("w1", "w2", "w3", "w1", "w2", "phrase", "title", "site", "person", "org", "place", "dates")


class ArchiveBuilder:
    """Grows one archive in `data_dir` to any size, real articles first, then perturbed copies."""

    def __init__(self, data_dir: Path, bases: Sequence[Base]) -> None:
        self.data_dir = data_dir
        self.bases = bases
        self.store = Store(data_dir)
        self.index = SearchIndex(paths.index_dir(data_dir))
        self.size = self.store.count()
        self.seconds = 0.0
        self._vocabulary = vocabulary_of(bases, 2000)  # once, not per batch

    def grow_to(self, size: int) -> float:
        """Add articles until the archive holds `size`; returns the seconds it took."""
        t0 = time.perf_counter()
        while self.size < size:
            batch = list(copies(self.bases, self.size, min(BATCH, size - self.size), vocabulary=self._vocabulary))
            ids = self.store.add_many(batch)
            self.index.add(
                IndexDoc(
                    i,
                    a.clean.meta.title,
                    a.clean.text,
                    a.clean.meta.author,
                    a.clean.meta.site,
                    a.clean.meta.url,
                    a.clean.meta.published,
                    tuple((e.text, e.label) for e in a.entities or ()),
                )
                for i, a in zip(ids, batch, strict=True)
            )
            self.store.mark_indexed(ids)
            self.size += len(batch)
        self.index.compact()  # what the end of an import job does
        spent = time.perf_counter() - t0
        self.seconds += spent
        return spent

    def close(self) -> None:
        self.store.close()
        self.index.close()


def make_queries(bases: Sequence[Base], store: Store, count: int, seed: int = 7) -> list[str]:
    """Realistic queries: 1-3 words, phrases, title: and site: fields, person:/org:/place: names taken
    from the archive's own entities, and a date range with a word."""
    rng = random.Random(seed)
    vocabulary = vocabulary_of(bases, 3000)
    names = {
        field: [t for t, *_ in store.entity_totals(label, 300)] or ["London"]
        for field, label in (("person", "PERSON"), ("org", "ORG"), ("place", "GPE"))
    }
    out: list[str] = []
    while len(out) < count:
        base = rng.choice(bases)
        words = [w for w in re.findall(r"[a-z]{4,}", base.clean.text.lower()) if w in vocabulary]
        if len(words) < 20:
            continue
        kind = KINDS[len(out) % len(KINDS)]
        i = rng.randrange(len(words) - 10)
        if kind == "w1":
            out.append(rng.choice(vocabulary[:1500]))
        elif kind in ("w2", "w3"):
            near = list(dict.fromkeys(words[i : i + 12]))  # distinct words close together in one article
            if len(near) < 3:
                continue
            out.append(" ".join(rng.sample(near, int(kind[1]))))
        elif kind == "phrase":
            tokens = re.findall(r"[A-Za-z]+", base.clean.text)
            j = rng.randrange(max(1, len(tokens) - 2))
            out.append('"' + " ".join(tokens[j : j + 2]) + '"')
        elif kind == "title":
            out.append("title:" + rng.choice(re.findall(r"[A-Za-z]{4,}", base.clean.meta.title) or ["news"]).lower())
        elif kind == "site":
            out.append(f"{words[i]} site:{rng.choice(SITES)}")
        elif kind in names:
            out.append(f'{kind}:"{rng.choice(names[kind])}"')
        else:
            month = rng.randrange(1, 20)
            start = f"{2004 + (month - 1) // 12}-{(month - 1) % 12 + 1:02d}"
            end_m = month + rng.randrange(1, 5)
            end = f"{2004 + (end_m - 1) // 12}-{(end_m - 1) % 12 + 1:02d}"
            out.append(f"{words[i]} published:[{start} TO {end}]")
    return out


@dataclass(frozen=True, slots=True)
class Latency:
    """Milliseconds per query through Library.search (limit 50, snippets for the first 20)."""

    queries: int
    median: float
    p95: float
    maximum: float
    median_hits: float
    slowest: tuple[tuple[float, str], ...]


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure_latency(data_dir: Path, queries: Sequence[str]) -> Latency:
    """Open the library fresh and time every query, after a few warm-up searches."""
    library = Library(data_dir)
    for q in queries[:5]:
        library.search(q)
    # The benchmark's own heap (the prepared corpus) must not make the collector's pauses look
    # like the search's: freeze what exists now, as an app with its texts in SQLite would not hold them.
    gc.collect()
    gc.freeze()
    times, hits = [], []
    try:
        for q in queries:
            t0 = time.perf_counter()
            results, _rows = library.search(q, limit=50, snippets=20)
            times.append((time.perf_counter() - t0) * 1000)
            hits.append(results.total)
    finally:
        gc.unfreeze()
        library.index.close()
        library.close()
    slowest = tuple(sorted(zip(times, queries, strict=True))[-5:])
    return Latency(
        len(queries), statistics.median(times), percentile(times, 0.95), max(times), statistics.median(hits), slowest
    )
