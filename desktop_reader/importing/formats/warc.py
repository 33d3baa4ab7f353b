"""Web archives (.warc, .warc.gz, and the WARCs inside a .wacz): each archived HTML page is an article (warcio).

Listing streams through the records once, keeping only a few numbers per page, so memory does
not grow with the file; each page is read again later from its byte offset.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from desktop_reader.errors import ImportFailed
from desktop_reader.importing.decoding import decode
from desktop_reader.importing.zip_limits import MEMBER_BYTES, open_archive
from desktop_reader.models import Member, MemberIssue, Metadata, RawDocument

_HTML = ("text/html", "application/xhtml+xml")
_RECORD_ERRORS = (ArchiveLoadFailed, zlib.error, EOFError, ValueError, KeyError, IndexError, OSError)
_GZIP_MAGIC = b"\x1f\x8b\x08"
_WARC_MAGIC = b"WARC/1."
_SCAN_BLOCK = 1 << 20


def list_warc(path: Path) -> Iterator[Member | MemberIssue]:
    """The HTML pages of a WARC file, the newest capture of each URL; older captures and bad records reported."""
    with path.open("rb") as fh:
        yield from _list(path, fh, prefix="")


def list_wacz(path: Path) -> Iterator[Member | MemberIssue]:
    """The HTML pages of every WARC inside a WACZ package.

    Raises:
        ImportFailed: not a ZIP, a zip bomb, or no WARC inside.
    """
    with path.open("rb") as raw:
        archive = open_archive(path, raw)
        names = [n for n in archive.namelist() if n.startswith("archive/") and n.endswith((".warc", ".warc.gz"))]
        if not names:
            raise ImportFailed(path, "not a WACZ package (no archive/*.warc.gz inside)")
        for name in names:
            with archive.open(name) as fh:
                yield from _list(path, fh, prefix=f"{name}#")


def read_warc_member(member: Member) -> RawDocument:
    """One page of a WARC or WACZ, read again from its record's offset."""
    entry, _, offset = member.locator.rpartition("#")
    path = member.container
    try:
        if entry:
            with path.open("rb") as raw, zipfile.ZipFile(raw) as archive, archive.open(entry) as fh:
                return _read_record(member, fh, int(offset))
        with path.open("rb") as fh:
            return _read_record(member, fh, int(offset))
    except (zipfile.BadZipFile, KeyError) as exc:
        raise ImportFailed(path, f"{member.name}: the archive changed or is damaged ({exc})") from exc


def _read_record(member: Member, fh: IO[bytes], offset: int) -> RawDocument:
    fh.seek(offset)
    try:
        record = next(iter(ArchiveIterator(fh, check_digests=False)))
        # warcio undoes the chunked transfer and the Content-Encoding (gzip, deflate, br).
        payload = record.content_stream().read(MEMBER_BYTES + 1)
    except (*_RECORD_ERRORS, StopIteration) as exc:
        raise ImportFailed(member.container, f"{member.name}: damaged record ({type(exc).__name__})") from exc
    if len(payload) > MEMBER_BYTES:
        raise ImportFailed(member.container, f"{member.name}: page larger than {MEMBER_BYTES // 2**20} MB")
    charset = _charset(record.http_headers.get_header("Content-Type") or "")
    html = decode(payload, member.container, charset=charset, markup=True)
    return RawDocument(
        path=member.container,
        format="wacz" if member.container.suffix.lower() == ".wacz" else "warc",
        content=payload,
        html=html,
        hints=Metadata(url=member.name),
        member=member,
    )


def _list(path: Path, fh: IO[bytes], prefix: str) -> Iterator[Member | MemberIssue]:
    newest: dict[str, Member] = {}
    position = 0
    while True:
        fh.seek(position)
        records = ArchiveIterator(fh, check_digests=False)
        start = position
        try:
            for record in records:
                start = records.get_record_offset()
                page = _page(path, record, prefix, start)
                if page is None:
                    continue
                older = newest.get(page.name)
                if older is not None:
                    keep, drop = (page, older) if page.saved >= older.saved else (older, page)
                    newest[page.name] = keep
                    yield MemberIssue(
                        path,
                        drop.name,
                        "duplicate",
                        f"an older capture ({drop.saved}); the newest, {keep.saved}, is imported",
                    )
                else:
                    newest[page.name] = page
            break
        except _RECORD_ERRORS as exc:
            bad = max(start, int(getattr(records, "offset", start) or start))
            yield MemberIssue(
                path, f"record at byte {bad}", "failed", f"damaged record, skipped ({type(exc).__name__})"
            )
            following = _next_record(fh, bad + 1)
            if following is None:
                break
            position = following
    yield from newest.values()


def _page(path: Path, record: object, prefix: str, offset: int) -> Member | None:
    """The Member for an archived HTML page with status 200, else None (images, scripts, revisits...)."""
    if getattr(record, "rec_type", "") != "response":
        return None
    http = record.http_headers  # type: ignore[attr-defined]
    if http is None or http.get_statuscode() != "200":
        return None
    kind = (http.get_header("Content-Type") or "").split(";")[0].strip().lower()
    if kind not in _HTML:
        return None
    headers = record.rec_headers  # type: ignore[attr-defined]
    url = headers.get_header("WARC-Target-URI") or ""
    size = int(headers.get_header("Content-Length") or 0)
    return Member(path, url, f"{prefix}{offset}", size=size, saved=headers.get_header("WARC-Date") or "")


def _next_record(fh: IO[bytes], after: int) -> int | None:
    """Where the next record starts after a damaged one: a gzip member or a WARC header line."""
    fh.seek(after)
    carry = b""
    base = after
    while True:
        block = fh.read(_SCAN_BLOCK)
        if not block:
            return None
        data = carry + block
        found = [i for i in (data.find(_GZIP_MAGIC), data.find(_WARC_MAGIC)) if i >= 0]
        if found:
            return base - len(carry) + min(found)
        carry = data[-8:]
        base += len(block)


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None
