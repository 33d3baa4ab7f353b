"""What the automatic entity passes cost an import: each pass timed alone, against recognition and the import.

Run from the repository root, on a folder of articles and (optionally) a library imported from it:
    python -m desktop_reader.bench.auto_cost ../shared/corpus/bbc-news-2005/tech [--library DIR] [--import-s S]

Recognition runs once; the per-article passes (span repair, dates, type cues and voting, all in
`tidy`) then run over the same raw spans, against a plain grouping of those spans by name and label
(what the import would store without them). The archive-wide pass (vote and aliases, `Curator.resolve`)
is timed on the library; an import runs it at most every 10 s and once at its end.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from desktop_reader.entities.extractor import EntityExtractor
from desktop_reader.entities.tidy import RawSpan, tidy
from desktop_reader.importing import cleaning, file_readers
from desktop_reader.jobs.curating import Curator
from desktop_reader.jobs.pipeline import RESOLVE_SECONDS
from desktop_reader.models import Entity
from desktop_reader.storage.store import Store


def plain(spans: Sequence[RawSpan]) -> tuple[Entity, ...]:
    """The raw spans grouped by (text, label): the entities an import would keep with no passes at all."""
    groups: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for surface, label, start, end in spans:
        groups[(surface, label)].append((start, end))
    return tuple(Entity(t, lab, len(offs), tuple(sorted(offs))) for (t, lab), offs in groups.items())


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", type=Path, help="a folder of articles (.txt, .html, ...)")
    parser.add_argument("--library", type=Path, help="a library's data folder, to time the archive-wide pass")
    parser.add_argument("--import-s", type=float, help="the import's measured wall time, to state the share")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each pass; the fastest counts")
    args = parser.parse_args(argv)
    docs = [cleaning.clean(file_readers.read_file(p)) for p in sorted(args.source.iterdir()) if p.is_file()]
    texts = [d.text for d in docs]
    published = [d.meta.published for d in docs]
    extractor = EntityExtractor()
    t0 = time.process_time()
    raw = [extractor.raw_spans(t) for t in texts]
    ner_s = time.process_time() - t0

    def best(run: object) -> float:
        times = []
        for _ in range(args.repeat):
            t0 = time.process_time()
            run()  # type: ignore[operator]
            times.append(time.process_time() - t0)
        return min(times)

    tidy_s = best(lambda: [tidy(t, s, p) for t, s, p in zip(texts, raw, published, strict=True)])
    plain_s = best(lambda: [plain(s) for s in raw])
    out: dict[str, object] = {
        "articles": len(texts),
        "ner_cpu_s": round(ner_s, 2),
        "per_article_passes_cpu_s": round(tidy_s - plain_s, 3),
        "per_article_passes_vs_ner": round((tidy_s - plain_s) / ner_s, 4),
    }
    if args.library:
        folder = args.library / "data" if (args.library / "data" / "library.sqlite3").exists() else args.library
        store = Store(folder)
        curator = Curator(store)
        t0 = time.perf_counter()
        for _ in range(args.repeat):
            curator.resolve()
        resolve_s = (time.perf_counter() - t0) / args.repeat
        store.close()
        out["archive_pass_s"] = round(resolve_s, 3)
        if args.import_s:
            runs = 1 + int(args.import_s // RESOLVE_SECONDS)
            # The per-article passes run in the worker processes beside recognition: on the critical
            # path they cost their CPU time spread over the workers, at most the whole of it.
            cost = tidy_s - plain_s + runs * resolve_s
            out.update(
                import_s=args.import_s, archive_pass_runs=runs, passes_share_of_import=round(cost / args.import_s, 4)
            )
    print(json.dumps(out))


if __name__ == "__main__":
    main()
