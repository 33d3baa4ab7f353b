"""Read-later exports: Wallabag's JSON (.json) and Omnivore's ZIP (.zip); each saved entry is an article.

Entries hold the service's cleaned HTML; an entry without content is reported, never fetched.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from desktop_reader.errors import ImportFailed
from desktop_reader.importing.decoding import decode
from desktop_reader.importing.zip_limits import MEMBER_BYTES, open_archive, read_member
from desktop_reader.models import Member, MemberIssue, Metadata, RawDocument

EXPORT_BYTES = 2 * 1024**3  # a JSON export is parsed whole; bigger than this is not an export
NO_CONTENT = "no saved content, only a link"


# -- Wallabag ------------------------------------------------------------------------------


def list_wallabag(path: Path) -> Iterator[Member | MemberIssue]:
    """Wallabag's entries (the newest of each URL); link-only entries and repeats reported.

    Raises:
        ImportFailed: not JSON, or not a list of Wallabag entries.
    """
    entries = _wallabag(path, *_stamp(path))
    newest: dict[str, Member] = {}
    for n, entry in enumerate(entries):
        name = str(entry.get("url") or entry.get("title") or f"entry {n + 1}")
        if not str(entry.get("content") or "").strip():
            yield MemberIssue(path, name, "skipped", NO_CONTENT)
            continue
        saved = str(entry.get("created_at") or "")
        member = Member(path, name, str(n), len(str(entry.get("content"))), _tags(entry.get("tags")), saved=saved)
        older = newest.get(name)
        if older is not None:
            keep, drop = (member, older) if member.saved >= older.saved else (older, member)
            newest[name] = keep
            yield MemberIssue(path, drop.name, "duplicate", f"saved twice; the newest ({keep.saved}) is imported")
        else:
            newest[name] = member
    yield from newest.values()


def read_wallabag_member(member: Member) -> RawDocument:
    entry = _wallabag(member.container, *_stamp(member.container))[int(member.locator)]
    authors = entry.get("published_by") or []
    return RawDocument(
        path=member.container,
        format="wallabag",
        content=json.dumps(entry, ensure_ascii=False, sort_keys=True).encode(),
        html=str(entry.get("content") or ""),
        hints=Metadata(
            title=str(entry.get("title") or ""),
            author=", ".join(str(a) for a in authors) if isinstance(authors, list) else str(authors),
            published=str(entry.get("published_at") or ""),
            url=str(entry.get("url") or ""),
            language=str(entry.get("language") or "")[:2].lower(),
        ),
        member=member,
    )


@lru_cache(maxsize=1)  # a worker reads many entries of one export: parse it once
def _wallabag(path: Path, size: int, mtime: int) -> list[dict[str, Any]]:
    if size > EXPORT_BYTES:
        raise ImportFailed(path, f"refused: larger than {EXPORT_BYTES // 1024**3} GB")
    try:
        data = json.loads(path.read_bytes())
    except (ValueError, UnicodeDecodeError) as exc:
        raise ImportFailed(path, "not a Wallabag export (not valid JSON)") from exc
    if (
        not isinstance(data, list)
        or not all(isinstance(e, dict) for e in data)
        or not any("content" in e and "url" in e for e in data)
    ):
        raise ImportFailed(path, "not a Wallabag export (expected a list of entries with url and content)")
    return data


# -- Omnivore ------------------------------------------------------------------------------


def list_omnivore(path: Path) -> Iterator[Member | MemberIssue]:
    """Omnivore's saved items (metadata_*.json) whose page is in content/; labels kept.

    Raises:
        ImportFailed: not a ZIP, a zip bomb, or no metadata files.
    """
    with path.open("rb") as raw:
        archive = open_archive(path, raw)
        names = set(archive.namelist())
        listed = _metadata_files(path, archive)
        newest: dict[str, Member] = {}
        for meta_name in listed:
            for n, item in enumerate(_items(path, archive, meta_name)):
                slug = str(item.get("slug") or item.get("id") or "")
                name = str(item.get("url") or item.get("title") or slug)
                page = f"content/{slug}.html"
                if not slug or page not in names:
                    yield MemberIssue(path, name, "skipped", NO_CONTENT)
                    continue
                saved = str(item.get("savedAt") or "")
                size = archive.getinfo(page).file_size
                member = Member(path, name, f"{meta_name}#{n}", size, _tags(item.get("labels")), saved=saved)
                older = newest.get(name)
                if older is not None:
                    keep, drop = (member, older) if member.saved >= older.saved else (older, member)
                    newest[name] = keep
                    yield MemberIssue(
                        path, drop.name, "duplicate", f"saved twice; the newest ({keep.saved}) is imported"
                    )
                else:
                    newest[name] = member
    yield from newest.values()


def read_omnivore_member(member: Member) -> RawDocument:
    meta_name, _, n = member.locator.rpartition("#")
    path = member.container
    with path.open("rb") as raw:
        archive = open_archive(path, raw)
        item = _items(path, archive, meta_name)[int(n)]
        page = f"content/{item.get('slug') or item.get('id')}.html"
        data = read_member(path, archive, page, MEMBER_BYTES)
    return RawDocument(
        path=path,
        format="omnivore",
        content=data,
        html=decode(data, path, markup=True),
        hints=Metadata(
            title=str(item.get("title") or ""),
            author=str(item.get("author") or ""),
            published=str(item.get("publishedAt") or ""),
            url=str(item.get("url") or ""),
        ),
        member=member,
    )


def _metadata_files(path: Path, archive: zipfile.ZipFile) -> list[str]:
    listed = sorted(
        n for n in archive.namelist() if n.rsplit("/", 1)[-1].startswith("metadata_") and n.endswith(".json")
    )
    if not listed:
        raise ImportFailed(path, "not an Omnivore export (no metadata_*.json inside)")
    return listed


def _items(path: Path, archive: zipfile.ZipFile, name: str) -> list[dict[str, Any]]:
    try:
        items = json.loads(read_member(path, archive, name, MEMBER_BYTES))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ImportFailed(path, f"not an Omnivore export ({name} is not valid JSON)") from exc
    if not isinstance(items, list):
        raise ImportFailed(path, f"not an Omnivore export ({name} is not a list of items)")
    return [i if isinstance(i, dict) else {} for i in items]


# -- shared --------------------------------------------------------------------------------


def _stamp(path: Path) -> tuple[int, int]:
    try:
        info = path.stat()
    except OSError as exc:
        raise ImportFailed(path, f"file could not be read: {exc.strerror or exc}") from exc
    return info.st_size, info.st_mtime_ns


def _tags(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    names = [v.get("label") or v.get("name") or v.get("slug") if isinstance(v, dict) else v for v in value]
    return tuple(str(n) for n in names if n)
