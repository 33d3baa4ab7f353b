"""Runs every benchmark in a temporary folder and gathers the results into one dictionary."""

from __future__ import annotations

import os
import platform
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_reader.bench import corpus, import_bench, memory, open_bench, search_bench
from desktop_reader.entities.extractor import EntityExtractor


@dataclass(frozen=True)
class Options:
    """What to run, and how big."""

    sizes: tuple[int, ...] = (2_000, 20_000, 100_000)
    import_size: int = 20_000  # the memory import: this many perturbed copies, end to end
    queries: int = 240
    add_size: int = 100  # new files imported into the largest archive
    bbc_limit: int | None = None  # None: all 2,225
    pages_limit: int | None = None  # None: all 91
    gui: bool = True
    workers: int = 2
    quick: bool = False
    workdir: Path | None = None  # None: a temporary folder, removed afterwards


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def run(options: Options, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Run the suite; every step is logged as it starts."""
    if options.workdir is not None:
        options.workdir.mkdir(parents=True, exist_ok=True)
        return _run(options, options.workdir, log)
    with tempfile.TemporaryDirectory(prefix="reader-bench-") as tmp:
        return _run(options, Path(tmp), log)


def _run(o: Options, tmp: Path, log: Callable[[str], None]) -> dict[str, Any]:
    extractor = EntityExtractor()
    results: dict[str, Any] = {
        "meta": {
            "cores": os.cpu_count(),
            "cpu": _cpu(),
            "model": extractor.model_name,
            "python": platform.python_version(),
            "date": time.strftime("%Y-%m-%d %H:%M"),
            "quick": o.quick,
            "sizes": list(o.sizes),
            "archives": "built with Store.add_many + SearchIndex.add (below the pipeline), not import_paths",
        },
        "imports": {},
        "search": {},
    }
    inputs = {
        "bbc-news-2005": corpus.bbc_files(o.bbc_limit),
        "article-extraction": corpus.unpack_pages(tmp / "pages", o.pages_limit),
    }
    bases: list[corpus.Base] = []
    for name, files in inputs.items():
        log(f"[import] {name}: each stage alone on {len(files)} files")
        stages = import_bench.time_stages(files, extractor, tmp / f"stages-{name}")
        if name == "bbc-news-2005":
            bases = stages.bases
        log(f"[import] {name}: entity ceiling with {o.workers} processes")
        ceiling = import_bench.entity_ceiling([b.clean.text for b in stages.bases], extractor.model_name, o.workers)
        log(f"[import] {name}: end to end through Library.import_paths")
        source = files[0].parent if name == "article-extraction" else None
        run = import_bench.import_end_to_end([source] if source else files, tmp / f"lib-{name}")
        results["imports"][name] = {
            "files": run.files,
            "imported": run.imported,
            "seconds": run.seconds,
            "rate": run.rate,
            "peak_rss": run.peak_rss,
            "stages": {s: stages.rate(s) for s in import_bench.STAGES},
            "stage_seconds": stages.seconds,
            "model_load_s": stages.model_load,
            "ceiling": ceiling,
            "ceiling_workers": o.workers,
        }

    log(f"[memory] importing {o.import_size:,} perturbed copies end to end")
    copies = corpus.write_copies(bases, o.import_size, tmp / "copies")
    big = import_bench.import_end_to_end([tmp / "copies"], tmp / "lib-memory")
    results["memory"] = {
        "import_size": len(copies),
        "import_peak_rss": big.peak_rss,
        "import_max_child_rss": big.max_child_rss,
        "import_rate": big.rate,
        "import_seconds": big.seconds,
    }
    shutil.rmtree(tmp / "copies", ignore_errors=True)
    shutil.rmtree(tmp / "lib-memory", ignore_errors=True)

    home = tmp / "archive"
    builder = search_bench.ArchiveBuilder(home / "data", bases)
    queries: list[str] = []
    for size in sorted(o.sizes):
        log(f"[search] growing the archive to {size:,} articles")
        before = builder.size
        spent = builder.grow_to(size)
        if not queries:
            queries = search_bench.make_queries(bases, builder.store, o.queries)
        log(f"[search] {len(queries)} queries at {size:,} articles")
        lat = search_bench.measure_latency(home / "data", queries)
        results["search"][str(size)] = {
            "build_rate": (size - before) / spent if spent else 0.0,
            "queries": lat.queries,
            "median": lat.median,
            "p95": lat.p95,
            "max": lat.maximum,
            "median_hits": lat.median_hits,
            "slowest": [list(s) for s in lat.slowest],
        }
    builder.close()
    results["queries_sample"] = queries[: len(search_bench.KINDS) * 2]

    log(f"[import] {o.add_size} new files into the largest archive")
    new = corpus.write_copies(bases, o.add_size, tmp / "new", seed=99)
    add = import_bench.import_end_to_end([tmp / "new"], home / "data")
    results["add_100"] = {"files": len(new), "seconds": add.seconds, "rate": add.rate}

    log("[open] launch to a usable window" + ("" if o.gui else " (core only: --skip-gui)"))
    results["open"] = open_bench.measure_opening(home, gui=o.gui)
    log("[memory] library open and idle; sizes on disk")
    results["memory"].update(memory.idle_rss(home / "data"))
    results["disk"] = memory.disk_sizes(home / "data")
    return results
