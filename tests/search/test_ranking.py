"""The ranking rule: keyword queries put documents with every word first; sentence-long ones rank
by BM25 relevance with coordination; measured on SciFact and the judged BBC keyword set."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from desktop_reader.bench import keywords, scifact
from desktop_reader.bench.scifact import Judged, Quality
from desktop_reader.library import Library
from desktop_reader.models import IndexDoc
from desktop_reader.search.index import MAX_TIERED_WORDS, SearchIndex
from tests.helpers import shared

FILLER = [
    "Many people said the new policy will increase costs for every family in the region.",
    "The report found an effect on people who work long hours, and costs increase.",
    "Officials expect the measure to increase trade; people in the region welcomed it.",
    "Health officials said people should expect the effect of the change within a year.",
    "A study of people over sixty found no effect of the diet on their health.",
    "Prices increase as people buy more; the effect on health spending is unclear.",
    "Weather in the region was mild and people spent more time outdoors this year.",
    "The council will meet next week to discuss the budget and local schools.",
]


def docs(*texts: str) -> list[IndexDoc]:
    return [IndexDoc(i, "", t, "", "", "", "") for i, t in enumerate(texts, start=1)]


def ranked_ids(tmp_path: Path, texts: list[str], q: str) -> list[int]:
    ix = SearchIndex(tmp_path / "index")
    ix.add(docs(*texts))
    try:
        return [h.id for h in ix.search(q, limit=None, snippets=0).hits]
    finally:
        ix.close()


def test_two_keywords_put_documents_with_both_first(tmp_path: Path) -> None:
    texts = [
        "Glazer glazer glazer: the tycoon's bid, his offer and his sons.",  # one word, often
        "Glazer met the board of Manchester United on Monday.",  # both words, once
        *FILLER,
    ]
    assert ranked_ids(tmp_path, texts, "glazer united")[:2] == [2, 1]


def test_a_sentence_is_ranked_by_relevance_not_by_who_has_every_word(tmp_path: Path) -> None:
    claim = "zinclozate lowers homocysteine levels in people with poor health"
    assert len(claim.split()) > MAX_TIERED_WORDS
    texts = [
        # about the claim, without one of its common words
        "Zinclozate lowers homocysteine: in a trial zinclozate cut homocysteine levels, and poor health improved.",
        # every word of the claim, each in passing, in a long article on something else
        "People in the region met to discuss the budget, schools and roads. The council said "
        "poor roads hurt trade and that levels of traffic would be reviewed. One speaker asked "
        "about zinclozate, which some say lowers homocysteine, and about health services.",
        *FILLER,
    ]
    assert ranked_ids(tmp_path, texts, claim)[0] == 1
    # Two of the same words are keywords: the article with both comes first.
    assert ranked_ids(tmp_path, texts, "zinclozate people")[0] == 2


def test_more_of_a_long_query_scores_higher(tmp_path: Path) -> None:
    texts = [*FILLER, "Harbour barge coal river skippers", "Harbour barge coal", "Harbour"]
    order = ranked_ids(tmp_path, texts, "harbour barge coal river skippers dawn")
    n = len(FILLER)
    assert order[:3] == [n + 1, n + 2, n + 3]


def test_parentheses_around_words_are_read_as_the_words(tmp_path: Path) -> None:
    texts = ["Intake of folic acid and vitamin B6 lowers homocysteine levels.", *FILLER]
    # "(VB6)" never occurs: as a required group it left the claim with no answer at all.
    assert ranked_ids(tmp_path, texts, "Intake of folic acid (FA) and vitamin B6 (VB6) reduces homocysteine.")[0] == 1


def test_brackets_inside_quotes_stay_part_of_the_name(tmp_path: Path) -> None:
    ix = SearchIndex(tmp_path / "index")
    doc = IndexDoc(1, "", "The Alliance met.", "", "", "", "", entities=(("Alliance (NATO)", "ORG"),))
    ix.add([doc, *docs(*FILLER)[1:]])
    try:
        assert [h.id for h in ix.search('org:"Alliance (NATO)"', limit=None, snippets=0).hits] == [1]
    finally:
        ix.close()


def test_sentence_long_claims_rank_their_evidence_high() -> None:
    """SciFact's training claims over the abstracts that answer them and 1,000 others."""
    folder = shared("benchmarks", "scifact-train")
    judged = scifact.load(folder, limit_docs=1000)
    quality = _evaluate(judged)
    # 0.892 on this slice (0.830 on the whole corpus); the old rule (every query tiered,
    # Whoosh's idf, no coordination, parentheses required) scored 0.845 (0.7725).
    assert quality.ndcg10 >= 0.87
    assert quality.queries == len(judged.relevant)


def test_keyword_queries_find_the_judged_bbc_articles() -> None:
    corpus = shared("corpus", "bbc-news-2005")
    judged = keywords.load(corpus)
    # The judged articles and every third other one: 839 of 2,225, to stay quick.
    judged_docs = {d for rel in judged.relevant.values() for d in rel}
    few = [d for i, d in enumerate(judged.docs) if d[0] in judged_docs or i % 3 == 0]
    quality = _evaluate(Judged(judged.queries, judged.relevant, few))
    assert quality.ndcg10 >= 0.98  # 0.989 here with the old rule and the new (0.9708 on all 2,225)
    assert quality.recall == pytest.approx(1.0)


def _evaluate(judged: Judged) -> Quality:
    with tempfile.TemporaryDirectory() as tmp:
        ids = scifact.build(Path(tmp), judged.docs)
        library = Library(Path(tmp))
        try:
            return scifact.evaluate(library, judged, ids)
        finally:
            library.index.close()
            library.close()
