"""Files on disk to RawDocument: finding importable files and reading each by its suffix."""

from __future__ import annotations

import errno
import logging
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from desktop_reader.errors import ImportFailed, SkippedFile, UnsupportedFile
from desktop_reader.importing.decoding import sniff_binary
from desktop_reader.importing.formats.epub import read_epub
from desktop_reader.importing.formats.exports import (
    list_omnivore,
    list_wallabag,
    read_omnivore_member,
    read_wallabag_member,
)
from desktop_reader.importing.formats.html import page_of_companion, read_html
from desktop_reader.importing.formats.markdown import read_markdown
from desktop_reader.importing.formats.mhtml import read_mhtml
from desktop_reader.importing.formats.pdf import read_pdf
from desktop_reader.importing.formats.text import read_text
from desktop_reader.importing.formats.warc import list_wacz, list_warc, read_warc_member
from desktop_reader.importing.formats.webarchive import read_webarchive
from desktop_reader.models import FailedFile, Member, MemberIssue, RawDocument

log = logging.getLogger(__name__)

Reader = Callable[[Path, bytes], RawDocument]

READERS: dict[str, Reader] = {
    ".html": read_html,
    ".htm": read_html,
    ".mhtml": read_mhtml,
    ".mht": read_mhtml,
    ".txt": read_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".pdf": read_pdf,
    ".epub": read_epub,
    ".webarchive": read_webarchive,
}
# Binary formats: their readers check their own signatures, and must not be taken for a renamed image.
BINARY_SUFFIXES = frozenset({".pdf", ".epub", ".webarchive"})

Lister = Callable[[Path], Iterator[Member | MemberIssue]]
MemberReader = Callable[[Member], RawDocument]
# Files that hold many articles: listed first (streaming), then each member is read on its own.
CONTAINERS: dict[str, tuple[Lister, MemberReader]] = {
    ".warc": (list_warc, read_warc_member),
    ".warc.gz": (list_warc, read_warc_member),
    ".wacz": (list_wacz, read_warc_member),
    ".json": (list_wallabag, read_wallabag_member),
    ".zip": (list_omnivore, read_omnivore_member),
}
# Any program writes .json and .zip files: inside folders they are left alone, and imported as
# read-later exports only when the user names them (or drops them on the window).
NAMED_ONLY = frozenset({".json", ".zip"})
SUPPORTED_SUFFIXES: tuple[str, ...] = (*READERS, *CONTAINERS)

MAX_BYTES = 50 * 1024 * 1024


# A folder of notes or a downloaded project carries these beside the articles; they describe
# the folder, they are not articles. Named explicitly, such a file is imported like any other.
_FOLDER_DOCS = frozenset({"readme", "license", "licence", "changelog", "changes", "copying", "contributing"})


def is_folder_doc(path: Path) -> bool:
    """README.md, LICENSE.txt, CHANGELOG...: a file about its folder rather than an article."""
    return path.stem.casefold() in _FOLDER_DOCS


def suffix(path: Path) -> str:
    """The suffix that names the format, lower case: ".warc.gz" counts as one."""
    name = path.name.lower()
    return ".warc.gz" if name.endswith(".warc.gz") else path.suffix.lower()


def is_supported(path: Path) -> bool:
    """True if `path` has a suffix some reader handles (case-insensitive)."""
    return suffix(path) in READERS or suffix(path) in CONTAINERS


def is_container(path: Path) -> bool:
    """True for files that hold many articles (WARC, WACZ, read-later exports)."""
    return suffix(path) in CONTAINERS


def members_of(path: Path) -> Iterator[Member | MemberIssue | ImportFailed]:
    """The articles a container holds, and what in it cannot be imported; an ImportFailed ends it.

    Listing streams: memory does not grow with the container's size.
    """
    lister, _ = CONTAINERS[suffix(path)]
    try:
        yield from lister(path)
    except ImportFailed as exc:
        yield exc
    except OSError as exc:
        yield _os_failure(path, exc)
    except (ValueError, LookupError, RecursionError, EOFError) as exc:
        log.warning("listing %s failed", path, exc_info=True)
        yield ImportFailed(path, f"could not be read as {suffix(path)} ({type(exc).__name__})")


def read_member(member: Member) -> RawDocument:
    """Read one member of a container (from the user's file or the library's stored copy).

    Raises:
        ImportFailed: the member cannot be read; the message names the container and the member.
    """
    _, reader = CONTAINERS[suffix(member.container)]
    try:
        return reader(member)
    except ImportFailed:
        raise
    except OSError as exc:
        raise _os_failure(member.container, exc) from exc
    except (ValueError, LookupError, RecursionError, EOFError) as exc:
        log.warning("reading %s of %s failed", member.name, member.container, exc_info=True)
        raise ImportFailed(member.container, f"{member.name}: could not be read ({type(exc).__name__})") from exc


def discover(paths: Iterable[Path]) -> Iterator[Path | FailedFile]:
    """Importable files under `paths`, and a FailedFile for each path that cannot be imported."""
    for found in _discover(paths):
        if isinstance(found, ImportFailed):
            yield FailedFile(found.path, found.reason, skipped=isinstance(found, SkippedFile))
        else:
            yield found


def _discover(paths: Iterable[Path]) -> Iterator[Path | ImportFailed]:
    """Expand the user's files and folders into importable files, reporting what cannot be imported.

    Folders are walked recursively in sorted order. Inside folders, hidden entries,
    unsupported files and pages' companion folders (NAME_files/) are skipped silently, and a
    folder's README, LICENSE, CHANGELOG... are reported as SkippedFile;
    a path the user named explicitly is reported instead. Each file is yielded once,
    and a folder link that loops back is reported once and not followed.
    """
    seen_files: set[tuple[int, int]] = set()
    seen_dirs: set[tuple[int, int]] = set()
    for path in paths:
        path = Path(path)
        try:
            info = path.stat()
        except FileNotFoundError:
            reason = "broken link (its target does not exist)" if path.is_symlink() else "file or folder not found"
            yield ImportFailed(path, reason)
            continue
        except OSError as exc:
            yield _os_failure(path, exc)
            continue
        if stat.S_ISDIR(info.st_mode):
            owner = page_of_companion(path)
            if owner:
                yield ImportFailed(path, f"this folder holds the images and styles of {owner}; import that page")
                continue
            yield from _walk(path, seen_dirs, seen_files, ancestors=())
        elif not stat.S_ISREG(info.st_mode):
            yield ImportFailed(path, "not a regular file")
        elif not is_supported(path):
            yield UnsupportedFile(path)
        elif _first_time(info, seen_files):
            yield path


def _walk(
    folder: Path,
    seen_dirs: set[tuple[int, int]],
    seen_files: set[tuple[int, int]],
    ancestors: tuple[tuple[int, int], ...],
) -> Iterator[Path | ImportFailed]:
    try:
        info = folder.stat()
        entries = sorted(os.scandir(folder), key=lambda e: (e.name.casefold(), e.name))
    except OSError as exc:
        yield _os_failure(folder, exc, folder=True)
        return
    key = (info.st_dev, info.st_ino)
    if key in ancestors:
        yield ImportFailed(folder, "folder link loops back to a folder that contains it; not followed")
        return
    if key in seen_dirs:  # a second link to a folder already walked: same files, skip quietly
        return
    seen_dirs.add(key)
    siblings = {e.name.casefold() for e in entries if _is_file(e)}
    for entry in entries:
        if _is_hidden(entry):
            continue
        path = Path(entry.path)
        if _is_dir(entry):
            if not page_of_companion(path, siblings):
                yield from _walk(path, seen_dirs, seen_files, (*ancestors, key))
        elif not is_supported(path) or suffix(path) in NAMED_ONLY:
            continue
        elif is_folder_doc(path):
            yield SkippedFile(path, "describes its folder, not an article; import it by name to keep it")
        elif _is_file(entry):
            try:
                if _first_time(entry.stat(), seen_files):
                    yield path
            except OSError as exc:
                yield _os_failure(path, exc)
        elif entry.is_symlink():
            try:
                path.stat()
            except FileNotFoundError:
                yield ImportFailed(path, "broken link (its target does not exist)")
            except OSError as exc:
                yield _os_failure(path, exc)


def read_file(path: Path, max_bytes: int = MAX_BYTES) -> RawDocument:
    """Read one file into a RawDocument, choosing the reader by suffix.

    Raises:
        ImportFailed: for every problem with the file itself (missing, unreadable, empty,
            too large, binary, malformed); the message names the file and the problem.
    """
    path = Path(path)
    reader = READERS.get(suffix(path))
    if reader is None:
        raise UnsupportedFile(path)
    data = _read_bytes(path, max_bytes)
    kind = None if suffix(path) in BINARY_SUFFIXES else sniff_binary(data)
    if kind:
        raise ImportFailed(path, f"looks like {kind} renamed to {path.suffix}")
    try:
        return reader(path, data)
    except ImportFailed:
        raise
    except (ValueError, LookupError, RecursionError) as exc:
        # Parsers can trip over hostile input in ways we cannot list; the batch must go on.
        log.warning("reader for %s failed", path, exc_info=True)
        raise ImportFailed(path, f"could not be read as {path.suffix} ({type(exc).__name__})") from exc


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise ImportFailed(path, "is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise ImportFailed(path, "not a regular file")
        if info.st_size > max_bytes:
            raise ImportFailed(path, f"file is larger than {_size(max_bytes)}")
        with path.open("rb") as handle:
            # Read one byte past the limit: the file may have grown since stat().
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise _os_failure(path, exc) from exc
    if len(data) > max_bytes:
        raise ImportFailed(path, f"file is larger than {_size(max_bytes)}")
    if not data.strip():
        raise ImportFailed(path, "empty file" if not data else "empty file (only whitespace)")
    return data


def _os_failure(path: Path, exc: OSError, folder: bool = False) -> ImportFailed:
    what = "folder" if folder else "file"
    if isinstance(exc, FileNotFoundError):
        reason = f"{what} disappeared before it could be read"
    elif isinstance(exc, PermissionError):
        reason = f"permission denied ({what} cannot be read)"
    elif exc.errno == errno.ELOOP:
        reason = "link loops back on itself"
    elif isinstance(exc, IsADirectoryError):
        reason = "is a folder, not a file"
    else:
        reason = f"{what} could not be read: {exc.strerror or exc}"
    return ImportFailed(path, reason)


def _first_time(info: os.stat_result, seen: set[tuple[int, int]]) -> bool:
    key = (info.st_dev, info.st_ino)
    if key in seen:
        return False
    seen.add(key)
    return True


def _is_hidden(entry: os.DirEntry[str]) -> bool:
    if entry.name.startswith("."):
        return True
    if sys.platform != "win32":
        return False
    try:  # Windows marks hidden files with an attribute, not a dot
        return bool(entry.stat().st_file_attributes & stat.FILE_ATTRIBUTE_HIDDEN)
    except OSError:
        return False


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def _size(limit: int) -> str:
    mb = limit / (1024 * 1024)
    return f"{mb:g} MB" if mb >= 1 else f"{limit / 1024:g} KB"
