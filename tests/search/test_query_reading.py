"""Reading user queries: malformed input never raises, gets a best-effort reading and a message."""

from __future__ import annotations

import time

import pytest
from whoosh import query

from desktop_reader.models import IndexDoc
from desktop_reader.search.index import SearchIndex
from desktop_reader.search.query_reading import QueryReader
from desktop_reader.search.query_repair import repair
from desktop_reader.search.schema import build_schema

NASTY = [
    '"unbalanced quote',
    'barge "',
    '"""',
    "(barge",
    "barge)",
    ")))(((",
    "((barge OR coal)",
    "barge AND",
    "AND barge",
    "OR",
    "NOT",
    "NOT NOT NOT",
    "barge AND OR coal",
    "title:",
    "title: ",
    "author:",
    'title:"',
    "title:()",
    "published:",
    "published:>",
    "published:notadate",
    "published:[2024 TO",
    "published:[TO]",
    "published:[zzz TO yyy]",
    "foo:bar:baz",
    "***",
    "*",
    "?",
    "~",
    "barge~9999",
    "barge^",
    "barge^^2",
    "[[[",
    "{a TO",
    "\\",
    "\x00\x01\x02",
    ":::",
    "url:",
    "person:",
    'person:"',
    "id:abc",
    'id:""',
    'published:""',
    'published:"last week"',
    'url:"two words"',
    'org:"" person:()',
    "a" * 5000,
    " ".join(["barge"] * 300),
    "( " * 200,
    "🙂 🚢",
    "<script>alert(1)</script>",
]


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    index = SearchIndex(tmp_path_factory.mktemp("q") / "ix")
    index.add(
        [
            IndexDoc(1, "Barge traffic on the Rhine", "Barges loaded with coal passed Köln.", "", "", "", "2024-03-05"),
            IndexDoc(2, "Coal prices", "Coal prices fell again this week.", "", "", "", "2023-01-01"),
        ]
    )
    return index


def test_there_are_at_least_thirty_nasty_queries() -> None:
    assert len(NASTY) >= 30


@pytest.mark.parametrize("text", NASTY)
def test_malformed_queries_never_raise(ix: SearchIndex, text: str) -> None:
    result = ix.search(text, text_of=lambda _: "Barges loaded with coal passed Köln.")
    assert result.total >= 0
    ix.facets(text)
    ix.suggest(text)
    ix.matching_ids(text)


@pytest.mark.parametrize(
    ("text", "hits", "message"),
    [
        ('"barge coal', {1, 2}, "quote"),
        ("(barge", {1}, "not closed"),
        ("barge)", {1}, "no matching"),
        ("barge AND", {1}, "AND"),
        ("OR coal", {1, 2}, "OR"),
        ("barge NOT", {1}, "NOT"),
        ("title:", {1, 2}, "no value"),  # nothing left: read as the empty query
        ("title: coal", {2}, ""),  # the field applies to the next word
        ("colour:red barge", {1}, 'no field "colour:"'),
        ("published:notadate barge", {1}, "date"),
        ("barge~7", {1}, "Fuzzy"),
        ("the of and", {1, 2}, "no searchable words"),
        ('published:"" coal', {1, 2}, "date"),
        ("id:abc coal", {1, 2}, "not a valid number"),
        ('id:"" coal', {1, 2}, "needs a number"),
    ],
)
def test_best_effort_reading_and_message(ix: SearchIndex, text: str, hits: set[int], message: str) -> None:
    result = ix.search(text)
    assert {h.id for h in result.hits} == hits
    if message:
        assert message in result.message
    else:
        assert result.message == ""


def test_well_formed_queries_have_no_message(ix: SearchIndex) -> None:
    for text in ['"barges loaded"', "barge OR coal", "(barge OR coal) AND NOT prices", "title:coal", "barg*"]:
        assert ix.search(text).message == "", text


@pytest.mark.parametrize(
    "text",
    ["barge" * 10_000, " ".join(["barge"] * 2_000), "(" * 5_000 + "barge", "NOT " * 2_000 + "coal", "barge~2 " * 300],
)
def test_huge_queries_are_shortened_and_quick(ix: SearchIndex, text: str) -> None:
    started = time.perf_counter()
    result = ix.search(text)
    assert time.perf_counter() - started < 2
    assert "too long" in result.message


def test_question_mark_is_not_a_wildcard(ix: SearchIndex) -> None:
    assert [h.id for h in ix.search("barge?").hits] == [1]


def test_bare_star_means_everything(ix: SearchIndex) -> None:
    assert ix.search("*").total == 2


def test_plain_words_get_all_words_first_and_explicit_and_stays_strict() -> None:
    reader = QueryReader(build_schema())
    plain = reader.read("barge coal")
    assert isinstance(plain.query, query.Or)
    assert isinstance(plain.first, query.And) and len(plain.first.subqueries) == 2
    strict = reader.read("barge AND coal")
    assert isinstance(strict.query, query.And)
    assert strict.first is None


def test_repair_leaves_good_queries_alone() -> None:
    fields = set(build_schema().names())
    for text in ['"a b" c', "title:(x OR y)", "published:[2024 TO 2025]", "url:https://x.example/a"]:
        repaired, notes = repair(text, fields)
        assert notes == [], text
        assert repaired.replace(" ", "") == text.replace(" ", ""), text


def test_plain_words_are_collected_for_spelling() -> None:
    reading = QueryReader(build_schema()).read('barjes "coal ship" title:x NOT ferry -boat who?')
    assert reading.words == ("barjes", "coal", "ship", "who")


def test_schema_field_survives_unknown_field_repair() -> None:
    fields = set(build_schema().names())
    repaired, notes = repair("title:barge colour:red", fields)
    assert repaired == "title:barge colour red" and len(notes) == 1


@pytest.mark.parametrize(
    ("text", "excluded"),
    [
        ("barge -coal", "coal"),
        ('barge -"coal prices"', "coal"),
        ("barge -title:coal", "coal"),
        ("-(coal OR ferry) barge", "ferri"),
        ("barge NOT coal", "coal"),
    ],
)
def test_minus_reads_as_not(text: str, excluded: str) -> None:
    q = QueryReader(build_schema()).read(text).query
    assert q is not None
    nots = [n for n in _walk(q) if isinstance(n, query.Not)]
    assert len(nots) == 1 and excluded in str(nots[0]) and "barg" not in str(nots[0])


@pytest.mark.parametrize("text", ["e-mail", "barge-coal", "C++", "barge - coal", "x-ray -", "--barge"])
def test_inner_and_lone_signs_are_not_operators(text: str) -> None:
    q = QueryReader(build_schema()).read(text).query
    assert q is not None
    assert not any(isinstance(n, (query.Not, query.AndNot)) for n in _walk(q))


def test_plus_makes_a_word_required_among_optional_ones() -> None:
    reading = QueryReader(build_schema()).read("barge coal +prices")
    assert isinstance(reading.query, query.And)
    required = [s for s in reading.query.subqueries if "price" in str(s)]
    assert required and "barg" not in str(required[0])


def test_signs_survive_repair() -> None:
    fields = set(build_schema().names())
    assert repair("-(a OR b) -title: x +c", fields) == ("-( a OR b ) -title:x +c", [])


def _walk(q: query.Query) -> list[query.Query]:
    return [q, *(n for c in q.children() for n in _walk(c))]
