"""Precision@N per type of a library's top entity lists against hand judgements (the hold-out check).

Run from the repository root, on a library of ../shared/corpus/bbc-news-2005/tech:
    python -m desktop_reader --data-dir DIR import ../shared/corpus/bbc-news-2005/tech
    python -m desktop_reader.bench.holdout DIR [--top 20]
Names without a judgement are listed, so the judgements can grow with the lists.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from desktop_reader.library import Library

JUDGEMENTS = Path(__file__).resolve().parents[2] / "tests" / "data" / "entities_gold" / "holdout_bbc_tech.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data_dir", type=Path, help="the library's data folder (DIR of --data-dir DIR)")
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--judgements", type=Path, default=JUDGEMENTS)
    args = parser.parse_args()
    judged = json.loads(args.judgements.read_text(encoding="utf-8"))["judgements"]
    folder = args.data_dir / "data" if (args.data_dir / "data" / "library.sqlite3").exists() else args.data_dir
    library = Library(folder)
    for kind, verdicts in judged.items():
        names = [e.text for e in library.entities(label=kind, limit=args.top)]
        good = sum(1 for n in names if verdicts.get(n) is True)
        unknown = [n for n in names if n not in verdicts]
        print(
            f"{kind:<8} precision@{args.top}: {good}/{len(names)} = {good / max(1, len(names)):.2f}"
            + (f"  (unjudged: {', '.join(unknown)})" if unknown else "")
        )


if __name__ == "__main__":
    main()
