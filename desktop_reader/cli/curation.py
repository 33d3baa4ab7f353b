"""`entities ACTION ...`: the curation rules on the command line (merge, rename, retype, ignore, alias, rules)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop_reader.cli.output import plural
from desktop_reader.progress import drive

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
ACTIONS = ("merge", "rename", "retype", "ignore", "unignore", "alias", "rules", "undo")
# How many names each action takes (None: one or more).
_NAMES: dict[str, int | None] = {
    "merge": None,
    "rename": 2,
    "retype": 2,
    "ignore": None,
    "unignore": 1,
    "alias": 2,
    "rules": 0,
    "undo": 0,
}
DESCRIPTION = (
    "With no ACTION, list entities. Actions (rules kept in the library and applied at once): "
    "merge NAME... --into NAME, rename OLD NEW, retype NAME TYPE, ignore NAME..., unignore NAME, "
    "alias NAME EXISTING, rules [--json | --export FILE | --import FILE], undo."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The `entities` arguments for curation, beside the listing ones."""
    p.add_argument("action", nargs="?", choices=ACTIONS, metavar="ACTION", help=", ".join(ACTIONS))
    p.add_argument("names", nargs="*", metavar="NAME", help="the entity names the action is about")
    p.add_argument("--into", metavar="NAME", help="merge: the name the others become")
    p.add_argument("--export", type=Path, metavar="FILE", help="rules: write every rule to FILE (JSON)")
    p.add_argument("--import", dest="import_file", type=Path, metavar="FILE", help="rules: add the rules of FILE")


def type_error(args: argparse.Namespace) -> str:
    """The usage message for an unknown `--type` (or retype TYPE), or ""."""
    from desktop_reader.library import Library, UnknownType

    words = [args.label] if args.label else []
    if args.action == "retype" and len(args.names) == 2:
        words.append(args.names[1])
    try:
        for word in words:
            Library.entity_labels(word)
    except UnknownType as exc:
        return str(exc)
    return ""


def run(args: argparse.Namespace, open_library: Callable[[], Any]) -> int:
    """Change the rules, then bring the index's entity fields up to date."""
    action, names = args.action, args.names
    wanted = _NAMES[action]
    if (wanted is None and not names) or (wanted is not None and len(names) != wanted):
        count = "one or more names" if wanted is None else f"{wanted} name{'s' * (wanted != 1)}"
        print(f"desktop-reader entities {action}: needs {count}", file=sys.stderr)
        return EXIT_USAGE
    if action == "merge" and not args.into:
        print("desktop-reader entities merge: name the result with --into NAME", file=sys.stderr)
        return EXIT_USAGE
    library = open_library()
    if action == "rules":
        return _rules(library, args)
    if action == "merge":
        done = library.merge_entities(names, args.into, label=args.label or "")
    elif action == "rename":
        done = library.rename_entity(*names)
    elif action == "retype":
        done = library.retype_entity(*names)
    elif action == "ignore":
        done = library.ignore_entities(names)
    elif action == "unignore":
        done = library.unignore_entity(names[0])
    elif action == "alias":
        done = library.alias_entity(*names)
    else:
        done = library.undo_curation()
        if done is None:
            print("nothing to undo", file=sys.stderr)
            return EXIT_OK
    print(f"{done.description} ({plural(done.articles, 'article')})")
    _catch_up(library)
    return EXIT_OK


def _rules(library: Any, args: argparse.Namespace) -> int:
    if args.export:
        print(f"exported {plural(library.export_rules(args.export), 'rule')} to {args.export}")
        return EXIT_OK
    if args.import_file:
        done = library.import_rules(args.import_file)
        print(f"{done.description} ({plural(done.articles, 'article')})")
        _catch_up(library)
        return EXIT_OK
    for rule in library.entity_rules():
        if args.json:
            item = {"kind": rule.kind, "name": rule.name, "target": rule.target, "label": rule.label}
            print(json.dumps({**item, "created": rule.created}, ensure_ascii=False), flush=True)
        else:
            print(rule.describe())
    return EXIT_OK


def _catch_up(library: Any) -> None:
    """The rule is in force already for counts and reading; the index's entity fields follow here."""
    if library.index_problem():
        drive(library.sync_index(), lambda _p: None)
