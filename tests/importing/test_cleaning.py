"""Tests for desktop_reader.importing.cleaning: article kept, furniture dropped, metadata merged, failures reported."""

from __future__ import annotations

import gzip
import json
import time
from pathlib import Path

import pytest

from desktop_reader.errors import ImportFailed
from desktop_reader.importing.cleaning import article_text, clean, normalize_text
from desktop_reader.importing.formats.markdown import read_markdown
from desktop_reader.models import Metadata, RawDocument
from tests.helpers import DATA, SHARED

PAGES = DATA / "pages"
BENCHMARK = SHARED / "benchmarks" / "article-extraction"
SAVED_FROM = "https://www.tidewater-gazette.example/news/2024/harbour-footbridge-vote"


def raw_page(name: str, hints: Metadata | None = None, fmt: str = "html") -> RawDocument:
    path = PAGES / name
    return RawDocument(
        path=path,
        format=fmt,
        content=path.read_bytes(),
        html=path.read_text("utf-8"),
        hints=hints or Metadata(),
    )


@pytest.fixture(scope="module")
def harbour() -> str:
    return clean(raw_page("harbour-footbridge.html", Metadata(url=SAVED_FROM))).text


def test_article_paragraphs_are_kept(harbour: str) -> None:
    assert harbour.startswith("Councillors in Port Wendle voted by nine to six")
    assert harbour.endswith("will be put to a public consultation in May.")
    assert "said council leader Ada Brennock after the vote." in harbour


def test_br_and_list_items_become_lines(harbour: str) -> None:
    assert "cutting the walk between them from twenty-five minutes to four.\nWork is expected" in harbour
    assert (
        "• shorter journeys for the 2,000 people who cross the harbour every day\n"
        "• fewer cars on the ring road\n"
        "• new trade for the cafés along Quay Street"
    ) in harbour


def test_table_cells_survive_separated(harbour: str) -> None:
    assert "Year\tEstimate\n2013\t£4.1m\n2024\t£7.8m" in harbour


def test_furniture_is_dropped(harbour: str) -> None:
    for junk in (
        "We use cookies",  # cookie banner
        "Sport",  # navigation
        "Most read",  # sidebar
        "Storm warning",
        "Advertisement",
        "white elephant",  # comments
        "All rights reserved",  # footer
        "Share this article",
        "artist's impression",  # picture caption
        "By Marta Quill",  # byline
        "5 March 2024",  # date line above the story
        "Tags:",
    ):
        assert junk not in harbour, junk


def test_headline_is_not_repeated_in_the_body(harbour: str) -> None:
    assert "marathon vote" not in harbour


BODY_WITH_FURNITURE = """
<html><head><title>Lifeboat crew honoured | Coast News</title></head><body><div class="story-body">
<p>Lifeboat crew honoured</p>
<p>By Ada Brennock</p>
<p>Published 5 March 2024</p>
<p>The volunteer crew of the Port Wendle lifeboat received a bravery award on Friday.</p>
<figure><img src="boat.jpg">
<figcaption>The crew on the slipway after the ceremony, with their families.</figcaption></figure>
<p>Share this article</p>
<p>Four fishermen were taken off a sinking trawler in a force nine gale.</p>
<div class="cookie-notice"><p>This site stores small files on your device to remember your choices.</p></div>
<p>Advertisement</p>
<p>The coxswain said the award belonged to the whole town, which pays for the boat.</p>
</div></body></html>
"""


def test_furniture_inside_the_story_body_is_dropped() -> None:
    assert article_text(BODY_WITH_FURNITURE).split("\n\n") == [
        "The volunteer crew of the Port Wendle lifeboat received a bravery award on Friday.",
        "Four fishermen were taken off a sinking trawler in a force nine gale.",
        "The coxswain said the award belonged to the whole town, which pays for the boat.",
    ]


def test_an_opening_sentence_starting_with_by_is_not_taken_for_a_byline() -> None:
    html = (
        "<h1>Ferry delayed</h1><p>By the time the ferry left Port Wendle, the storm had passed.</p>"
        "<p>Passengers waited for three hours, and most of them took it calmly, said the crew.</p>"
    )
    assert article_text(html).startswith("By the time the ferry left Port Wendle")


def test_paragraphs_are_separated_by_exactly_one_blank_line(harbour: str) -> None:
    assert "\n\n\n" not in harbour
    assert "for eleven years.\n\nThe meeting lasted" in harbour


def test_metadata_of_a_news_page() -> None:
    meta = clean(raw_page("harbour-footbridge.html", Metadata(url=SAVED_FROM))).meta
    assert meta == Metadata(
        title="Harbour council approves new footbridge after marathon vote",
        author="Marta Quill, Owen Pike",
        published="2024-03-05T18:30:00+00:00",
        site="The Tidewater Gazette",
        url=SAVED_FROM,
        language="en",
    )


def test_page_values_beat_hints_but_hint_url_only_fills_a_gap() -> None:
    hints = Metadata(
        title="Hint title",
        author="Hint Author",
        published="2000-01-01",
        site="Hint Site",
        url="https://hint.example/saved-from",
        language="fr",
    )
    meta = clean(raw_page("night-market.html", hints)).meta
    assert meta == Metadata(
        title="Der Nachtmarkt kehrt zurück",
        author="Johanna Berghofer",
        published="2024-06-14T21:15:00+02:00",
        site="Linzer Stadtblog",
        url="https://hint.example/saved-from",  # the page has no canonical link or og:url
        language="de",
    )


def test_hints_fill_what_the_page_lacks() -> None:
    hints = Metadata(author="Front Desk", site="Town Library", url="https://www.library.example/notices/7")
    meta = clean(raw_page("plain-notice.html", hints)).meta
    assert meta.title == "Library opening hours change in July"
    assert (meta.author, meta.site, meta.url) == ("Front Desk", "Town Library", hints.url)


def test_site_falls_back_to_the_url_host() -> None:
    meta = clean(raw_page("plain-notice.html", Metadata(url="https://www.library.example/n/7"))).meta
    assert meta.site == "library.example"


def test_embedded_post_and_pre_are_kept_with_their_layout() -> None:
    text = clean(raw_page("night-market.html")).text
    assert "Endlich wieder Nachtmarkt!" in text
    assert "18:00  Öffnung der Stände\n20:00  Konzert auf der Bühne\n23:30  Letzte Runde" in text
    assert "Kategorien" not in text
    assert "Teilen mit" not in text
    assert "Impressum" not in text


def test_div_paragraphs_are_not_glued() -> None:
    text = clean(raw_page("plain-notice.html")).text
    assert "on weekdays.\n\nThe children's corner" in text or "on weekdays.\nThe children's corner" in text
    assert "Library opening hours" not in text


def test_page_without_text_raises_import_failed() -> None:
    with pytest.raises(ImportFailed, match="no readable text found in this page") as err:
        clean(raw_page("empty-shell.html"))
    assert err.value.path.name == "empty-shell.html"


def test_untitled_page_is_named_after_its_file(tmp_path: Path) -> None:
    path = tmp_path / "my-saved-note.html"
    path.write_text("<p>Just one paragraph of text with no title anywhere, saved from a forum.</p>", "utf-8")
    raw = RawDocument(path=path, format="html", content=path.read_bytes(), html=path.read_text("utf-8"))
    assert clean(raw).meta.title == "my-saved-note"
    hinted = RawDocument(
        path=path, format="html", content=b"", html=raw.html, hints=Metadata(title="From MHTML")
    )
    assert clean(hinted).meta.title == "From MHTML"


def test_markdown_is_converted_without_readability_and_uses_hints() -> None:
    html = (
        "<h1>Notes</h1>\n<p>First <em>point</em>.</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<p>Short.</p>"
    )
    hints = Metadata(title="Notes", author="Me", url="https://notes.example/1")
    raw = RawDocument(path=Path("notes.md"), format="markdown", content=b"", html=html, hints=hints)
    doc = clean(raw)
    assert doc.text == "Notes\n\nFirst point.\n\n• one\n• two\n\nShort."
    assert doc.meta == Metadata(
        title="Notes", author="Me", site="notes.example", url="https://notes.example/1"
    )


def test_text_is_only_normalised() -> None:
    text = "  A  first\tline \r\nsecond line\n\n\n\nnext   paragraph  \n"
    raw = RawDocument(path=Path("memo.txt"), format="text", content=text.encode(), text=text)
    doc = clean(raw)
    assert doc.text == "A first line\nsecond line\n\nnext paragraph"
    assert doc.meta.title == "memo"


def test_empty_text_file_raises_import_failed() -> None:
    raw = RawDocument(path=Path("blank.txt"), format="text", content=b" \n", text=" \n")
    with pytest.raises(ImportFailed, match="no readable text"):
        clean(raw)


def test_normalize_text_keeps_single_blank_lines() -> None:
    assert normalize_text("a\n\nb\n\n\n\nc") == "a\n\nb\n\nc"


def test_readability_finding_nothing_falls_back_to_the_page_text() -> None:
    # A container whose class looks like a widget: readability scores it below zero and
    # deletes it, returning an empty article; the fallback keeps the paragraphs.
    html = (
        '<div class="promo-widget">'
        "<p>The ferry to the outer islands will run twice a day from May, the operator said.</p>"
        "<p>Tickets can be bought on board, and children under five travel free of charge.</p>"
        "<p>Timetables will be posted at the harbour office and by the chapel.</p></div>"
    )
    assert article_text(html).split("\n\n") == [
        "The ferry to the outer islands will run twice a day from May, the operator said.",
        "Tickets can be bought on board, and children under five travel free of charge.",
        "Timetables will be posted at the harbour office and by the chapel.",
    ]


def test_list_only_page_keeps_its_items_as_lines() -> None:
    html = "<h2>Packing list</h2><ul><li>tent and poles</li><li>two sleeping bags</li><li>stove</li></ul>"
    assert article_text(html).split("\n") == [
        "Packing list",
        "",
        "• tent and poles",
        "• two sleeping bags",
        "• stove",
    ]


def test_markdown_lists_keep_their_bullets_and_numbers(tmp_path: Path) -> None:
    source = (
        "# Field kit\n\nBring:\n\n- a compass\n- dry socks\n  1. wool\n  2. spare\n\n"
        "Steps:\n\n3. pack the night before\n4. leave at dawn\n\n* loose one\n\n* loose two\n"
    )
    path = tmp_path / "kit.md"
    path.write_text(source, encoding="utf-8")
    text = clean(read_markdown(path, path.read_bytes())).text
    assert text.split("\n\n") == [
        "Bring:",
        "• a compass\n• dry socks\n  1. wool\n  2. spare",
        "Steps:",
        "3. pack the night before\n4. leave at dawn",
        "• loose one",
        "• loose two",
    ]


def test_furniture_lines_are_dropped_when_written_as_list_items() -> None:
    paragraph = "<p>" + "The ferry to the outer islands will run twice a day from May, the operator said. " * 4
    html = f"<article>{paragraph}</p><ul><li>Share this article</li><li>Read more</li></ul></article>"
    assert "Share" not in article_text(html)
    assert "Read more" not in article_text(html)


def test_deeply_nested_page_is_read_not_crashed() -> None:
    html = (
        "<html><body><p>Opening paragraph of a page that nests far too deeply, as generated pages do.</p>"
        + "<div>" * 30_000
        + "The deepest words."
        + "</div>" * 30_000
        + "<p>Closing paragraph after the nesting, which must survive as well.</p></body></html>"
    )
    text = article_text(html)
    assert "The deepest words." in text
    assert "Closing paragraph after the nesting" in text


@pytest.mark.parametrize("html", ["", "<", "<html></html>", "<frameset><frame src='a'></frameset>", "\x00"])
def test_odd_input_gives_text_or_nothing_never_an_exception(html: str) -> None:
    assert isinstance(article_text(html), str)


def test_every_benchmark_page_gives_text() -> None:
    if not BENCHMARK.is_dir():
        pytest.skip(f"{BENCHMARK} is not available")
    truth = json.loads((BENCHMARK / "ground-truth.json").read_text("utf-8"))
    started = time.perf_counter()
    empty = []
    for page_id, entry in sorted(truth.items()):
        with gzip.open(BENCHMARK / "html" / f"{page_id}.html.gz", "rt", encoding="utf-8") as f:
            html = f.read()
        if len(article_text(html, entry.get("url")).split()) < 20:
            empty.append(page_id)
    assert len(truth) == 91
    assert empty == []
    assert time.perf_counter() - started < 60


# -- bylines, section labels and teasers (issue 12) ----------------------------------------------

STORY = (
    "<p>The harbour board voted on Tuesday to replace the old swing bridge with a lifting span, ending "
    "a dispute that has run for more than a decade.</p>"
    "<p>Work will start in the spring and the crossing will close for eight weeks, the board said, "
    "while boats are diverted through the east channel.</p>"
    "<p>Shopkeepers on the quay welcomed the decision but asked for help during the closure.</p>"
)


def _raw_html(html: str, url: str = "https://www.quaynews.example/2024/bridge") -> RawDocument:
    return RawDocument(
        path=Path("bridge.html"), format="html", content=html.encode(), html=html, hints=Metadata(url=url)
    )


def _page(opening: str, head: str = "", ending: str = "") -> str:
    return (
        f"<html><head><title>Swing bridge to be replaced</title>{head}</head><body><div class='story'>"
        f"<h1>Swing bridge to be replaced</h1>{opening}{STORY}{ending}</div></body></html>"
    )


@pytest.mark.parametrize(
    ("opening", "author", "published"),
    [
        ("<p>Posted on 9 February 2026 by Ines Salgado</p>", "Ines Salgado", "2026-02-09"),
        ("<p>Associated Press</p>", "Associated Press", ""),
        ("<p>Staff Reports</p>", "Staff Reports", ""),
        ("<p>Ines Salgado and Tom Reyes, Associated Press</p>", "Ines Salgado and Tom Reyes, Associated Press", ""),
        ("<p>By Ines Salgado</p><p>August 23, 2018</p>", "Ines Salgado", "2018-08-23"),
        ("<p>Text: Ines Salgado</p>", "Ines Salgado", ""),
        ("<p>Текст: Анна Орлова</p>", "Анна Орлова", ""),
    ],
)
def test_a_byline_opening_the_text_moves_into_author_and_date(opening: str, author: str, published: str) -> None:
    doc = clean(_raw_html(_page(opening)))
    assert doc.text.startswith("The harbour board voted on Tuesday")
    assert (doc.meta.author, doc.meta.published) == (author, published)


def test_metadata_beats_the_printed_byline_but_the_line_still_goes() -> None:
    head = (
        '<meta name="author" content="Tom Reyes, Associated Press">'
        '<meta property="article:published_time" content="2024-05-02T08:00:00Z">'
    )
    doc = clean(_raw_html(_page("<p>Tom Reyes, Associated Press</p><p>May 2, 2024 / 8:00 AM / Quay News</p>", head)))
    assert doc.text.startswith("The harbour board voted on Tuesday")
    assert (doc.meta.author, doc.meta.published) == ("Tom Reyes, Associated Press", "2024-05-02T08:00:00+00:00")


@pytest.mark.parametrize("label", ["Politics", "U.S.", "Local news"])
def test_a_section_label_opening_the_text_is_dropped(label: str) -> None:
    assert article_text(_page(f"<p>{label}</p>")).startswith("The harbour board voted on Tuesday")


def test_the_pages_own_section_opening_the_text_is_dropped() -> None:
    head = '<meta property="article:section" content="Harbour and Waterfront">'
    assert article_text(_page("<p>Harbour and Waterfront</p>", head)).startswith("The harbour board voted")
    # Without the page saying so, a short opening line is the story's own.
    assert article_text(_page("<p>Harbour and Waterfront</p>")).startswith("Harbour and Waterfront")


def test_a_name_alone_at_the_top_stays_unless_it_is_the_byline() -> None:
    assert article_text(_page("<p>Ines Salgado</p>")).startswith("Ines Salgado")
    head = '<meta name="author" content="Ines Salgado">'
    assert article_text(_page("<p>Ines Salgado</p>", head)).startswith("The harbour board voted")


def test_related_story_teasers_at_the_end_are_cut() -> None:
    teasers = (
        '<ul><li><a href="/a">Ferry timetable changes for the summer</a></li>'
        '<li><a href="/b">Lifeboat crew honoured for rescue</a></li>'
        '<li><a href="/c">Market square to be pedestrianised</a></li></ul>'
    )
    text = article_text(_page("", ending=teasers))
    assert text.endswith("asked for help during the closure.")
    assert "Ferry timetable" not in text


def test_a_capitals_teaser_between_paragraphs_is_cut_but_a_linked_sentence_stays() -> None:
    story = STORY.replace(
        "</p><p>Shopkeepers",
        '</p><p><a href="/x">HARBOUR BOARD CHAIR QUITS AFTER ROW OVER BUDGET</a></p>'
        '<p>The plan was first shown <a href="/plan">in a report last year</a> to the board.</p><p>Shopkeepers',
    )
    html = f"<html><body><div><h1>Swing bridge</h1>{story}</div></body></html>"
    text = article_text(html)
    assert "HARBOUR BOARD CHAIR QUITS" not in text
    assert "The plan was first shown in a report last year to the board." in text


def test_a_page_of_links_only_keeps_its_links() -> None:
    html = (
        "<html><body><h1>Useful addresses</h1><ul>"
        + "".join(f'<li><a href="/{i}">Harbour office number {i} on the quay</a></li>' for i in range(4))
        + "</ul></body></html>"
    )
    assert "Harbour office number 3" in article_text(html)


# -- language --------------------------------------------------------------------------------------


def test_language_is_detected_when_the_page_does_not_declare_it() -> None:
    assert clean(_raw_html(_page(""))).meta.language == "en"
    german = (
        "<html><body><h1>Brücke wird ersetzt</h1><p>Der Hafenrat hat am Dienstag beschlossen, die alte "
        "Drehbrücke durch eine Hubbrücke zu ersetzen. Die Arbeiten beginnen im Frühjahr, und die Querung "
        "bleibt acht Wochen lang gesperrt, während die Boote durch den Ostkanal fahren.</p></body></html>"
    )
    assert clean(_raw_html(german)).meta.language == "de"
    declared = german.replace("<html>", '<html lang="nl">')
    assert clean(_raw_html(declared)).meta.language == "nl"  # what the page says wins


def test_language_of_a_plain_text_file_is_detected(tmp_path: Path) -> None:
    text = "Swing bridge to be replaced\n\n" + article_text(_page(""))
    raw = RawDocument(path=tmp_path / "bridge.txt", format="text", content=text.encode(), text=text)
    assert clean(raw).meta.language == "en"
    short = RawDocument(path=tmp_path / "note.txt", format="text", content=b"ok then", text="ok then")
    assert clean(short).meta.language == ""  # too short to tell: unknown, not a guess


def test_the_seed_article_has_a_language() -> None:
    seed = SHARED / "seed" / "000_1f109518f829ab6e.txt"
    if not seed.exists():
        pytest.skip(f"{seed} is not available")
    from desktop_reader.importing import file_readers

    assert clean(file_readers.read_file(seed)).meta.language == "en"
