"""Small jobs the window runs on the JobRunner thread."""

from __future__ import annotations

from desktop_reader.library import Library
from desktop_reader.progress import Job, Progress


def delete_job(library: Library, article_id: int) -> Job[int]:
    """Delete one article on the writer thread (every write goes through the JobRunner)."""
    yield Progress(0, 1, "")
    library.delete(article_id)
    yield Progress(1, 1, "")
    return article_id
