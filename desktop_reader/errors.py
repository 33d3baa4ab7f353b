"""ReaderError and its subclasses: expected failures whose messages are written for users."""

from __future__ import annotations

from pathlib import Path


class ReaderError(Exception):
    """An expected failure; str(exc) is a complete sentence a user can act on."""


class ImportFailed(ReaderError):
    """One file could not be imported; the batch goes on without it."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path.name}: {reason}")


class SkippedFile(ImportFailed):
    """A file left out on purpose (reported as "skipped", not as a failure)."""


class UnsupportedFile(ImportFailed):
    def __init__(self, path: Path | str) -> None:
        super().__init__(
            path,
            f"unsupported file type '{Path(path).suffix or '(none)'}'; "
            "supported are .html, .htm, .mhtml, .mht, .txt and .md",
        )


class QueryError(ReaderError):
    """A search query that cannot be read at all."""


class ArticleNotFound(ReaderError):
    def __init__(self, article_id: int) -> None:
        self.article_id = article_id
        super().__init__(f"No article with id {article_id} in the library.")


class ModelUnavailable(ReaderError):
    """The spaCy pipeline is missing or broken; articles import without entities."""


class LibraryLocked(ReaderError):
    """Another desktop-reader process is writing to the same library."""


class StorageError(ReaderError):
    """The data folder cannot be written (full disk, read-only, permissions)."""
