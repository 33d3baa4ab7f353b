"""Read, search and explore an offline archive of saved articles.

The public API is `Library` (one archive in a data folder) and the values it returns;
everything below it (importing, entities, storage, search, jobs) is reached through it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Article",
    "ArticleSummary",
    "Entity",
    "ImportOutcome",
    "ImportReport",
    "Library",
    "Progress",
    "ReaderError",
    "SearchHit",
    "SearchResults",
    "__version__",
    "drive",
]

if TYPE_CHECKING:
    from desktop_reader.errors import ReaderError
    from desktop_reader.library import Library
    from desktop_reader.models import (
        Article,
        ArticleSummary,
        Entity,
        ImportOutcome,
        ImportReport,
        SearchHit,
        SearchResults,
    )
    from desktop_reader.progress import Progress, drive

_HOMES = {
    "Library": "desktop_reader.library",
    "ReaderError": "desktop_reader.errors",
    "Progress": "desktop_reader.progress",
    "drive": "desktop_reader.progress",
    **dict.fromkeys(
        ("Article", "ArticleSummary", "Entity", "ImportOutcome", "ImportReport", "SearchHit", "SearchResults"),
        "desktop_reader.models",
    ),
}


def __getattr__(name: str) -> Any:
    # Lazy, so `import desktop_reader` (the CLI's first line, every worker process) stays cheap.
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'desktop_reader' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(home), name)
