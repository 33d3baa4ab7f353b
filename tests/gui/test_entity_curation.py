"""Curation in the window: the entity pane's context menu, multi-selection, the index catching up, Ctrl+Z."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel

from desktop_reader.gui.entity_model import EntityModel
from desktop_reader.models import Facet


def _people(window) -> list:  # type: ignore[no-untyped-def]
    model = window.entity_pane.model
    group = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == "People")
    parent = model.index(group, 0)
    return [model.index(r, 0, parent) for r in range(model.rowCount(parent))]


def _names(window) -> set[str]:  # type: ignore[no-untyped-def]
    model = window.entity_pane.model
    return {r.text for g in range(model.rowCount()) for r in model.rows_of(model.index(g, 0).data())}


def test_merge_from_the_menu_shows_at_once_then_queries_and_ctrl_z_undoes(qtbot, make_window, entity_library):
    window = make_window(entity_library)
    window.entity_pane.set_scope("results")
    first, second = _people(window)[:2]
    selection = window.entity_pane.tree.selectionModel()
    selection.select(first, QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
    selection.select(second, QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
    rows = window.entity_pane.selected_rows()
    assert len(rows) == 2
    menu = window.curation.menu()
    texts = [a.text() for a in menu.actions()]
    assert "&Merge 2 Names…" in texts and "&Ignore 2 Names" in texts

    window.curation.ask = lambda *_args: "Curated Person"
    with qtbot.waitSignal(window.job_done, timeout=30_000):  # the index catching up in the background
        window.curation.merge(rows)
    assert "Curated Person" in _names(window)
    assert not {r.text for r in rows} & _names(window)
    results, _ = entity_library.search('person:"Curated Person"')
    assert results.total >= 1

    with qtbot.waitSignal(window.job_done, timeout=30_000):
        window.reading.undo_stack.undo()
    assert "Curated Person" not in _names(window)
    assert {r.text for r in rows} <= _names(window)
    assert entity_library.entity_rules() == []


def test_ignore_and_retype_one_name(qtbot, make_window, entity_library):
    window = make_window(entity_library)
    window.entity_pane.set_scope("results")
    index = _people(window)[0]
    window.entity_pane.tree.selectionModel().select(
        index, QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    )
    (row,) = window.entity_pane.selected_rows()
    with qtbot.waitSignal(window.job_done, timeout=30_000):
        window.curation.retype([row], "ORG")
    assert row.text in {r.text for r in window.entity_pane.model.rows_of("Organisations")}
    with qtbot.waitSignal(window.job_done, timeout=30_000):
        window.curation.ignore([row])
    assert row.text not in _names(window)
    assert [r.kind for r in entity_library.entity_rules()] == ["retype", "ignore"]


def test_each_type_lists_ten_then_twenty_more(qtmodeltester):
    model = EntityModel()
    model.set_facets([Facet(f"Person {n:02d}", "PERSON", 100 - n) for n in range(35)] + [Facet("Oslo", "GPE", 3)])
    qtmodeltester.check(model)
    people = model.index(0, 0)
    assert model.rowCount(people) == 11
    more = model.index(10, 0, people)
    assert more.data() == "Show 20 more…" and more.data(EntityModel.MoreRole) is True
    assert model.entity(more) is None
    model.show_more("People")
    qtmodeltester.check(model)
    assert model.rowCount(model.index(0, 0)) == 31
    model.show_more("People")
    assert model.rowCount(model.index(0, 0)) == 35
    assert model.rowCount(model.index(1, 0)) == 1  # places: one, no "more" row
