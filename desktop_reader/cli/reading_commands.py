"""The command line of the reading layer: tags, notes, highlights, read state, saved searches, export."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop_reader.cli.output import plural
from desktop_reader.errors import ReaderError
from desktop_reader.export.records import FORMATS
from desktop_reader.models import HIGHLIGHT_COLORS, Highlight

EXIT_OK = 0

# (handler, whether it needs a current search index); commands.py supplies the library.
Handler = Callable[[argparse.Namespace, Any], int]


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("tag", help="add tags to an article")
    p.add_argument("id", type=int)
    p.add_argument("tags", nargs="+", metavar="TAG")

    p = sub.add_parser("untag", help="remove tags from an article")
    p.add_argument("id", type=int)
    p.add_argument("tags", nargs="+", metavar="TAG")

    p = sub.add_parser("tags", help="list tags with their article counts, or rename/merge one")
    p.add_argument("--json", action="store_true", help="one JSON object per tag")
    p.add_argument("--rename", nargs=2, metavar=("OLD", "NEW"), help="rename a tag (onto an existing one: merge)")

    p = sub.add_parser("note", help='set an article\'s note (Markdown; "" removes it)')
    p.add_argument("id", type=int)
    p.add_argument("text")

    p = sub.add_parser("highlight", help="highlight a quote of an article's text")
    p.add_argument("id", type=int)
    p.add_argument("quote")
    p.add_argument("--note", default="", metavar="TEXT")
    p.add_argument("--color", default="yellow", choices=HIGHLIGHT_COLORS, metavar="NAME",
                   help=f"one of {', '.join(HIGHLIGHT_COLORS)}")  # fmt: skip

    p = sub.add_parser("mark", help="mark an article read or unread")
    p.add_argument("id", type=int)
    p.add_argument("state", choices=("read", "unread"))

    p = sub.add_parser("saved", help="saved searches: add, list, delete")
    saved = p.add_subparsers(dest="saved_command", metavar="ACTION", required=True)
    s = saved.add_parser("add", help="save QUERY under NAME")
    s.add_argument("name")
    s.add_argument("query")
    s.add_argument("--sort", choices=("relevance", "date"), default="relevance")
    s = saved.add_parser("list", help="saved searches with their result counts and new results")
    s.add_argument("--json", action="store_true", help="one JSON object per line")
    s = saved.add_parser("delete", help="delete a saved search")
    s.add_argument("name")

    p = sub.add_parser("export", help='export all results of QUERY ("" = everything) with tags, notes, highlights')
    p.add_argument("query")
    p.add_argument("--format", dest="fmt", required=True, choices=FORMATS)
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE (default: standard output)")
    p.add_argument("--sort", choices=("relevance", "date"), default="relevance")
    p.add_argument("--rows", choices=("article", "highlight"), default="article", help="CSV: one row per …")
    p.add_argument("--saved", metavar="NAME", help="export a saved search's results (QUERY is then ignored)")


def _print_json(obj: object) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def cmd_tag(args: argparse.Namespace, library: Any) -> int:
    library.add_tags([args.id], args.tags)
    print(f"{args.id}: {', '.join(library.tags(args.id)) or '(no tags)'}")
    return EXIT_OK


def cmd_untag(args: argparse.Namespace, library: Any) -> int:
    library.article(args.id)  # an unknown id is an error, not a silent no-op
    library.remove_tags([args.id], args.tags)
    print(f"{args.id}: {', '.join(library.tags(args.id)) or '(no tags)'}")
    return EXIT_OK


def cmd_tags(args: argparse.Namespace, library: Any) -> int:
    if args.rename:
        library.rename_tag(*args.rename)
    for tag in library.all_tags():
        if args.json:
            _print_json({"name": tag.name, "articles": tag.articles})
        else:
            print(f"{tag.articles:>6}  {tag.name}")
    return EXIT_OK


def cmd_note(args: argparse.Namespace, library: Any) -> int:
    library.set_note(args.id, args.text)
    print(f"{args.id}: note {'set' if args.text.strip() else 'removed'}")
    return EXIT_OK


def cmd_highlight(args: argparse.Namespace, library: Any) -> int:
    h = library.add_highlight(args.id, args.quote, color=args.color, note=args.note)
    print(f"highlight {h.id} on article {args.id} at {h.start}-{h.end}")
    return EXIT_OK


def cmd_mark(args: argparse.Namespace, library: Any) -> int:
    library.mark_read([args.id], args.state == "read")
    print(f"{args.id}: {args.state}")
    return EXIT_OK


def cmd_saved(args: argparse.Namespace, library: Any) -> int:
    if args.saved_command == "add":
        saved = library.save_search(args.name, args.query, sort=args.sort)
        print(f"saved {saved.name!r}: {plural(saved.count, 'result')}")
    elif args.saved_command == "delete":
        library.delete_saved_search(args.name)
        print(f"deleted saved search {args.name!r}")
    else:
        for saved in library.saved_searches():
            if args.json:
                _print_json({"name": saved.name, "query": saved.query, "count": saved.count, "new": saved.new})
            else:
                badge = f" ({saved.new} new)" if saved.new else ""
                print(f"{saved.name}  {saved.count}{badge}  {saved.query}")
    return EXIT_OK


def cmd_export(args: argparse.Namespace, library: Any) -> int:
    query, filters, sort, title = args.query, (), args.sort, args.query
    if args.saved:
        saved = library.saved_search(args.saved)
        query, filters, sort, title = saved.query, saved.filters, saved.sort, saved.name
    text, count = library.export(query, args.fmt, filters=filters, sort=sort, rows=args.rows, title=title)
    if args.output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        try:
            args.output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise ReaderError(f"Cannot write {args.output}: {exc.strerror or exc}") from exc
    print(f"exported {plural(count, 'article')}", file=sys.stderr)
    return EXIT_OK


def highlight_json(h: Highlight) -> dict[str, object]:
    return {"id": h.id, "quote": h.quote, "note": h.note, "color": h.color, "start": h.start, "end": h.end}


# name -> (handler, needs the search index)
COMMANDS: dict[str, tuple[Handler, bool]] = {
    "tag": (cmd_tag, False),
    "untag": (cmd_untag, False),
    "tags": (cmd_tags, False),
    "note": (cmd_note, False),
    "highlight": (cmd_highlight, False),
    "mark": (cmd_mark, False),
    "saved": (cmd_saved, True),
    "export": (cmd_export, True),
}
