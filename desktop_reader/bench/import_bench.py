"""Import throughput: the whole pipeline end to end, each stage alone, and the two-core entity ceiling.

Run as `python -m desktop_reader.bench.import_bench DATA_DIR SOURCE...` it imports SOURCE into a
library in DATA_DIR through `Library.import_paths` and prints the timing as JSON; the parent samples
that process tree's memory meanwhile.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from desktop_reader import paths
from desktop_reader.bench.corpus import Base
from desktop_reader.bench.memory import max_rss_children, run_sampled
from desktop_reader.entities.extractor import EntityExtractor
from desktop_reader.errors import ImportFailed
from desktop_reader.importing import cleaning, file_readers
from desktop_reader.jobs import pipeline
from desktop_reader.models import CleanDocument, PreparedArticle, RawDocument
from desktop_reader.search.index import SearchIndex
from desktop_reader.storage.store import Store

REPO = Path(__file__).resolve().parents[2]
STAGES = ("reading", "cleaning", "entities", "storing", "indexing")


@dataclass(frozen=True, slots=True)
class ImportRun:
    """One end-to-end import in a fresh library."""

    files: int  # every outcome: imported, duplicate or failed
    imported: int
    seconds: float  # the import job alone, inside the importing process
    peak_rss: int  # bytes, the importing process and its workers together, sampled
    max_child_rss: int  # bytes, the largest worker by getrusage(RUSAGE_CHILDREN)

    @property
    def rate(self) -> float:
        return self.files / self.seconds if self.seconds else 0.0


def import_end_to_end(sources: Sequence[Path], data_dir: Path) -> ImportRun:
    """Import `sources` into a new library in `data_dir`, in a subprocess whose tree RSS is sampled."""
    cmd = [sys.executable, "-m", "desktop_reader.bench.import_bench", str(data_dir), *map(str, sources)]
    got, peak = run_sampled(cmd, REPO)
    return ImportRun(
        got["files"],
        got["imported"],
        got["seconds"],
        max(peak, got["self_rss"]),
        got["max_child_rss"],
    )


def _import_main(data_dir: Path, sources: list[Path]) -> None:
    from desktop_reader.library import Library
    from desktop_reader.progress import drive

    library = Library(data_dir)
    t0 = time.perf_counter()
    report = drive(library.import_paths(sources), lambda _step: None)
    seconds = time.perf_counter() - t0
    library.close()
    print(
        json.dumps(
            {
                "files": len(report.outcomes),
                "imported": report.imported,
                "seconds": seconds,
                "self_rss": rss_self_peak(),
                "max_child_rss": max_rss_children(),
            }
        )
    )


def rss_self_peak() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


# -- each stage alone, in this process ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class StageRun:
    """Seconds per stage over the same inputs, one core, and what they produced."""

    files: int
    seconds: dict[str, float]
    bases: list[Base]
    model_load: float

    def rate(self, stage: str) -> float:
        s = self.seconds[stage]
        return self.files / s if s else 0.0


def time_stages(files: Sequence[Path], extractor: EntityExtractor, workdir: Path) -> StageRun:
    """Run read_file, clean, extract_many, Store.add_many and the index update one after another.

    Storing and indexing use the pipeline's own batch size and code (`pipeline.index_stored`).
    """
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    raws: list[RawDocument] = []
    for path in files:
        with contextlib.suppress(ImportFailed):
            raws.append(file_readers.read_file(path))
    seconds["reading"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    cleaned: list[tuple[RawDocument, CleanDocument]] = []
    for raw in raws:
        with contextlib.suppress(ImportFailed):
            cleaned.append((raw, cleaning.clean(raw)))
    seconds["cleaning"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    _ = extractor.nlp
    model_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    found = list(extractor.extract_many(c.text for _, c in cleaned))
    seconds["entities"] = time.perf_counter() - t0

    prepared: dict[str, PreparedArticle] = {}  # duplicates (the BBC set has some) would break the UNIQUE sha
    for (raw, clean), ents in zip(cleaned, found, strict=True):
        sha = hashlib.sha256(raw.content).hexdigest()
        prepared.setdefault(sha, PreparedArticle(raw.path, sha, raw.format, raw.content, clean, ents, None))
    batch = pipeline.THROUGHPUT.articles
    items = list(prepared.values())
    data_dir = workdir / "stages"
    store = Store(data_dir)
    index = SearchIndex(paths.index_dir(data_dir))
    t0 = time.perf_counter()
    stored: list[tuple[PreparedArticle, int]] = []
    for i in range(0, len(items), batch):
        chunk = items[i : i + batch]
        ids = store.add_many(list(chunk))
        stored.extend(zip(chunk, ids, strict=True))
    seconds["storing"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    for i in range(0, len(stored), batch):
        pipeline.index_stored(store, index, stored[i : i + batch])
    seconds["indexing"] = time.perf_counter() - t0
    store.close()
    index.close()
    bases = [Base(c, e) for (_, c), e in zip(cleaned, found, strict=True)]
    return StageRun(len(files), seconds, bases, model_load)


# -- the ceiling: entity recognition alone on every core ------------------------------------


def _ner_worker(conn: Connection, model: str) -> None:
    extractor = EntityExtractor(model=model)
    _ = extractor.nlp
    conn.send("ready")
    texts = conn.recv()
    t0 = time.perf_counter()
    count = sum(len(e) for e in extractor.extract_many(texts))
    conn.send((time.perf_counter() - t0, count))


def entity_ceiling(texts: Sequence[str], model: str, workers: int = 2) -> float:
    """Articles per second of entity recognition alone, `workers` processes with the model loaded.

    The texts are split into equal shares by length; the clock runs from handing them out until
    the last worker is done (model loading is excluded: it is a one-off per import).
    """
    shares: list[list[str]] = [[] for _ in range(workers)]
    loads = [0] * workers
    for text in sorted(texts, key=len, reverse=True):
        k = loads.index(min(loads))
        shares[k].append(text)
        loads[k] += len(text)
    ctx = multiprocessing.get_context("spawn")
    pipes, procs = [], []
    for _ in range(workers):
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_ner_worker, args=(child, model), daemon=True)
        proc.start()
        pipes.append(parent)
        procs.append(proc)
    try:
        for pipe in pipes:
            if pipe.recv() != "ready":
                raise RuntimeError("entity worker failed to start")
        t0 = time.perf_counter()
        for pipe, share in zip(pipes, shares, strict=True):
            pipe.send(share)
        for pipe in pipes:
            pipe.recv()
        wall = time.perf_counter() - t0
    finally:
        for proc in procs:
            proc.join(timeout=10)
            if proc.is_alive():
                proc.kill()
    return len(texts) / wall if wall else 0.0


if __name__ == "__main__":
    _import_main(Path(sys.argv[1]), [Path(p) for p in sys.argv[2:]])
