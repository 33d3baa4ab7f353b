"""Undoable changes of the reader's own data (Ctrl+Z): tag changes, deleted highlights, notes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from desktop_reader.library import Library

if TYPE_CHECKING:
    from desktop_reader.storage.user_data import StoredHighlight  # opaque here: what Library hands back


class _Command(QUndoCommand):
    """A change already made when pushed (the first redo() does nothing), undone and redone on request."""

    def __init__(self, text: str, done: Callable[[], None]) -> None:
        super().__init__(text)
        self._first = True
        self._done = done  # tells the window what to refresh

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self.apply()
        self._done()

    def undo(self) -> None:
        self.revert()
        self._done()

    def apply(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError


class TagChange(_Command):
    def __init__(
        self,
        library: Library,
        added: list[tuple[int, str]],
        removed: list[tuple[int, str]],
        done: Callable[[], None],
    ) -> None:
        what = "Tag" if added and not removed else "Untag" if removed and not added else "Change Tags"
        super().__init__(what, done)
        self.library, self.added, self.removed = library, added, removed

    def apply(self) -> None:
        for article_id, tag in self.added:
            self.library.add_tags([article_id], [tag])
        for article_id, tag in self.removed:
            self.library.remove_tags([article_id], [tag])

    def revert(self) -> None:
        for article_id, tag in self.added:
            self.library.remove_tags([article_id], [tag])
        for article_id, tag in self.removed:
            self.library.add_tags([article_id], [tag])


class HighlightDeleted(_Command):
    def __init__(self, library: Library, stored: StoredHighlight, done: Callable[[], None]) -> None:
        super().__init__("Delete Highlight", done)
        self.library, self.stored = library, stored

    def apply(self) -> None:
        self.library.delete_highlight(self.stored.id)

    def revert(self) -> None:
        self.library.restore_highlight(self.stored)


class NoteChanged(_Command):
    def __init__(self, library: Library, article_id: int, old: str, new: str, done: Callable[[], None]) -> None:
        super().__init__("Edit Note", done)
        self.library, self.article_id, self.old, self.new = library, article_id, old, new

    def apply(self) -> None:
        self.library.set_note(self.article_id, self.new)

    def revert(self) -> None:
        self.library.set_note(self.article_id, self.old)


class HighlightAdded(_Command):
    def __init__(self, library: Library, highlight_id: int, done: Callable[[], None]) -> None:
        super().__init__("Highlight", done)
        self.library, self.highlight_id = library, highlight_id
        self.stored: StoredHighlight | None = None

    def apply(self) -> None:
        if self.stored is not None:
            self.library.restore_highlight(self.stored)

    def revert(self) -> None:
        self.stored = self.library.delete_highlight(self.highlight_id)


class TagRenamed(_Command):
    """A rename onto a new name (a merge into an existing tag is a TagsMerged)."""

    def __init__(self, library: Library, old: str, new: str, done: Callable[[], None]) -> None:
        super().__init__("Rename Tag", done)
        self.library, self.old, self.new = library, old, new

    def apply(self) -> None:
        self.library.rename_tag(self.old, self.new)

    def revert(self) -> None:
        self.library.rename_tag(self.new, self.old)


class TagsMerged(_Command):
    """A rename onto an existing tag; undo splits the two again by who carried which before."""

    def __init__(
        self,
        library: Library,
        source: str,
        target: str,
        source_ids: list[int],
        target_ids: list[int],
        done: Callable[[], None],
    ) -> None:
        super().__init__("Merge Tags", done)
        self.library, self.source, self.target = library, source, target
        self.source_ids, self.target_ids = source_ids, set(target_ids)

    def apply(self) -> None:
        self.library.rename_tag(self.source, self.target)

    def revert(self) -> None:
        if self.source_ids:
            self.library.add_tags(self.source_ids, [self.source])
        only_source = [i for i in self.source_ids if i not in self.target_ids]
        if only_source:
            self.library.remove_tags(only_source, [self.target])
