"""Curation end to end through the Library: real model, real store, real Whoosh index."""

import json
import shutil

import pytest

from desktop_reader import paths
from desktop_reader.library import Library
from desktop_reader.progress import drive
from tests.helpers import DATA, SAMPLES, prepared_article

SOURCES = DATA / "curation"


@pytest.fixture
def library(tmp_path, extractor):
    lib = Library(tmp_path / "lib", extractor=extractor, workers=0)
    drive(lib.import_paths([SOURCES]), lambda _p: None)
    return lib


def _names(library, label=None):
    return {e.text: e for e in library.entities(label=label, limit=100)}


def _caught_up(library):
    drive(library.sync_index(), lambda _p: None)
    assert library.index_problem() == ""


def test_merge_takes_effect_at_once_and_the_index_follows(library):
    assert "Greens" in _names(library)
    done = library.merge_entities(["Greens"], "Green Party", label="org")
    assert done.articles == 3
    names = _names(library, "org")
    assert "Greens" not in _names(library)
    # council.txt names both: it counts once; ferry.txt only "Green Party", budget.txt only "Greens".
    assert names["Green Party"].articles == 3
    assert names["Green Party"].mentions == 5
    assert library.index_problem()  # the index catches up in the background
    _caught_up(library)
    assert library.search('org:"Green Party"')[0].total == 3
    assert library.search('entity:"Greens"')[0].total == 0
    facets = {f.text: f for f in library.facets()}
    assert facets["Green Party"].articles == 3 and "Greens" not in facets


def test_reader_highlights_use_the_curated_names(library):
    library.merge_entities(["Greens"], "Green Party")
    article = next(library.article(i) for i in library.store.ids() if library.article(i).title.startswith("Town"))
    party = next(e for e in article.entities if e.text == "Green Party")
    assert all(article.text[s:e] == "Greens" for s, e in party.mentions)


def test_rules_survive_reindex_refresh_a_lost_index_and_reimport(library, tmp_path):
    library.merge_entities(["Greens"], "Green Party", label="ORG")
    library.ignore_entities(["Council"])
    drive(library.reindex(), lambda _p: None)
    assert library.search('org:"Green Party"')[0].total == 3
    drive(library.refresh_entities(everything=True), lambda _p: None)
    assert "Council" not in _names(library) and _names(library)["Green Party"].articles == 3
    shutil.rmtree(paths.index_dir(library.data_dir))
    again = Library(library.data_dir, extractor=library.extractor, workers=0)
    drive(again.sync_index(), lambda _p: None)
    assert again.search('org:"Green Party"')[0].total == 3
    budget = next(i for i in again.store.ids() if again.article(i).title.startswith("Town"))
    again.delete(budget)
    drive(again.import_paths([SOURCES / "budget.txt"]), lambda _p: None)
    assert again.search('org:"Green Party"')[0].total == 3
    assert "Council" not in _names(again)


def test_retype_ignore_unignore_alias_and_undo(library):
    library.retype_entity("Portsmouth", "place")
    assert _names(library, "place")["Portsmouth"].articles == 2
    assert "Portsmouth" not in _names(library, "ORG")
    library.ignore_entities(["Council"])
    assert "Council" not in _names(library)
    library.unignore_entity("Council")
    assert "Council" in _names(library)
    library.alias_entity("ONS", "Office for National Statistics")
    assert any(r.kind == "alias" and r.label == "ORG" for r in library.entity_rules())
    assert library.last_curation().startswith("alias")
    library.undo_curation()
    library.undo_curation()  # the unignore
    assert "Council" not in _names(library)
    library.undo_curation()
    library.undo_curation()
    assert _names(library, "ORG")["Portsmouth"].articles == 1
    assert library.undo_curation() is None


def test_rules_export_and_import_between_libraries(library, tmp_path, extractor):
    library.merge_entities(["Greens"], "Green Party", label="ORG")
    library.ignore_entities(["Council"])
    out = tmp_path / "rules.json"
    assert library.export_rules(out) == 2
    assert json.loads(out.read_text())["rules"][0]["kind"] == "merge"
    other = Library(tmp_path / "other", extractor=extractor, workers=0)
    drive(other.import_paths([SOURCES]), lambda _p: None)
    done = other.import_rules(out)
    assert done.articles == 3
    assert _names(other, "person") == _names(library, "person")
    assert _names(other)["Green Party"].articles == 3


def test_a_query_lists_curated_names_with_their_mentions(library):
    library.merge_entities(["Greens"], "Green Party", label="ORG")
    _caught_up(library)
    rows = {e.text: e for e in library.entities(query="harbour", limit=50)}
    assert rows["Green Party"].articles == 3 and rows["Green Party"].mentions == 5


def test_the_bundled_samples_list_people_not_places_clubs_or_titles(tmp_path, extractor):
    # The samples as a new user imports them: a town, a club and a title word were people before.
    lib = Library(tmp_path / "samples", extractor=extractor, workers=0)
    drive(lib.import_paths([SAMPLES]), lambda _p: None)
    people = set(_names(lib, "PERSON"))
    assert not people & {"Veltham", "Wrexley", "Almwick Athletic", "Mill Lane", "Striker Jonas Ferreira"}
    assert {"Jonas Ferreira", "Niall Comerford", "Ewan Tolliver"} <= people
    assert not any("’" in p or "'" in p for p in people)
    assert {"Rovers", "Almwick Athletic"} <= set(_names(lib, "ORG"))
    assert "Veltham" in set(_names(lib, "GPE"))


def _stored(store, tmp_path, name, entities):
    text = f"{name}: " + " ".join(e.text for e in entities)
    (article_id,) = store.add_many([prepared_article(tmp_path, name, text, entities)])
    return article_id


def test_a_new_vote_reindexes_only_the_articles_whose_label_it_changes(tmp_path):
    from desktop_reader.jobs.curating import Curator
    from desktop_reader.models import Entity
    from desktop_reader.storage.store import Store

    store = Store(tmp_path / "data")
    org = Entity("Morgan Stanley", "ORG", 1, ((0, 14),))
    odd = Entity("Morgan Stanley", "PERSON", 1, ((0, 14),))
    orgs = [_stored(store, tmp_path, f"org{i}.txt", [org]) for i in range(4)]
    curator = Curator(store)
    curator.resolve()
    store.mark_indexed([*orgs])
    before = curator.curation()
    # One article calls it a person: the vote keeps ORG, so only that article reads differently.
    person = _stored(store, tmp_path, "person.txt", [odd])
    store.mark_indexed([person])
    curator.resolve()
    assert curator.votes() == {"morgan stanley": "ORG"}
    assert curator.revoted(before) == 1
    assert store.unindexed_count() == 1
    # Enough articles say person to leave no majority: each article keeps its own label again. The
    # four ORG articles read as before; the person ones, indexed under the ORG vote, change.
    store.mark_indexed([person])
    before = curator.curation()
    for i in range(3):
        store.mark_indexed([_stored(store, tmp_path, f"person{i}.txt", [odd])])
    curator.resolve()
    assert curator.votes() == {}
    assert curator.revoted(before) == 4
    assert store.unindexed_count() == 4


def test_an_import_that_changes_a_vote_reindexes_the_older_articles(tmp_path, extractor):
    """Two stored articles call Morgan Stanley a person; five imported ones call it an
    organisation. The import's vote re-types the name, and the two older articles are found
    under org: at the end of that import, with the index matching the store."""
    from desktop_reader.models import Entity

    lib = Library(tmp_path / "lib", extractor=extractor, workers=0)
    person = Entity("Morgan Stanley", "PERSON", 1, ((0, 14),))
    older = [_stored(lib.store, tmp_path, f"old{i}.txt", [person]) for i in range(2)]
    _caught_up(lib)
    assert {h.id for h in lib.search('person:"Morgan Stanley"')[0].hits} == set(older)
    folder = tmp_path / "new"
    folder.mkdir()
    for i in range(5):
        (folder / f"bank{i}.txt").write_text(
            f"Bank results {i}\n\nThe investment bank Morgan Stanley said on Tuesday that its quarterly "
            f"profit rose by {10 + i} percent. Morgan Stanley shares climbed in New York.\n",
            encoding="utf-8",
        )

    report = drive(lib.import_paths([folder]), lambda _p: None)

    assert report.imported == 5
    assert lib.store.unindexed_count() == 0 and lib.index_problem() == ""
    found = {h.id for h in lib.search('org:"Morgan Stanley"')[0].hits}
    assert set(older) <= found and len(found) == 7
    assert not lib.search('person:"Morgan Stanley"')[0].hits
