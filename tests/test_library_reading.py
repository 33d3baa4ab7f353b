"""The reading layer through Library: tags, notes, read state, highlights, saved searches, and their queries.

User data must survive everything that rebuilds derived data (reindex, a deleted index folder,
entities --refresh --all) and re-importing the same file; it shows in search without a reindex.
"""

import shutil
import sqlite3

import pytest

from desktop_reader.errors import ReaderError
from desktop_reader.library import Library
from desktop_reader.progress import drive
from tests.helpers import SAMPLES, write_whoosh3_index


@pytest.fixture(scope="session")
def template(tmp_path_factory):
    data = tmp_path_factory.mktemp("reading") / "data"
    library = Library(data, workers=0)
    drive(library.import_paths([SAMPLES], entities=False), lambda _s: None)
    library.close()
    return data


@pytest.fixture
def library(template, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(template, data)
    lib = Library(data, workers=0)
    yield lib
    lib.close()


def _ids(library, query, **kw):
    results, _ = library.search(query, limit=None, **kw)
    return {h.id for h in results.hits}


def _id_titled(library, word):
    return next(a.id for a in library.list_articles() if word.lower() in a.title.lower())


def test_tags_are_added_removed_renamed_and_merged(library):
    a, b = (x.id for x in library.list_articles()[:2])
    assert library.add_tags([a, b], ["Climate", "to  read"]) == [
        (a, "Climate"),
        (a, "to read"),
        (b, "Climate"),
        (b, "to read"),
    ]
    assert library.add_tags([a], ["climate"]) == []  # case-insensitive: the same tag
    assert library.tags(a) == ("Climate", "to read")
    assert library.remove_tags([a], ["TO READ"]) == [(a, "to read")]
    library.rename_tag("Climate", "Environment")
    assert library.tags(b) == ("Environment", "to read")
    library.rename_tag("to read", "environment")  # onto an existing tag: merged
    assert [(t.name, t.articles) for t in library.all_tags()] == [("Environment", 2)]
    library.add_tags([a], ["Later"])
    library.merge_tags(["Later"], "Environment")
    assert [(t.name, t.articles) for t in library.all_tags()] == [("Environment", 2)]
    with pytest.raises(ReaderError):
        library.add_tags([999_999], ["x"])


def test_note_read_state_and_unread_count(library):
    a = library.list_articles()[0].id
    total = library.count()
    assert library.unread_count() == total and not library.is_read(a)
    assert library.mark_read([a]) == [a]
    assert library.mark_read([a]) == []  # already read
    assert library.is_read(a) and library.unread_count() == total - 1
    assert library.set_note(a, "  Look at **this**  ") == ""
    assert library.note(a) == "Look at **this**"
    assert library.set_note(a, "") == "Look at **this**"
    assert library.note(a) == ""


def test_highlight_by_quote_or_range_and_undo_of_delete(library):
    a = _id_titled(library, "fishermen")
    text = library.article(a).text
    h = library.add_highlight(a, "ruled on Tuesday", color="green", note="the ruling")
    assert text[h.start : h.end] == "ruled on Tuesday" and h.anchoring == "exact"
    h2 = library.add_highlight(a, start=0, end=10)
    assert [x.id for x in library.highlights(a)] == [h2.id, h.id]  # reading order
    with pytest.raises(ReaderError, match="not in the text"):
        library.add_highlight(a, "words that are nowhere in it")
    with pytest.raises(ReaderError):
        library.add_highlight(a, "ruled on Tuesday", color="chartreuse")
    stored = library.delete_highlight(h.id)
    assert [x.id for x in library.highlights(a)] == [h2.id]
    library.restore_highlight(stored)
    assert [(x.id, x.note, x.color) for x in library.highlights(a)][1] == (h.id, "the ruling", "green")


def test_a_highlight_reanchors_after_its_articles_text_changes(library):
    a = _id_titled(library, "fishermen")
    h = library.add_highlight(a, "ruled on Tuesday that Corvan Energy must pay compensation")
    gone = library.add_highlight(a, start=0, end=40)
    old = library.article(a).text
    # What a better cleaning after an upgrade does: new text for the same article.
    new = "Editor's note: this story was updated.\n\n" + old[40:].replace(
        "must pay compensation", "must pay full compensation"
    )
    with sqlite3.connect(library.data_dir / "library.sqlite3") as conn:
        conn.execute("UPDATE articles SET text = ? WHERE id = ?", (new, a))
    placed = {x.id: x for x in library.highlights(a)}
    moved = placed[h.id]
    assert moved.anchoring in ("context", "fuzzy")
    assert new[moved.start : moved.end].startswith("ruled on Tuesday")
    assert new[moved.start : moved.end].endswith("compensation")
    assert placed[gone.id].orphaned and placed[gone.id].quote == old[:40]  # kept, flagged, never dropped


def test_a_reanchored_highlight_is_written_back_and_keeps_the_quote_as_highlighted(library):
    a = _id_titled(library, "fishermen")
    edited = library.add_highlight(a, "ruled on Tuesday that Corvan Energy must pay compensation", note="n")
    moved = library.add_highlight(a, "Tarnside")
    gone = library.add_highlight(a, start=0, end=40)
    old = library.article(a).text
    new = "Editor's note: this story was updated.\n\n" + old[40:].replace(
        "must pay compensation", "must pay full compensation"
    )
    db = library.data_dir / "library.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE articles SET text = ? WHERE id = ?", (new, a))
    first = {h.id: h for h in library.highlights(a)}
    with sqlite3.connect(db) as conn:
        rows = {r[0]: r[1:] for r in conn.execute("SELECT id, quote, start, original FROM highlights")}
    passage = new[first[edited.id].start : first[edited.id].end]
    assert rows[edited.id] == (passage, first[edited.id].start, edited.quote)
    assert rows[moved.id] == ("Tarnside", first[moved.id].start, "")
    assert rows[gone.id] == (old[:40], 0, "")  # an orphan keeps what it had, to come back with its text
    again = {h.id: h for h in library.highlights(a)}
    assert (again[moved.id].anchoring, again[moved.id].start) == ("exact", first[moved.id].start)
    assert again[edited.id].quote == passage and again[edited.id].original == edited.quote
    assert again[edited.id].anchoring == "fuzzy" and again[edited.id].note == "n"  # still shown as edited
    assert again[gone.id].orphaned
    stored = library.delete_highlight(edited.id)
    library.restore_highlight(stored)  # undo keeps the quote as highlighted too
    assert {h.id: h for h in library.highlights(a)}[edited.id].original == edited.quote


def test_a_library_from_before_the_original_quote_column_opens_and_gains_it(library):
    a = _id_titled(library, "fishermen")
    h = library.add_highlight(a, "ruled on Tuesday")
    library.close()
    with sqlite3.connect(library.data_dir / "library.sqlite3") as conn:
        conn.execute("ALTER TABLE highlights DROP COLUMN original")
    again = Library(library.data_dir, workers=0)
    assert [x.quote for x in again.highlights(a)] == [h.quote]
    again.close()


def test_user_fields_in_queries_combine_with_everything(library):
    a = _id_titled(library, "fishermen")
    b = _id_titled(library, "mayor")
    everything = _ids(library, "")
    library.add_tags([a, b], ["Court Cases"])
    library.mark_read([a])
    library.set_note(b, "The count was contested by the opposition")
    library.add_highlight(a, "ruled on Tuesday", note="appeal expected")
    assert _ids(library, 'tag:"court cases"') == {a, b}
    assert _ids(library, "tag:court*") == {a, b}
    assert _ids(library, "tag:Court") == set()  # a tag is matched whole
    assert _ids(library, "is:read") == {a}
    assert _ids(library, "is:unread") == everything - {a}
    assert _ids(library, "has:note") == {b}
    assert _ids(library, "has:highlight") == {a}
    assert _ids(library, "note:contest") == {b}  # stemmed, like the text
    assert _ids(library, "note:appeal") == {a}  # a highlight's note
    assert _ids(library, 'note:"the opposition"') == {b}
    assert _ids(library, 'tag:"court cases" is:unread') == {b}
    assert _ids(library, "is:read OR has:note") == {a, b}
    assert _ids(library, 'NOT tag:"court cases"') == everything - {a, b}
    assert _ids(library, 'fishermen tag:"court cases"') == {a}
    assert _ids(library, "(mayor OR fishermen) NOT is:read") == _ids(library, "mayor OR fishermen") - {a}
    results, _ = library.search("is:whatever")
    assert results.total == 0 and "is:" in results.message


def test_changes_show_in_search_at_once_without_reindex(library):
    a = library.list_articles()[0].id
    assert _ids(library, "tag:urgent") == set()
    library.add_tags([a], ["urgent"])
    assert _ids(library, "tag:urgent") == {a}
    library.remove_tags([a], ["urgent"])
    assert _ids(library, "tag:urgent") == set()
    assert library.stats()["unindexed"] == 0  # nothing was sent to the index


def test_entity_filters_and_facets_respect_user_fields(library):
    a = _id_titled(library, "fishermen")
    library.add_tags([a], ["x"])
    assert library.matching_ids("tag:x") == [a]
    assert library.entities(query="tag:x") == []  # imported without entities: nothing to count
    assert library.facets("tag:x") == []


def test_saved_searches_count_results_and_new_ones(library):
    a, b = (x.id for x in library.list_articles()[:2])
    library.add_tags([a], ["watch"])
    saved = library.save_search("Watched", "tag:watch", sort="date")
    assert (saved.count, saved.new) == (1, 0)
    library.add_tags([b], ["watch"])
    (listed,) = library.saved_searches()
    assert (listed.name, listed.query, listed.sort, listed.count, listed.new) == ("Watched", "tag:watch", "date", 2, 1)
    library.open_saved_search("watched")
    assert library.saved_searches()[0].new == 0
    library.delete_saved_search("Watched")
    assert library.saved_searches() == []
    with pytest.raises(ReaderError):
        library.open_saved_search("Watched")


def _with_user_data(library):
    a = _id_titled(library, "fishermen")
    library.add_tags([a], ["keep"])
    library.set_note(a, "my note")
    library.mark_read([a])
    h = library.add_highlight(a, "ruled on Tuesday", note="hl note")
    library.save_search("Kept", "tag:keep")
    return a, h


def _assert_user_data(library, a, h):
    assert library.tags(a) == ("keep",)
    assert library.note(a) == "my note"
    assert library.is_read(a)
    assert [(x.id, x.quote, x.note, x.start) for x in library.highlights(a)] == [(h.id, h.quote, h.note, h.start)]
    assert _ids(library, "tag:keep") == {a}
    assert [s.name for s in library.saved_searches()] == ["Kept"]


def test_user_data_survives_reindex(library):
    a, h = _with_user_data(library)
    assert drive(library.reindex(), lambda _s: None) == library.count()
    _assert_user_data(library, a, h)


def test_user_data_survives_deleting_the_index_folder(library):
    a, h = _with_user_data(library)
    library.index.close()
    library.close()
    shutil.rmtree(library.data_dir / "index")
    again = Library(library.data_dir, workers=0)
    assert again.index_problem()
    drive(again.sync_index(), lambda _s: None)
    _assert_user_data(again, a, h)
    again.close()


def test_an_index_of_the_previous_format_is_rebuilt_on_first_open_with_progress(library):
    """A library from before our posting codec: its index (Whoosh's codec, schema version 2)
    is rebuilt from the store when opened, with progress steps; user data and answers stay."""
    a, h = _with_user_data(library)
    before = {q: _ids(library, q) for q in ("court", '"the court"', "tag:keep")}
    docs = [d for batch in library.store.iter_for_index() for d in batch]
    library.index.close()
    library.close()
    write_whoosh3_index(library.data_dir / "index", [docs], version="2")
    again = Library(library.data_dir, workers=0)
    assert again.index.status() == "outdated"
    assert "outdated" in again.index_problem()
    steps = []
    drive(again.sync_index(), steps.append)
    indexing = [(s.done, s.total) for s in steps if s.label.startswith("Indexing")]
    assert indexing and indexing[-1] == (again.count(), again.count())
    assert again.index.status() == "ok" and not again.index_problem()
    assert {q: _ids(again, q) for q in before} == before
    _assert_user_data(again, a, h)
    again.close()


def test_user_data_survives_reimporting_the_same_file(library):
    a, h = _with_user_data(library)
    report = drive(library.import_paths([SAMPLES], entities=False), lambda _s: None)
    assert report.imported == 0 and report.duplicates == library.count()
    _assert_user_data(library, a, h)


def test_user_data_of_a_deleted_article_comes_back_when_the_file_is_imported_again(library):
    a, h = _with_user_data(library)
    source = library.article(a).source_path
    library.delete(a)
    assert library.all_tags()[0].articles == 0 and _ids(library, "tag:keep") == set()
    report = drive(library.import_paths([source], entities=False), lambda _s: None)
    (new_id,) = [o.id for o in report.outcomes if o.status == "imported"]
    assert library.tags(new_id) == ("keep",) and library.note(new_id) == "my note"
    assert [x.quote for x in library.highlights(new_id)] == ["ruled on Tuesday"]
    library.delete(new_id)
    assert library.forget_deleted_user_data() == 1
    report = drive(library.import_paths([source], entities=False), lambda _s: None)
    (third,) = [o.id for o in report.outcomes if o.status == "imported"]
    assert library.tags(third) == () and library.highlights(third) == []


def test_user_data_survives_refreshing_every_articles_entities(library, extractor):
    a, h = _with_user_data(library)
    refreshing = Library(library.data_dir, workers=0, extractor=extractor)
    drive(refreshing.refresh_entities(everything=True), lambda _s: None)
    _assert_user_data(refreshing, a, h)
    assert refreshing.article(a).entities
    refreshing.close()


def test_export_in_every_format(library):
    a, _ = _with_user_data(library)
    for fmt in ("md", "csv", "bibtex", "ris", "csljson"):
        text, count = library.export("tag:keep", fmt)
        assert count == 1 and text.strip(), fmt
    text, count = library.export("", "csv")
    assert count == library.count()
