"""Page metadata: title, author, date, site, URL and language read from an HTML document tree."""

from __future__ import annotations

import datetime as dt
import json
import re
import warnings
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

from dateutil import parser as date_parser
from lxml import etree

from desktop_reader.models import Metadata

# JSON-LD types that describe the article itself, best first; anything else ranks after them.
_ARTICLE_TYPES = ("article", "posting", "report", "review", "creativework", "webpage")
_TITLE_SEPARATORS = (" | ", " - ", " — ", " – ", " :: ", " · ", " / ", " « ", " » ")
_BYLINE_CLASS = re.compile(r"(?:^|[\s_-])(?:author|byline|by-line|writer)(?:$|[\s_-])", re.I)
_BY_PREFIX = re.compile(r"^\s*(?:by|von|par|por|door|di|av)\s*[:\s]\s*", re.I)
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
    site = first(meta.get("og:site_name"), _name_of(ld.get("publisher")), meta.get("application-name"))
    if "://" in site:  # some pages name their site by its address
        site = site_from_url(site)
    if not site and host_fallback:
        site = site_from_url(source or url)
    return Metadata(
        title=_title(root, meta, ld, site),
        author=_author(root, meta, ld),
        published=_published(root, meta, ld),
        site=site,
        url=source,
        language=_language(root, meta, ld),
    )


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


def normalize_date(value: str) -> str:
    """ISO 8601 for a free-form date: "2025-03-04" if only the day is known, else the date-time.

    The timezone is kept when the text names one. Returns "" when the text is not a full date.
    """
    value = " ".join(value.split())
    if not value or len(value) > 80:
        return ""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # unknown zone names: the date is still good
            parsed: list[dt.datetime] = [
                date_parser.parse(value, default=d, tzinfos=_zone) for d in _DEFAULTS
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
    # Visible bylines are noisier (dates, "Staff"...): only short, digit-free names count.
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
        ) and (name := _person(el.get("content") or el.text_content(), max_words=6)):
            return name
    return ""


def _person(candidate: str, max_words: int) -> str:
    name = _BY_PREFIX.sub("", first(candidate)).strip(" ,;:|")
    if not name or "://" in name or name.startswith("@") or len(name) > 100:
        return ""
    if max_words < 10 and any(ch.isdigit() for ch in name):
        return ""
    return name if len(name.split()) <= max_words else ""


def _published(root: etree._Element, meta: dict[str, str], ld: dict[str, Any]) -> str:
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
