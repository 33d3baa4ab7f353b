"""The Whoosh schema of the search index, its analyzers, and IndexDoc -> Whoosh field values."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from whoosh import analysis, columns, fields, formats
from whoosh.analysis import Token
from whoosh.support.charset import accent_map
from whoosh.util.times import datetime_to_long

from desktop_reader.models import IndexDoc
from desktop_reader.search.analysis import TextAnalyzer

# Bump when the schema, an analyzer or the posting format changes: an index written by another
# version reads as "outdated", so the caller rebuilds it from the store instead of mixing two
# token forms or formats.
# 2: the words of entity names (person_words...); 3: posting blocks of our own codec (postings.py)
SCHEMA_VERSION = 3
VERSION_FILE = "desktop_reader_schema"

# CJK ideographs and kana carry no spaces between words, so each character is its own token
# and a query word becomes a phrase of characters (multitoken_query="phrase"). Hangul is
# written with spaces and stays in word runs.
CJK_CHARS = "\u2e80-\u2fdf\u3005\u3040-\u30ff\u3100-\u312f\u31a0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
WORD_PATTERN = rf"[{CJK_CHARS}]|[^\W{CJK_CHARS}]+(?:[.][^\W{CJK_CHARS}]+)*"
WORD_RE = re.compile(WORD_PATTERN)

# A short list on purpose: Whoosh's default one drops "us" and "may", which news search needs.
# fmt: off
STOP_WORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "if", "in", "into", "is",
    "it", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this",
    "to", "was", "were", "with",
})
# fmt: on


def _fold_table() -> dict[int, str]:
    """Whoosh's accent_map (Latin) plus Greek letters without their tonos and diaeresis."""
    table = dict(accent_map)
    for cp in (*range(0x0370, 0x0400), *range(0x1F00, 0x2000)):
        base = unicodedata.normalize("NFD", chr(cp))
        stripped = "".join(c for c in base if not unicodedata.combining(c))
        if stripped and stripped != chr(cp) and len(stripped) == 1:
            table[cp] = stripped
    return table


FOLD_TABLE = _fold_table()

# spaCy label -> the query field that holds it (every label also goes to `entity`).
ENTITY_FIELDS: dict[str, str] = {
    "PERSON": "person",
    "ORG": "org",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
}
ENTITY_QUERY_FIELDS = ("person", "org", "place", "entity")
# Each entity field has a twin holding the words of its names, so `person:rutte` finds
# "Mark Rutte" (ranked below an article naming just "Rutte").
NAME_WORDS_SUFFIX = "_words"
NAME_WORD_FIELDS = tuple(f + NAME_WORDS_SUFFIX for f in ENTITY_QUERY_FIELDS)
TEXT_FIELDS = ("title", "text", "author", "site")
TITLE_BOOST = 3.0
_NAME_SEP = "\n"
_COLUMN_SEP = "\x1e"
_LABEL_SEP = "\x1f"


def text_analyzer() -> TextAnalyzer:
    """What title, text, author and site are indexed with: words, lowercase, accents folded,
    stop words dropped, English stemming.

    `barges` -> `barg`, `Müller` -> `muller`, `café` -> `cafe`; CJK text becomes one token
    per character and other scripts (Cyrillic, Greek...) word tokens; "words" over 60
    characters (base64 blobs and such) are dropped.
    """
    return TextAnalyzer(WORD_PATTERN, FOLD_TABLE, STOP_WORDS)


def fold_name(name: str) -> str:
    """The form under which an entity name is indexed and matched: one lowercase, accent-free token."""
    folded = " ".join(name.split()).lower().translate(FOLD_TABLE)
    return unicodedata.normalize("NFC", folded)


class NameFilter(analysis.Filter):  # type: ignore[misc]
    """Turns a whole entity name into its folded form; empty names are dropped."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            t.text = fold_name(t.text)
            if t.text:
                yield t


def name_analyzer() -> analysis.Analyzer:
    """One token per line: the index side gets names joined by newlines, a query gets one name."""
    return analysis.RegexTokenizer(r"[^\n]+") | NameFilter()


class NameField(fields.FieldType):  # type: ignore[misc]
    """Whole entity names as single folded tokens, so `person:"Mark Rutte"` matches just that name."""

    def __init__(self) -> None:
        super().__init__(formats.Frequency(), name_analyzer(), scorable=True)


# Folded but neither stemmed nor stop-worded: names are not English words ("The Hague").
_NAME_WORDS = TextAnalyzer(WORD_PATTERN, FOLD_TABLE, frozenset(), stem=False)


class NameWordsField(fields.FieldType):  # type: ignore[misc]
    """The words of entity names, so a surname or one word of an organisation finds the name."""

    def __init__(self) -> None:
        super().__init__(formats.Frequency(), _NAME_WORDS, scorable=True)


def name_words(value: str) -> list[str]:
    """The tokens under which the words of an entity name are indexed."""
    return [t.text for t in _NAME_WORDS(value)]


def build_schema() -> fields.Schema:
    """The index schema; the text itself is not stored (the SQLite store has it)."""
    text = text_analyzer()

    def text_field(boost: float = 1.0) -> fields.TEXT:
        return fields.TEXT(
            analyzer=text,
            phrase=True,
            field_boost=boost,
            multitoken_query="phrase",
        )

    kw = fields.KEYWORD
    schema = fields.Schema(
        id=fields.NUMERIC(int, bits=64, unique=True, stored=True, sortable=True, signed=True),
        title=text_field(TITLE_BOOST),
        text=text_field(),
        author=text_field(),
        site=text_field(),
        url=kw(lowercase=True, commas=False, scorable=True),
        published=fields.DATETIME(),
        # Minutes since year 1, 0 when unknown: undated articles sort last when newest come first
        # (the DATETIME column's default for a missing date sorts above every real date).
        pubsort=fields.COLUMN(columns.NumericColumn("q", default=0)),
        person=NameField(),
        org=NameField(),
        place=NameField(),
        entity=NameField(),
        **{name: NameWordsField() for name in NAME_WORD_FIELDS},
        # (label, text) pairs per document, read as a column for fast facet counting.
        facets=fields.COLUMN(columns.VarBytesColumn()),
    )
    return schema


def url_tokens(url: str) -> list[str]:
    """Every form under which `url:` finds a page: full URL, without scheme, host and its parents."""
    url = url.strip()
    if not url:
        return []
    lowered = url.lower()
    tokens = {lowered}
    m = re.match(r"^[a-z][a-z0-9+.-]*://([^/?#]*)(.*)$", lowered)
    rest = m.group(1) + m.group(2) if m else lowered
    tokens.add(rest.rstrip("/"))
    host = (m.group(1) if m else rest.split("/", 1)[0]).rsplit("@", 1)[-1].split(":", 1)[0]
    labels = host.split(".")
    # example.com, news.example.com, www.news.example.com; never a bare "com".
    for i in range(len(labels) - 1):
        tokens.add(".".join(labels[i:]))
    if host.startswith("www."):
        tokens.add(host[4:] + (m.group(2) if m else "").rstrip("/"))
    return sorted(t for t in tokens if t)


MINUTE_US = 60_000_000  # a minute in Whoosh's DATETIME units (microseconds since datetime.min)


def pubsort_minute(usecs: int) -> int:
    """The `pubsort` column's value for a time in Whoosh's DATETIME units: its minute since year 1,
    plus 1 (0 = undated). Block scoring answers `published:` ranges from it."""
    return usecs // MINUTE_US + 1


def parse_published(value: str) -> datetime | None:
    """ISO 8601 date, date-time or a bare year/month -> naive UTC datetime; None if unusable."""
    value = value.strip()
    if not value:
        return None
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?", value)
    if m:
        try:
            return datetime(int(m.group(1)), int(m.group(2) or 1), 1)
        except ValueError:
            return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def encode_facets(entities: tuple[tuple[str, str], ...]) -> bytes:
    """The facet column value: each distinct (label, name) once, so counts are per article."""
    seen: dict[tuple[str, str], str] = {}
    for text, label in entities:
        text = " ".join(text.split())
        key = (label, fold_name(text))
        if key[1] and key not in seen:
            seen[key] = text
    return _COLUMN_SEP.join(f"{label}{_LABEL_SEP}{text}" for (label, _), text in seen.items()).encode()


def decode_facets(value: bytes) -> list[tuple[str, str]]:
    """Inverse of encode_facets: (label, name) pairs."""
    if not value:
        return []
    pairs = []
    for item in value.decode().split(_COLUMN_SEP):
        label, _, text = item.partition(_LABEL_SEP)
        pairs.append((label, text))
    return pairs


def entity_field(label_or_field: str) -> str | None:
    """Map a query field name or a spaCy label to the index field used for exact entity filters."""
    name = label_or_field.strip()
    if name.lower() in ENTITY_QUERY_FIELDS:
        return name.lower()
    if name.upper() in ENTITY_FIELDS:
        return ENTITY_FIELDS[name.upper()]
    return "entity" if name.isupper() and name.replace("_", "").isalpha() else None


def to_fields(doc: IndexDoc) -> dict[str, Any]:
    """The keyword arguments for `writer.update_document` of one article."""
    values: dict[str, Any] = {
        "id": doc.id,
        "title": doc.title,
        "text": doc.text,
        "author": doc.author,
        "site": doc.site,
        "facets": encode_facets(doc.entities),
    }
    urls = url_tokens(doc.url)
    if urls:
        values["url"] = " ".join(u.replace(" ", "%20") for u in urls)
    published = parse_published(doc.published)
    # Always written (0 = undated): a segment without any value has no column, and Whoosh
    # then fails to sort the whole index by it.
    values["pubsort"] = 0
    if published is not None:
        values["published"] = published
        values["pubsort"] = pubsort_minute(datetime_to_long(published))
    by_field: dict[str, list[str]] = {name: [] for name in ENTITY_QUERY_FIELDS}
    for text, label in doc.entities:
        by_field["entity"].append(text)
        if label in ENTITY_FIELDS:
            by_field[ENTITY_FIELDS[label]].append(text)
    for name, names in by_field.items():
        if names:
            values[name] = _NAME_SEP.join(" ".join(n.split()) for n in names)
            values[name + NAME_WORDS_SUFFIX] = values[name]
    return values
