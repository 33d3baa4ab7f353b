"""EntityModel: entities grouped by type as a tree, and facets over results; checked with qtmodeltester."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt

from desktop_reader.gui.entity_model import EntityModel, filter_for
from desktop_reader.models import Entity, Facet


def _groups(model: EntityModel) -> list[str]:
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def test_real_article_entities_are_grouped_by_type(qtmodeltester, entity_library):
    article = next(a for a in (entity_library.article(s.id) for s in entity_library.list_articles()) if a.entities)
    model = EntityModel()
    qtmodeltester.check(model)
    model.set_entities(article.entities)
    qtmodeltester.check(model)
    groups = _groups(model)
    assert groups
    assert groups == [g for g in ("People", "Organisations", "Places", "Dates", "Other") if g in groups]
    children = sum(model.rowCount(model.index(r, 0)) for r in range(model.rowCount()))
    assert children == len(article.entities)
    first_group = model.index(0, 0)
    row = model.entity(model.index(0, 0, first_group))
    assert row is not None
    assert row.mentions  # clicking it can highlight them in the reader
    assert model.index(0, 1, first_group).data() == str(row.count)


def test_children_are_sorted_by_count_and_have_parents(qtmodeltester):
    model = EntityModel()
    model.set_entities(
        [
            Entity("London", "GPE", 1, ((0, 6),)),
            Entity("Tony Blair", "PERSON", 3, ((10, 20), (30, 40), (50, 60))),
            Entity("Paris", "GPE", 4, ((70, 75),) * 4),
            Entity("Labour", "ORG", 2, ((80, 86), (90, 96))),
        ]
    )
    qtmodeltester.check(model)
    assert _groups(model) == ["People", "Organisations", "Places"]
    places = model.index(2, 0)
    assert [model.index(r, 0, places).data() for r in range(model.rowCount(places))] == ["Paris", "London"]
    assert model.parent(model.index(1, 0, places)) == places
    assert model.parent(places) == QModelIndex()


def test_facets_replace_entities(qtmodeltester):
    model = EntityModel()
    model.set_entities([Entity("BBC", "ORG", 1, ((0, 3),))])
    model.set_facets([Facet("Gordon Brown", "PERSON", 7), Facet("2005", "DATE", 3)])
    qtmodeltester.check(model)
    assert _groups(model) == ["People", "Dates"]
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Articles"
    people = model.index(0, 0)
    assert model.index(0, 1, people).data() == "7"
    assert model.entity(model.index(0, 0, people)).mentions == ()
    model.clear()
    qtmodeltester.check(model)
    assert model.rowCount() == 0


def test_filter_kinds_follow_the_entity_group():
    assert filter_for("PERSON", "Tony Blair") == ("person", "Tony Blair")
    assert filter_for("ORG", "BBC") == ("org", "BBC")
    assert filter_for("GPE", "London") == ("place", "London")
    assert filter_for("FAC", "Heathrow") == ("place", "Heathrow")
    assert filter_for("NORP", "British") == ("entity", "British")
