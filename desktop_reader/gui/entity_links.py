"""EntityLinks: the entity pane's ties to the rest of the window (facets of the results, mentions, filters)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, Slot

from desktop_reader.errors import ReaderError
from desktop_reader.gui.entity_model import filter_for
from desktop_reader.gui.entity_pane import ARTICLE, RESULTS
from desktop_reader.models import Article

if TYPE_CHECKING:
    from desktop_reader.gui.main_window import MainWindow


class EntityLinks(QObject):
    """Fills the entity pane for its scope, points the reader at a name's mentions, filters the list by one."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.pane = window.entity_pane

    def show_facets(self) -> None:
        """The names across the current results, per type."""
        bar = self.window.search_bar
        try:
            facets = self.window.library.facets(bar.query, filters=bar.filters, per_type=100)
        except ReaderError as exc:
            self.window.statusBar().showMessage(str(exc), 5000)
            facets = []
        self.pane.model.set_facets(facets)
        self.pane.show_model()

    def on_results_changed(self) -> None:
        if self.pane.scope_value == RESULTS:
            self.show_facets()

    def on_article_shown(self, article: Article) -> None:
        if self.pane.scope_value == ARTICLE:
            self.pane.model.set_entities(article.entities)
            self.pane.show_model()

    def on_entities_curated(self) -> None:
        """A name was merged, renamed, retyped or ignored (or that undone): show it, let the index follow."""
        window = self.window
        self.on_results_changed()
        if window.shown_id is not None:
            window.show_article(window.shown_id)  # its entities and their highlights
        if window.library.index_problem():
            window.jobs.sync_index("Updating the search index")

    @Slot(str)
    def on_entity_scope_changed(self, scope: str) -> None:
        article = self.window.reader.article
        if scope == RESULTS:
            self.show_facets()
        elif article is not None:
            self.pane.model.set_entities(article.entities)
            self.pane.show_model()
        else:
            self.pane.model.clear()

    @Slot(QModelIndex)
    def on_entity_clicked(self, index: QModelIndex) -> None:
        row = self.pane.model.entity(index)
        article = self.window.reader.article
        if row is None or article is None:
            return
        mentions = row.mentions or next(
            (e.mentions for e in article.entities if (e.text, e.label) == (row.text, row.label)), ()
        )
        shown = self.window.reader.focus_mentions(mentions)
        self.window.statusBar().showMessage(
            f"{row.text}: {shown} mention{'' if shown == 1 else 's'} in this article", 4000
        )

    @Slot(QModelIndex)
    def on_entity_activated(self, index: QModelIndex) -> None:
        row = self.pane.model.entity(index)
        if row is not None:
            self.window.search_bar.add_filter(*filter_for(row.label, row.text))
