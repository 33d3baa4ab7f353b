"""EntityModel: entities (or facets) grouped by type as a two-level tree: group rows, then entities."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from desktop_reader.models import ENTITY_GROUPS, Entity, Facet

GROUP_ORDER = ("People", "Organisations", "Places", "Dates", "Other")

# Type colours shared by the pane and the reader's mention highlighting; readable on both themes.
GROUP_COLORS = {
    "People": "#f4b6c2",
    "Organisations": "#a8d8ea",
    "Places": "#b8e0b0",
    "Dates": "#ffd8a8",
    "Other": "#d6c8f0",
}

_Index = QModelIndex | QPersistentModelIndex


def group_of(label: str) -> str:
    return ENTITY_GROUPS.get(label, "Other")


def filter_for(label: str, text: str) -> tuple[str, str]:
    """The Library.search filter that narrows results to articles mentioning this entity."""
    group = group_of(label)
    kind = {"People": "person", "Organisations": "org", "Places": "place"}.get(group, "entity")
    return kind, text


@dataclass(frozen=True, slots=True)
class EntityRow:
    """One entity line: its mentions are empty for facets (they span many articles)."""

    text: str
    label: str
    count: int
    mentions: tuple[tuple[int, int], ...] = ()


class EntityModel(QAbstractItemModel):
    """Groups (non-empty, in GROUP_ORDER) as top-level rows; their entities, most frequent first, below.

    Column 0 is the name, column 1 the count (mentions in this article, or articles for facets).
    The internal pointer of a child index is its group's row number + 1 (0 marks a group row),
    which needs no Python objects kept alive for Qt.
    """

    EntityRole = Qt.ItemDataRole.UserRole + 1
    GroupRole = Qt.ItemDataRole.UserRole + 2
    MoreRole = Qt.ItemDataRole.UserRole + 3  # True on a group's "Show 20 more" row

    FIRST_SHOWN = 10  # facet rows per type before "Show 20 more"
    MORE = 20

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._groups: list[tuple[str, list[EntityRow]]] = []
        self._shown: dict[str, int] = {}  # rows shown per group; absent: all of them
        self.count_header = "Mentions"

    def set_entities(self, entities: Sequence[Entity]) -> None:
        self._set([EntityRow(e.text, e.label, e.count, e.mentions) for e in entities], "Mentions")

    def set_facets(self, facets: Sequence[Facet]) -> None:
        self._set([EntityRow(f.text, f.label, f.articles) for f in facets], "Articles")

    def clear(self) -> None:
        self._set([], self.count_header)

    def show_more(self, group: str) -> None:
        """Show MORE further rows of a group's facets."""
        row = next((n for n, (g, _) in enumerate(self._groups) if g == group), None)
        if row is None or group not in self._shown:
            return
        # A reset keeps it simple: the view re-expands its groups after it (EntityPane.show_model).
        self.beginResetModel()
        self._shown[group] += self.MORE
        self.endResetModel()

    def rows_of(self, group: str) -> list[EntityRow]:
        """Every row of a group, shown or not."""
        return next((items for g, items in self._groups if g == group), [])

    def _visible(self, group_row: int) -> tuple[list[EntityRow], bool]:
        """The rows a group shows, and whether a "Show 20 more" row follows them."""
        group, items = self._groups[group_row]
        shown = self._shown.get(group)
        if shown is None or shown >= len(items):
            return items, False
        return items[:shown], True

    def _set(self, rows: list[EntityRow], header: str) -> None:
        grouped: dict[str, list[EntityRow]] = {g: [] for g in GROUP_ORDER}
        for row in rows:
            grouped[group_of(row.label)].append(row)
        self.beginResetModel()
        self.count_header = header
        self._groups = [
            (g, sorted(items, key=lambda r: (-r.count, r.text.lower()))) for g, items in grouped.items() if items
        ]
        # Facets list a few per type and grow on request; an article's own entities are all shown.
        self._shown = {g: self.FIRST_SHOWN for g, _ in self._groups} if header == "Articles" else {}
        self.endResetModel()

    def entity(self, index: _Index) -> EntityRow | None:
        value = index.data(self.EntityRole) if index.isValid() else None
        return value if isinstance(value, EntityRow) else None

    # -- Qt overrides ---------------------------------------------------------------------

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        if parent.internalId() != 0:
            return QModelIndex()
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == 0 and parent.column() == 0:
            items, more = self._visible(parent.row())
            return len(items) + int(more)
        return 0

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 2

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return ("Name", self.count_header)[section] if 0 <= section < 2 else None
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            name, items = self._groups[index.row()]
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{name}" if index.column() == 0 else str(len(items))
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{len(items)} {name.lower()}; right-click names to merge, rename, retype or ignore them"
            if role == self.GroupRole:
                return name
            if role == Qt.ItemDataRole.DecorationRole and index.column() == 0:
                return QColor(GROUP_COLORS[name])
            return None
        group = self._groups[index.internalId() - 1][0]
        items, _more = self._visible(index.internalId() - 1)
        if index.row() >= len(items):  # the "Show 20 more" row
            left = len(self.rows_of(group)) - len(items)
            if role == Qt.ItemDataRole.DisplayRole and index.column() == 0:
                return f"Show {min(self.MORE, left)} more…"
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{left} more {group.lower()} in these results"
            if role == self.MoreRole:
                return True
            if role == self.GroupRole:
                return group
            return None
        row = items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.text if index.column() == 0 else str(row.count)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.text} ({row.label}) — double-click to show only articles that mention it"
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == self.EntityRole:
            return row
        if role == self.GroupRole:
            return group
        return None
