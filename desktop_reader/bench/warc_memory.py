"""Peak memory of importing one big WARC at several sizes: a streamed WARC costs the same at any size.

Each size gets a WARC made by format_corpus (the benchmark pages captured over and over under
distinct URLs, uncompressed) and a fresh library; the import runs in a subprocess whose RSS is
sampled with all its workers. Entities are off unless asked for: the spaCy model adds a fixed
amount per worker, whatever the file's size, and would make the run many times longer.

    python -m desktop_reader.bench.warc_memory /tmp/warcmem --sizes 100,500 [--entities]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop_reader.bench.format_corpus import big_warc
from desktop_reader.bench.memory import max_rss_children, run_sampled

REPO = Path(__file__).resolve().parents[2]
MB = 1_000_000


@dataclass(frozen=True, slots=True)
class WarcRun:
    """One import of one WARC into a new library."""

    warc_bytes: int
    pages: int  # HTML pages in the WARC (each one read and cleaned)
    articles: int  # of those, stored as articles
    seconds: float
    main_peak: int  # bytes: the importing process alone (its getrusage maximum)
    tree_peak: int  # bytes: the importing process and its workers together, sampled every 0.1 s
    largest_worker: int  # bytes, by getrusage(RUSAGE_CHILDREN)


def measure(warc: Path, data_dir: Path, entities: bool = False) -> WarcRun:
    """Import `warc` into a new library in `data_dir` in a subprocess and report its memory."""
    shutil.rmtree(data_dir, ignore_errors=True)
    cmd = [sys.executable, "-m", "desktop_reader.bench.warc_memory", "--child", str(data_dir), str(warc)]
    if entities:
        cmd.append("--entities")
    got, peak = run_sampled(cmd, REPO)
    return WarcRun(
        warc.stat().st_size,
        got["pages"],
        got["imported"],
        got["seconds"],
        got["main_peak"],
        max(peak, got["main_peak"]),
        got["largest_worker"],
    )


def _child(data_dir: Path, warc: Path, entities: bool) -> None:
    from desktop_reader.library import Library
    from desktop_reader.progress import drive

    library = Library(data_dir)
    started = time.perf_counter()
    report = drive(library.import_paths([warc], entities=entities), lambda _step: None)
    seconds = time.perf_counter() - started
    library.close()
    result = {
        "pages": len(report.outcomes),
        "imported": report.imported,
        "seconds": seconds,
        "main_peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "largest_worker": max_rss_children(),
    }
    print(json.dumps(result))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="folder for the WARCs (kept for reruns) and the libraries")
    parser.add_argument("warc", type=Path, nargs="?", help=argparse.SUPPRESS)
    parser.add_argument("--sizes", default="100,500", help="WARC sizes in MB")
    parser.add_argument("--entities", action="store_true", help="find entities too (spaCy in each worker)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.out, args.warc, args.entities)
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    header = ("WARC MB", 8), ("pages", 6), ("articles", 8), ("s", 7), ("MB/s", 6), ("main MB", 8), ("+workers MB", 11)
    print(" ".join(f"{name:>{width}}" for name, width in (*header, ("worker MB", 9))))
    for size in (int(s) for s in args.sizes.split(",")):
        warc = args.out / f"big-{size}mb.warc"
        if not warc.exists():
            big_warc(warc, size)
        run = measure(warc, args.out / f"lib-{size}", args.entities)
        speed = run.warc_bytes / MB / run.seconds
        print(
            f"{run.warc_bytes / MB:>8.0f} {run.pages:>6} {run.articles:>8} {run.seconds:>7.1f} {speed:>6.2f}"
            f" {run.main_peak / MB:>8.0f} {run.tree_peak / MB:>11.0f} {run.largest_worker / MB:>9.0f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
