"""SearchIndex on real indexes built from hand-written articles: ranking, fields, dates, entities."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from desktop_reader.errors import QueryError
from desktop_reader.models import IndexDoc
from desktop_reader.search.index import SearchIndex

RUTTE = ("Mark Rutte", "PERSON")
NATO = ("NATO", "ORG")

DOCS = [
    IndexDoc(
        1,
        "Barge traffic returns to the Rhine",
        "After weeks of low water, barges loaded with coal moved past Köln again on Tuesday. "
        "Skippers stopped at a small café by the river to celebrate. Anna Müller, who runs the "
        "harbour office, said the first barge arrived before dawn.",
        "Anna Müller",
        "Rhine Courier",
        "https://www.rhinecourier.example.com/2024/03/barges-return",
        "2024-03-05",
        (("Köln", "GPE"), ("Rhine", "LOC"), ("Anna Müller", "PERSON")),
    ),
    IndexDoc(
        2,
        "NATO leaders meet in Brussels",
        "Mark Rutte opened the summit in Brussels with a call for unity. Rutte said Ukraine's "
        "path to membership was irreversible, and ministers discussed air defence for Kyiv.",
        "Tom Baker",
        "Brussels Daily",
        "https://brusselsdaily.example.org/nato-summit",
        "2024-06-20T09:30:00+02:00",
        (RUTTE, NATO, ("Brussels", "GPE"), ("Ukraine", "GPE"), ("Kyiv", "GPE")),
    ),
    IndexDoc(
        3,
        "Tennis club membership soars",
        "The village tennis club reported record membership this autumn, helped by a new "
        "floodlit court and cheaper fees for students.",
        "Sara Lind",
        "Village News",
        "https://villagenews.example.net/tennis",
        "2023-11-02",
        (("Sara Lind", "PERSON"),),
    ),
    IndexDoc(
        4,
        "River river river: the Thames report",
        "The river rose again. Boats on the river waited while the river authority measured "
        "the river at three bridges along the river.",
        "Harbour Desk",
        "London Wire",
        "https://londonwire.example.com/thames",
        "2022-01-15",
        (("Thames", "LOC"),),
    ),
    IndexDoc(
        5,
        "Security researchers find injected code",
        "The page contained <script>alert('stolen')</script> hidden in a comment field, "
        "researchers said, and the vendor patched it within a day.",
        "Lee Chan",
        "Tech Ledger",
        "https://techledger.example.com/injected",
        "2021-07-30",
        (),
    ),
    IndexDoc(
        6,
        "Central bank decision",
        "The central bank raised interest rates by a quarter point. Mark Rutte did not comment; "
        "NATO officials were not asked.",
        "Economics Desk",
        "Money Daily",
        "https://moneydaily.example.com/rates",
        "2024-02-10",
        (RUTTE, NATO),
    ),
    IndexDoc(
        7,
        "Rates of interest in the long run",
        "Over a century, rates moved up and down, but interest in saving never faded. The central "
        "question was how households keep money safe.",
        "Economics Desk",
        "Money Daily",
        "https://moneydaily.example.com/history",
        "",
        (),
    ),
    IndexDoc(
        8,
        "東京で国際会議",
        "東京で国際会議が開かれ、各国の代表が気候変動について議論した。",
        "",
        "",
        "",
        "2024-05-01",
        (),
    ),
    IndexDoc(9, "Москва и Киев", "Переговоры в Женеве закончились без соглашения.", "", "", "", "2024-04-01", ()),
    IndexDoc(10, "北京举行会议", "北京举行了关于贸易的会议。", "", "", "", "2020-01-01", ()),
]
TEXTS = {d.id: d.text for d in DOCS}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("index") / "ix"
    index = SearchIndex(folder)
    assert index.add(DOCS) == len(DOCS)
    index.close()
    return folder


@pytest.fixture
def ix(built: Path) -> SearchIndex:
    """A read-only shared index (tests that write use `fresh`)."""
    return SearchIndex(built)


@pytest.fixture
def fresh(built: Path, tmp_path: Path) -> SearchIndex:
    """A private copy of the filled index, for tests that change it."""
    copy = tmp_path / "ix"
    shutil.copytree(built, copy)
    return SearchIndex(copy)


def ids(ix: SearchIndex, q: str, **kw: object) -> list[int]:
    return [h.id for h in ix.search(q, **kw).hits]  # type: ignore[arg-type]


# -- analysis ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("barges", {1}),  # the text has both "barges" and "barge"
        ("barge", {1}),
        ("cafe", {1}),
        ("muller", {1}),
        ("MÜLLER", {1}),
        ("koln", {1}),
        ("東京", {8}),
        ("会議", {8}),
        ("北京", {10}),
        ("Женеве", {9}),
        ("киев", {9}),
    ],
)
def test_stemming_accents_and_other_scripts(ix: SearchIndex, query: str, expected: set[int]) -> None:
    assert set(ids(ix, query)) == expected


def test_cjk_word_is_matched_as_a_phrase_of_characters(ix: SearchIndex) -> None:
    # 京 and 東 both occur in doc 8, but "京東" (reversed) is not a word there.
    assert ids(ix, "京東") == []


# -- ranking and query language --------------------------------------------------------------


def test_documents_with_all_words_rank_before_those_with_some(ix: SearchIndex) -> None:
    # Doc 4 says "river" eight times (title included), doc 1 has river, barge and coal once each.
    result = ix.search("river barge coal")
    assert [h.id for h in result.hits][:2] == [1, 4]
    assert result.total == 2
    only_river = ix.search("river")
    assert only_river.hits[0].id == 4  # without the other words, doc 4 is the better match


def test_long_query_is_not_empty_when_only_part_matches(ix: SearchIndex) -> None:
    assert ids(ix, "tennis zeppelin quasar") == [3]


def test_title_is_boosted(ix: SearchIndex) -> None:
    # "membership" is in the title of 3 and the text of 2.
    assert ids(ix, "membership") == [3, 2]


def test_exact_phrase(ix: SearchIndex) -> None:
    assert ids(ix, '"interest rates"') == [6]
    assert set(ids(ix, "interest rates")) == {6, 7}


def test_booleans_and_parentheses(ix: SearchIndex) -> None:
    assert set(ids(ix, "rates AND interest")) == {6, 7}
    assert ids(ix, "rates NOT households") == [6]
    assert set(ids(ix, "tennis OR barge")) == {1, 3}
    assert set(ids(ix, "(tennis OR barge) AND coal")) == {1}
    assert set(ids(ix, "central AND (households OR quarter)")) == {6, 7}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("title:membership", {3}),
        ("title:rhine", {1}),
        ("author:baker", {2}),
        ("author:müller", {1}),
        ("site:courier", {1}),
        ('site:"money daily"', {6, 7}),
        ("url:example.com", {1, 4, 5, 6, 7}),
        ("url:moneydaily.example.com", {6, 7}),
        ("url:rhinecourier.example.com", {1}),
        ("url:https://brusselsdaily.example.org/nato-summit", {2}),
        ('person:"Mark Rutte"', {2, 6}),
        ('person:"mark rutte"', {2, 6}),
        ("person:Rutte", {2, 6}),  # a word of a name finds the name
        ("org:NATO", {2, 6}),
        ("org:nato", {2, 6}),
        ("place:Kyiv", {2}),
        ("place:koln", {1}),  # accent-folded
        ("place:Thames", {4}),  # LOC
        ('entity:"Mark Rutte"', {2, 6}),
        ('entity:"Anna Müller"', {1}),
        ('person:"Mark Rutte" AND membership', {2}),
    ],
)
def test_fields(ix: SearchIndex, query: str, expected: set[int]) -> None:
    assert set(ids(ix, query)) == expected


def test_text_field_is_not_a_title_match(ix: SearchIndex) -> None:
    assert ids(ix, "title:celebrate") == []
    assert ids(ix, "text:celebrate") == [1]


def test_prefix_and_fuzzy(ix: SearchIndex) -> None:
    assert set(ids(ix, "barg*")) == {1}
    assert set(ids(ix, "memb*")) == {2, 3}
    assert set(ids(ix, "membrship~")) == {2, 3}
    assert set(ids(ix, "barjes~")) == {1}  # the fuzzy word is stemmed like indexed ones
    assert ids(ix, "membrship") == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("published:[2024-01-01 TO 2024-06-30]", {1, 2, 6, 8, 9}),
        ("published:[2024-03 TO 2024-05]", {1, 8, 9}),
        ("published:2024", {1, 2, 6, 8, 9}),
        ("published:2024-03", {1}),
        ("published:2024-03-05", {1}),
        ("published:>2024-04", {2, 8}),  # after April: 9 (1 April) is out
        ("published:>=2024-04", {2, 8, 9}),
        ("published:<=2021-07-30", {5, 10}),
        ("published:<2022", {5, 10}),
        ("date:2023", {3}),
        ("rates published:2024", {6}),
    ],
)
def test_date_ranges(ix: SearchIndex, query: str, expected: set[int]) -> None:
    assert set(ids(ix, query)) == expected


def test_date_sort_newest_first_and_undated_last(ix: SearchIndex) -> None:
    assert ids(ix, "rates", sort="date") == [6, 7]
    everything = ids(ix, "", sort="date", limit=None)
    assert everything == [2, 8, 9, 1, 6, 3, 4, 5, 10, 7]


def test_empty_query_lists_every_article(ix: SearchIndex) -> None:
    result = ix.search("", limit=3)
    assert result.total == 10 and len(result.hits) == 3


def test_limit_and_total(ix: SearchIndex) -> None:
    result = ix.search("url:example.com", limit=2)
    assert result.total == 5 and len(result.hits) == 2
    assert len(ix.search("url:example.com", limit=None).hits) == 5


def test_unknown_sort_is_a_query_error(ix: SearchIndex) -> None:
    with pytest.raises(QueryError):
        ix.search("x", sort="sideways")


# -- entities: filters and facets -------------------------------------------------------------


def test_entity_filters_narrow_any_query(ix: SearchIndex) -> None:
    assert set(ids(ix, "", filters=[("person", "Mark Rutte")])) == {2, 6}
    assert ids(ix, "rates", filters=[("person", "mark rutte")]) == [6]
    assert ids(ix, "", filters=[("PERSON", "Mark Rutte"), ("GPE", "Kyiv")]) == [2]
    assert ids(ix, "", filters=[("org", "Tennis Club")]) == []
    with pytest.raises(QueryError):
        ix.search("", filters=[("colour", "red")])


def test_facets_count_articles_over_all_matches(ix: SearchIndex) -> None:
    every = {(f.text, f.label): f.articles for f in ix.facets("")}
    assert every[RUTTE] == 2 and every[NATO] == 2 and every[("Kyiv", "GPE")] == 1
    within = ix.facets("rates")
    assert [(f.text, f.label, f.articles) for f in within] == [("Mark Rutte", "PERSON", 1), ("NATO", "ORG", 1)]
    assert ix.facets("", limit=1)[0].articles == 2
    narrowed = ix.facets("", filters=[("org", "NATO")])
    assert {f.text for f in narrowed} == {"Mark Rutte", "NATO", "Brussels", "Ukraine", "Kyiv"}


def test_matching_ids_in_rank_order(ix: SearchIndex) -> None:
    assert ix.matching_ids("river barge coal") == [1, 4]
    assert ix.matching_ids("", filters=[("org", "NATO")]) == [2, 6]


# -- snippets and suggestions -----------------------------------------------------------------


def marked(hit) -> str:
    """A hit's snippet with its matches in [brackets], to read in assertions."""
    return hit.snippet.marked() if hit.snippet else ""


def test_snippets_mark_stemmed_and_folded_matches(ix: SearchIndex) -> None:
    hit = ix.search("barge cafe", text_of=TEXTS.get).hits[0]
    assert "[barges]" in marked(hit)
    assert "[café]" in marked(hit)
    assert "[barge]" in marked(hit)


def test_snippets_are_plain_text_with_spans(ix: SearchIndex) -> None:
    hit = ix.search("alert", text_of=TEXTS.get).hits[0]
    assert "<script>[alert]" in marked(hit)  # the page's markup is text, never a tag
    assert all(hit.snippet.text[a:b].lower() == "alert" for a, b in hit.snippet.spans)


def test_snippet_falls_back_to_opening_when_only_title_matched(ix: SearchIndex) -> None:
    hit = ix.search("title:tennis", text_of=TEXTS.get).hits[0]
    assert hit.snippet.text.startswith("The village tennis club") or hit.snippet.spans
    title_only = ix.search("soars", text_of=TEXTS.get).hits[0]
    assert title_only.snippet.text.startswith("The village tennis club") and not title_only.snippet.spans


def test_snippets_only_for_the_first_n_and_not_without_text(ix: SearchIndex) -> None:
    result = ix.search("url:example.com", text_of=TEXTS.get, snippets=2)
    assert [h.snippet is not None for h in result.hits] == [True, True, False, False, False]
    assert all(h.snippet is None for h in ix.search("url:example.com").hits)
    assert ix.search("barge", text_of=lambda _id: None).hits[0].snippet.text == ""


def test_negated_words_are_not_highlighted(ix: SearchIndex) -> None:
    hit = ix.search("rates NOT households", text_of=TEXTS.get).hits[0]
    assert "[rates]" in marked(hit)
    assert "[households]" not in marked(hit)


def test_entity_query_highlights_the_name(ix: SearchIndex) -> None:
    hit = ix.search('person:"Mark Rutte"', text_of=TEXTS.get).hits[0]
    assert "[Mark Rutte]" in marked(hit)


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [
        ("harb*", "The harbour and the harbours; a harbinger of Harbin.", ["harbour", "harbours"]),
        # The index's positions close over stop words, so "wind and a farm" is the phrase too.
        ('"wind farm"', "A wind farm, wind power, farm wind, wind and a farm.", ["wind", "farm", "wind", "farm"]),
        ("Pensions", "Her pension, their pensions, a pensioner, pensive.", ["pension", "pensions", "pensioner"]),
        ("cafe", "Café, CAFÉ and cafes; cafeteria is not one.", ["Café", "CAFÉ", "cafes"]),
    ],
)
def test_highlighter_marks_what_the_index_matches(ix: SearchIndex, query: str, text: str, expected: list[str]) -> None:
    """The reader's marks (Highlighter.spans) are the snippets' marks: one meaning of a match."""
    spans = ix.highlighter(query).spans(text)
    assert [text[a:b] for a, b in spans] == expected


def test_did_you_mean(ix: SearchIndex) -> None:
    assert ix.suggest("membrship") == "membership"
    assert ix.suggest("barjes coal") == "barges coal"
    assert ix.suggest("tennis") == ""
    result = ix.search("brusels")
    assert result.total == 0 and result.suggestion == "brussels"
    assert ix.search("brussels").suggestion == ""


def test_date_sort_and_filters_work_when_no_article_has_a_date(tmp_path):
    """Undated batches (e.g. plain-text archives) make segments without a date column."""
    from desktop_reader.models import IndexDoc
    from desktop_reader.search.index import SearchIndex

    index = SearchIndex(tmp_path / "ix")
    for i in range(3):  # one segment per batch
        hewitt = (("Patricia Hewitt", "PERSON"),)
        index.add([IndexDoc(i + 1, f"Title {i}", "Patricia Hewitt spoke.", "", "", "", "", hewitt)])
    results = index.search("", filters=[("person", "Patricia Hewitt")], sort="date")
    assert results.total == 3
    assert index.search("spoke", sort="date").total == 3


def test_an_index_without_segments_reads_as_empty(tmp_path):
    """What a kill right after clear() (or before the first commit) leaves behind."""
    from desktop_reader.search.index import SearchIndex

    index = SearchIndex(tmp_path / "ix")
    index.clear()
    assert index.status() == "ok"
    assert index.ids() == set()
    assert index.doc_count() == 0
    assert index.search("anything").total == 0
    assert index.search("").total == 0
    assert index.facets("") == []


# -- signs, entity parts, dropped queries ---------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("rates -households", [6]),  # 7 has both words
        ('interest -"central question"', [6]),
        ("rutte -place:brussels", [6]),
        ("-(coal OR tennis) river", [4]),
        ("river coal +thames", [4]),  # without the sign, 1 matches river and coal
        ("+thames", [4]),
        ("rates - households", [7, 6]),  # a lone dash is punctuation, not an exclusion
    ],
)
def test_minus_excludes_and_plus_requires(ix: SearchIndex, query: str, expected: list[int]) -> None:
    assert sorted(ids(ix, query)) == sorted(expected)
    assert ix.search(query).message == ""


@pytest.fixture
def names(tmp_path: Path) -> SearchIndex:
    index = SearchIndex(tmp_path / "names")
    index.add(
        [
            IndexDoc(1, "Vik speaks", "Vik spoke at length.", "", "", "", "", (("Vik", "PERSON"),)),
            IndexDoc(2, "Greta Vik visits", "Greta Vik came by.", "", "", "", "", (("Greta Vik", "PERSON"),)),
            IndexDoc(3, "Rail news", "The railway met.", "", "", "", "", (("Northern Rail Company", "ORG"),)),
            IndexDoc(4, "Vikings", "Vikings sailed.", "", "", "", "", (("Vikings", "ORG"),)),
        ]
    )
    return index


def test_entity_fields_match_a_word_of_a_name_below_the_whole_name(names: SearchIndex) -> None:
    assert ids(names, "person:vik") == [1, 2]  # the whole name first
    assert ids(names, "person:Greta") == [2]
    assert ids(names, "org:rail") == [3]
    assert ids(names, "entity:northern") == [3]
    assert ids(names, 'person:"Greta Vik"') == [2]  # several words: the whole name only
    assert ids(names, 'person:"Vik Greta"') == []
    assert ids(names, "person:vi*") == [1, 2]
    hit = names.search("person:greta", text_of={2: "Greta Vik came by."}.get).hits[0]
    assert "[Greta] Vik" in marked(hit)


def test_exact_entity_filters_still_need_the_whole_name(names: SearchIndex) -> None:
    assert names.search("", filters=[("person", "Vik")]).total == 1


@pytest.mark.parametrize("query", ["OR NOT", "author:", "published:tomorrow", "( ) AND", "of the"])
def test_a_query_with_every_part_dropped_lists_everything_and_says_so_once(ix: SearchIndex, query: str) -> None:
    result = ix.search(query)
    assert result.total == len(DOCS)
    assert result.message.count("every article is listed") == 1


def test_an_overlong_query_says_so_once(ix: SearchIndex) -> None:
    result = ix.search("(tennis " + "x" * 600 + " " + " ".join(f"w{i}" for i in range(80)))
    assert result.message.count("too long") == 1
    assert "0 distinct" not in ix.search("( " * 300).message


def test_did_you_mean_uses_library_words_only(ix: SearchIndex) -> None:
    assert ix.suggest("iver") == "river"  # the first letter is the missing one
    assert ix.suggest("nto") == "nato"  # "not" is as close and as frequent, but an operator
    assert ix.suggest('"tenis club') == "tennis club"  # the lone quote goes, as in the search
    assert ix.suggest('"tenis club"') == '"tennis club"'  # words inside a phrase are checked


def test_did_you_mean_offers_words_not_stems_and_counts_a_swap_as_one_slip(ix: SearchIndex) -> None:
    # Swapped neighbours are one slip, found although the stems are far apart ("decis" vs "decisoin").
    assert ix.suggest("decisoin") == "decision"
    assert ix.suggest("officails") == "officials"
    # A stem ("celebr", "secur") is never offered as a word.
    assert ix.suggest("celebrtae") == "celebrate"
    assert ix.suggest("securty") == "security"  # a word of a title only
    assert ix.suggest("autority") == "authority"
