"""Ranking quality of sentence-long queries: SciFact's training claims through `Library.search`.

`python -m desktop_reader.bench.scifact` imports the 5,183 abstracts of
`../shared/benchmarks/scifact-train` (title + text, no entities: ranking reads none) into a
library in a temporary folder, runs every claim through `Library.search` with the window's
arguments (first page of 50, snippets for all of them, relevance order) and prints nDCG@10
and recall@50 with the benchmark's own definition (BEIR's, binary relevance). `--run FILE`
also writes the run for the benchmark's `score.py`.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import math
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop_reader import paths
from desktop_reader.bench.corpus import SHARED
from desktop_reader.library import Library
from desktop_reader.models import CleanDocument, IndexDoc, Metadata, PreparedArticle
from desktop_reader.search.index import SearchIndex
from desktop_reader.storage.store import Store

SCIFACT = SHARED / "benchmarks" / "scifact-train"
WINDOW_PAGE = 50  # gui/article_source.QuerySource.first_page: the window's limit and snippets
BATCH = 2000


@dataclass(frozen=True, slots=True)
class Judged:
    """Queries, the documents that answer them, and the corpus (id, title, text)."""

    queries: dict[str, str]
    relevant: dict[str, set[str]]
    docs: list[tuple[str, str, str]]


@dataclass(frozen=True, slots=True)
class Quality:
    """nDCG@10 and recall at the page size over the judged queries, and how long they took."""

    ndcg10: float
    recall: float
    queries: int
    seconds: float
    per_query: dict[str, float]


def load(folder: Path = SCIFACT, limit_docs: int | None = None) -> Judged:
    """The benchmark's files; with `limit_docs`, only the judged documents plus the first others."""
    relevant: dict[str, set[str]] = defaultdict(set)
    for line in (folder / "qrels" / "train.tsv").read_text().splitlines()[1:]:
        q, d, s = line.split("\t")
        if int(s) > 0:
            relevant[q].add(d)
    queries = {}
    for line in (folder / "queries.jsonl").read_text().splitlines():
        row = json.loads(line)
        if row["_id"] in relevant:
            queries[row["_id"]] = row["text"]
    docs = []
    with gzip.open(folder / "corpus.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            docs.append((row["_id"], row.get("title", ""), row.get("text", "")))
    if limit_docs is not None:
        judged = {d for rel in relevant.values() for d in rel}
        docs = [d for d in docs if d[0] in judged] + [d for d in docs if d[0] not in judged][:limit_docs]
    return Judged(queries, dict(relevant), docs)


def _articles(docs: Sequence[tuple[str, str, str]]) -> Iterator[PreparedArticle]:
    for doc_id, title, text in docs:
        content = f"{title}\n\n{text}".encode()
        sha = hashlib.sha256(content + doc_id.encode()).hexdigest()
        clean = CleanDocument(text, Metadata(title=title, url=f"scifact:{doc_id}"))
        yield PreparedArticle(Path(f"/scifact/{doc_id}.txt"), sha, "text", content, clean, ())


def build(data_dir: Path, docs: Sequence[tuple[str, str, str]]) -> dict[int, str]:
    """Store and index `docs` in `data_dir` (the API just below the import pipeline, as
    bench/search_bench does); returns article id -> corpus id."""
    store = Store(data_dir)
    index = SearchIndex(paths.index_dir(data_dir))
    ids: dict[int, str] = {}
    try:
        for start in range(0, len(docs), BATCH):
            chunk = docs[start : start + BATCH]
            batch = list(_articles(chunk))
            new_ids = store.add_many(batch)
            index.add(
                IndexDoc(i, a.clean.meta.title, a.clean.text, "", "", a.clean.meta.url, "")
                for i, a in zip(new_ids, batch, strict=True)
            )
            store.mark_indexed(new_ids)
            ids.update(zip(new_ids, (d[0] for d in chunk), strict=True))
        index.optimize()  # what a full rebuild ends with
    finally:
        store.close()
        index.close()
    return ids


def ndcg_at_10(ranked: Sequence[str], relevant: set[str]) -> float:
    """BEIR's nDCG@10 with binary relevance (the benchmark's score.py)."""
    dcg = sum(1 / math.log2(i + 2) for i, d in enumerate(ranked[:10]) if d in relevant)
    idcg = sum(1 / math.log2(i + 2) for i in range(min(len(relevant), 10)))
    return dcg / idcg


def evaluate(library: Library, judged: Judged, ids: dict[int, str], run: Path | None = None) -> Quality:
    """Every judged query through `Library.search` as the window calls it."""
    per_query: dict[str, float] = {}
    recall = 0.0
    lines: list[str] = []
    t0 = time.perf_counter()
    for qid, text in judged.queries.items():
        _, rows = library.search(text, limit=WINDOW_PAGE, snippets=WINDOW_PAGE)
        ranked = [ids[r.id] for r in rows]
        lines.extend(f"{qid}\t{d}" for d in ranked)
        rel = judged.relevant[qid]
        per_query[qid] = ndcg_at_10(ranked, rel)
        recall += len(rel & set(ranked)) / len(rel)
    seconds = time.perf_counter() - t0
    if run is not None:
        run.write_text("\n".join(lines) + "\n")
    n = len(judged.relevant)  # queries without a text would score 0, as in score.py
    return Quality(sum(per_query.values()) / n, recall / n, len(per_query), seconds, per_query)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m desktop_reader.bench.scifact", description=__doc__)
    ap.add_argument("--data", type=Path, default=SCIFACT, help="the scifact-train folder")
    ap.add_argument("--workdir", type=Path, help="build the library here (reused when it exists)")
    ap.add_argument("--run", type=Path, help="also write the run (query-id<TAB>corpus-id) for score.py")
    args = ap.parse_args(argv)
    if not (args.data / "queries.jsonl").is_file():
        print(f"SciFact is missing ({args.data.resolve()}).", file=sys.stderr)
        return 2
    judged = load(args.data)
    with tempfile.TemporaryDirectory(prefix="scifact-") as tmp:
        data_dir = args.workdir or Path(tmp)
        t0 = time.perf_counter()
        reuse = args.workdir is not None and (data_dir / "ids.json").is_file()
        if reuse:
            ids = {int(k): v for k, v in json.loads((data_dir / "ids.json").read_text()).items()}
        else:
            ids = build(data_dir, judged.docs)
            (data_dir / "ids.json").write_text(json.dumps(ids))
        built = time.perf_counter() - t0
        library = Library(data_dir)
        try:
            quality = evaluate(library, judged, ids, args.run)
        finally:
            library.index.close()
            library.close()
    print(
        f"nDCG@10 {quality.ndcg10:.4f}   recall@{WINDOW_PAGE} {quality.recall:.4f}   ({quality.queries} queries, "
        f"{len(judged.docs)} abstracts; built in {built:.1f} s, searched in {quality.seconds:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
