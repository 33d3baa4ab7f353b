"""LibrarySidebar: counts and "new" badges stay readable however narrow the sidebar and long the names."""

from __future__ import annotations

from PySide6.QtGui import QFontMetrics

from desktop_reader.gui.library_sidebar import LibrarySidebar
from desktop_reader.models import SavedSearch, TagCount


def test_counts_and_badges_are_never_elided_in_a_narrow_sidebar(qtbot):
    sidebar = LibrarySidebar()
    qtbot.addWidget(sidebar)
    sidebar.resize(170, 400)
    sidebar.show()
    sidebar.set_counts(12_345, 678)
    sidebar.set_saved_searches([SavedSearch("Everything about the harbour works", "harbour", count=1_204, new=3)])
    sidebar.set_tags([TagCount("a tag with a rather long name", 27)])
    qtbot.waitExposed(sidebar)
    tree = sidebar.tree
    fm = QFontMetrics(tree.font())
    for item in (sidebar.all_item, sidebar.saved_root.child(0), sidebar.tags_root.child(0)):
        assert tree.columnWidth(1) >= fm.horizontalAdvance(item.text(1))
    assert sidebar.saved_root.child(0).text(1) == "+3 · 1,204"
    assert sidebar.saved_root.child(0).text(0) == "Everything about the harbour works"  # elided when drawn only
    assert tree.columnWidth(0) + tree.columnWidth(1) <= tree.viewport().width()
