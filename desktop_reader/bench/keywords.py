"""Ranking quality of short keyword queries: a judged set over the BBC corpus through `Library.search`.

`python -m desktop_reader.bench.keywords` indexes the 2,225 BBC articles (title + body, no
entities) in a temporary library and scores the 31 judged queries of `bbc_keywords.tsv` with
nDCG@10 and recall@50, as bench/scifact does for sentence-long ones: the guard that a rule
helping long queries does not hurt the two- and three-word ones.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from desktop_reader.bench.corpus import BBC
from desktop_reader.bench.scifact import Judged, build, evaluate
from desktop_reader.library import Library

JUDGMENTS = Path(__file__).with_name("bbc_keywords.tsv")


def load(corpus: Path = BBC, judgments: Path = JUDGMENTS) -> Judged:
    """The judged queries and the corpus (id = path relative to the corpus, title, body)."""
    queries: dict[str, str] = {}
    relevant: dict[str, set[str]] = {}
    for line in judgments.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, paths = line.split("\t")
        qid = str(len(queries) + 1)
        queries[qid] = text
        relevant[qid] = set(paths.split())
    docs = []
    for path in sorted(corpus.glob("*/*.txt")):
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        docs.append((path.relative_to(corpus).as_posix(), title.strip(), body.strip()))
    return Judged(queries, relevant, docs)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m desktop_reader.bench.keywords", description=__doc__)
    ap.add_argument("--corpus", type=Path, default=BBC, help="the bbc-news-2005 folder")
    ap.add_argument("--verbose", action="store_true", help="print each query's nDCG@10")
    args = ap.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"The BBC corpus is missing ({args.corpus.resolve()}).", file=sys.stderr)
        return 2
    judged = load(args.corpus)
    with tempfile.TemporaryDirectory(prefix="keywords-") as tmp:
        ids = build(Path(tmp), judged.docs)
        library = Library(Path(tmp))
        try:
            quality = evaluate(library, judged, ids)
        finally:
            library.index.close()
            library.close()
    if args.verbose:
        for qid, score in quality.per_query.items():
            print(f"{score:.3f}  {judged.queries[qid]}")
    print(f"nDCG@10 {quality.ndcg10:.4f}   recall@50 {quality.recall:.4f}   ({quality.queries} queries)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
