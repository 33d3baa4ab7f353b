"""Where the article list's rows come from: the whole library page by page, or one query's results."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from desktop_reader.models import ArticleSummary

if TYPE_CHECKING:
    from desktop_reader.library import Library


class ArticleSource(Protocol):
    """A sequence of list rows that can be read a page at a time."""

    total: int
    message: str
    suggestion: str

    def fetch(self, offset: int, limit: int) -> list[ArticleSummary]: ...


class EmptySource:
    total = 0
    message = ""
    suggestion = ""

    def fetch(self, offset: int, limit: int) -> list[ArticleSummary]:
        return []


class LibrarySource:
    """Every article, newest first (the list when no query is typed)."""

    def __init__(self, library: Library, *, newest_first: bool = True) -> None:
        self._library = library
        self._newest_first = newest_first
        self.total = library.count()
        self.message = ""
        self.suggestion = ""

    def fetch(self, offset: int, limit: int) -> list[ArticleSummary]:
        return self._library.list_articles(offset, limit, newest_first=self._newest_first)


@dataclass
class QuerySource:
    """A query's ranked results; later pages re-run the search with a larger limit.

    Whoosh has no cursor, so page N costs a search for N pages of hits (snippets only for the
    new page); scrolling that far is rare, and it keeps memory flat for queries that match
    most of a 100,000 archive. Snippets are the costly part of a search (about half a
    millisecond each), so the first page is about two screens, not more.
    """

    library: Library
    query: str
    sort: str = "relevance"
    filters: tuple[tuple[str, str], ...] = ()
    first_page: int = 50
    total: int = 0
    message: str = ""
    suggestion: str = ""  # the query with misspelled words corrected ("did you mean")
    _first: list[ArticleSummary] = field(default_factory=list)

    def __post_init__(self) -> None:
        results, rows = self.library.search(
            self.query, limit=self.first_page, sort=self.sort, filters=self.filters, snippets=self.first_page
        )
        self.total = max(results.total, len(rows))
        self._first = rows
        self.message = results.message
        self.suggestion = results.suggestion

    def fetch(self, offset: int, limit: int) -> list[ArticleSummary]:
        if offset + limit <= len(self._first):
            return self._first[offset : offset + limit]
        _, rows = self.library.search(
            self.query,
            limit=offset + limit,
            sort=self.sort,
            filters=self.filters,
            snippets=offset + limit,
            snippet_start=offset,
        )
        return rows[offset : offset + limit]
