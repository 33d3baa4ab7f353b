"""The reading layer in the window: highlighting a selection, the panes, tags on many articles, drag onto a
tag, read state (automatic and by shortcut), notes, saved searches, and undo."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QByteArray, QMimeData, QPointF, Qt
from PySide6.QtGui import QDropEvent, QTextDocument
from PySide6.QtWidgets import QInputDialog

from desktop_reader.gui import tag_editor
from desktop_reader.gui.article_model import IDS_MIME, ArticleListModel
from tests.gui.conftest import SAMPLES, drive_all


@pytest.fixture
def samples_library(library):  # type: ignore[no-untyped-def]
    drive_all(library.import_paths([SAMPLES], entities=False))
    return library


def _show(qtbot, window, word):  # type: ignore[no-untyped-def]
    row = next(r for r in range(window.model.rowCount()) if word in window.model.summary(r).title.lower())
    window._select_row(row)
    qtbot.waitUntil(lambda: window.reader.article is not None and word in window.reader.article.title.lower())
    return window.model.summary(row).id


def _select(window, phrase):  # type: ignore[no-untyped-def]
    cursor = window.reader.document().find(phrase, 0, QTextDocument.FindFlag(0))
    assert not cursor.isNull()
    window.reader.setTextCursor(cursor)


def test_selected_text_becomes_a_highlight_listed_beside_the_reader(qtbot, make_window, samples_library):
    window = make_window(samples_library)
    r = window.reading
    article_id = _show(qtbot, window, "fishermen")
    before = window.reader.extra_selection_count
    _select(window, "ruled on Tuesday")
    r.actions["highlight"].trigger()
    (h,) = samples_library.highlights(article_id)
    assert h.quote == "ruled on Tuesday" and h.color == "yellow"
    assert [x.id for x in r.highlights.highlights] == [h.id]
    assert window.reader.extra_selection_count == before + 1
    assert samples_library.matching_ids("has:highlight") == [article_id]

    # Clicking it in the pane moves the reader to it.
    window.reader.moveCursor(window.reader.textCursor().MoveOperation.Start)
    r.highlights.list.itemClicked.emit(r.highlights.list.item(0))
    cursor = window.reader.textCursor()
    assert cursor.block().text()[: cursor.positionInBlock()].endswith("ruled on Tuesday")

    # Deleting it, then Ctrl+Z, brings it back.
    r.highlights.delete_requested.emit(h.id)
    assert samples_library.highlights(article_id) == [] and r.highlights.list.count() == 0
    r.actions["undo"].trigger()
    assert [x.id for x in samples_library.highlights(article_id)] == [h.id]
    assert r.highlights.list.count() == 1


def test_highlight_without_a_selection_says_what_to_do(qtbot, make_window, samples_library):
    window = make_window(samples_library)
    article_id = _show(qtbot, window, "fishermen")
    window.reading.actions["highlight"].trigger()
    assert samples_library.highlights(article_id) == []
    assert "Select some text" in window.statusBar().currentMessage()


def test_tags_for_many_selected_articles_and_undo(qtbot, make_window, samples_library, monkeypatch):
    window = make_window(samples_library)
    view = window.list_view
    view.selectAll()
    ids = window.model.selected_ids(view.selectionModel().selectedIndexes())
    assert len(ids) == window.model.rowCount() > 1

    def accept(dialog):  # type: ignore[no-untyped-def]
        dialog.field.setText("Research, to read")
        return True

    monkeypatch.setattr(tag_editor.TagDialog, "exec", accept)
    window.reading.actions["tags"].trigger()
    assert all(samples_library.tags(i) == ("Research", "to read") for i in ids)
    assert [t.name for t in samples_library.all_tags()] == ["Research", "to read"]
    assert window.reading.sidebar.tag_names() == ["Research", "to read"]
    marks = window.model.index(0, 0).data(ArticleListModel.MarksRole)
    assert marks.tags == ("Research", "to read")

    window.reading.actions["undo"].trigger()
    assert all(samples_library.tags(i) == () for i in ids)
    window.reading.actions["redo"].trigger()
    assert all(samples_library.tags(i) == ("Research", "to read") for i in ids)


def test_dropping_articles_on_a_tag_tags_them(qtbot, make_window, samples_library):
    window = make_window(samples_library)
    first, second = window.model.summary(0).id, window.model.summary(1).id
    samples_library.add_tags([first], ["keep"])
    window.reading.refresh_sidebar()
    tree = window.reading.sidebar.tree
    item = window.reading.sidebar.tags_root.child(0)
    tree.scrollToItem(item)
    point = tree.visualItemRect(item).center()
    mime = QMimeData()
    mime.setData(IDS_MIME, QByteArray(f"{second}".encode()))
    event = QDropEvent(
        QPointF(point), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    tree.dropEvent(event)  # called directly: no real drag is in progress offscreen
    assert event.isAccepted()
    assert samples_library.tags(second) == ("keep",)
    assert window.model.mimeData([window.model.index(1, 0)]).data(IDS_MIME).data() == str(second).encode()


def test_an_article_open_a_while_is_marked_read_and_the_shortcut_toggles_it(qtbot, make_window, samples_library):
    window = make_window(samples_library)
    window.settings = replace(window.settings, mark_read_seconds=1)
    total = samples_library.count()
    article_id = _show(qtbot, window, "fishermen")
    qtbot.waitUntil(lambda: samples_library.is_read(article_id), timeout=5_000)
    row = window.model.row_of(article_id)
    assert window.model.index(row, 0).data(ArticleListModel.MarksRole).read
    assert window.reading.sidebar.unread_item.text(1) == f"{total - 1}"
    window.list_view.clearSelection()
    window.reading.actions["toggle_read"].trigger()
    assert not samples_library.is_read(article_id)
    assert not window.model.index(row, 0).data(ArticleListModel.MarksRole).read


def test_the_note_is_saved_and_undone(qtbot, make_window, samples_library):
    window = make_window(samples_library)
    article_id = _show(qtbot, window, "fishermen")
    note = window.reading.note
    qtbot.keyClicks(note.editor, "Ask about the appeal")
    note.flush()
    assert samples_library.note(article_id) == "Ask about the appeal"
    assert samples_library.matching_ids("note:appeal") == [article_id]
    window.reading.actions["undo"].trigger()
    assert samples_library.note(article_id) == "" and note.text == ""


def test_a_saved_search_is_listed_with_its_count_and_opens(qtbot, make_window, samples_library, monkeypatch):
    window = make_window(samples_library)
    first = window.model.summary(0).id
    samples_library.add_tags([first], ["watch"])
    with qtbot.waitSignal(window.results_updated):
        window.run_query("tag:watch")
    assert window.model.total == 1
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Watched", True))
    window.reading.actions["save_search"].trigger()
    (saved,) = samples_library.saved_searches()
    assert (saved.name, saved.count, saved.new) == ("Watched", 1, 0)
    samples_library.add_tags([window.model.summary(0).id, samples_library.list_articles()[-1].id], ["watch"])
    window.reading.refresh_sidebar()
    assert window.reading.sidebar.saved_root.child(0).text(1).startswith("+1 · ")
    with qtbot.waitSignal(window.results_updated):
        window.run_query("")
    with qtbot.waitSignal(window.results_updated):
        window.reading.sidebar.saved_search_chosen.emit("Watched")
    assert window.search_bar.query == "tag:watch" and window.model.total == 2
    assert "+" not in window.reading.sidebar.saved_root.child(0).text(1)
    window.acknowledge_own_writes()  # the tags added above by the test itself came "from elsewhere"
    window.reading.sidebar.saved_search_chosen.emit("Watched")
    window.on_library_watch()  # opening it wrote what was seen: the window's own write, not news
    assert "changed elsewhere" not in window.statusBar().currentMessage()


def test_tags_and_notes_set_from_the_command_line_show_up_in_the_window(qtbot, make_window, samples_library):
    from desktop_reader.library import Library

    window = make_window(samples_library)
    article_id = _show(qtbot, window, "fishermen")
    other = Library(samples_library.data_dir, workers=0)  # another process, as far as the window can tell
    other.add_tags([article_id], ["from-cli"])
    other.set_note(article_id, "written elsewhere")
    other.close()
    window.on_library_watch()
    assert "from-cli" in window.reading.sidebar.tag_names()
    assert window.reading.note.text == "written elsewhere"
    assert "#from-cli" in window.reading.tag_bar.label.text()


def test_new_highlights_renamed_and_deleted_tags_are_undone(qtbot, make_window, samples_library, monkeypatch):
    from desktop_reader.gui import dialogs

    window = make_window(samples_library)
    r = window.reading
    article_id = _show(qtbot, window, "fishermen")
    _select(window, "ruled on Tuesday")
    r.actions["highlight"].trigger()
    assert len(samples_library.highlights(article_id)) == 1
    r.actions["undo"].trigger()
    assert samples_library.highlights(article_id) == []
    r.actions["redo"].trigger()
    assert [h.quote for h in samples_library.highlights(article_id)] == ["ruled on Tuesday"]

    samples_library.add_tags([article_id], ["old name"])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("new name", True))
    r.rename_tag("old name")
    assert samples_library.tags(article_id) == ("new name",)
    r.actions["undo"].trigger()
    assert samples_library.tags(article_id) == ("old name",)

    monkeypatch.setattr(dialogs, "confirm", lambda *a: True)
    r.delete_tag("old name")
    assert samples_library.tags(article_id) == ()
    r.actions["undo"].trigger()
    assert samples_library.tags(article_id) == ("old name",)


def test_a_merge_by_renaming_onto_a_tag_is_undone_and_redone(qtbot, make_window, samples_library, monkeypatch):
    window = make_window(samples_library)
    r = window.reading
    a, b, c = (x.id for x in samples_library.list_articles()[:3])
    samples_library.add_tags([a, b], ["Courts"])  # b carries both tags
    samples_library.add_tags([b, c], ["law"])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("LAW", True))
    r.rename_tag("Courts")
    assert [(t.name, t.articles) for t in samples_library.all_tags()] == [("law", 3)]
    r.actions["undo"].trigger()
    assert [samples_library.tags(i) for i in (a, b, c)] == [("Courts",), ("Courts", "law"), ("law",)]
    r.actions["redo"].trigger()
    assert [samples_library.tags(i) for i in (a, b, c)] == [("law",)] * 3


def test_export_writes_the_format_the_typed_file_name_names(qtbot, make_window, samples_library, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    window = make_window(samples_library)
    written = {}
    for name, starts in (("refs.bib", "@online{"), ("refs.RIS", "TY  - "), ("notes.txt", "# "), ("items.json", "[")):
        target = tmp_path / name
        # The user typed a name ending in .bib while the dialog still showed its first type, Markdown.
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, t=target, **k: (str(t), "Markdown (*.md)"))
        window.reading.export("", (), "date", "All articles")
        written[name] = target.read_text(encoding="utf-8")
        assert written[name].startswith(starts), name
