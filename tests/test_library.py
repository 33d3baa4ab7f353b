"""Library, the one door of the core, on real files: a new folder, an import with broken files, search
with its snippets and the reader's highlights, fetching an article, entities, delete and reindex.

Import mechanics in depth are tests/jobs/test_pipeline.py; the reading layer (tags, notes,
highlights, saved searches) in depth is tests/test_library_reading.py.
"""

import shutil
from pathlib import Path

import pytest

import desktop_reader
from desktop_reader.errors import ArticleNotFound
from desktop_reader.library import Library, UnknownType
from desktop_reader.progress import drive
from tests.helpers import DATA, SAMPLES, SHARED

SEED = SHARED / "seed" / "000_1f109518f829ab6e.txt"
BROKEN_REASONS = {  # the report says why, in words a user can act on
    "empty.html": "empty",
    "image_renamed.html": "png",
    "not_mime.mhtml": "mhtml",
    "random_bytes.txt": "binary",
}


def _sources() -> list[Path]:
    return [SAMPLES, DATA / "broken", *([SEED] if SEED.exists() else [])]


@pytest.fixture(scope="module")
def template(tmp_path_factory, extractor):
    """One import of the samples, the seed article and the broken files, with the real spaCy model."""
    data = tmp_path_factory.mktemp("facade") / "data"
    library = Library(data, workers=0, extractor=extractor)
    steps = []
    report = drive(library.import_paths(_sources()), steps.append)
    library.close()
    return data, report, steps


@pytest.fixture
def library(template, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(template[0], data)
    lib = Library(data, workers=0)
    yield lib
    lib.close()


def _ranked(library: Library, query: str) -> list[int]:
    return [h.id for h in library.search(query, limit=None)[0].hits]


def test_library_is_the_packages_public_door():
    assert desktop_reader.Library is Library
    assert "Library" in desktop_reader.__all__


def test_a_new_folder_is_an_empty_library_and_a_reopened_one_keeps_its_articles(tmp_path):
    data = tmp_path / "new" / "data"
    library = Library(data, workers=0)
    assert data.is_dir()
    assert library.count() == 0 and library.list_articles() == []
    assert library.stats()["articles"] == 0
    results, rows = library.search("harbour")
    assert results.total == 0 and rows == []
    report = drive(library.import_paths([SAMPLES / "river-oss-floods-pellworth.txt"], entities=False), lambda _s: None)
    (outcome,) = report.outcomes
    library.close()

    again = Library(data, workers=0)
    assert again.index_problem() == ""
    assert [a.id for a in again.list_articles()] == [outcome.id]
    assert _ranked(again, "pellworth") == [outcome.id]
    stats = again.stats()
    assert (stats["articles"], stats["index_docs"], stats["unindexed"]) == (1, 1, 0)
    again.close()


def test_import_reports_every_file_and_names_why_the_broken_ones_failed(template, library):
    _data, report, steps = template
    failed = {Path(o.path).name: o for o in report.outcomes if o.status == "failed"}
    assert set(failed) == set(BROKEN_REASONS)
    for name, word in BROKEN_REASONS.items():
        assert word in failed[name].error.lower(), failed[name]
        assert failed[name].id is None
    imported = [o for o in report.outcomes if o.status == "imported"]
    assert report.imported == len(imported) == library.count() == 10 + SEED.exists()
    assert {o.id for o in imported} == {a.id for a in library.list_articles(0, 100)}
    assert steps[-1].done == steps[-1].total == len(report.outcomes)
    assert library.index_problem() == "" and library.articles_without_entities() == 0


@pytest.mark.parametrize("query", ["harb*", "rutt~", '"wind farm"', "cafe", "mayor", "flood"])
def test_list_snippets_and_reader_highlights_mark_the_same_words(library, query):
    """A result's snippet marks words the reader (Library.highlighter over the whole text) marks too."""
    _results, rows = library.search(query)
    assert rows, query
    highlighter = library.highlighter(query)
    for row in rows:
        assert row.snippet is not None and row.snippet.spans, (query, row.title)
        text = library.article(row.id).text
        in_reader = {text[a:b].casefold() for a, b in highlighter.spans(text)}
        in_list = {w.casefold() for a, b in row.snippet.spans for w in row.snippet.text[a:b].split()}
        assert in_list and in_list <= in_reader, (query, row.title, in_list, in_reader)


@pytest.mark.parametrize(
    ("query", "marked"),
    [("Pensions", {"pension", "pensions"}), ("cafe", {"café", "cafe"}), ("harb*", {"harbour", "harbours"})],
)
def test_stems_and_accents_are_marked_alike_in_the_list_and_the_reader(library, tmp_path, query, marked):
    note = tmp_path / "pension-talks.txt"
    note.write_text(
        "Pension talks at the harbour café\n\n"
        "Her pension, their pensions and a pensioner's savings were discussed at the Café Nord on the harbour "
        "front, where the harbours' workers met. A pensive mood followed; the cafe closed at nine.\n",
        encoding="utf-8",
    )
    drive(library.import_paths([note]), lambda _step: None)
    _results, rows = library.search(query)
    row = next(r for r in rows if r.title == "Pension talks at the harbour café")
    text = library.article(row.id).text
    in_reader = {text[a:b].casefold() for a, b in library.highlighter(query).spans(text)}
    in_list = {w.casefold() for a, b in row.snippet.spans for w in row.snippet.text[a:b].split()}
    assert in_list and in_list <= in_reader, (in_list, in_reader)
    assert marked <= {w.strip("'") for w in in_reader} and "pensive" not in in_reader


def test_a_fetched_article_has_its_text_metadata_and_entities(library):
    rows = {r.title: r for r in library.list_articles()}
    row = next(r for title, r in rows.items() if title.startswith("Ilse Varga"))
    article = library.article(row.id)
    assert (article.title, article.site, article.url) == (row.title, row.site, row.url)
    assert "Kronsdal" in article.text and Path(article.stored_path).is_file()
    assert any(e.text == "Bernhard Koenig" and e.label == "PERSON" for e in article.entities)
    for entity in article.entities:
        assert entity.mentions and all(0 <= a < b <= len(article.text) for a, b in entity.mentions)
    koenig = next(e for e in article.entities if e.text == "Bernhard Koenig")
    assert all("Koenig" in article.text[a:b] for a, b in koenig.mentions)
    with pytest.raises(ArticleNotFound):
        library.article(max(rows[t].id for t in rows) + 100)


def test_entities_are_listed_by_type_and_within_a_query(library):
    people = library.entities(label="person", limit=100)
    assert people and {e.label for e in people} == {"PERSON"}
    assert "Bernhard Koenig" in {e.text for e in people}
    assert all(e.mentions >= e.articles >= 1 for e in people)
    flood_ids = set(_ranked(library, "flood"))
    texts = " ".join(library.article(i).text for i in flood_ids)
    in_flood = library.entities(query="flood", limit=20)
    assert in_flood and all(e.articles <= len(flood_ids) for e in in_flood)
    assert all(e.text.split()[0] in texts for e in in_flood if e.label != "DATE")
    with pytest.raises(UnknownType):
        library.entities(label="no such type")


def test_delete_takes_an_article_out_of_the_list_search_and_entities(library):
    varga = next(a.id for a in library.list_articles() if a.title.startswith("Ilse Varga"))
    before = library.count()
    assert varga in _ranked(library, "kronsdal mayor")
    library.delete(varga)
    assert library.count() == before - 1
    assert varga not in {a.id for a in library.list_articles()}
    assert varga not in _ranked(library, "kronsdal mayor")
    people = {e.text for e in library.entities(label="person", limit=100)}
    assert people and "Bernhard Koenig" not in people
    assert library.index_problem() == ""
    with pytest.raises(ArticleNotFound):
        library.article(varga)


def test_reindex_gives_the_same_results_and_keeps_tags_and_notes(library):
    queries = ("harbour", "council OR mayor", '"wind farm"', "person:Varga")
    before = {q: _ranked(library, q) for q in queries}
    first, second = (a.id for a in library.list_articles()[:2])
    library.add_tags([first, second], ["to read"])
    library.set_note(first, "Check the **figures**.")
    assert drive(library.reindex(), lambda _s: None) == library.count()
    assert {q: _ranked(library, q) for q in queries} == before
    assert library.tags(first) == library.tags(second) == ("to read",)
    assert library.note(first) == "Check the **figures**."
    assert set(_ranked(library, 'tag:"to read"')) == {first, second}
    assert _ranked(library, "note:figures") == [first]
