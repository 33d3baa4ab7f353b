"""The suite's one table: every measure with its result and the issue's target."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from desktop_reader.bench.import_bench import STAGES

Row = tuple[str, str, str]  # measure, result, target
MB = 1024 * 1024


def _rate(value: float) -> str:
    return f"{value:,.1f} art/s"


def _mb(value: float) -> str:
    return f"{value / MB:,.0f} MB"


def import_rows(name: str, r: Mapping[str, Any]) -> list[Row]:
    rows: list[Row] = [
        (
            f"Import {name}: end to end (Library.import_paths)",
            f"{_rate(r['rate'])} ({r['files']} files, {r['imported']} new, {r['seconds']:.1f} s)",
            ">= 80% of ceiling",
        )
    ]
    for stage in STAGES:
        rows.append((f"  stage alone, 1 core: {stage}", _rate(r["stages"][stage]), ""))
    ceiling = f"{_rate(r['ceiling'])} ({r['ceiling_workers']} processes)"
    rows.append(("  entity ceiling: NER alone, in parallel", ceiling, ""))
    rows.append((f"  import / ceiling ({name})", f"{r['rate'] / r['ceiling']:.0%}", ">= 80%"))
    return rows


def search_rows(size: int, r: Mapping[str, Any]) -> list[Row]:
    big = size >= 100_000
    return [
        (
            f"Search {size:,} articles: median / p95 / max",
            f"{r['median']:.1f} / {r['p95']:.1f} / {r['max']:.1f} ms"
            f" ({r['queries']} queries, median {r['median_hits']:,.0f} hits)",
            "<= 15 / <= 50 ms" if big else "",
        ),
        (
            f"  archive built via Store.add_many + SearchIndex.add ({size:,})",
            f"{r['build_rate']:,.0f} art/s",
            "",
        ),
    ]


def labels(sizes: list[int]) -> list[str]:
    """The measure column of every row the table must have (what the smoke test checks)."""
    empty = {
        "rate": 0.0, "files": 0, "imported": 0, "seconds": 0.0, "stages": dict.fromkeys(STAGES, 0.0),
        "ceiling": 1.0, "ceiling_workers": 2,
    }  # fmt: skip
    search = {"median": 0.0, "p95": 0.0, "max": 0.0, "queries": 0, "median_hits": 0, "build_rate": 0.0}
    fake: dict[str, Any] = {
        "imports": {"bbc-news-2005": empty, "article-extraction": empty},
        "search": {str(s): search for s in sizes},
    }
    return [row[0] for row in rows_of(fake)] + [row[0] for row in tail_rows(fake)]


def rows_of(results: Mapping[str, Any]) -> list[Row]:
    rows: list[Row] = []
    for name, r in results["imports"].items():
        rows += import_rows(name, r)
    for size, r in sorted(results["search"].items(), key=lambda kv: int(kv[0])):
        rows += search_rows(int(size), r)
    return rows


def tail_rows(results: Mapping[str, Any]) -> list[Row]:
    """Incremental import, opening and memory rows ('-' where a measure was skipped)."""
    dash = "-"
    add = results.get("add_100", {})
    op = results.get("open", {})
    mem = results.get("memory", {})
    disk = results.get("disk", {})
    largest = f"{op['articles']:,} articles" if op else dash
    return [
        (
            "Import new files into the largest library",
            f"{add['files']} files in {add['seconds']:.1f} s ({_rate(add['rate'])})" if add else dash,
            "seconds",
        ),
        (
            "Open: launch to usable window, largest library",
            f"{op['ready_s']:.2f} s ({largest}; window shown {op['shown_s']:.2f} s; {op['mode']})" if op else dash,
            "<= 1 s",
        ),
        (
            "Open: show an article, median / p95",
            f"{op['show_median_ms']:.1f} / {op['show_p95_ms']:.1f} ms" if op else dash,
            "<= 50 ms",
        ),
        (
            "Peak RSS during the big import (incl. workers)",
            f"{_mb(mem['import_peak_rss'])} ({mem['import_size']:,} articles;"
            f" largest worker {_mb(mem['import_max_child_rss'])};"
            f" {_rate(mem['import_rate'])})"
            if "import_peak_rss" in mem
            else dash,
            "<= 1 GB",
        ),
        (
            "RSS with the largest library open, idle",
            f"{_mb(mem['idle_rss'])} (Library + 1 search; GUI process: {_mb(op['rss']) if op else dash})"
            if "idle_rss" in mem
            else dash,
            "<= 400 MB",
        ),
        (
            "Index size / text size",
            f"{_mb(disk['index_bytes'])} / {_mb(disk['text_bytes'])} = {disk['index_ratio']:.2f}x"
            f" (db {_mb(disk['db_bytes'])}, originals {_mb(disk['originals_bytes'])})"
            if disk
            else dash,
            "",
        ),
    ]


def render(results: Mapping[str, Any]) -> str:
    """The table as Markdown, headed by the machine it ran on."""
    meta = results["meta"]
    rows = rows_of(results) + tail_rows(results)
    width = [max(len(r[i]) for r in [*rows, ("Measure", "Result", "Target")]) for i in range(3)]
    line = "| " + " | ".join(f"{{:<{w}}}" for w in width) + " |"
    out = [
        f"desktop_reader benchmark — {meta['cores']} cores, {meta['cpu']}, model {meta['model']},"
        f" Python {meta['python']}, {meta['date']}{' (quick)' if meta.get('quick') else ''}",
        line.format("Measure", "Result", "Target"),
        "|" + "|".join("-" * (w + 2) for w in width) + "|",
    ]
    out += [line.format(*r) for r in rows]
    return "\n".join(out)
