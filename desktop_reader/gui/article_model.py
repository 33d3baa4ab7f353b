"""ArticleListModel: the article list as a lazily fetched QAbstractListModel over ArticleSummary rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractListModel, QByteArray, QMimeData, QModelIndex, QPersistentModelIndex, Qt

from desktop_reader.gui.article_source import ArticleSource, EmptySource
from desktop_reader.models import ArticleSummary, ReadingMarks

PAGE = 50  # rows per fetch: about two screens
IDS_MIME = "application/x-desktop-reader-article-ids"  # dragging articles onto a tag

_Index = QModelIndex | QPersistentModelIndex


class ArticleListModel(QAbstractListModel):
    """Rows come from an ArticleSource a page at a time (canFetchMore/fetchMore), so a view
    over 100,000 articles only ever holds the pages that were scrolled to."""

    IdRole = Qt.ItemDataRole.UserRole + 1
    SummaryRole = Qt.ItemDataRole.UserRole + 2
    MarksRole = Qt.ItemDataRole.UserRole + 3  # ReadingMarks: read state and tags

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._source: ArticleSource = EmptySource()
        self._rows: list[ArticleSummary] = []
        self.page_size = PAGE
        # Read state and tags of the loaded rows, fetched with each page (Library.marks).
        self.marks_of: Callable[[Sequence[int]], dict[int, ReadingMarks]] | None = None
        self._marks: dict[int, ReadingMarks] = {}

    def _load_marks(self, rows: Sequence[ArticleSummary]) -> None:
        if self.marks_of is not None and rows:
            self._marks.update(self.marks_of([r.id for r in rows]))

    def refresh_marks(self, ids: Sequence[int] | None = None) -> None:
        """Read the marks of these loaded articles (all when None) again and repaint them."""
        rows = [r for r in self._rows if ids is None or r.id in ids]
        self._load_marks(rows)
        for r in rows:
            i = self.row_of(r.id)
            if i >= 0:
                self.dataChanged.emit(self.index(i), self.index(i), [self.MarksRole])

    def selected_ids(self, indexes: Sequence[QModelIndex]) -> list[int]:
        return [self._rows[i.row()].id for i in indexes if i.isValid() and 0 <= i.row() < len(self._rows)]

    @property
    def total(self) -> int:
        """How many rows the source has, loaded or not."""
        return self._source.total

    @property
    def source(self) -> ArticleSource:
        return self._source

    def set_source(self, source: ArticleSource, *, keep_loaded: bool = False) -> None:
        """Show `source`; with keep_loaded, pre-load as many rows as were loaded before (a refresh)."""
        want = max(self.page_size, len(self._rows)) if keep_loaded else self.page_size
        self.beginResetModel()
        self._source = source
        self._rows = source.fetch(0, min(want, source.total)) if source.total else []
        self._marks = {}
        self._load_marks(self._rows)
        self.endResetModel()

    def remove_id(self, article_id: int) -> None:
        for row, summary in enumerate(self._rows):
            if summary.id == article_id:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self._source.total = max(0, self._source.total - 1)
                self.endRemoveRows()
                return

    def row_of(self, article_id: int) -> int:
        """The loaded row showing `article_id`, or -1."""
        return next((i for i, s in enumerate(self._rows) if s.id == article_id), -1)

    def summary(self, row: int) -> ArticleSummary:
        return self._rows[row]

    # -- Qt overrides ---------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < self._source.total

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        more = self._source.fetch(len(self._rows), self.page_size)
        if not more:
            self._source.total = len(self._rows)  # the source shrank meanwhile; stop asking
            return
        start = len(self._rows)
        self._load_marks(more)
        self.beginInsertRows(QModelIndex(), start, start + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.title or "(untitled)"
        if role == Qt.ItemDataRole.ToolTipRole:
            return " · ".join(p for p in (row.title, row.site, row.published[:10]) if p)
        if role == self.IdRole:
            return row.id
        if role == self.SummaryRole:
            return row
        if role == self.MarksRole:
            return self._marks.get(row.id, ReadingMarks())
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        return flags | Qt.ItemFlag.ItemIsDragEnabled if index.isValid() else flags

    def mimeTypes(self) -> list[str]:
        return [IDS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        ids = self.selected_ids(indexes)
        data.setData(IDS_MIME, QByteArray(",".join(map(str, ids)).encode()))
        return data

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction
