"""ReadingLayer: the Library's methods over the reader's own data (tags, notes, read state, highlights, saved searches).

Small single-transaction writes on SQLite only (no index write, no library write lock):
tag:, is:, has: and note: are answered from the database at query time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from desktop_reader.errors import ReaderError
from desktop_reader.models import Highlight, ReadingMarks, SavedSearch, TagCount
from desktop_reader.storage.anchoring import describe
from desktop_reader.storage.store import Store
from desktop_reader.storage.user_data import StoredHighlight, UserData

if TYPE_CHECKING:
    from desktop_reader.search.index import SearchIndex


class ReadingLayer:
    """A part of `Library` (its one facade): what the reader adds to the articles."""

    store: Store
    index: SearchIndex
    user_data: UserData

    def matching_ids(self, query: str, *, filters: Sequence[tuple[str, str]] = ()) -> list[int]:
        """Every article id a query finds, in rank order ("" = all, newest first)."""
        return self.index.matching_ids(query, filters, user=self.user_data)

    def marks(self, ids: Sequence[int]) -> dict[int, ReadingMarks]:
        """Read state, tags, note and highlight count per article, for lists and search output."""
        return self.user_data.marks(ids)

    def tags(self, article_id: int) -> tuple[str, ...]:
        return self.user_data.tags_of(article_id)

    def all_tags(self) -> list[TagCount]:
        """Every tag with its number of articles, by name."""
        return self.user_data.tag_counts()

    def add_tags(self, ids: Iterable[int], names: Iterable[str]) -> list[tuple[int, str]]:
        """Tag articles (tags are created on the fly); returns the (id, tag) pairs that are new."""
        return self.user_data.add_tags(list(ids), list(names))

    def remove_tags(self, ids: Iterable[int], names: Iterable[str]) -> list[tuple[int, str]]:
        """Untag articles; returns the (id, tag) pairs removed."""
        return self.user_data.remove_tags(list(ids), list(names))

    def rename_tag(self, old: str, new: str) -> None:
        """Rename a tag everywhere; onto an existing name, the two tags merge."""
        self.user_data.rename_tag(old, new)

    def merge_tags(self, sources: Iterable[str], target: str) -> None:
        self.user_data.merge_tags(list(sources), target)

    def delete_tag(self, name: str) -> None:
        self.user_data.delete_tag(name)

    def note(self, article_id: int) -> str:
        return self.user_data.note(article_id)

    def set_note(self, article_id: int, text: str) -> str:
        """Set an article's Markdown note ("" removes it); returns the previous note (for undo)."""
        return self.user_data.set_note(article_id, text)

    def is_read(self, article_id: int) -> bool:
        return self.user_data.is_read(article_id)

    def mark_read(self, ids: Iterable[int], read: bool = True) -> list[int]:
        """Mark articles read or unread; returns the ids that changed."""
        return self.user_data.set_read(list(ids), read)

    def unread_count(self) -> int:
        return self.user_data.unread_count()

    def highlights(self, article_id: int) -> list[Highlight]:
        """The article's highlights placed on its current text (orphaned ones last, without offsets)."""
        return self.user_data.highlights(article_id, self.store.text(article_id))

    def add_highlight(
        self,
        article_id: int,
        quote: str = "",
        *,
        start: int | None = None,
        end: int | None = None,
        color: str = "yellow",
        note: str = "",
    ) -> Highlight:
        """Highlight text[start:end], or the first occurrence of `quote` in the article's text.

        Raises:
            ReaderError: the quote is not in the text (or the range is empty).
        """
        text = self.store.get(article_id).text
        if start is None or end is None:
            start, end = find_quote(text, quote)
            if start < 0:
                raise ReaderError(f"The quote {quote!r} is not in the text of article {article_id}.")
        if not 0 <= start < end <= len(text):
            raise ReaderError("Select some text of the article to highlight.")
        highlight_id = self.user_data.add_highlight(article_id, describe(text, start, end), color, note)
        return next(h for h in self.highlights(article_id) if h.id == highlight_id)

    def update_highlight(self, highlight_id: int, *, color: str | None = None, note: str | None = None) -> None:
        self.user_data.update_highlight(highlight_id, color=color, note=note)

    def delete_highlight(self, highlight_id: int) -> StoredHighlight | None:
        """Delete a highlight; returns what `restore_highlight` needs to undo it."""
        return self.user_data.delete_highlight(highlight_id)

    def restore_highlight(self, stored: StoredHighlight) -> None:
        self.user_data.restore_highlight(stored)

    def save_search(
        self, name: str, query: str, *, filters: Sequence[tuple[str, str]] = (), sort: str = "relevance"
    ) -> SavedSearch:
        """Save a search; its current results count as seen (only later ones are new)."""
        self.user_data.save_search(SavedSearch(name, query, tuple(filters), sort))
        return self.open_saved_search(name)

    def saved_searches(self, *, counts: bool = True) -> list[SavedSearch]:
        """Saved searches by name; with `counts`, their current result count and how many are new."""
        out = []
        for saved in self.user_data.saved_searches():
            if counts:
                try:
                    ids = set(self.matching_ids(saved.query, filters=saved.filters))
                except ReaderError:
                    ids = set()
                new = len(ids - self.user_data.seen_ids(saved.name))
                saved = SavedSearch(saved.name, saved.query, saved.filters, saved.sort, saved.opened_at, len(ids), new)
            out.append(saved)
        return out

    def saved_search(self, name: str) -> SavedSearch:
        """One saved search by name (without counts; nothing is marked as seen)."""
        return self.user_data.saved_search(name)

    def open_saved_search(self, name: str) -> SavedSearch:
        """The saved search, its results now marked as seen (the "new" badge restarts)."""
        saved = self.user_data.saved_search(name)
        ids = self.matching_ids(saved.query, filters=saved.filters)
        self.user_data.mark_opened(saved.name, ids)
        return SavedSearch(saved.name, saved.query, saved.filters, saved.sort, saved.opened_at, len(ids), 0)

    def delete_saved_search(self, name: str) -> SavedSearch:
        return self.user_data.delete_saved(name)

    def forget_deleted_user_data(self) -> int:
        """Drop the tags, notes and highlights kept for deleted articles; returns how many articles'."""
        return self.user_data.purge_detached()


def find_quote(text: str, quote: str) -> tuple[int, int]:
    """Where `quote` first occurs in `text`, whitespace-insensitively; (-1, -1) when it does not."""
    quote = quote.strip()
    if not quote:
        return -1, -1
    pos = text.find(quote)
    if pos >= 0:
        return pos, pos + len(quote)
    # A quote copied from a terminal or a PDF may break lines where the text has spaces.
    pattern = r"\s+".join(re.escape(word) for word in quote.split())
    m = re.search(pattern, text)
    return (m.start(), m.end()) if m else (-1, -1)
