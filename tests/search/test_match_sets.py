"""MatchSets against Whoosh's own matching, on a real index of several segments with deletions."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from desktop_reader.search.index import SearchIndex
from desktop_reader.search.match_sets import MatchSets
from tests.search.test_index import DOCS

COPIES = 4  # 4 x 10 articles x 20 ids apart: posting lists of several 128-posting blocks
QUERIES = [
    "river",
    "river barge coal",
    "interest rates",
    '"central bank"',
    "river NOT barge",
    "NOT river",
    "(nato OR rutte) AND brussels",
    "harb* OR rive*",
    "rutt~ bank",
    "title:river OR site:money",
    'person:"Mark Rutte"',
    "place:kyiv OR entity:thames",
    "published:[2022 TO 2024-03]",
    "rates published:>2023",
    "url:example.com -tennis",
    "*",
    "東京",
    "zeppelin",
]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    ix = SearchIndex(tmp_path_factory.mktemp("sets") / "ix")
    next_id = 1
    for _ in range(COPIES):  # one commit (segment) per round
        docs = []
        for _ in range(20):
            for doc in DOCS:
                docs.append(replace(doc, id=next_id))
                next_id += 1
        ix.add(docs)
    ix.delete(range(5, next_id, 7))  # deletions in every segment
    return ix


def test_the_index_has_several_segments_and_deletions(index: SearchIndex) -> None:
    with index._searching() as s:
        assert s is not None
        assert len(s.leaf_searchers()) >= 2
        assert s.doc_count() < s.doc_count_all()


@pytest.mark.parametrize("text", QUERIES)
def test_sets_equal_whoosh_matching(index: SearchIndex, text: str) -> None:
    q = index._read(text).query
    assert q is not None
    with index._searching() as s:
        assert s is not None
        expected = set(s.docs_for_query(q))
        sets = MatchSets(s)
        assert sets.docnums(q) == expected
        assert sets.count(q) == len(expected)


@pytest.mark.parametrize("text", QUERIES)
@pytest.mark.parametrize("limit", [1, 7, None])
def test_search_total_is_every_match_whatever_the_limit(index: SearchIndex, text: str, limit: int | None) -> None:
    everything = index.search(text, limit=None, snippets=0)
    assert len(everything.hits) == everything.total
    assert len({h.id for h in everything.hits}) == everything.total  # no hit twice across the tiers
    limited = index.search(text, limit=limit, snippets=0)
    assert limited.total == everything.total
    assert [h.id for h in limited.hits] == [h.id for h in everything.hits][: limit or None]


def test_all_words_first_then_some_with_falling_scores(index: SearchIndex) -> None:
    result = index.search("river barge coal", limit=None, snippets=0)
    both = {h.id for h in index.search("river AND barge AND coal", limit=None, snippets=0).hits}
    ranked = [h.id for h in result.hits]
    assert both and set(ranked[: len(both)]) == both
    assert len(ranked) > len(both)
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True)


def test_entity_filter_counts_only_what_it_keeps(index: SearchIndex) -> None:
    plain = index.search("rates", limit=3)
    filtered = index.search("rates", limit=3, filters=[("person", "Mark Rutte")])
    assert 0 < filtered.total < plain.total
    assert filtered.total == len(index.matching_ids("rates", filters=[("person", "Mark Rutte")]))


def test_date_sorted_search_counts_every_match(index: SearchIndex, tmp_path: Path) -> None:
    by_date = index.search("river", limit=2, sort="date")
    assert by_date.total == index.search("river", limit=None).total
    assert len(by_date.hits) == 2
