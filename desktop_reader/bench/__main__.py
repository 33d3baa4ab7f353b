"""`python -m desktop_reader.bench`: run the benchmark suite and print its one table."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from desktop_reader.bench import corpus, report, suite

QUICK_SIZES = (500, 2_000)
QUICK_IMPORT = 2_000


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m desktop_reader.bench", description=__doc__)
    ap.add_argument("--sizes", default="2000,20000,100000", help="archive sizes for search latency")
    ap.add_argument("--import-size", type=int, default=20_000, help="articles in the peak-memory import")
    ap.add_argument("--queries", type=int, default=240, help="queries per archive size (at least 200)")
    ap.add_argument("--quick", action="store_true", help=f"smoke run: sizes {QUICK_SIZES}, import {QUICK_IMPORT}")
    ap.add_argument("--skip-gui", action="store_true", help="measure opening without Qt (Library + first page)")
    ap.add_argument("--out", type=Path, help="also write every result as JSON here")
    ap.add_argument("--workdir", type=Path, help="build in this folder (kept) instead of a temporary one")
    args = ap.parse_args(argv)
    if not corpus.available():
        print(f"The shared corpora are missing ({corpus.SHARED.resolve()}).", file=sys.stderr)
        return 2
    sizes = QUICK_SIZES if args.quick else tuple(int(s) for s in args.sizes.split(",") if s.strip())
    options = suite.Options(
        sizes=sizes,
        import_size=QUICK_IMPORT if args.quick else args.import_size,
        queries=args.queries,
        gui=not args.skip_gui,
        quick=args.quick,
        workdir=args.workdir,
    )
    results = suite.run(options, log=lambda line: print(line, file=sys.stderr, flush=True))
    table = report.render(results)
    print(table)
    if args.out:
        args.out.write_text(json.dumps({**results, "table": table}, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
