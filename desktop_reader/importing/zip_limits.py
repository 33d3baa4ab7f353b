"""Reading members of ZIP-based files (EPUB, WACZ, Omnivore exports) with bounded memory: zip bombs are refused."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import IO

from desktop_reader.errors import ImportFailed

MEMBER_BYTES = 50 * 1024 * 1024  # one page or chapter; the importer's limit for a whole file
TOTAL_BYTES = 8 * 1024**3  # what a whole archive may unpack to
# Text compresses about 5-10x; a ratio far above that with a large size is a bomb, not a page.
MAX_RATIO = 200


def check_archive(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse an archive whose declared sizes unpack to far more than it could honestly hold.

    Raises:
        ImportFailed: a member or the whole would unpack past the limits (a zip bomb).
    """
    total = 0
    for info in archive.infolist():
        total += info.file_size
        ratio = info.file_size / max(1, info.compress_size)
        if ratio > MAX_RATIO and info.file_size > 10 * 1024 * 1024:
            raise ImportFailed(path, f"refused: {info.filename} would unpack {ratio:.0f} times its size (a zip bomb?)")
    if total > TOTAL_BYTES:
        raise ImportFailed(path, f"refused: it would unpack to {total / 1024**3:.1f} GB")


def read_member(path: Path, archive: zipfile.ZipFile, name: str, limit: int = MEMBER_BYTES) -> bytes:
    """The bytes of one member, read no further than `limit` whatever its header claims.

    Raises:
        ImportFailed: missing, damaged, or larger than `limit`.
    """
    try:
        with archive.open(name) as fh:
            data = fh.read(limit + 1)
    except KeyError as exc:
        raise ImportFailed(path, f"{name} is missing from the archive") from exc
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise ImportFailed(path, f"{name} is damaged in the archive ({exc})") from exc
    if len(data) > limit:
        raise ImportFailed(path, f"refused: {name} unpacks to more than {limit // (1024 * 1024)} MB")
    return data


def open_archive(path: Path, source: Path | bytes | IO[bytes]) -> zipfile.ZipFile:
    """Open and check a ZIP archive from a file or its bytes.

    Raises:
        ImportFailed: not a ZIP archive, or a zip bomb.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportFailed(path, f"not a valid {path.suffix} file (not a ZIP archive)") from exc
    check_archive(path, archive)
    return archive
