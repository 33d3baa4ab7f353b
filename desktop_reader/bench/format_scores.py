"""F1 and import speed per archive format, on files made by format_corpus, scored with the benchmark's score.py.

Each file goes through the importer's own reader and cleaning (what `import` stores as text), and
the text is scored against the page's reference with score.py's metric (only the pages present).

    python -m desktop_reader.bench.format_corpus /tmp/formats
    python -m desktop_reader.bench.format_scores /tmp/formats [--formats pdf,epub,...]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from desktop_reader.bench.corpus import PAGES

SCORER = PAGES.parent / "score.py"


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("benchmark_score", SCORER)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class Truth:
    """The benchmark's reference texts, by page id, and how file names and URLs map to ids."""

    texts: dict[str, str]
    urls: dict[str, str]  # url -> id

    def id_of(self, path: Path) -> str:
        stem = path.name.split(".")[0]
        return next(i for i in self.texts if i.startswith(stem))

    def id_of_url(self, url: str) -> str | None:
        return self.urls.get(url)


def load_truth() -> Truth:
    raw = json.loads((PAGES.parent / "ground-truth.json").read_text(encoding="utf-8"))
    return Truth({i: v["articleBody"] for i, v in raw.items()}, {v["url"]: i for i, v in raw.items()})


def score(predictions: dict[str, str], truth: Truth) -> dict[str, float]:
    """score.py's aggregate (f1, precision, recall, page_f1, accuracy) over the pages predicted."""
    scorer = _scorer()
    rows = []
    for page_id, text in predictions.items():
        reference = truth.texts[page_id]
        tp, fp, fn = scorer.page_counts(reference, text)
        p, r, f1 = scorer.page_scores(tp, fp, fn)
        exact = float(scorer.TOKEN.findall(reference) == scorer.TOKEN.findall(text))
        rows.append({"precision": p, "recall": r, "f1": f1, "exact": exact})
    return dict(scorer.aggregate(rows))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--formats", default="")
    args = parser.parse_args(argv)
    from desktop_reader.bench.format_runs import run_format

    truth = load_truth()
    formats = args.formats.split(",") if args.formats else sorted(p.name for p in args.folder.iterdir() if p.is_dir())
    print(f"{'format':<11} {'articles':>8} {'F1':>6} {'prec':>6} {'recall':>6} {'art/s':>7} {'MB/s':>6}")
    for fmt in formats:
        start = time.perf_counter()
        predictions, size = run_format(fmt, args.folder / fmt, truth)
        seconds = time.perf_counter() - start
        result = score(predictions, truth)
        print(
            f"{fmt:<11} {len(predictions):>8} {result['f1']:>6.3f} {result['precision']:>6.3f} "
            f"{result['recall']:>6.3f} {len(predictions) / seconds:>7.1f} {size / 1e6 / seconds:>6.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
