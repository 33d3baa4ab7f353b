"""EntityPane: the right pane; the article's entities or the facets of all results, grouped by type."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop_reader.gui.entity_model import EntityModel, EntityRow

ARTICLE, RESULTS = "article", "results"


class EntityPane(QWidget):
    """A switch ("This article" / "All results") above a tree of entities.

    Signals:
        scope_changed(str): ARTICLE or RESULTS.
    """

    scope_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = EntityModel(self)
        self.tree = QTreeView()
        self.tree.setObjectName("entityTree")
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(False)
        self.tree.setRootIsDecorated(True)
        # Several names at once for merge, ignore and retype (the curation menu, gui/entity_curation).
        self.tree.setSelectionMode(QTreeView.SelectionMode.ExtendedSelection)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.article_button = QToolButton()
        self.article_button.setText("This article")
        self.results_button = QToolButton()
        self.results_button.setText("All results")
        self.results_button.setToolTip("The entities mentioned most across the current results")
        self.scope = QButtonGroup(self)
        for button in (self.article_button, self.results_button):
            button.setCheckable(True)
            self.scope.addButton(button)
        self.article_button.setChecked(True)
        self.hint = QLabel(
            "Click a name to find it in the text; double-click to show only articles that mention it; "
            "right-click to merge, rename, retype or ignore names (Ctrl+Z undoes)."
        )
        self.hint.setWordWrap(True)
        self.hint.setObjectName("hint")

        switch = QHBoxLayout()
        switch.setContentsMargins(0, 0, 0, 0)
        switch.setSpacing(0)
        switch.addWidget(self.article_button)
        switch.addWidget(self.results_button)
        switch.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(switch)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.hint)
        # Own internals only; cross-widget wiring lives in MainWindow._connect_signals.
        self.scope.buttonClicked.connect(self.on_scope_button_clicked)
        self.tree.clicked.connect(self.on_tree_clicked)

    @property
    def scope_value(self) -> str:
        return RESULTS if self.results_button.isChecked() else ARTICLE

    def set_scope(self, scope: str) -> None:
        (self.results_button if scope == RESULTS else self.article_button).setChecked(True)
        self.scope_changed.emit(self.scope_value)

    @Slot()
    def on_scope_button_clicked(self) -> None:
        self.scope_changed.emit(self.scope_value)

    @Slot(QModelIndex)
    def on_tree_clicked(self, index: QModelIndex) -> None:
        if index.isValid() and index.data(EntityModel.MoreRole):
            self.model.show_more(index.data(EntityModel.GroupRole))
            self.show_model()

    def selected_rows(self) -> list[EntityRow]:
        """The entity rows selected in the tree (group and "more" rows left out), in view order."""
        rows = []
        for index in sorted(self.tree.selectionModel().selectedRows(0), key=lambda i: (i.parent().row(), i.row())):
            row = self.model.entity(index)
            if row is not None:
                rows.append(row)
        return rows

    def show_model(self) -> None:
        """Expand every group after the model was refilled."""
        self.tree.expandAll()
