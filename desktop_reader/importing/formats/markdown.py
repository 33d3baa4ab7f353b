"""Markdown articles (.md/.markdown): front matter to hints, body rendered to safe HTML."""

from __future__ import annotations

import dataclasses
import re
import tomllib
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dateutil import parser as dateparser

from desktop_reader.errors import ImportFailed
from desktop_reader.importing.decoding import decode
from desktop_reader.models import Metadata, RawDocument

if TYPE_CHECKING:
    from markdown_it.token import Token

_YAML_FRONT = re.compile(r"\A---[ \t]*\n(?:(.*?)\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_TOML_FRONT = re.compile(r"\A\+\+\+[ \t]*\n(?:(.*?)\n)?\+\+\+[ \t]*(?:\n|\Z)", re.DOTALL)
# What is left of broken YAML: top-level "key: value" lines. The value is stripped in Python:
# a lazy value before trailing blanks backtracks quadratically on long runs of tabs.
_LOOSE_PAIR = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:(.*)$", re.MULTILINE)

_TITLE_KEYS = ("title", "headline")
_DATE_KEYS = ("date", "published", "published_at", "publish_date", "pubdate", "created")
_URL_KEYS = ("url", "link", "source", "canonical_url", "canonical")
_AUTHOR_KEYS = ("author", "authors", "byline", "creator")
_SITE_KEYS = ("site", "site_name", "publication", "publisher", "source")
_LANGUAGE_KEYS = ("lang", "language")
_WEB_SCHEMES = ("http://", "https://")
_LANGUAGE = re.compile(r"^([a-z]{2})(?:[-_].*)?$", re.IGNORECASE)

# Far-apart defaults reveal which parts of a date string were actually given.
_DEFAULT_A = datetime(2000, 1, 1, 0, 0, 0)
_DEFAULT_B = datetime(2001, 2, 2, 1, 1, 1)


def read_markdown(path: Path, data: bytes) -> RawDocument:
    """Build the RawDocument of a Markdown article, its body rendered to HTML for the cleaner.

    Raises:
        ImportFailed: the bytes are not text, or there is nothing after the front matter.
    """
    text = decode(data, path).lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    front, body = split_front_matter(text)
    if not body.strip():
        raise ImportFailed(path, "no text after the front matter" if front else "empty file (only whitespace)")
    hints = hints_from_front_matter(front)
    html, heading = render(body, drop_title=hints.title)
    if not hints.title and heading:
        hints = dataclasses.replace(hints, title=heading)
    return RawDocument(path=path, format="markdown", content=data, html=html, hints=hints)


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Return (front matter mapping, body). Broken front matter yields what can be salvaged."""
    for pattern, load in ((_YAML_FRONT, _load_yaml), (_TOML_FRONT, _load_toml)):
        match = pattern.match(text)
        if match:
            found = load(match.group(1) or "")
            if found is not None:
                return found, text[match.end() :]
    return {}, text


def hints_from_front_matter(front: dict[str, Any]) -> Metadata:
    """Map the usual front matter keys (Jekyll, Hugo, Obsidian, Pandoc) onto Metadata."""
    keys = {str(k).lower(): v for k, v in front.items()}

    def first(names: tuple[str, ...], accept: Any = None) -> str:
        for name in names:
            value = _as_text(keys.get(name))
            if value and (accept is None or accept(value)):
                return value
        return ""

    def is_url(value: str) -> bool:
        return value.lower().startswith(_WEB_SCHEMES)

    published = ""
    for name in _DATE_KEYS:
        published = iso_date(keys.get(name))
        if published:
            break
    language = _LANGUAGE.match(first(_LANGUAGE_KEYS))
    return Metadata(
        title=first(_TITLE_KEYS),
        author=first(_AUTHOR_KEYS),
        published=published,
        url=first(_URL_KEYS, is_url),
        site=first(_SITE_KEYS, lambda v: not is_url(v)),
        language=language.group(1).lower() if language else "",
    )


def render(body: str, drop_title: str = "") -> tuple[str, str]:
    """Render Markdown to HTML with raw HTML escaped; return (html, text of the first # heading).

    A `# heading` that opens the document is the title: it is left out of the HTML
    unless front matter named a different title.
    """
    # Imported here, as yaml below: the window imports this module but renders Markdown only on import.
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    tokens = md.parse(body)
    heading = ""
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h1":
            heading = _plain(tokens[i + 1])
            break
    if (
        heading
        and tokens[0].type == "heading_open"
        and tokens[0].tag == "h1"
        and len(tokens) > 3
        and (not drop_title or _same(drop_title, heading))
    ):
        tokens = tokens[3:]
    return md.renderer.render(tokens, md.options, {}), heading


def iso_date(value: Any) -> str:
    """Return a front matter date (date, datetime, year or free-form string) as ISO 8601, or ""."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return str(value)
    if not isinstance(value, str) or not value.strip():
        return ""
    try:
        a: datetime = dateparser.parse(value, default=_DEFAULT_A)
        b: datetime = dateparser.parse(value, default=_DEFAULT_B)
    except (ValueError, OverflowError, TypeError):
        return ""
    if a.year != b.year:
        return ""  # "4 March": no year, no date
    if a.month != b.month:
        return f"{a.year:04d}"
    if a.day != b.day:
        return f"{a.year:04d}-{a.month:02d}"
    if (a.hour, a.minute) != (b.hour, b.minute):
        return a.date().isoformat()
    return a.isoformat()


def _load_yaml(source: str) -> dict[str, Any] | None:
    import yaml

    try:
        loaded = yaml.safe_load(source)
    except (yaml.YAMLError, ValueError, LookupError, AttributeError, OverflowError, RecursionError):
        # Unquoted colons ("title: Update: talks resume") break YAML; keep the plain pairs.
        # PyYAML's tag constructors also let their converters' errors through ("!!timestamp x"
        # raises AttributeError, "!!bool x" KeyError).
        pairs = {k: v.strip(" \t").strip("\"'") for k, v in _LOOSE_PAIR.findall(source) if v.strip(" \t")}
        return pairs or None
    if loaded is None:
        return {}
    return loaded if isinstance(loaded, dict) else None


def _load_toml(source: str) -> dict[str, Any] | None:
    try:
        return tomllib.loads(source)
    except ValueError:  # TOMLDecodeError, and bad dates
        return None


def _as_text(value: Any, nested: bool = False) -> str:
    """Flatten a front matter value to text; lists only one level deep (YAML aliases can nest endlessly)."""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dict):
        name = value.get("name")
        return " ".join(name.split()) if isinstance(name, str) else ""
    if isinstance(value, list | tuple) and not nested:
        return ", ".join(t for t in (_as_text(v, nested=True) for v in value[:20]) if t)
    return ""


def _plain(inline: Token) -> str:
    parts: list[str] = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline", "image"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return " ".join("".join(parts).split())


def _same(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())
