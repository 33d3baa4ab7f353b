import pytest

from desktop_reader.errors import ArticleNotFound, StorageError
from desktop_reader.models import CleanDocument, Entity, Metadata, PreparedArticle
from desktop_reader.storage.store import Store, page_sql
from tests.helpers import prepared_article


def test_add_get_and_keep_original(tmp_path):
    store = Store(tmp_path / "data")
    ent = Entity("Mark Rutte", "PERSON", 2, ((0, 10), (20, 25)))
    (aid,) = store.add_many([prepared_article(tmp_path, "a.txt", "Mark Rutte said ... Rutte", [ent])])
    article = store.get(aid)
    assert article.title == "a.txt"
    assert article.entities == (ent,)
    # The copy survives the source being deleted.
    (tmp_path / "src" / "a.txt").unlink()
    assert open(article.stored_path, encoding="utf-8").read() == "Mark Rutte said ... Rutte"
    assert store.entity_totals() == [("Mark Rutte", "PERSON", 1, 2)]


def test_batch_is_all_or_nothing(tmp_path):
    store = Store(tmp_path / "data")
    good = prepared_article(tmp_path, "a.txt", "first")
    clash = prepared_article(tmp_path, "b.txt", "first")  # same sha256: violates UNIQUE inside the batch
    with pytest.raises(StorageError, match="UNIQUE"):
        store.add_many([good, clash])
    assert store.count() == 0
    assert not any(p.is_file() for p in (tmp_path / "data" / "originals").rglob("*"))


def test_delete_removes_rows_entities_and_original(tmp_path):
    store = Store(tmp_path / "data")
    ent = Entity("NATO", "ORG", 1, ((0, 4),))
    a, b = store.add_many(
        [prepared_article(tmp_path, "a.txt", "NATO one", [ent]), prepared_article(tmp_path, "b.txt", "NATO two", [ent])]
    )
    assert store.entity_totals() == [("NATO", "ORG", 2, 2)]
    stored = store.get(a).stored_path
    store.delete(a)
    assert store.count() == 1
    assert store.entity_totals() == [("NATO", "ORG", 1, 1)]
    assert not (tmp_path / "data" / stored).exists()
    with pytest.raises(ArticleNotFound):
        store.get(a)
    with pytest.raises(ArticleNotFound):
        store.delete(a)


def test_generation_changes_with_every_write(tmp_path):
    store = Store(tmp_path / "data")
    g0 = store.generation()
    (aid,) = store.add_many([prepared_article(tmp_path, "a.txt", "x")])
    g1 = store.generation()
    store.delete(aid)
    assert g0 < g1 < store.generation()


def test_unindexed_until_marked(tmp_path):
    store = Store(tmp_path / "data")
    ids = store.add_many([prepared_article(tmp_path, "a.txt", "x"), prepared_article(tmp_path, "b.txt", "y")])
    assert store.unindexed_count() == 2
    store.mark_indexed(ids)
    assert store.unindexed_count() == 0


def test_read_only_folder_gives_a_storage_error(tmp_path):
    import os

    if os.geteuid() == 0:
        pytest.skip("root ignores file permissions")
    data = tmp_path / "data"
    store = Store(data)
    (data / "originals").chmod(0o500)
    try:
        with pytest.raises(StorageError):
            store.add_many([prepared_article(tmp_path, "a.txt", "x")])
        assert store.count() == 0
    finally:
        (data / "originals").chmod(0o700)


def test_page_orders_by_date_with_undated_last(tmp_path):
    store = Store(tmp_path / "data")
    a = prepared_article(tmp_path, "a.txt", "a")
    undated = PreparedArticle(a.path, a.sha256 + "x", "text", b"u", CleanDocument("u", Metadata(title="undated")), ())
    newer = prepared_article(tmp_path, "n.txt", "n")
    newer = PreparedArticle(
        newer.path,
        newer.sha256,
        "text",
        b"n",
        CleanDocument("n", Metadata(title="newer", published="2026-01-01")),
        (),
    )
    store.add_many([a, undated, newer])
    assert [s.title for s in store.page(0, 10)] == ["newer", "a.txt", "undated"]


def test_the_newest_first_page_is_read_from_an_index_not_sorted(tmp_path):
    # A 100,000-article library would sort the whole table for every page of the list.
    store = Store(tmp_path / "data")
    plan = store._conn().execute("EXPLAIN QUERY PLAN " + page_sql(newest_first=True), (5, 0))
    details = " ".join(row[3] for row in plan)
    assert "articles_listing" in details and "TEMP B-TREE" not in details
