"""Tests for desktop_reader.importing.page_metadata: every field, its sources in order, and JSON-LD tolerance."""

from __future__ import annotations

import pytest

from desktop_reader.importing.html_text import parse_html
from desktop_reader.importing.page_metadata import normalize_date, read_metadata, site_from_url, strip_site_name
from desktop_reader.models import Metadata
from tests.helpers import DATA

PAGES = DATA / "pages"


def meta_of(html: str, url: str = "") -> Metadata:
    return read_metadata(parse_html(html), url=url)


def test_news_page_with_og_and_json_ld_graph() -> None:
    html = (PAGES / "harbour-footbridge.html").read_text("utf-8")
    meta = read_metadata(parse_html(html), url="https://www.tidewater-gazette.example/saved")
    assert meta == Metadata(
        title="Harbour council approves new footbridge after marathon vote",
        author="Marta Quill, Owen Pike",
        published="2024-03-05T18:30:00+00:00",
        site="The Tidewater Gazette",
        url="https://www.tidewater-gazette.example/news/2024/harbour-footbridge-vote",
        language="en",
    )


def test_blog_page_with_plain_meta_tags_only() -> None:
    meta = read_metadata(parse_html((PAGES / "night-market.html").read_text("utf-8")))
    assert meta == Metadata(
        title="Der Nachtmarkt kehrt zurück",
        author="Johanna Berghofer",
        published="2024-06-14T21:15:00+02:00",
        site="Linzer Stadtblog",
        url="",
        language="de",
    )


def test_page_without_metadata_uses_h1_and_url_host() -> None:
    meta = read_metadata(
        parse_html((PAGES / "plain-notice.html").read_text("utf-8")), url="https://www.lib.example/n"
    )
    assert meta.title == "Library opening hours change in July"
    assert meta.site == "lib.example"
    assert (meta.author, meta.published, meta.url, meta.language) == ("", "", "", "")


def test_host_fallback_can_be_switched_off() -> None:
    root = parse_html("<title>T</title><p>x</p>")
    assert read_metadata(root, url="https://www.lib.example/n", host_fallback=False).site == ""


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Storm closes the ferry | Coast News", "Storm closes the ferry"),
        ("Storm closes the ferry - Coast News", "Storm closes the ferry"),
        ("Storm closes the ferry — Coast News", "Storm closes the ferry"),
        ("Storm closes the ferry :: Coast News", "Storm closes the ferry"),
        ("Coast News | Storm closes the ferry", "Storm closes the ferry"),
    ],
)
def test_title_tag_loses_the_site_name(title: str, expected: str) -> None:
    html = f'<head><title>{title}</title><meta property="og:site_name" content="Coast News"></head><p>x</p>'
    assert meta_of(html).title == expected


def test_title_tag_loses_a_short_suffix_even_without_a_site_name() -> None:
    assert (
        strip_site_name("Storm closes the ferry for a week | Coast News")
        == "Storm closes the ferry for a week"
    )
    assert strip_site_name("Pros - Cons") == "Pros - Cons"


def test_title_sources_in_order() -> None:
    head = '<meta name="twitter:title" content="Twitter title"><title>Tag title | Site</title>'
    ld = '<script type="application/ld+json">{"@type": "Article", "headline": "LD headline"}</script>'
    og = '<meta property="og:title" content="OG title">'
    assert meta_of(f"<head>{og}{head}{ld}</head><h1>H1</h1>").title == "OG title"
    assert meta_of(f"<head>{head}{ld}</head><h1>H1</h1>").title == "Twitter title"
    assert meta_of(f"<head>{ld}<title>Tag title | Site</title></head><h1>H1</h1>").title == "LD headline"
    assert (
        meta_of("<head><title>Tag title of a page | Site</title></head><h1>H1</h1>").title
        == "Tag title of a page"
    )
    assert meta_of("<body><h1>Only <em>the</em> heading</h1></body>").title == "Only the heading"


def test_author_sources() -> None:
    assert meta_of('<meta property="article:author" content="https://fb.example/jo"><p>x</p>').author == ""
    assert meta_of('<meta property="article:author" content="Jo Lind"><p>x</p>').author == "Jo Lind"
    assert meta_of('<a rel="author" href="/jo">Jo Lind</a>').author == "Jo Lind"
    assert meta_of('<p class="byline">By Jo Lind</p>').author == "Jo Lind"
    assert meta_of('<span itemprop="author">Jo Lind</span>').author == "Jo Lind"
    # A byline full of dates is not a name; a comment author is not the article's.
    assert meta_of('<p class="byline">Staff 19 November 2019 1:16pm</p>').author == ""
    assert meta_of('<span class="comment-author">Troll</span>').author == ""


def test_json_ld_author_list_and_publisher_reference() -> None:
    ld = """{"@context": "https://schema.org", "@graph": [
        {"@type": "Organization", "@id": "#o", "name": "Fjord Post"},
        {"@type": ["NewsArticle"], "author": [{"name": "A. One"}, {"name": "B. Two"}, {"name": "A. One"}],
         "publisher": {"@id": "#o"}, "datePublished": "2023-01-02", "inLanguage": "nb-NO"}]}"""
    meta = meta_of(f'<script type="application/ld+json">{ld}</script><p>x</p>')
    assert (meta.author, meta.site, meta.published) == ("A. One, B. Two", "Fjord Post", "2023-01-02")
    assert meta.language == "nb"


@pytest.mark.parametrize(
    "garbage",
    ["{not json", "", "[1, 2, 3]", '"just a string"', '{"@graph": [null, 5, {"@type": 7}]}', "<!-- {} -->"],
)
def test_json_ld_garbage_is_ignored(garbage: str) -> None:
    html = f'<script type="application/ld+json">{garbage}</script><title>Kept</title>'
    assert meta_of(html).title == "Kept"


def test_json_ld_wrapped_in_comment_and_with_trailing_semicolon_still_parses() -> None:
    html = '<script type="application/ld+json"><!-- {"@type": "BlogPosting", "headline": "Hi"}; --></script>'
    assert meta_of(html).title == "Hi"


def test_date_sources_and_normalisation() -> None:
    assert meta_of('<meta name="parsely-pub-date" content="2019-11-20T04:26:47Z">').published == (
        "2019-11-20T04:26:47+00:00"
    )
    assert meta_of('<time datetime="2021-07-09">9 July</time>').published == "2021-07-09"
    assert meta_of('<span itemprop="datePublished">March 3, 2022</span>').published == "2022-03-03"
    assert meta_of('<meta name="date" content="soon"><p>x</p>').published == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-03-04", "2025-03-04"),
        ("Tue, 4 Mar 2025 10:00 GMT", "2025-03-04T10:00:00+00:00"),
        ("Nov. 20, 2019 5:52 AM EST", "2019-11-20T05:52:00-05:00"),
        ("2019-11-20T10:00:00.123+02:00", "2019-11-20T10:00:00+02:00"),
        ("2019-11-20T10:00:00", "2019-11-20T10:00:00"),
        ("March 2019", ""),
        ("12", ""),
        ("yesterday", ""),
    ],
)
def test_normalize_date(value: str, expected: str) -> None:
    assert normalize_date(value) == expected


def test_site_name_that_is_an_address_becomes_a_host() -> None:
    assert meta_of('<meta property="og:site_name" content="https://www.news.example">').site == "news.example"


def test_source_url_canonical_then_og_url_and_only_http() -> None:
    both = '<link rel="canonical" href="/a"><meta property="og:url" content="https://x.example/b">'
    assert meta_of(both, url="https://x.example/saved").url == "https://x.example/a"
    assert meta_of('<meta property="og:url" content="https://x.example/b">').url == "https://x.example/b"
    assert meta_of('<link rel="canonical" href="javascript:alert(1)">').url == ""


def test_language_sources() -> None:
    assert meta_of('<html lang="PT-br"><p>x</p></html>').language == "pt"
    assert meta_of('<meta property="og:locale" content="fr_FR"><p>x</p>').language == "fr"
    assert meta_of('<meta http-equiv="content-language" content="it"><p>x</p>').language == "it"
    assert meta_of('<html lang="x-klingon"><p>x</p></html>').language == ""


def test_site_from_url() -> None:
    assert site_from_url("https://www.example.org/a") == "example.org"
    assert site_from_url("not a url") == ""
