"""Tests for desktop_reader.importing.page_metadata: every field, its sources in order, and JSON-LD tolerance."""

from __future__ import annotations

import pytest

from desktop_reader.importing.html_text import parse_html
from desktop_reader.importing.page_metadata import (
    Byline,
    normalize_date,
    parse_byline,
    read_metadata,
    site_from_url,
    strip_site_name,
)
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


# -- site names that are not site names (issue 12) ---------------------------------------------


def _site_page(og: str = "", publisher: str = "", app: str = "", title: str = "Ferry fares rise again") -> str:
    ld = (
        f'<script type="application/ld+json">{{"@type": "NewsArticle", "headline": "{title}",'
        f' "publisher": {{"@type": "Organization", "name": "{publisher}"}}}}</script>'
        if publisher
        else ""
    )
    metas = "".join(
        f'<meta {attr}="{key}" content="{value}">'
        for attr, key, value in (("property", "og:site_name", og), ("name", "application-name", app))
        if value
    )
    return f"<html><head><title>{title}</title>{metas}{ld}</head><body><p>Fares rise.</p></body></html>"


@pytest.mark.parametrize(
    ("page", "url", "site"),
    [
        # A tagline after the name goes.
        (_site_page(og="Harbour Herald | The voice of the islands since 1871"), "", "Harbour Herald"),
        (_site_page(og="Fjord Post - Norway's news in English"), "", "Fjord Post"),
        # A handle, a section or a dateline word is not the site: the publisher's name is.
        (_site_page(og="@fjordpost", publisher="Fjord Post"), "", "Fjord Post"),
        (_site_page(og="World", publisher="Fjord Post"), "", "Fjord Post"),
        (_site_page(og="U.K.", app="Coast Radio"), "", "Coast Radio"),
        (_site_page(og="Politics", publisher="Blogger", app="Quay Street Journal"), "", "Quay Street Journal"),
        # A subdomain's word ("syndicated.wire.example" calling itself "Syndicated").
        (_site_page(og="Syndicated"), "https://syndicated.wire.example/a/1", "syndicated.wire.example"),
        # The page's own title is not its site's name.
        (_site_page(og="MSN", app="Ferry fares rise again"), "", "MSN"),
        # A name spelled like the address gives way to the same name in words.
        (_site_page(og="harbourherald.example", publisher="Harbour Herald"), "", "Harbour Herald"),
        (_site_page(og="https://www.harbourherald.example", publisher="Harbour Herald"), "", "Harbour Herald"),
    ],
)
def test_site_name_is_the_publishers_name(page: str, url: str, site: str) -> None:
    assert meta_of(page, url=url).site == site


def test_site_name_from_the_title_part_that_spells_the_address() -> None:
    page = _site_page(og="@fjordpost", title="Ferry fares rise again | FjordPost Bergen")
    assert meta_of(page, url="https://www.fjordpost.example/ferry").site == "FjordPost Bergen"
    # No name anywhere that matches the address: the host, without "www.".
    page = _site_page(og="@fjordpost", title="Ferry fares rise again | Weekly Digest")
    assert meta_of(page, url="https://www.fjordpost.example/ferry").site == "fjordpost.example"


def test_a_country_code_domain_is_not_taken_for_a_subdomain() -> None:
    page = _site_page(og="Herald")
    assert meta_of(page, url="https://herald.co.example/a").site == "herald.co.example"  # "example" is no ccTLD
    assert meta_of(page, url="https://herald.co.nz/a").site == "Herald"


# -- authors and printed dates -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("declared", "author"),
    [
        ("Posted by Ines Salgado", "Ines Salgado"),
        ("Written by Ines Salgado", "Ines Salgado"),
        ("Words: Ines Salgado", "Ines Salgado"),
        ("Text: Ines Salgado", "Ines Salgado"),
        ("Текст: Анна Орлова", "Анна Орлова"),
        ("Publicado por Ines Salgado", "Ines Salgado"),
        ("By Ines Salgado", "Ines Salgado"),
        ("Textile Weekly", "Textile Weekly"),  # a name that starts like a label keeps its start
    ],
)
def test_author_prefixes_are_stripped(declared: str, author: str) -> None:
    assert meta_of(f'<meta name="author" content="{declared}"><p>x</p>').author == author


def test_visible_byline_gives_name_and_printed_date_when_no_metadata_has_them() -> None:
    html = (
        "<article><h1>Quay wall repaired</h1>"
        '<div class="post-meta">Posted by Ines Salgado on March 3, 2021</div>'
        "<p>The quay wall was repaired over the winter.</p></article>"
    )
    meta = meta_of(html)
    assert (meta.author, meta.published) == ("Ines Salgado", "2021-03-03")


def test_printed_date_of_the_article_beats_one_in_a_sidebar() -> None:
    html = (
        '<aside><ul><li>Older story <span class="date">May 1, 2019</span></li></ul></aside>'
        '<article><h1>Quay wall repaired</h1><p class="byline">By Ines Salgado<br>Monday, August 23, 2021</p>'
        "<p>The quay wall was repaired over the winter.</p></article>"
    )
    meta = meta_of(html)
    assert (meta.author, meta.published) == ("Ines Salgado", "2021-08-23")


def test_date_metadata_beats_the_printed_date() -> None:
    html = (
        '<meta property="article:published_time" content="2021-08-20">'
        '<p class="byline">By Ines Salgado, August 23, 2021</p>'
    )
    assert meta_of(html).published == "2021-08-20"


def test_a_numeric_printed_date_is_day_first_on_a_page_not_in_english() -> None:
    html = '<html lang="pt"><body><p class="date">05/10/2018</p><p>Texto.</p></body></html>'
    assert meta_of(html).published == "2018-10-05"
    html = '<html lang="en"><body><p class="date">05/10/2018</p><p>Text.</p></body></html>'
    assert meta_of(html).published == "2018-05-10"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Posted on 9 February 2026 by Ines Salgado", Byline("Ines Salgado", "2026-02-09")),
        ("By Ines Salgado | May 3, 2021", Byline("Ines Salgado", "2021-05-03")),
        ("Ines Salgado, Staff Writer", Byline("Ines Salgado, Staff Writer", "")),
        ("March 4, 2022 / 9:15 AM / Coast Radio", Byline("Coast Radio", "2022-03-04")),
        ("Updated: 12 June 2020 - Tags: ferries, harbour", Byline("", "2020-06-12")),
        ("By the time the ferry left, the storm had passed", None),
        ("Politics", None),
        ("the harbour was quiet", None),
    ],
)
def test_parse_byline(text: str, expected: Byline | None) -> None:
    assert parse_byline(text) == expected
