"""The command line: every core operation, for scripting and tests; no command opens the window."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TextIO

from desktop_reader import __version__, paths
from desktop_reader import settings as settings_mod
from desktop_reader.cli import curation, reading_commands
from desktop_reader.cli.output import plain_snippet, plural, wants_bold
from desktop_reader.cli.progress_bar import ProgressBar
from desktop_reader.errors import ReaderError
from desktop_reader.models import Article, ImportOutcome
from desktop_reader.progress import Progress, drive

log = logging.getLogger("desktop_reader")

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="desktop-reader",
        description="Read, search and explore an offline archive of saved articles. With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help=f"keep the library in DIR (default: ${paths.ENV_HOME}, else the platform's data folder)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("import", help="import saved articles (files or folders)")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument("--json", action="store_true", help="one JSON object per file")
    p.add_argument("--model", help="spaCy pipeline for entities (default: best installed)")
    p.add_argument("--no-entities", action="store_true", help="skip entity extraction (fill in later)")

    p = sub.add_parser("search", help="search the archive with the query language")
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=20, metavar="N")
    p.add_argument("--sort", choices=("relevance", "date"), default="relevance")
    p.add_argument("--json", action="store_true", help="JSON lines")

    p = sub.add_parser("show", help="show one article")
    p.add_argument("id", type=int)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser(
        "entities",
        help="list entities archive-wide or within a query's results; curate them with rules",
        description=curation.DESCRIPTION,
    )
    curation.add_arguments(p)
    p.add_argument("--type", dest="label", metavar="TYPE", help="person, org, place, date, ... or a spaCy label")
    p.add_argument("--query", default="", metavar="Q")
    p.add_argument("--limit", type=int, default=30, metavar="N")
    p.add_argument("--json", action="store_true")
    p.add_argument("--refresh", action="store_true", help="find entities for articles that have none yet")
    p.add_argument("--all", action="store_true", help="with --refresh: redo every article")
    p.add_argument("--model", help="spaCy pipeline to use with --refresh")

    p = sub.add_parser("extract", help="clean and find entities in files without storing them")
    p.add_argument("paths", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--json", action="store_true")
    p.add_argument("--model", help="spaCy pipeline (default: best installed)")

    p = sub.add_parser("stats", help="numbers about the library")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("delete", help="delete an article and its stored original")
    p.add_argument("id", type=int)

    sub.add_parser("reindex", help="rebuild the search index from the library")
    reading_commands.add_parsers(sub)
    sub.add_parser("gui", help="open the window (the default)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    opened = _paths_to_open(argv)
    if opened is not None:  # `desktop-reader FILE...`, as the .desktop entry's Exec=desktop-reader %F does
        argv, open_paths = opened
    else:
        open_paths = []
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s", stream=sys.stderr)
    paths.set_home(args.data_dir)
    if args.command in (None, "gui"):
        from desktop_reader.gui.app import run  # Qt only loads for the window

        return run(None, open_paths)
    try:
        return int(_COMMANDS[args.command](args))
    except ReaderError as exc:
        print(f"desktop-reader: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("desktop-reader: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:  # a folder the library needs cannot be created (read-only disk, permissions)
        log.debug("Folder unusable", exc_info=True)
        where = f" {exc.filename}" if exc.filename else ""
        print(f"desktop-reader: cannot use{where}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILED


def _paths_to_open(argv: list[str]) -> tuple[list[str], list[Path]] | None:
    """Split `[--data-dir DIR] FILE...` into options and files when no command is named."""
    options: list[str] = []
    rest = list(argv)
    while rest and rest[0].startswith("--data-dir"):
        options.append(rest.pop(0))
        if "=" not in options[-1] and rest:
            options.append(rest.pop(0))
    if not rest or rest[0] in _COMMANDS or rest[0] == "gui" or rest[0].startswith("-"):
        return None
    if not all(Path(a).exists() for a in rest):
        return None  # let argparse report the unknown command
    return options, [Path(a) for a in rest]


def _library(model: str | None = None, *, repair: bool = True):  # type: ignore[no-untyped-def]
    """The library; with `repair`, a missing, stale or damaged index is mended first.

    Only commands that read or write the index ask for the repair: `show` and `stats` read
    the store alone, and `reindex` rebuilds the index anyway.
    """
    from desktop_reader.library import Library

    chosen = model or settings_mod.load().entity_model or None
    library = Library(model=chosen)
    if repair:
        problem = library.index_problem()
        if problem:
            print(f"desktop-reader: {problem} Repairing it from the library…", file=sys.stderr)
            drive(library.sync_index(), lambda _p: None)
    return library


def _print_json(obj: object, out: TextIO | None = None) -> None:
    out = out or sys.stdout  # looked up per call: tests and pipes may swap sys.stdout
    out.write(json.dumps(obj, ensure_ascii=False) + "\n")
    out.flush()


def cmd_import(args: argparse.Namespace) -> int:
    library = _library(args.model)
    bar = ProgressBar(sys.stderr) if sys.stderr.isatty() else None

    def report(step: Progress) -> None:
        if bar:
            bar.update(step)
        outcome = step.payload
        if not isinstance(outcome, ImportOutcome):
            return
        if bar:
            bar.clear()
        if args.json:
            _print_json(asdict(outcome))
        else:
            # A member of a WARC or an export is named after its container: "pages.warc.gz > URL".
            where = f"{outcome.path} > {outcome.member}" if outcome.member else outcome.path
            if outcome.status == "imported":
                warned = f"  (warning: {'; '.join(outcome.warnings)})" if outcome.warnings else ""
                print(f"imported   {where}  -> {outcome.id}: {outcome.title}{warned}", flush=True)
            else:
                print(f"{outcome.status:<10} {where}  ({outcome.error})", flush=True)

    report_ = drive(library.import_paths(args.paths, entities=not args.no_entities), report)
    if bar:
        bar.finish()
    # Counts go to stderr in every mode, so stdout holds only the rows (text or JSON lines).
    print(
        f"{report_.imported:,} imported, {plural(report_.duplicates, 'duplicate')}, "
        + (f"{report_.skipped:,} skipped, " if report_.skipped else "")
        + f"{report_.failed:,} failed",
        file=sys.stderr,
    )
    missing = library.articles_without_entities() if not args.no_entities else 0
    if missing:
        verb = "has" if missing == 1 else "have"
        print(
            f"desktop-reader: {plural(missing, 'article')} {verb} no entities yet (the entity model was "
            "unavailable); run `desktop-reader entities --refresh` once it is installed.",
            file=sys.stderr,
        )
    return EXIT_FAILED if report_.failed else EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    library = _library()
    results, rows = library.search(args.query, limit=max(1, args.limit), sort=args.sort, snippets=args.limit)
    marks = library.marks([row.id for row in rows])
    if results.message:
        print(f"desktop-reader: {results.message}", file=sys.stderr)
    if results.suggestion:
        print(f"desktop-reader: did you mean: {results.suggestion}", file=sys.stderr)
    bold = not args.json and wants_bold(sys.stdout)
    for row in rows:
        item = {
            "id": row.id,
            "title": row.title,
            "score": round(row.score, 4),
            "snippet": row.snippet.text if row.snippet else "",
            "snippet_matches": [list(span) for span in row.snippet.spans] if row.snippet else [],
            "site": row.site,
            "url": row.url,
            "published": row.published,
            "source_path": row.source_path,
        }
        mark = marks.get(row.id)
        item["tags"] = list(mark.tags) if mark else []
        item["read"] = bool(mark and mark.read)
        if args.json:
            _print_json(item)
        else:
            date = f"  {row.published[:10]}" if row.published else ""
            site = f"  [{row.site}]" if row.site else ""
            print(f"{row.id:>6}  {row.title}{date}{site}")
            snippet = plain_snippet(row.snippet, bold=bold)
            if snippet:
                print(f"        {snippet}")
    print(plural(results.total, "result"), file=sys.stderr)
    return EXIT_OK


def article_json(article: Article) -> dict[str, object]:
    return {
        "id": article.id,
        "title": article.title,
        "text": article.text,
        "author": article.author,
        "published": article.published,
        "site": article.site,
        "url": article.url,
        "language": article.language,
        "source_path": article.source_path,
        "member": article.member,
        "stored_path": article.stored_path,
        "imported_at": article.imported_at,
        "entities": [
            {"text": e.text, "label": e.label, "count": e.count, "mentions": [list(m) for m in e.mentions]}
            for e in article.entities
        ],
    }


def cmd_show(args: argparse.Namespace) -> int:
    library = _library(repair=False)
    article = library.article(args.id)
    if args.json:
        obj = article_json(article)
        obj["tags"] = list(library.tags(article.id))
        obj["note"] = library.note(article.id)
        obj["read"] = library.is_read(article.id)
        obj["highlights"] = [reading_commands.highlight_json(h) for h in library.highlights(article.id)]
        _print_json(obj)
        return EXIT_OK
    print(article.title)
    byline = " · ".join(x for x in (article.author, article.site, article.published) if x)
    if byline:
        print(byline)
    if article.url:
        print(article.url)
    print()
    print(article.text)
    if article.entities:
        print()
        print("Entities: " + ", ".join(f"{e.text} ({e.label} ×{e.count})" for e in article.entities[:25]))
    return EXIT_OK


def cmd_entities(args: argparse.Namespace) -> int:
    problem = curation.type_error(args)
    if problem:
        print(f"desktop-reader entities: {problem}", file=sys.stderr)
        return EXIT_USAGE
    if args.action:
        return curation.run(args, lambda: _library(repair=False))
    library = _library(args.model)
    if args.refresh:
        bar = ProgressBar(sys.stderr) if sys.stderr.isatty() else None
        done = drive(library.refresh_entities(everything=args.all), bar.update if bar else (lambda _p: None))
        if bar:
            bar.finish()
        print(f"entities found for {plural(done, 'article')}", file=sys.stderr)
    for entity in library.entities(label=args.label, query=args.query, limit=max(1, args.limit)):
        if args.json:
            _print_json(asdict(entity))
        else:
            counts = f"{plural(entity.articles, 'article', 'articles'):>14}  {plural(entity.mentions, 'mention'):>14}"
            print(f"{counts}  {entity.label:<8} {entity.text}")
    return EXIT_OK


def cmd_extract(args: argparse.Namespace) -> int:
    failed = False
    # One file at a time so the output streams; the model still loads once.
    from desktop_reader.library import Library

    model = args.model or settings_mod.load().entity_model or None
    for result in Library.extract(args.paths, model=model):
        entities = [
            {"text": e.text, "label": e.label, "count": e.count, "mentions": [list(m) for m in e.mentions]}
            for e in result.entities
        ]
        obj = {"path": str(result.path), "title": result.title, "text": result.text, "entities": entities}
        obj["error"] = result.error
        failed = failed or bool(result.error)
        if args.json:
            _print_json(obj)
        elif result.error:
            print(f"failed     {result.path}  ({result.error})")
        else:
            names = ", ".join(f"{e.text} ({e.label})" for e in result.entities[:20])
            print(f"{result.path}: {result.title}\n  {names}")
    return EXIT_FAILED if failed else EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    stats = _library(repair=False).stats()
    if args.json:
        _print_json(stats)
    else:
        for key, value in stats.items():
            print(f"{key}: {value}")
    return EXIT_OK


def cmd_delete(args: argparse.Namespace) -> int:
    library = _library()
    title = library.article(args.id).title
    library.delete(args.id)
    print(f"deleted {args.id}: {title}")
    return EXIT_OK


def cmd_reindex(args: argparse.Namespace) -> int:
    library = _library(repair=False)  # a rebuild mends any damage itself: repairing first would build twice
    bar = ProgressBar(sys.stderr) if sys.stderr.isatty() else None
    done = drive(library.reindex(), bar.update if bar else (lambda _p: None))
    if bar:
        bar.finish()
    print(f"reindexed {plural(done, 'article')}")
    return EXIT_OK


_COMMANDS = {
    "import": cmd_import,
    "search": cmd_search,
    "show": cmd_show,
    "entities": cmd_entities,
    "extract": cmd_extract,
    "stats": cmd_stats,
    "delete": cmd_delete,
    "reindex": cmd_reindex,
}


def _reading_command(handler: reading_commands.Handler, needs_index: bool):  # type: ignore[no-untyped-def]
    return lambda args: handler(args, _library(repair=needs_index))


_COMMANDS.update({name: _reading_command(h, needs) for name, (h, needs) in reading_commands.COMMANDS.items()})
