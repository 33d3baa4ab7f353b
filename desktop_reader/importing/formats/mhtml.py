"""Single-file web archives (.mhtml/.mht): the HTML part of a MIME multipart/related message."""

from __future__ import annotations

import email
import email.errors
from email.header import decode_header
from email.message import Message
from pathlib import Path

from desktop_reader.errors import ImportFailed
from desktop_reader.importing.decoding import codec_for, decode
from desktop_reader.models import Metadata, RawDocument

_WEB_SCHEMES = ("http://", "https://")


def read_mhtml(path: Path, data: bytes) -> RawDocument:
    """Build the RawDocument of an MHTML archive from its main HTML part.

    The Date header is when the page was saved, not published, so it is not a hint.

    Raises:
        ImportFailed: not a MIME message, no HTML part, or the part is not text.
    """
    try:
        message = email.message_from_bytes(data)
    except (email.errors.MessageError, ValueError, LookupError) as exc:
        raise ImportFailed(path, f"not a valid MHTML file ({exc})") from exc
    if not message.get("MIME-Version") and not message.get("Content-Type"):
        raise ImportFailed(path, "no HTML part in this MHTML file (it has no MIME headers)")
    snapshot = _header(message, "Snapshot-Content-Location")
    part = _main_html_part(message, snapshot)
    if part is None:
        raise ImportFailed(path, "no HTML part in this MHTML file")
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes) or not payload.strip():
        raise ImportFailed(path, "the HTML part of this MHTML file is empty")
    html = decode(payload, path, charset=_charset(part), markup=True)
    location = snapshot or _header(part, "Content-Location")
    return RawDocument(
        path=path,
        format="mhtml",
        content=data,
        html=html,
        hints=Metadata(
            title=_header(message, "Subject"),
            url=location if location.lower().startswith(_WEB_SCHEMES) else "",
        ),
    )


def _main_html_part(message: Message, snapshot: str) -> Message | None:
    """Pick the article: the snapshot's own part, else the multipart/related root, else the first HTML."""
    html_parts = [p for p in message.walk() if p.get_content_type() in ("text/html", "application/xhtml+xml")]
    if not html_parts:
        return None
    if snapshot:
        for part in html_parts:
            if _header(part, "Content-Location") == snapshot:
                return part
    start = message.get_param("start") if message.get_content_type() == "multipart/related" else None
    if isinstance(start, str) and start.strip():
        for part in html_parts:
            if _header(part, "Content-ID") == start.strip():
                return part
    return html_parts[0]


def _header(message: Message, name: str) -> str:
    """Return a header as plain text, RFC 2047 encoded words decoded; "" if absent or garbled."""
    raw = message.get(name)
    if raw is None:
        return ""
    try:
        value = "".join(_decode_word(chunk, charset) for chunk, charset in decode_header(raw))
    except (email.errors.HeaderParseError, ValueError):
        value = str(raw)
    if any("\udc80" <= ch <= "\udcff" for ch in value):
        value = _from_raw_bytes(value)
    # Long headers are folded over several lines; unfold them.
    return " ".join(value.split())


def _decode_word(chunk: bytes | str, charset: str | None) -> str:
    """Decode one RFC 2047 piece; "iso-8859-1" words get cp1252, as mail clients do."""
    if isinstance(chunk, str):
        return chunk
    codec = codec_for(charset) if charset else "ascii"
    try:
        return chunk.decode(codec or "ascii")
    except (UnicodeDecodeError, LookupError):
        return chunk.decode("cp1252", "replace")


def _from_raw_bytes(value: str) -> str:
    """Decode a header that carried raw 8-bit bytes (the parser keeps them as surrogates)."""
    raw = value.encode("utf-8", "surrogateescape")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace")


def _charset(part: Message) -> str | None:
    try:
        return part.get_content_charset()
    except (LookupError, ValueError):
        return None
