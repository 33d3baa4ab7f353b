"""Small jobs the window runs on the JobRunner thread, and the titles its progress panel shows."""

from __future__ import annotations

from desktop_reader.library import Library
from desktop_reader.progress import Job, Progress

JOB_TITLES = {
    "import": "Importing",
    "samples": "Importing the sample articles",
    "sync": "Repairing the search index",
    "reindex": "Rebuilding the search index",
    "delete": "Deleting",
}


def delete_job(library: Library, article_id: int) -> Job[int]:
    """Delete one article on the writer thread (every write goes through the JobRunner)."""
    yield Progress(0, 1, "")
    library.delete(article_id)
    yield Progress(1, 1, "")
    return article_id
