"""Where the window's panes sit: tag sidebar | search and list | tag line over the reader | side tabs.

The arrangement follows Zotero's collections pane | items | item pane; the panes themselves are
built by their own modules and only placed here.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QAbstractItemView, QListView, QSplitter, QTabWidget, QVBoxLayout, QWidget

from desktop_reader.gui.article_delegate import ArticleDelegate
from desktop_reader.gui.article_model import ArticleListModel

# The first window's size when nothing was saved: three panes side by side on a large screen.
PREFERRED_SIZE = QSize(1400, 860)
# On a smaller screen, the share of its free area the first window takes: room for the frame and
# title bar, which the size does not include, so the status bar is never below the screen's edge.
SCREEN_SHARE = 0.9


def first_size(available: QSize) -> QSize:
    """The window's size before any was saved: the preferred size, or less on a small screen."""
    if available.isEmpty():
        return PREFERRED_SIZE
    return PREFERRED_SIZE.boundedTo(
        QSize(int(available.width() * SCREEN_SHARE), int(available.height() * SCREEN_SHARE))
    )


def article_list(model: ArticleListModel, delegate: ArticleDelegate) -> QListView:
    """The result list: uniform rows, several selectable, draggable onto a tag."""
    view = QListView()
    view.setObjectName("articleList")
    view.setModel(model)
    view.setItemDelegate(delegate)
    view.setUniformItemSizes(True)  # O(1) layout: 100,000 rows scroll like 10
    view.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    view.setDragEnabled(True)
    view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
    return view


def column(*widgets: QWidget) -> QWidget:
    """Widgets stacked without margins; the last one takes the height."""
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    for widget in widgets[:-1]:
        layout.addWidget(widget)
    layout.addWidget(widgets[-1], 1)
    return holder


def side_tabs(entities: QWidget, highlights: QWidget, note: QWidget) -> QTabWidget:
    """Entities, highlights and the note as tabs beside the reader."""
    tabs = QTabWidget()
    tabs.setObjectName("sideTabs")
    tabs.setUsesScrollButtons(True)  # a narrow pane scrolls its tabs rather than widening
    tabs.addTab(entities, "&Entities")
    tabs.addTab(highlights, "Hi&ghlights")
    tabs.addTab(note, "N&ote")
    return tabs


def main_splitter(sidebar: QWidget, articles: QWidget, reading: QWidget, tabs: QWidget) -> QSplitter:
    """The four panes side by side; only the sidebar collapses by dragging, the reader takes the growth."""
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.setObjectName("mainSplitter")
    splitter.setChildrenCollapsible(False)
    for widget in (sidebar, articles, reading, tabs):
        splitter.addWidget(widget)
    splitter.setCollapsible(0, True)
    splitter.setStretchFactor(2, 1)
    splitter.setSizes([190, 360, 680, 300])
    return splitter
