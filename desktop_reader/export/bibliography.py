"""Bibliographic exports for reference managers (Zotero, JabRef...): BibTeX, RIS and CSL-JSON.

BibTeX is written by pybtex (its writer escapes LaTeX specials and quotes names properly), RIS by
rispy; CSL-JSON is plain JSON in the CSL data schema, for which there is no writer to reuse.
Articles are web pages: BibTeX `@online` (biblatex), RIS `ELEC`, CSL `webpage` (`article-newspaper`
when the site is known and the page has a date is tempting, but the archive cannot tell a
newspaper from a blog). Tags become keywords, the note and highlights an annotation/note.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable

import rispy
from pybtex.database import BibliographyData, Entry, Person
from pybtex.database.output.bibtex import Writer as BibtexWriter

from desktop_reader.export.records import ExportItem, year_month_day

_VERBATIM = ("url", "urldate")  # biblatex reads these verbatim: LaTeX escapes would end up in the URL


class _Writer(BibtexWriter):  # type: ignore[misc]
    def _write_field(self, stream, type, value):  # type: ignore[no-untyped-def]
        if type in _VERBATIM:
            stream.write(f",\n    {type} = {self.quote(value)}")
        else:
            super()._write_field(stream, type, value)


class _RisWriter(rispy.RisWriter):  # type: ignore[misc]
    def set_header(self, count: int) -> str:
        return ""  # rispy numbers records ("1."); RIS has no such line and some readers choke on it


def to_bibtex(items: Iterable[ExportItem]) -> str:
    entries: dict[str, Entry] = {}
    for item in items:
        a = item.article
        fields: list[tuple[str, str]] = [("title", a.title or "(untitled)")]
        if a.site:
            fields.append(("organization", a.site))
        parts = year_month_day(a.published)
        if parts:
            fields.append(("date", "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts))))
            fields.append(("year", str(parts[0])))
        if a.url:
            fields.append(("url", a.url))
        if a.language:
            fields.append(("langid", a.language))
        if item.tags:
            fields.append(("keywords", ", ".join(item.tags)))
        annotation = _annotation(item)
        if annotation:
            fields.append(("annotation", annotation))
        persons = {"author": [Person(name) for name in _authors(a.author)]} if a.author else None
        entries[_key(item, entries)] = Entry("online", fields, persons=persons)
    if not entries:
        return ""
    return str(_Writer().to_string(BibliographyData(entries)))


def to_ris(items: Iterable[ExportItem]) -> str:
    records = []
    for item in items:
        a = item.article
        ref: dict[str, object] = {"type_of_reference": "ELEC", "title": a.title or "(untitled)"}
        if a.author:
            ref["authors"] = _authors(a.author)
        parts = year_month_day(a.published)
        if parts:
            ref["year"] = str(parts[0])
            ref["date"] = "/".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts))
        if a.site:
            ref["publisher"] = a.site
        if a.url:
            ref["urls"] = [a.url]
        if a.language:
            ref["language"] = a.language
        if item.tags:
            ref["keywords"] = list(item.tags)
        notes = _annotation_parts(item)
        if notes:
            ref["notes"] = [" ".join(n.split()) for n in notes]  # one N1 line each: RIS values are one line
        records.append(ref)
    return str(rispy.dumps(records, implementation=_RisWriter)) if records else ""


def to_csljson(items: Iterable[ExportItem]) -> str:
    out = []
    keys: dict[str, object] = {}
    for item in items:
        a = item.article
        record: dict[str, object] = {"id": _key(item, keys), "type": "webpage", "title": a.title or "(untitled)"}
        keys[str(record["id"])] = record
        if a.author:
            record["author"] = [_csl_name(n) for n in _authors(a.author)]
        parts = year_month_day(a.published)
        if parts:
            record["issued"] = {"date-parts": [parts]}
        if a.site:
            record["container-title"] = a.site
        if a.url:
            record["URL"] = a.url
        if a.language:
            record["language"] = a.language
        if item.tags:
            record["keyword"] = ", ".join(item.tags)
        annotation = _annotation(item)
        if annotation:
            record["note"] = annotation
        out.append(record)
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"


def _authors(author: str) -> list[str]:
    """Bylines as names: "A and B", "A, B & C" (a lone "Surname, Given" stays one name)."""
    author = re.sub(r"^\s*by\s+", "", author, flags=re.IGNORECASE)
    names = [n.strip() for n in re.split(r"\s+(?:and|&)\s+|;", author) if n.strip()]
    if len(names) == 1 and names[0].count(",") >= 2:
        names = [n.strip() for n in names[0].split(",") if n.strip()]
    return names


def _csl_name(name: str) -> dict[str, str]:
    if "," in name:
        family, _, given = name.partition(",")
        return {"family": family.strip(), "given": given.strip()}
    parts = name.split()
    if len(parts) < 2:
        return {"literal": name}
    return {"family": parts[-1], "given": " ".join(parts[:-1])}


def _key(item: ExportItem, taken: dict[str, object] | dict[str, Entry]) -> str:
    """A citation key like `rutte2025harbour`: first author's surname, year, first title word."""
    a = item.article
    names = _authors(a.author)
    surname = ""
    if names:
        surname = names[0].split(",")[0] if "," in names[0] else names[0].split()[-1]
    parts = year_month_day(a.published)
    words = [w for w in re.findall(r"\w+", a.title) if len(w) > 3] or ["article"]
    raw = unicodedata.normalize("NFKD", f"{surname}{parts[0] if parts else ''}{words[0]}".lower())
    base = re.sub(r"[^a-z0-9]", "", raw) or f"article{a.id}"
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}{chr(ord('a') + n - 2) if n <= 27 else n}"
    return key


def _annotation(item: ExportItem) -> str:
    return "\n\n".join(_annotation_parts(item))


def _annotation_parts(item: ExportItem) -> list[str]:
    """The note, then each highlight as “quote” — its note."""
    parts = [item.note.strip()] if item.note.strip() else []
    for h in item.highlights:
        quote = " ".join(h.quote.split())
        parts.append(f"“{quote}”" + (f" — {h.note.strip()}" if h.note.strip() else ""))
    return parts
