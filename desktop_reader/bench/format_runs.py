"""Each archive format's files read and cleaned the way `import` does, texts keyed by benchmark page id."""

from __future__ import annotations

from pathlib import Path

from desktop_reader.bench.format_scores import Truth
from desktop_reader.errors import ImportFailed
from desktop_reader.importing import cleaning, file_readers
from desktop_reader.models import Member


def run_format(fmt: str, folder: Path, truth: Truth) -> tuple[dict[str, str], int]:
    """Cleaned text per page id for every file in `folder`, and the bytes read."""
    texts: dict[str, str] = {}
    size = 0
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        size += path.stat().st_size
        if file_readers.is_container(path):
            for found in file_readers.members_of(path):
                if not isinstance(found, Member):
                    continue
                page_id = truth.id_of_url(found.name)
                try:
                    raw = file_readers.read_member(found)
                except ImportFailed:
                    continue
                if page_id:
                    texts[page_id] = cleaning.clean(raw).text
            continue
        try:
            texts[truth.id_of(path)] = cleaning.clean(file_readers.read_file(path)).text
        except ImportFailed:
            texts[truth.id_of(path)] = ""
    return texts, size
