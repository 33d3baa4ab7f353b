"""Search index speed: batch indexing rate and query latency on a synthetic archive of real BBC texts.

Run from the repository root:

    /work/venv/bin/python benchmarks/search_speed.py --docs 20000

Documents are the 2,225 articles of ../shared/corpus/bbc-news-2005 (title = first line) plus
perturbed copies (sentences shuffled, some words dropped, new dates) up to --docs. Entities
are faked from capitalised word pairs so that facets and entity queries have realistic data.
"""

from __future__ import annotations

import argparse
import gc
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from desktop_reader.models import IndexDoc  # noqa: E402
from desktop_reader.search import SearchIndex  # noqa: E402

CORPUS = ROOT / ".." / "shared" / "corpus" / "bbc-news-2005"
_PAIR = re.compile(r"\b([A-Z][a-z]+ [A-Z][a-z]+)\b")
_LABELS = ("PERSON", "ORG", "GPE")


def load_corpus() -> list[tuple[str, str, str]]:
    """(title, text, section) of every article."""
    out = []
    for path in sorted(CORPUS.glob("*/*.txt")):
        raw = path.read_text(encoding="utf-8", errors="replace").strip()
        title, _, body = raw.partition("\n")
        out.append((title.strip(), body.strip(), path.parent.name))
    return out


def synthesize(n: int, seed: int = 5) -> list[IndexDoc]:
    rng = random.Random(seed)
    base = load_corpus()
    docs = []
    start = date(2000, 1, 1)
    for i in range(n):
        title, text, section = base[i % len(base)]
        if i >= len(base):
            sentences = re.split(r"(?<=[.!?])\s+", text)
            rng.shuffle(sentences)
            words = " ".join(sentences).split(" ")
            text = " ".join(w for w in words if rng.random() > 0.05)
            title = f"{title} ({i // len(base)})"
        pairs = list(dict.fromkeys(_PAIR.findall(text)))[:12]
        entities = tuple((p, _LABELS[hash(p) % 3]) for p in pairs)
        published = (start + timedelta(days=rng.randrange(9000))).isoformat()
        docs.append(
            IndexDoc(
                i + 1,
                title,
                text,
                f"Reporter {i % 97}",
                f"BBC {section}",
                f"https://bbc.example.co.uk/{section}/{i}",
                published,
                entities,
            )
        )
    return docs


def make_queries(docs: list[IndexDoc], count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    queries: list[str] = []
    kinds = ["w1", "w2", "w3", "w2", "phrase", "title", "person", "date", "prefix", "fuzzy", "bool"]
    while len(queries) < count:
        doc = rng.choice(docs)
        words = [w for w in re.findall(r"[a-z]{4,}", doc.text.lower())]
        if len(words) < 10:
            continue
        kind = kinds[len(queries) % len(kinds)]
        i = rng.randrange(len(words) - 3)
        if kind.startswith("w"):
            queries.append(" ".join(rng.sample(words, int(kind[1]))))
        elif kind == "phrase":
            queries.append('"' + " ".join(doc.text.split()[i : i + 2]) + '"')
        elif kind == "title":
            queries.append("title:" + rng.choice(re.findall(r"\w{4,}", doc.title) or ["news"]))
        elif kind == "person":
            ents = [t for t, _ in doc.entities]
            queries.append(f'entity:"{rng.choice(ents)}"' if ents else words[i])
        elif kind == "date":
            queries.append(f"{words[i]} published:[{2000 + rng.randrange(20)} TO {2021 + rng.randrange(4)}]")
        elif kind == "prefix":
            queries.append(words[i][:4] + "*")
        elif kind == "fuzzy":
            queries.append(words[i] + "~")
        else:
            queries.append(f"{words[i]} AND ({words[i + 1]} OR {words[i + 2]}) NOT {words[i + 3]}")
    return queries


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=20_000)
    ap.add_argument("--queries", type=int, default=110)
    ap.add_argument("--batch", type=int, default=5_000, help="documents per add() call (one commit each)")
    args = ap.parse_args()
    if not CORPUS.is_dir():
        sys.exit(f"corpus not found: {CORPUS}")
    docs = synthesize(args.docs)
    texts = {d.id: d.text for d in docs}
    # The app reads texts from SQLite; here 20,000 articles sit in the Python heap, and without
    # this every full garbage collection during a query walks them (0.5-1 s latency spikes).
    gc.freeze()
    words = sum(len(d.text.split()) for d in docs)
    with tempfile.TemporaryDirectory() as tmp:
        ix = SearchIndex(Path(tmp) / "index")
        ix.clear()
        t0, c0 = time.perf_counter(), time.process_time()
        for i in range(0, len(docs), args.batch):
            ix.add(docs[i : i + args.batch])
        t_add, c_add = time.perf_counter() - t0, time.process_time() - c0
        t0 = time.perf_counter()
        ix.optimize()
        t_opt = time.perf_counter() - t0
        size = sum(p.stat().st_size for p in (Path(tmp) / "index").iterdir())
        print(f"docs {len(docs):,}  words {words:,}  batch {args.batch}  index {size / 1e6:.0f} MB")
        print(
            f"indexing: {t_add:.1f} s wall = {len(docs) / t_add:,.0f} docs/s "
            f"({len(docs) / c_add:,.0f} docs/s of CPU time); optimize {t_opt:.1f} s",
            flush=True,
        )

        t0 = time.perf_counter()
        more = [IndexDoc(d.id + 10**7, d.title, d.text, d.author, d.site, d.url, d.published) for d in docs[:100]]
        ix.add(more)
        print(f"add 100 to the full index: {(time.perf_counter() - t0) * 1000:.0f} ms")

        queries = make_queries(docs, args.queries)
        ix.search("warm up", text_of=texts.get)
        lat, snip_lat, totals = [], [], []
        for q in queries:
            t0 = time.perf_counter()
            r = ix.search(q, text_of=texts.get, snippets=20)
            lat.append((time.perf_counter() - t0) * 1000)
            totals.append(r.total)
            t0 = time.perf_counter()
            ix.search(q, snippets=0)
            snip_lat.append(lat[-1] - (time.perf_counter() - t0) * 1000)
        lat.sort()
        p95 = lat[int(0.95 * (len(lat) - 1))]
        print(
            f"search ({len(queries)} queries, limit 50, snippets for 20): "
            f"median {statistics.median(lat):.1f} ms, "
            f"p95 {p95:.1f} ms, max {lat[-1]:.1f} ms; median hits {statistics.median(totals):,.0f}"
        )
        print(f"  of which snippets (20 per query): median {statistics.median(snip_lat):.1f} ms")
        slow = sorted(zip(lat, queries, strict=False))[-5:]
        for ms, q in slow:
            print(f"  slow: {ms:6.1f} ms  {q}")
        timed: list[tuple[str, Callable[[], object]]] = [
            ("empty query, date order", lambda: ix.search("", sort="date")),
            ("facets, whole archive", lambda: ix.facets("")),
            ("facets, query 'government'", lambda: ix.facets("government")),
            ("matching_ids 'government'", lambda: ix.matching_ids("government")),
        ]
        for label, call in timed:
            call()
            t0 = time.perf_counter()
            call()
            print(f"{label}: {(time.perf_counter() - t0) * 1000:.1f} ms")
        long_text = " ".join(texts[i] for i in range(1, 20))[:33_000]
        maker = ix._snippets
        terms = frozenset({"govern", "minist", "elect"})
        t0 = time.perf_counter()
        for _ in range(50):
            maker.snippet(long_text, terms)
        print(f"one snippet of a {len(long_text.split()):,}-word text: {(time.perf_counter() - t0) * 20:.2f} ms")


if __name__ == "__main__":
    main()
