"""Bytes to str: byte-order marks, declared charsets, strict UTF-8, then detection."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from desktop_reader.errors import ImportFailed

# WHATWG's encoding spec, which every browser follows: pages declaring these legacy
# labels are decoded with the superset Windows actually wrote (Latin-1 means cp1252,
# Shift_JIS means cp932, GB2312 means GB18030...). Keys are Python's canonical names.
_SUPERSETS: dict[str, str] = {
    "ascii": "cp1252",
    "iso8859-1": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
    "shift_jis": "cp932",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "euc_kr": "cp949",
    "big5": "big5hkscs",
}

# WHATWG labels Python does not know under that name.
_ALIASES: dict[str, str] = {
    "x-sjis": "cp932",
    "windows-31j": "cp932",
    "x-gbk": "gb18030",
    "x-cp1252": "cp1252",
    "x-euc-jp": "euc_jp",
    "ks_c_5601-1987": "cp949",
    "x-mac-roman": "mac_roman",
    "x-mac-cyrillic": "mac_cyrillic",
    "iso-8859-8-i": "iso8859_8",
    "unicode-1-1-utf-8": "utf-8",
}

# Text codecs that would let a declared charset rewrite the content (escape decoders,
# UTF-7, which smuggles markup past ASCII checks) or that only exist on Windows.
_REFUSED = {"unicode-escape", "raw-unicode-escape", "idna", "punycode", "utf-7", "undefined", "mbcs", "oem"}

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: FF FE 00 00 starts with FF FE
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Magic numbers of the binary files people most often rename or mis-save as pages.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"BM", "a BMP image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x00\x00\x01\x00", "an icon file"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"BZh", "a bzip2-compressed file"),
    (b"\xfd7zXZ\x00", "an xz-compressed file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "a program (ELF executable)"),
    (b"MZ", "a Windows program"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"OggS", "an Ogg audio/video file"),
    (b"fLaC", "a FLAC audio file"),
    (b"ID3", "an MP3 audio file"),
    (b"\x1aE\xdf\xa3", "a Matroska/WebM video"),
)

_BINARY_BYTE = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")

# Legacy encodings by how often undeclared files use them, for breaking detection ties.
_PREFERRED = (
    "cp1252", "cp1251", "cp1250", "gb18030", "cp932", "euc_jp", "cp949", "big5",
    "cp1253", "cp1254", "cp1257", "cp1255", "cp1256", "cp874", "koi8_r", "iso8859_15",
)  # fmt: skip
_CHAOS_TIE = 0.01

_META_SCAN_BYTES = 4096
_META_TAG = re.compile(rb"<meta\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(rb"""([a-zA-Z_:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>/]+))""")
_CHARSET_PARAM = re.compile(rb"""charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']""", re.IGNORECASE)

# C0 controls other than tab, LF, FF and CR (plus DEL and the C1 range): real text almost never has them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_SAMPLE_CHARS = 65536


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text and how its encoding was chosen."""

    text: str
    encoding: str  # Python codec name actually used
    source: str  # "bom", "declared", "utf-8", "utf-16 pattern" or "detected"


def sniff_binary(data: bytes) -> str | None:
    """Name the kind of binary file `data` starts like ("a PNG image"), or None."""
    head = data[:16]
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            # Letter-only magics ("BM", "ID3", "GIF89a") also start ordinary sentences:
            # believe them only with binary bytes close by.
            if magic.isalnum() and not _BINARY_BYTE.search(data[:512]):
                continue
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "a WebP image"
    if head[4:8] == b"ftyp":
        return "an MP4/HEIC media file"
    return None


def declared_charset(data: bytes) -> str | None:
    """Return the charset an HTML/XML document declares in its first few KB, if any."""
    head = data[:_META_SCAN_BYTES]
    xml = _XML_DECL.match(head)
    if xml:
        return xml.group(1).decode("ascii")
    for tag in _META_TAG.finditer(head):
        attrs = {
            m.group(1).lower(): (m.group(2) or m.group(3) or m.group(4) or b"")
            for m in _ATTR.finditer(tag.group())
        }
        if attrs.get(b"charset"):
            return attrs[b"charset"].strip().decode("ascii", "replace")
        if attrs.get(b"http-equiv", b"").strip().lower() == b"content-type":
            param = _CHARSET_PARAM.search(attrs.get(b"content", b""))
            if param:
                return param.group(1).decode("ascii", "replace")
    return None


def decode(data: bytes, path: Path | str, *, charset: str | None = None, markup: bool = False) -> str:
    """Decode file contents to text; see `decode_detailed`."""
    return decode_detailed(data, path, charset=charset, markup=markup).text


def decode_detailed(
    data: bytes, path: Path | str, *, charset: str | None = None, markup: bool = False
) -> Decoded:
    """Decode bytes the way a careful browser would, refusing binary data.

    Args:
        data: the raw bytes.
        path: the file they came from; named in errors.
        charset: the charset a container declared (an MHTML part's MIME header), if any.
        markup: look for an HTML <meta> charset or XML declaration as well.

    Raises:
        ImportFailed: the bytes are an image, binary data or no encoding decodes them.
    """
    kind = sniff_binary(data)
    if kind:
        raise ImportFailed(path, f"looks like {kind}, not text")
    result = _decode(data, charset, markup)
    if result is None or _looks_binary(result.text):
        raise ImportFailed(path, "binary data, not text")
    return result


def _decode(data: bytes, charset: str | None, markup: bool) -> Decoded | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _try(data[len(bom) :], encoding)
            if text is not None:
                return Decoded(text, encoding, "bom")
            break
    declared = [charset] if charset else []
    if markup:
        meta = declared_charset(data)
        if meta:
            # A <meta> was read as ASCII, so a UTF-16/32 claim in it is false (WHATWG reads it as UTF-8).
            declared.append("utf-8" if meta.lower().startswith(("utf-16", "utf-32")) else meta)
    for label in declared:
        found = _declared(data, label)
        if found is not None:
            return found
    if b"\x00" in data:
        # Zero bytes: BOM-less UTF-16/32 or binary, never an ASCII-compatible encoding.
        unbommed = _utf16_pattern(data) or _detect(data)
        return unbommed if unbommed and unbommed.encoding.startswith(("utf-16", "utf-32")) else None
    text = _try(data, "utf-8")
    if text is not None:
        return Decoded(text, "utf-8", "utf-8")
    return _detect(data)


def _declared(data: bytes, label: str) -> Decoded | None:
    encoding = codec_for(label)
    if encoding is None:
        return None
    if encoding not in ("utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"):
        # Pages that declare a legacy charset but were re-saved as UTF-8 are common; valid
        # multi-byte UTF-8 practically never happens by chance, so it outranks the label.
        text = _try(data, "utf-8")
        if text is not None and not text.isascii():
            return Decoded(text, "utf-8", "utf-8")
    text = _try(data, encoding)
    return None if text is None else Decoded(text, encoding, "declared")


def codec_for(label: str) -> str | None:
    """Map a charset label to the Python codec to decode it with (WHATWG supersets), or None if unusable."""
    label = label.strip().strip("\"'").lower()
    try:
        name = codecs.lookup(_ALIASES.get(label, label)).name
    except (LookupError, ValueError):
        return None
    if name.replace("_", "-") in _REFUSED:
        return None
    return _SUPERSETS.get(name, name)


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _utf16_pattern(data: bytes) -> Decoded | None:
    """Recognise BOM-less UTF-16/32 from where its zero bytes fall (mostly-Latin text)."""
    sample = data[:4096]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    candidates: list[str] = []
    zeros = [sum(1 for b in sample[i::4] if b == 0) / len(sample[i::4]) for i in range(4)]
    # Outside the BMP is rare, so the top two bytes of every UTF-32 unit are zero.
    if len(data) % 4 == 0 and min(zeros[2:]) > 0.9:
        candidates.append("utf-32-le")
    if len(data) % 4 == 0 and min(zeros[:2]) > 0.9:
        candidates.append("utf-32-be")
    even, odd = (zeros[0] + zeros[2]) / 2, (zeros[1] + zeros[3]) / 2
    if len(data) % 2 == 0:
        if odd > 0.3 and even < 0.05:
            candidates.append("utf-16-le")
        if even > 0.3 and odd < 0.05:
            candidates.append("utf-16-be")
    for encoding in candidates:
        text = _try(data, encoding)
        if text is not None and not _looks_binary(text):
            return Decoded(text, encoding, "utf-16 pattern")
    return None


def _detect(data: bytes) -> Decoded | None:
    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        return None
    # On short texts many single-byte codecs are equally "clean" (cp775 reads French as
    # well as cp1252 does); break such ties by how common the encoding is in practice.
    tied = {name for m in matches if m.chaos <= best.chaos + _CHAOS_TIE for name in m.could_be_from_charset}
    preferred = next((name for name in _PREFERRED if name in tied), best.encoding)
    encoding = codec_for(preferred)
    if encoding is None:
        return None
    text = _try(data, encoding)
    if text is None:  # the superset codec disagrees (rare); trust the detector's own codec
        encoding, text = best.encoding, str(best)
    return Decoded(text, encoding, "detected")


def _looks_binary(text: str) -> bool:
    """True if the decoded text is full of control characters, i.e. was never text."""
    if "\x00" in text:
        return True
    samples = [text[:_SAMPLE_CHARS]]
    if len(text) > 2 * _SAMPLE_CHARS:
        middle = len(text) // 2
        samples += [text[middle : middle + _SAMPLE_CHARS], text[-_SAMPLE_CHARS:]]
    for sample in samples:
        controls = len(_CONTROL.findall(sample))
        if controls > max(2, len(sample) // 100):
            return True
    return False
