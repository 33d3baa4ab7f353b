"""LibrarySidebar: the left column of all/unread articles, saved searches and tags (Zotero's collections pane)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal, Slot
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QFont
from PySide6.QtWidgets import QHeaderView, QMenu, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from desktop_reader.gui.article_model import IDS_MIME
from desktop_reader.models import SavedSearch, TagCount

KIND = Qt.ItemDataRole.UserRole + 1  # "query", "saved" or "tag"
VALUE = Qt.ItemDataRole.UserRole + 2  # the query, the saved search's name or the tag


def tag_query(name: str) -> str:
    """The query that lists a tag's articles (Calibre's tag browser does the same)."""
    return f'tag:"{name}"' if not name.replace("-", "").replace("_", "").isalnum() else f"tag:{name}"


class _Tree(QTreeWidget):
    """Accepts articles dragged from the list onto a tag."""

    dropped_on_tag = Signal(list, str)

    def _tag_at(self, pos: QPoint) -> str | None:
        item = self.itemAt(pos)
        return item.data(0, VALUE) if item is not None and item.data(0, KIND) == "tag" else None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(IDS_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasFormat(IDS_MIME) and self._tag_at(event.position().toPoint()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        tag = self._tag_at(event.position().toPoint())
        raw = bytes(event.mimeData().data(IDS_MIME).data()).decode()
        ids = [int(x) for x in raw.split(",") if x.strip().isdigit()]
        if tag is None or not ids:
            event.ignore()
            return
        event.acceptProposedAction()
        self.dropped_on_tag.emit(ids, tag)


class LibrarySidebar(QWidget):
    """All articles (with the unread count), Unread, saved searches with counts and "new" badges, and tags.

    Signals:
        query_chosen(str): show the results of this query (all, unread, a tag).
        saved_search_chosen(str): open the saved search with this name.
        articles_dropped_on_tag(list, str): article ids dragged onto a tag.
        rename_tag_requested(str): rename (or, onto an existing name, merge) a tag.
        delete_tag_requested(str)
        delete_saved_requested(str)
        export_requested(str, str): export a tag's or a saved search's articles ("tag" or "saved", name).
    """

    query_chosen = Signal(str)
    saved_search_chosen = Signal(str)
    articles_dropped_on_tag = Signal(list, str)
    rename_tag_requested = Signal(str)
    delete_tag_requested = Signal(str)
    delete_saved_requested = Signal(str)
    export_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("librarySidebar")
        self.tree = _Tree()
        self.tree.setObjectName("sidebarTree")
        self.tree.setHeaderHidden(True)
        # Name and count in two columns: a long name is elided, its count and "new" badge never are.
        self.tree.setColumnCount(2)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.setRootIsDecorated(True)
        self.tree.setAcceptDrops(True)
        self.tree.setDragDropMode(QTreeWidget.DragDropMode.DropOnly)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree)
        self.all_item = self._item(None, "All articles", "query", "")
        self.unread_item = self._item(None, "Unread", "query", "is:unread")
        self.saved_root = self._group("Saved searches")
        self.tags_root = self._group("Tags")
        self.tree.itemActivated.connect(self._on_item_activated)
        self.tree.itemClicked.connect(self._on_item_activated)
        self.tree.customContextMenuRequested.connect(self._on_context_menu)
        self.tree.dropped_on_tag.connect(self.articles_dropped_on_tag)

    def _group(self, title: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self.tree, [title])
        font = QFont(item.font(0))
        font.setBold(True)
        item.setFont(0, font)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        item.setExpanded(True)
        item.setFirstColumnSpanned(True)  # a heading has no count: the whole row for its title
        return item

    def _item(
        self, parent: QTreeWidgetItem | None, text: str, kind: str, value: str, count: str = ""
    ) -> QTreeWidgetItem:
        item = QTreeWidgetItem(parent or self.tree, [text, count])
        item.setData(0, KIND, kind)
        item.setData(0, VALUE, value)
        item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return item

    @staticmethod
    def _bold(item: QTreeWidgetItem, bold: bool) -> None:
        for column in (0, 1):
            font = QFont(item.font(column))
            font.setBold(bold)
            item.setFont(column, font)

    def set_counts(self, total: int, unread: int) -> None:
        self.all_item.setText(1, f"{total:,}")
        self.unread_item.setText(1, f"{unread:,}")
        self._bold(self.unread_item, unread > 0)

    def set_saved_searches(self, searches: list[SavedSearch]) -> None:
        self.saved_root.takeChildren()
        for s in searches:
            badge = f"+{s.new:,} · " if s.new else ""  # short, so the names beside it keep their room
            item = self._item(self.saved_root, s.name, "saved", s.name, f"{badge}{s.count:,}")
            tip = s.query + (f"  ({s.new} new since you last opened it)" if s.new else "")
            item.setToolTip(0, f"{s.name}: {tip}")
            item.setToolTip(1, tip)
            self._bold(item, bool(s.new))
        self.saved_root.setHidden(not searches)

    def set_tags(self, tags: list[TagCount]) -> None:
        self.tags_root.takeChildren()
        for t in tags:
            item = self._item(self.tags_root, t.name, "tag", t.name, f"{t.articles:,}")
            item.setToolTip(0, f"{tag_query(t.name)} — drop articles here to tag them")
        self.tags_root.setHidden(not tags)

    def tag_names(self) -> list[str]:
        return [self.tags_root.child(i).data(0, VALUE) for i in range(self.tags_root.childCount())]

    @Slot(QTreeWidgetItem, int)
    def _on_item_activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        kind, value = item.data(0, KIND), item.data(0, VALUE)
        if kind == "query":
            self.query_chosen.emit(value)
        elif kind == "tag":
            self.query_chosen.emit(tag_query(value))
        elif kind == "saved":
            self.saved_search_chosen.emit(value)

    @Slot(QPoint)
    def _on_context_menu(self, pos: QPoint) -> None:
        item = self.tree.itemAt(pos)
        if item is None:
            return
        kind, value = item.data(0, KIND), item.data(0, VALUE)
        menu = QMenu(self)
        if kind == "tag":
            menu.addAction("Rename or Merge Tag…").triggered.connect(lambda: self.rename_tag_requested.emit(value))
            menu.addAction("Delete Tag").triggered.connect(lambda: self.delete_tag_requested.emit(value))
            menu.addAction("Export…").triggered.connect(lambda: self.export_requested.emit("tag", value))
        elif kind == "saved":
            menu.addAction("Delete Saved Search").triggered.connect(lambda: self.delete_saved_requested.emit(value))
            menu.addAction("Export…").triggered.connect(lambda: self.export_requested.emit("saved", value))
        else:
            return
        menu.exec(self.tree.viewport().mapToGlobal(pos))
