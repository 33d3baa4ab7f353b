"""Saved web pages (.html/.htm): decoding, the saved-from URL and the NAME_files/ companion folder."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from desktop_reader.importing.decoding import decode
from desktop_reader.models import Metadata, RawDocument

PAGE_SUFFIXES = (".html", ".htm")

# Browsers name the resource folder of "Web page, complete" after the page plus a
# localized suffix (Firefox localizes it, as did Internet Explorer; Chrome always uses
# "_files"). Compared case-insensitively.
COMPANION_SUFFIXES = (
    "_files",
    ".files",
    "-files",
    " files",
    "-Dateien",
    "_Dateien",
    "_archivos",
    "_fichiers",
    "_arquivos",
    "_ficheiros",
    "_file",
    "_bestanden",
    "_pliki",
    "_soubory",
    "_súbory",
    "_filer",
    "-filer",
    "_tiedostot",
    "-tiedostot",
    "_fájlok",
    "_elemei",
    "_dosyalar",
    "_datoteke",
    "_fajlovi",
    "_failai",
    "_faili",
    "_failid",
    "_fitxers",
    "_fitxategiak",
    "_bylos",
    "_файлы",
    "_файли",
    "_αρχεία",
    "_ファイル",
    "_文件",
    "_檔案",
)
_COMPANION_FOLDS = tuple(s.casefold() for s in COMPANION_SUFFIXES)

# IE, Chrome and Edge stamp saved pages with their address ("mark of the web").
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(\S+?)\s*-->", re.IGNORECASE)
_SAVED_FROM_SCAN_CHARS = 4096


def read_html(path: Path, data: bytes) -> RawDocument:
    """Build the RawDocument of a saved page.

    Raises:
        ImportFailed: the bytes are not text.
    """
    html = decode(data, path, markup=True)
    root = companion_folder(path)
    return RawDocument(
        path=path,
        format="html",
        content=data,
        html=html,
        hints=Metadata(url=saved_from_url(html)),
        companions=tuple(companion_files(root)) if root else (),
        companion_root=root,
    )


def saved_from_url(html: str) -> str:
    """Return the address in a `<!-- saved from url=(NNNN)... -->` comment, or ""."""
    match = _SAVED_FROM.search(html[:_SAVED_FROM_SCAN_CHARS])
    if not match:
        return ""
    url = match.group(1)
    # IE writes "about:internet" for pages saved from disk: not an address.
    return url if url.lower().startswith(("http://", "https://")) else ""


def companion_folder(page: Path) -> Path | None:
    """Return the existing NAME_files/ (or localized) folder that belongs to `page`, if any."""
    wanted = {(page.stem + suffix).casefold() for suffix in COMPANION_SUFFIXES}
    try:
        entries = sorted(os.scandir(page.parent), key=lambda e: e.name)
    except OSError:
        return None
    for entry in entries:
        if entry.name.casefold() in wanted and _is_real_dir(entry):
            return Path(entry.path)
    return None


def page_of_companion(folder: Path, siblings: set[str] | None = None) -> str | None:
    """Return the name of the page that owns `folder` as its companion folder, or None.

    Args:
        folder: a folder that may be some page's NAME_files/.
        siblings: casefolded names of the files next to it, when the caller already listed them.
    """
    name = folder.name.casefold()
    if siblings is None:
        try:
            siblings = {entry.name.casefold() for entry in os.scandir(folder.parent) if entry.is_file()}
        except OSError:
            return None
    for suffix in _COMPANION_FOLDS:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            for page_suffix in PAGE_SUFFIXES:
                if stem + page_suffix in siblings:
                    return stem + page_suffix
    return None


def companion_files(root: Path) -> Iterator[Path]:
    """Yield every regular file under `root`, sorted, without following links.

    Links are skipped so that importing a page can never copy files from elsewhere on disk.
    """
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.is_symlink():
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from companion_files(Path(entry.path))
        elif entry.is_file(follow_symlinks=False):
            yield Path(entry.path)


def _is_real_dir(entry: os.DirEntry[str]) -> bool:
    return entry.is_dir(follow_symlinks=False)
