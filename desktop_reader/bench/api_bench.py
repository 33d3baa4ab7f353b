"""A small before/after benchmark through Library's public API only, so it runs on any commit's layout.

`python -m desktop_reader.bench.api_bench N OUT.json` imports N BBC articles (entities off, two
workers), then times 220 searches (limit 50, 20 snippets), reopening the library with its first
list page, and 50 article fetches. Copy the file to an older checkout to measure that commit:
it uses only `Library(data, workers=)`, `import_paths`, `search`, `list_articles`, `article`.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from desktop_reader.library import Library
from desktop_reader.progress import drive

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "bbc-news-2005"


def _queries(files: list[Path]) -> list[str]:
    """1-3 title words, and 20 two-word phrases, from the imported articles' first lines."""
    first_lines = (f.read_text(errors="replace").split("\n")[0] for f in files[:80])
    words = sorted({w.lower() for line in first_lines for w in re.findall(r"[A-Za-z]{5,}", line)})
    rnd = random.Random(5)
    queries = [" ".join(rnd.sample(words, k=rnd.choice((1, 1, 2, 3)))) for _ in range(200)]
    return queries + [f'"{a} {b}"' for a, b in zip(words[::7], words[1::7], strict=False)][:20]


def run(n: int) -> dict[str, float]:
    files = sorted(CORPUS.glob("*/*.txt"))
    files = files[:: max(1, len(files) // n)][:n]
    tmp = Path(tempfile.mkdtemp(prefix="api-bench-"))
    try:
        src = tmp / "src"
        src.mkdir()
        for i, f in enumerate(files):
            shutil.copy(f, src / f"{i:04d}-{f.parent.name}-{f.name}")
        library = Library(tmp / "data", workers=2)
        start = time.perf_counter()
        report = drive(library.import_paths([src], entities=False), lambda _s: None)
        imported_s = time.perf_counter() - start
        library.close()
        start = time.perf_counter()
        library = Library(tmp / "data", workers=2)
        page = library.list_articles(0, 200)
        library.article(page[0].id)
        opened_s = time.perf_counter() - start
        queries = _queries(files)
        for q in queries[:5]:  # warm-up
            library.search(q, limit=50, snippets=20)
        latencies = []
        for q in queries:
            start = time.perf_counter()
            library.search(q, limit=50, snippets=20)
            latencies.append((time.perf_counter() - start) * 1000)
        ids = [a.id for a in library.list_articles(0, 1000)]
        fetches = []
        for article_id in random.Random(5).sample(ids, min(50, len(ids))):
            start = time.perf_counter()
            library.article(article_id)
            fetches.append((time.perf_counter() - start) * 1000)
        library.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    latencies.sort()
    return {
        "imported": report.imported,
        "import_s": round(imported_s, 2),
        "open_first_page_s": round(opened_s, 3),
        "search_median_ms": round(statistics.median(latencies), 2),
        "search_p95_ms": round(latencies[int(len(latencies) * 0.95)], 2),
        "fetch_median_ms": round(statistics.median(fetches), 3),
    }


def main(argv: list[str]) -> int:
    result = run(int(argv[0]) if argv else 400)
    print(json.dumps(result))
    if len(argv) > 1:
        Path(argv[1]).write_text(json.dumps(result))
    return 0


if __name__ == "__main__":  # worker processes re-import this module: no work at import time
    sys.exit(main(sys.argv[1:]))
