"""Entity evaluation: precision, recall and F1 against the hand-annotated gold set, and throughput.

Run from the repository root:
    python -m desktop_reader.bench.entity_eval                 # raw spaCy vs tidied, per type and overall
    python -m desktop_reader.bench.entity_eval --raw           # raw spaCy only
    python -m desktop_reader.bench.entity_eval --errors        # also list each article's misses and extras
    python -m desktop_reader.bench.entity_eval --throughput ../shared/corpus/bbc-news-2005 [--processes 1|2]

Scoring is at the entity level: each article contributes its set of (text, label) pairs. The gold set
names every entity once, as the tidier aims to: full names for people, no possessives, no leading "the"
except in titles and dates. Raw output is spaCy's span text and label, deduplicated, restricted to the
labels the app keeps (so the comparison measures tidying, not label filtering).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop_reader.entities.extractor import EntityExtractor
from desktop_reader.entities.tidy import KEPT_LABELS, tidy
from desktop_reader.errors import ReaderError

GOLD_DIR = Path(__file__).resolve().parents[2] / "tests" / "data" / "entities_gold"

Pair = tuple[str, str]  # (text, label)


@dataclass(frozen=True, slots=True)
class Score:
    """Counts of one comparison, with the usual ratios."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_gold(folder: Path = GOLD_DIR) -> dict[str, tuple[str, set[Pair]]]:
    """File name -> (article text, gold (text, label) pairs), from `folder`/gold.json and its .txt files."""
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    return {
        name: ((folder / name).read_text(encoding="utf-8"), {(e["text"], e["label"]) for e in entities})
        for name, entities in sorted(gold.items())
    }


def predict(extractor: EntityExtractor, text: str) -> tuple[set[Pair], set[Pair]]:
    """(raw, tidied) entity pairs of one text; spaCy runs once for both."""
    spans = extractor.raw_spans(text)
    raw = {(surface, label) for surface, label, _, _ in spans}
    return raw, {(e.text, e.label) for e in tidy(text, spans)}


def score(pairs: Iterable[tuple[set[Pair], set[Pair]]], label: str | None = None) -> Score:
    """Sum of (predicted, gold) comparisons, over one label or all of them."""
    tp = fp = fn = 0
    for predicted, gold in pairs:
        if label is not None:
            predicted = {p for p in predicted if p[1] == label}
            gold = {g for g in gold if g[1] == label}
        tp += len(predicted & gold)
        fp += len(predicted - gold)
        fn += len(gold - predicted)
    return Score(tp, fp, fn)


def evaluate(extractor: EntityExtractor, folder: Path = GOLD_DIR) -> dict[str, dict[str, Score]]:
    """Scores per label (and "ALL") for "raw" and "tidied" output over the gold set."""
    raw_pairs, tidy_pairs = [], []
    for text, gold in load_gold(folder).values():
        raw, tidied = predict(extractor, text)
        raw_pairs.append((raw, gold))
        tidy_pairs.append((tidied, gold))
    labels = [lab for lab in KEPT_LABELS if any(g[1] == lab for _, gold in raw_pairs for g in gold)]
    result: dict[str, dict[str, Score]] = {}
    for kind, pairs in (("raw", raw_pairs), ("tidied", tidy_pairs)):
        result[kind] = {lab: score(pairs, lab) for lab in sorted(labels)}
        result[kind]["ALL"] = score(pairs)
    return result


def print_scores(result: dict[str, dict[str, Score]], kinds: Sequence[str]) -> None:
    """A table: one row per label, precision / recall / F1 (and gold count) per kind of output."""
    header = f"{'label':<12}{'gold':>6}" + "".join(f"  {k + ' P':>9}{'R':>7}{'F1':>7}" for k in kinds)
    print(header)
    print("-" * len(header))
    for label, first in result[kinds[0]].items():
        row = f"{label:<12}{first.tp + first.fn:>6}"
        for kind in kinds:
            s = result[kind][label]
            row += f"  {s.precision:>9.3f}{s.recall:>7.3f}{s.f1:>7.3f}"
        print(row)


def print_errors(extractor: EntityExtractor, folder: Path) -> None:
    """Each article's tidied misses (gold, not found) and extras (found, not gold)."""
    for name, (text, gold) in load_gold(folder).items():
        _, tidied = predict(extractor, text)
        print(f"{name}  missed: {sorted(gold - tidied)}")
        print(f"{' ' * len(name)}  extra:  {sorted(tidied - gold)}")


_worker: EntityExtractor | None = None


def _init_worker(model: str, barrier: multiprocessing.synchronize.Barrier) -> None:
    global _worker
    _worker = EntityExtractor(model=model)
    _ = _worker.nlp
    barrier.wait()  # the clock starts once every process has its model


def _extract_files(paths: list[str]) -> int:
    assert _worker is not None
    texts = [Path(p).read_text(encoding="utf-8", errors="replace") for p in paths]
    return sum(len(found) for found in _worker.extract_many(texts))


def throughput(folder: Path, processes: int, model: str | None = None) -> tuple[int, int, float, float]:
    """Extract entities from every .txt file under `folder` with `processes` worker processes.

    Returns:
        (files, words, seconds of extraction after the models were loaded, seconds to load the models).
    """
    paths = sorted(str(p) for p in folder.rglob("*.txt"))
    words = sum(len(Path(p).read_text(encoding="utf-8", errors="replace").split()) for p in paths)
    model = model or EntityExtractor().model_name
    context = multiprocessing.get_context("spawn")  # a clean interpreter per worker, as an import would use
    barrier = context.Barrier(processes + 1)
    started = time.perf_counter()
    with context.Pool(processes, initializer=_init_worker, initargs=(model, barrier)) as pool:
        barrier.wait()
        loaded = time.perf_counter()
        # Small tasks keep both processes busy to the end; 32 files make one nlp.pipe batch.
        tasks = [paths[i : i + 32] for i in range(0, len(paths), 32)]
        sum(pool.imap_unordered(_extract_files, tasks))
        done = time.perf_counter()
    return len(paths), words, done - loaded, loaded - started


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m desktop_reader.bench.entity_eval", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--raw", action="store_true", help="score raw spaCy output only")
    parser.add_argument("--model", help="spaCy pipeline to use (default: best installed)")
    parser.add_argument("--gold", type=Path, default=GOLD_DIR, help="gold-set folder (NN.txt + gold.json)")
    parser.add_argument("--errors", action="store_true", help="list each article's misses and extras")
    parser.add_argument("--throughput", type=Path, metavar="DIR", help="measure words/s over DIR's .txt files")
    parser.add_argument(
        "--processes", type=int, choices=(1, 2), help="worker processes for --throughput (default: 1, then 2)"
    )
    args = parser.parse_args(argv)
    extractor = EntityExtractor(model=args.model)
    try:
        if args.throughput:
            for n in [args.processes] if args.processes else [1, 2]:
                files, words, seconds, load = throughput(args.throughput, n, args.model)
                print(
                    f"{n} process(es): {files} files, {words} words in {seconds:.1f} s "
                    f"= {words / seconds:,.0f} words/s (model load {load:.1f} s, {extractor.model_name})"
                )
            return 0
        _ = extractor.nlp
        print(f"model: {extractor.model_name}; gold: {args.gold}")
        result = evaluate(extractor, args.gold)
        print_scores(result, ["raw"] if args.raw else ["raw", "tidied"])
        if args.errors:
            print_errors(extractor, args.gold)
    except ReaderError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
