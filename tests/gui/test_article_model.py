"""ArticleListModel: lazy pages from the library or a query, checked with qtmodeltester after each change."""

from __future__ import annotations

from desktop_reader.gui.article_model import ArticleListModel
from desktop_reader.gui.article_source import LibrarySource, QuerySource
from desktop_reader.models import ArticleSummary


def test_library_source_is_fetched_page_by_page(qtmodeltester, filled_library):
    model = ArticleListModel()
    model.page_size = 5
    model.set_source(LibrarySource(filled_library))
    assert model.total == 12
    assert model.rowCount() == 5
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 10
    qtmodeltester.check(model)  # (the tester fetches the rest itself)
    assert model.rowCount() == 12
    assert not model.canFetchMore()
    ids = [model.index(r, 0).data(ArticleListModel.IdRole) for r in range(12)]
    assert len(set(ids)) == 12


def test_rows_carry_title_and_summary(qtmodeltester, filled_library):
    model = ArticleListModel()
    model.set_source(LibrarySource(filled_library))
    index = model.index(0, 0)
    summary = index.data(ArticleListModel.SummaryRole)
    assert isinstance(summary, ArticleSummary)
    assert index.data() == summary.title
    assert summary.title  # BBC files start with their headline
    qtmodeltester.check(model)


def test_query_source_pages_and_snippets(qtmodeltester, filled_library):
    source = QuerySource(filled_library, "profit OR sales OR economy OR market", first_page=3)
    assert source.total >= 4
    model = ArticleListModel()
    model.page_size = 3
    model.set_source(source)
    assert model.rowCount() == 3
    model.fetchMore()
    assert model.rowCount() == min(6, source.total)
    qtmodeltester.check(model)
    assert model.index(0, 0).data(ArticleListModel.SummaryRole).snippet.spans


def test_remove_and_refresh_keep_the_model_consistent(qtmodeltester, filled_library):
    model = ArticleListModel()
    model.page_size = 5
    model.set_source(LibrarySource(filled_library))
    model.fetchMore()
    gone = model.index(2, 0).data(ArticleListModel.IdRole)
    filled_library.delete(gone)
    model.remove_id(gone)
    assert model.rowCount() == 9
    assert model.row_of(gone) == -1
    assert model.total == 11
    qtmodeltester.check(model)

    # A refresh keeps as many rows loaded as before, so the view doesn't jump back to page one.
    model.set_source(LibrarySource(filled_library), keep_loaded=True)
    assert model.rowCount() == 11
    assert model.row_of(gone) == -1
    qtmodeltester.check(model)
