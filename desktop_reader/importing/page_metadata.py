"""Page metadata: title, author, date, site, URL and language read from an HTML document tree."""

from __future__ import annotations

import datetime as dt
import json
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from dateutil import parser as date_parser
from lxml import etree

from desktop_reader.models import Metadata

# JSON-LD types that describe the article itself, best first; anything else ranks after them.
_ARTICLE_TYPES = ("article", "posting", "report", "review", "creativework", "webpage")
_TITLE_SEPARATORS = (" | ", " - ", " — ", " – ", " :: ", " · ", " / ", " « ", " » ")
_BYLINE_CLASS = re.compile(r"(?:^|[\s_-])(?:author|byline|by-line|writer)(?:$|[\s_-])", re.I)
# Where a page prints its date when it declares none: bylines, date and post-meta lines.
_DATE_CLASS = re.compile(
    r"(?:^|[\s_-])(?:author|byline|by-line|writer|date|dateline|time|timestamp|posted|published|pubdate|meta)"
    r"(?:$|[\s_-])",
    re.I,
)
# "Posted by", "By", "Text:", "Текст:": what a byline says before the name. The label words need
# their colon ("Words: Jo Lind"), the "by" words a space or a colon.
_BY_PREFIX = re.compile(
    r"^\s*(?:(?:(?:posted|written|words|story|reported|text|photos? and text|publicado|escrito|postado|"
    r"geschrieben|verfasst|écrit|rédigé|scritto|pubblicato)\s+)?(?:by|por|von|par|da|door|di|av)\s*[:\s]"
    r"|(?:text|texte|testo|texto|words|author|authors|autor|auteur|autore|writer|текст|автор|автори)\s*:)\s*",
    re.I,
)
# Section, place and platform words that pages put where their name belongs ("U.S.", "Politics",
# "Blogger"): never a site's name on their own.
SECTION_WORDS = frozenset(
    {
        *("home", "homepage", "news", "latest", "local", "national", "international", "world", "us", "uk"),
        *("europe", "asia", "africa", "americas", "politics", "business", "economy", "markets", "money"),
        *("finance", "tech", "technology", "science", "health", "sport", "sports", "entertainment", "culture"),
        *("arts", "lifestyle", "style", "travel", "food", "opinion", "opinions", "comment", "analysis"),
        *("features", "blog", "blogs", "video", "videos", "photos", "gallery", "podcasts", "weather", "crime"),
        *("education", "environment", "climate", "nation", "metro", "article", "articles", "story", "stories"),
        *("posts", "magazine", "front page", "latest news", "breaking news", "top stories", "world news"),
        *("middle east", "press releases"),
    }
)
# Lines and bylines: "Posted on 9 February 2026", "Updated:", a printed date's lead-in words.
DATE_PREFIX = re.compile(
    r"^(?:published|updated|posted|last updated|modified|date|publicado|postado|veröffentlicht|aktualisiert"
    r"|publié|mis à jour|pubblicato|aggiornato|опубликовано)\b\s*(?:on|at|am|le|em|il)?:?\s*",
    re.I,
)
# "Tags: ...", "Categoria: Saúde": labelled parts of a byline line that name no one.
_LABEL_PART = re.compile(
    r"^(?:tags?|categor(?:y|ies|ia|ie)|kategorien?|section|filed under|rubri(?:k|que|ca)|temas?|themen?)\s*:",
    re.I,
)
_NAME_WORD = re.compile(
    r"^(?:[A-ZÀ-ÖØ-ÞĀ-ɏА-ЯЁ][\w.'’-]*|and|und|y|e|et|en|de|da|do|dos|das|van|von|der|den|la|le|di|del|du|bin|al|&|и)$"
)
_SPLIT_BY = re.compile(r"\s+(?:by|por|von|par|door)\s+", re.I)
# Where a name may end and its date begin: "Jo Lind, May 3", "Jo Lind on May 3", "Jo Lind Monday, May 3".
_NAME_END = re.compile(r"(?:,|\s+(?:on|am|le|em|il|\||·))?\s+", re.I)
_TIME = re.compile(r"^\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,5})?$", re.I)
_BYLINE_SEPARATORS = (" | ", " / ", " - ", " – ", " — ", " · ", " • ")
# A bare role names no one ("Staff" on its own; "Staff Reports" is a credit and kept).
_NO_ONE = frozenset({"staff", "admin", "administrator", "editor", "editors", "reporter", "writer", "author"})
_PLATFORMS = frozenset({"blogger", "blogspot", "wordpress", "wordpress.com", "medium", "substack", "tumblr"})
_NAME_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", " • ", " » ", " « ")
# Second-level labels under a country code ("co.uk", "com.br"): the name is the label before them.
_SECOND_LEVEL = frozenset({"co", "com", "net", "org", "gov", "ac", "edu", "ne", "or", "go", "gob", "nic"})
_LANGUAGE = re.compile(r"^([A-Za-z]{2})(?:[-_].*)?$")
_DATE_META = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "dcterms.created",
    "parsely-pub-date",
    "sailthru.date",
    "article.published",
    "og:published_time",
)
_AUTHOR_META = ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "byl")
# Zone abbreviations dateutil cannot place on its own (it knows UTC/GMT and the local zone).
_ZONES = {
    name: int(offset * 3600)
    for name, offset in {
        "EST": -5,
        "EDT": -4,
        "CST": -6,
        "CDT": -5,
        "MST": -7,
        "MDT": -6,
        "PST": -8,
        "PDT": -7,
        "BST": 1,
        "CET": 1,
        "CEST": 2,
        "EET": 2,
        "EEST": 3,
        "IST": 5.5,
        "JST": 9,
        "KST": 9,
        "AEST": 10,
        "AEDT": 11,
        "UTC": 0,
        "GMT": 0,
        "Z": 0,
    }.items()
}
# Two far-apart defaults: a field dateutil fills from the default was not in the string.
_DEFAULTS = (dt.datetime(1901, 1, 1, 0, 0, 0), dt.datetime(1902, 2, 2, 1, 1, 0))


def read_metadata(root: etree._Element, url: str = "", host_fallback: bool = True) -> Metadata:
    """Everything the page itself says about the article.

    Args:
        root: the parsed document, before any cleaning (scripts hold the JSON-LD).
        url: where the page came from, if known; resolves a relative canonical link.
        host_fallback: name the site after the URL's host when the page names none.

    Returns:
        Metadata with "" for every field the page does not reveal.
    """
    meta = _meta_values(root)
    ld = _json_ld_article(root)
    source = _source_url(root, meta, url)
    site = _site(root, meta, ld, source or url)
    if not site and host_fallback:
        site = site_from_url(source or url)
    return Metadata(
        title=_title(root, meta, ld, site),
        author=_author(root, meta, ld),
        published=_published(root, meta, ld, dayfirst=_language(root, meta, ld) not in ("", "en")),
        site=site,
        url=source,
        language=_language(root, meta, ld),
    )


@dataclass(frozen=True, slots=True)
class Byline:
    """What a printed byline says: who wrote the article and when ("" when it does not say)."""

    author: str = ""
    published: str = ""


def parse_byline(text: str, dayfirst: bool = False) -> Byline | None:
    """The name and date of a byline such as "Posted on 9 February 2026 by Jo Lind" or "By Jo Lind | May 3, 2021".

    Every part of the text must be a date or time, a name (after its "By"/"Text:" prefix) or a
    labelled list ("Tags: ..."); None when some part is anything else, or when the text names
    no one and gives no date. `dayfirst` reads 05/10/2018 as 5 October (pages not in English).
    """
    text = re.sub(r"\s+([,;])", r"\1", first(text))  # "Jo Lind , Ana Ruiz" from words of separate elements
    if not text or len(text) > 160:
        return None
    parts = [text]
    for sep in _BYLINE_SEPARATORS:
        parts = [piece for part in parts for piece in part.split(sep)]
    author, published = "", ""
    for part in (first(p) for p in parts):
        if not part or _TIME.fullmatch(part) or _LABEL_PART.match(part):
            continue
        bare = DATE_PREFIX.sub("", part)
        name = ""
        split = _SPLIT_BY.split(bare, maxsplit=1)
        if len(split) == 2 and (date := normalize_date(split[0], dayfirst)):
            published, name = published or date, split[1]  # "Posted on 9 February 2026 by Jo Lind"
        elif date := normalize_date(bare, dayfirst):
            published = published or date
            continue
        else:
            name = bare
        name = _BY_PREFIX.sub("", name).strip(" ,;:")
        if any(ch.isdigit() for ch in name):  # "Jo Lind, August 23, 2018": the name ends where a date starts
            for gap in _NAME_END.finditer(name):
                if date := normalize_date(DATE_PREFIX.sub("", name[gap.end() :]), dayfirst):
                    name, published = name[: gap.start()].strip(" ,;:"), published or date
                    break
        if not _is_name(name) or is_section_word(name):
            return None
        author = author or ("" if name.casefold() in _NO_ONE else name)
    return Byline(author, published) if author or published else None


def is_marked_byline(text: str) -> bool:
    """Does `text` open as a byline or a date line does ("By", "Text:", "Posted on")?"""
    text = first(text)
    return bool(_BY_PREFIX.match(text) or DATE_PREFIX.match(text))


def _is_name(text: str) -> bool:
    """Capitalised words joined by commas and particles: "Meg Kinnard and Errin Haines, Associated Press"."""
    words = text.replace(",", " ").split()
    return 0 < len(words) <= 12 and all(_NAME_WORD.match(word) for word in words) and not text[:1].islower()


def first(*values: Any) -> str:
    """The first argument that is a non-blank string, whitespace-collapsed; "" if none."""
    for value in values:
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    return ""


def site_from_url(url: str) -> str:
    """The host of `url` without "www.", e.g. "news.example.org"; "" if there is none."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def _site(root: etree._Element, meta: dict[str, str], ld: dict[str, Any], url: str) -> str:
    """The publisher's name: the first declared name that is one, else the title's part naming the host.

    Declared names are og:site_name, the JSON-LD publisher and application-name, each without a
    tagline after " | " and never a handle, a section word or the page's own title. A name spelled
    like the address ("livescience.com") gives way to a declared one that reads the same ("Live Science").
    """
    host = site_from_url(url)
    page_title = first(*(el.text_content() for el in root.iter("title")))
    titles = [t for t in (page_title, meta.get("og:title"), ld.get("headline")) if isinstance(t, str) and t]
    declared = (meta.get("og:site_name"), _name_of(ld.get("publisher")), meta.get("application-name"))
    names = [name for value in declared if (name := _site_name(value, host, titles))]
    if names and names[0] == names[0].lower() and "." in names[0]:
        label = _squash(names[0].split(".")[0])
        names.sort(key=lambda name: _squash(name) != label)
    if names:
        return names[0]
    # "... | PolitiFact West Virginia" on politifact.com: the title names the site the address spells.
    label = _host_label(host)
    parts = [part for sep in _NAME_SEPARATORS if sep in page_title for part in reversed(page_title.split(sep))]
    for part in parts:
        name = first(part)
        if label and _squash(name).startswith(label) and _site_name(name, host, []):
            return name
    return ""


def _site_name(value: Any, host: str, titles: list[str]) -> str:
    """`value` as a site's name: its first part that can be one, "" when none can."""
    value = first(value)
    if "://" in value:  # some pages name their site by its address
        return site_from_url(value)
    parts = [value]
    for sep in _NAME_SEPARATORS:
        parts = [piece for part in parts for piece in part.split(sep)]
    subdomains = _subdomains(host)
    for part in (first(p) for p in parts):
        bare = part.casefold()
        if (
            not part
            or len(part) > 80
            or len(part.split()) > 8
            or part.startswith("@")
            or is_section_word(part)
            or bare in _PLATFORMS
            or bare in subdomains
            or any(_same(part, title) for title in titles)
        ):
            continue
        return part
    return ""


def is_section_word(text: str) -> bool:
    """Is `text` a section, place or kind-of-page label ("Politics", "U.S.", "Local news")?"""
    words = " ".join(re.sub(r"[^\w\s]", "", text.casefold()).split())
    return words in SECTION_WORDS or words.removesuffix(" news") in SECTION_WORDS


def _squash(text: str) -> str:
    return re.sub(r"\W+", "", text).casefold()


def _labels(host: str) -> tuple[list[str], list[str]]:
    """A host's labels split into its subdomains and its registered name ("news", "sky.com")."""
    labels = host.casefold().split(".")
    size = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else 2
    return labels[:-size], labels[-size:]


def _subdomains(host: str) -> set[str]:
    return set(_labels(host)[0]) if host else set()


def _host_label(host: str) -> str:
    """The registered name's first label: "politifact" for www.politifact.com."""
    return _labels(host)[1][0] if host and "." in host else ""


def normalize_date(value: str, dayfirst: bool = False) -> str:
    """ISO 8601 for a free-form date: "2025-03-04" if only the day is known, else the date-time.

    The timezone is kept when the text names one. Returns "" when the text is not a full date.
    `dayfirst` reads an ambiguous 05/10/2018 as 5 October.
    """
    value = " ".join(value.split())
    if not value or len(value) > 80:
        return ""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # unknown zone names: the date is still good
            parsed: list[dt.datetime] = [
                date_parser.parse(value, default=d, tzinfos=_zone, dayfirst=dayfirst) for d in _DEFAULTS
            ]
    except (ValueError, OverflowError, TypeError, LookupError):
        return ""
    a, b = parsed
    if (a.year, a.month, a.day) != (b.year, b.month, b.day) or not 1900 < a.year < 2200:
        return ""
    if (a.hour, a.minute) != (b.hour, b.minute):
        return a.date().isoformat()
    return a.replace(microsecond=0).isoformat()


def _zone(name: str, offset: int | None) -> int | None:
    return _ZONES.get(name.upper()) if name else offset


def strip_site_name(title: str, site: str = "", guess: bool = True) -> str:
    """`title` without a " | Site" style suffix or prefix.

    A part equal to the known site name is always removed. Without a match, and if `guess`,
    the last part goes when it is short (a name, not a clause) and what remains is clearly longer.
    """
    title = " ".join(title.split())
    for sep in _TITLE_SEPARATORS:
        if sep not in title:
            continue
        parts = title.split(sep)
        if site and _same(parts[-1], site):
            return sep.join(parts[:-1]).strip()
        if site and _same(parts[0], site):
            return sep.join(parts[1:]).strip()
        head, tail = sep.join(parts[:-1]).strip(), parts[-1].strip()
        if guess and len(tail.split()) <= 4 and len(head) > len(tail) * 1.5 and len(head.split()) >= 3:
            return head
    return title


def _same(a: str, b: str) -> bool:
    norm = re.compile(r"\W+")
    return norm.sub("", a).casefold() == norm.sub("", b).casefold()


def _meta_values(root: etree._Element) -> dict[str, str]:
    """<meta> content by lower-cased name/property/itemprop/http-equiv; the first one wins."""
    values: dict[str, str] = {}
    for el in root.iter("meta"):
        content = el.get("content")
        if not content or not content.strip():
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = (el.get(attr) or "").strip().lower()
            if key and key not in values:
                values[key] = content.strip()
    return values


def _json_ld_article(root: etree._Element) -> dict[str, Any]:
    """The JSON-LD object that best describes the page's article; {} if none parse."""
    nodes: list[dict[str, Any]] = []
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        data = _loads_lenient(script.text or "")
        if data is not None:
            nodes.extend(_dicts(data))
    by_id: dict[str, dict[str, Any]] = {}
    for node in nodes:  # full nodes only: a bare {"@id": ...} is a reference to one
        if isinstance(node.get("@id"), str) and not set(node) <= {"@id", "@type"}:
            by_id.setdefault(node["@id"], node)
    ranked = sorted(
        (rank, i, node) for i, node in enumerate(nodes) if (rank := _type_rank(node)) < len(_ARTICLE_TYPES)
    )
    if not ranked:
        return {}
    best = dict(ranked[0][2])
    for key in ("publisher", "author"):  # "@id" references into an @graph
        best[key] = _resolve(best.get(key), by_id)
    return best


def _loads_lenient(text: str) -> Any:
    text = text.strip().removeprefix("<!--").removesuffix("-->").strip()
    text = text.removeprefix("//<![CDATA[").removesuffix("//]]>").strip().rstrip(";")
    try:
        return json.loads(text, strict=False)
    except ValueError:
        return None


def _dicts(data: Any) -> Iterator[dict[str, Any]]:
    """Every dict inside `data`, walking lists, @graph and nested objects without recursion."""
    stack, seen = [data], 0
    while stack and seen < 5000:
        item = stack.pop()
        seen += 1
        if isinstance(item, dict):
            yield item
            stack.extend(v for v in reversed(list(item.values())) if isinstance(v, dict | list))
        elif isinstance(item, list):
            stack.extend(reversed(item))


def _type_rank(node: dict[str, Any]) -> int:
    types = node.get("@type")
    names = [t.lower() for t in (types if isinstance(types, list) else [types]) if isinstance(t, str)]
    for rank, kind in enumerate(_ARTICLE_TYPES):
        if any(kind in name for name in names):
            return rank
    return len(_ARTICLE_TYPES)


def _resolve(value: Any, by_id: dict[str, dict[str, Any]]) -> Any:
    if isinstance(value, list):
        return [_resolve(v, by_id) for v in value]
    if isinstance(value, dict) and set(value) <= {"@id", "@type"} and value.get("@id") in by_id:
        return by_id[value["@id"]]
    return value


def _name_of(value: Any) -> str:
    if isinstance(value, list):
        return first(*(_name_of(v) for v in value))
    if isinstance(value, dict):
        return first(value.get("name"))
    return first(value)


def _names(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [name for item in items if (name := _name_of(item))]


def page_section(root: etree._Element) -> str:
    """The section the page says the article is in (article:section, JSON-LD articleSection), or ""."""
    meta = _meta_values(root)
    section = _json_ld_article(root).get("articleSection")
    if isinstance(section, list):
        section = next((v for v in section if isinstance(v, str)), "")
    return first(meta.get("article:section"), meta.get("og:article:section"), section)


def _source_url(root: etree._Element, meta: dict[str, str], base: str) -> str:
    for link in root.iter("link"):
        if "canonical" not in (link.get("rel") or "").lower().split():
            continue
        if absolute := _absolute(link.get("href") or "", base):
            return absolute
    return _absolute(meta.get("og:url", ""), base)


def _absolute(href: str, base: str) -> str:
    if not href.strip():
        return ""
    try:
        url = urljoin(base, href.strip()) if base else href.strip()
    except ValueError:
        return ""
    return url if urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc else ""


def _title(root: etree._Element, meta: dict[str, str], ld: dict[str, Any], site: str) -> str:
    page_title = first(*(el.text_content() for el in root.iter("title")))
    h1 = first(*(el.text_content() for el in root.iter("h1")))
    found = first(meta.get("og:title"), meta.get("twitter:title"), ld.get("headline"), ld.get("name"))
    if found:
        return strip_site_name(found, site, guess=False)
    if page_title:
        return strip_site_name(page_title, site)
    return h1


def _author(root: etree._Element, meta: dict[str, str], ld: dict[str, Any]) -> str:
    declared = [meta.get(key, "") for key in _AUTHOR_META]
    declared.append(", ".join(dict.fromkeys(_names(ld.get("author")))))
    for candidate in declared:
        if name := _person(candidate, max_words=30):
            return name
    # Visible bylines are noisier (dates, "Staff"...): only short, digit-free names count, and
    # in a date or post-meta line only a name that a "By"/"Posted by" introduces.
    for el, marked in _bylines(root):
        text = el.get("content") or " ".join(el.itertext())
        if "author" in (el.get("rel") or "").split() or "author" in (el.get("itemprop") or "").split():
            if name := _person(text, max_words=6):
                return name
        elif (
            (marked or is_marked_byline(text))
            and (byline := parse_byline(text))
            and (name := _person(byline.author, max_words=6))
        ):
            return name
    return ""


def _bylines(root: etree._Element) -> Iterator[tuple[etree._Element, bool]]:
    """Elements that may print the byline, and whether they are marked as the byline itself.

    Marked: rel/itemprop author or a byline class. Unmarked: date and post-meta lines. Comments
    are left out.
    """
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in ("meta", "link", "script", "body", "html"):
            continue
        features = f"{el.get('class', '')} {el.get('id', '')}"
        if "comment" in features.lower():
            continue
        if (
            "author" in (el.get("rel") or "").split()
            or "author" in (el.get("itemprop") or "").split()
            or _BYLINE_CLASS.search(features)
        ):
            yield el, True
        elif _DATE_CLASS.search(features):
            yield el, False


def _person(candidate: str, max_words: int) -> str:
    name = _BY_PREFIX.sub("", first(candidate)).strip(" ,;:|")
    if not name or "://" in name or name.startswith("@") or len(name) > 100 or name.casefold() in _NO_ONE:
        return ""
    if max_words < 10 and any(ch.isdigit() for ch in name):
        return ""
    return name if len(name.split()) <= max_words else ""


def _published(root: etree._Element, meta: dict[str, str], ld: dict[str, Any], dayfirst: bool = False) -> str:
    values: list[Any] = [meta.get("article:published_time"), ld.get("datePublished")]
    values += [meta.get(key) for key in _DATE_META]
    values += [
        el.get("content") or el.get("datetime") or el.text_content()
        for el in root.iter()
        if isinstance(el.tag, str) and "datepublished" in (el.get("itemprop") or "").lower().split()
    ]
    values += [el.get("datetime") for el in root.iter("time")]
    values.append(ld.get("dateCreated"))
    for value in values:
        if isinstance(value, str) and (date := normalize_date(value)):
            return date
    # No date metadata: the date printed in the byline ("By Jo Lind, August 23, 2018"), the
    # article's own before any elsewhere on the page.
    scopes = [*list(root.iter("article", "main"))[:1], root]
    for scope in scopes:
        for el in scope.iter():
            if not isinstance(el.tag, str):
                continue
            features = f"{el.get('class', '')} {el.get('id', '')}"
            if "comment" in features.lower() or not (el.tag == "time" or _DATE_CLASS.search(features)):
                continue
            text = " ".join(el.itertext())  # "Jeff Foust<br>Monday": words of separate lines stay apart
            if len(text) <= 200 and (byline := parse_byline(text, dayfirst)) and byline.published:
                return byline.published
    return ""


def _language(root: etree._Element, meta: dict[str, str], ld: dict[str, Any]) -> str:
    in_language = ld.get("inLanguage")
    declared = (root.get("lang"), root.get("xml:lang"), meta.get("og:locale"), meta.get("content-language"))
    for value in declared:
        match = _LANGUAGE.match((value or "").strip())
        if match:
            return match.group(1).lower()
    match = _LANGUAGE.match(in_language.strip()) if isinstance(in_language, str) else None
    return match.group(1).lower() if match else ""
