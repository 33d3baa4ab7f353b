"""Cleaning: a decoded document -> readable article text plus its metadata (readability-lxml)."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

from desktop_reader.errors import ImportFailed
from desktop_reader.importing.html_text import LIST_MARKER, element_text, parse_html
from desktop_reader.importing.language import detect_language
from desktop_reader.importing.page_metadata import (
    DATE_PREFIX,
    Byline,
    first,
    is_marked_byline,
    is_section_word,
    normalize_date,
    page_section,
    parse_byline,
    read_metadata,
    site_from_url,
    strip_site_name,
)
from desktop_reader.models import CleanDocument, Metadata, RawDocument

NO_TEXT = "no readable text found in this page"
# Whole web pages, menus and all, go through readability...
WEB_PAGES = frozenset({"html", "mhtml", "webarchive", "warc", "wacz"})
ARCHIVED_PAGES = frozenset({"webarchive", "warc", "wacz"})
# ...while these hold the article alone already: rendered Markdown, e-book chapters, the cleaned
# pages of read-later services.
CLEAN_MARKUP = frozenset({"markdown", "epub", "wallabag", "omnivore"})

# Never article text, whatever readability thinks.
_JUNK_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "svg",
    "button",
    "select",
    "textarea",
    "input",
    "object",
    "embed",
    "canvas",
)
# Page furniture: dropped unless it wraps the article (some sites put everything in one <form>).
_FURNITURE_TAGS = ("nav", "footer", "aside", "form")
_FURNITURE_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "dialog", "alertdialog"})
# Picture captions and credits: secondary to the story and usually repeated around it.
_CAPTION = re.compile(r"caption|credit", re.I)
_OVERLAY = re.compile(
    r"(?:^|[\s_-])(?:cookies?|consent|gdpr|newsletter|paywall|subscribe|modal|popup|share|sharing|social)(?:$|[\s_-])",
    re.I,
)
# Lines that are page furniture wherever they appear (matched against the whole stripped line).
_BOILERPLATE_LINE = re.compile(
    r"(?:share (?:this|on|via)\b.*|advert|advertisement|advertising|sponsored|related(?: articles| stories)?"
    r"|related ?:.*|see also ?:.*|read more|continue reading|click here.*|text size|subscribe|loading\.*"
    r"|(?:print|email|tweet|share)(?: this)?(?: article| story| page)?|like this ?:|like loading\.*"
    r"|follow (?:us|\w+(?: \w+)?) on \w+.*|sign up.*newsletter.*|we use cookies.*"
    r"|(?>.*?\bcookies?\b).*?\b(?:accept|consent|agree)\b.*|(?:tags|filed under|categories) ?:.*"
    r"|(?:image|photo|picture)(?: credit)? ?:.*|.{0,80}/ ?(?:getty images|afp|reuters|shutterstock|ap|epa)"
    r"|skip to (?:main )?content|back to top|comments?|this (?:slideshow|video|content) requires javascript.*"
    r"|.{0,40}\b(?:reading time|tempo de leitura|lesezeit)\b.{0,20}|\d+ min(?:ute)?s? read"
    r"|write to .{0,60} at [^\s@]+@\S+|[^\s@]+@\S+\.\w+|(?:https?://)?(?:www\.)?(?:twitter|facebook|instagram)\.com/\S*)"
    r"\s*[.:!|]?",
    re.I,
)
# Lines that are furniture only in the first few lines of the text: bylines and dates.
# A byline is "By" and names: capitalised words joined by commas, "and", "&" or particles,
# so an opening sentence such as "By the time the ferry left..." is never taken for one.
_BYLINE = re.compile(
    r"(?i:by|von|por|par|door)\s+(?:(?:[A-Z\u00c0-\u024f][\w.'-]*|and|und|y|et|en|de|da|van|von|der|&),?\s*){1,12}"
)
# A credit line without "By": "Staff Reports", "Associated Press", "Tom Krisher, AP Auto Writer".
_CREDIT = re.compile(
    r"(?:.*,\s*)?(?:[\w.'’-]+\s+){0,3}(?:press|reports?|staff|writer|reporter|correspondent|editor|bureau"
    r"|news service|wire(?: services?)?|contributor)",
    re.I,
)
# A run of link-only blocks at the end is teasers, tags or a gallery link, not the story's ending.
_TEASER_MAX_CHARS = 250
_TEASER_LINK_SHARE = 0.8
_LEAF_BLOCKS = ("p", "li", "h2", "h3", "h4", "h5", "h6", "div", "dd", "dt", "blockquote")
_HEAD_LINES = 6
# Furniture lines are short; longer lines are never matched against the patterns above, which
# are written for short lines (several backtrack in proportion to the square of the length).
# The cookie clause is atomic and e-mail local parts have no "@" for the same reason.
_FURNITURE_MAX_CHARS = 500


@dataclass(slots=True)
class _Head:
    """What the page says about itself, to know it again in the opening lines of its text."""

    titles: list[str]
    author: str = ""
    site: str = ""
    section: str = ""
    dayfirst: bool = False  # 05/10/2018 is 5 October, on a page not in English
    found: list[Byline] = field(default_factory=list)  # bylines taken out of the text

    def byline(self) -> Byline:
        """The first author and the first date the removed byline lines gave."""
        author = next((b.author for b in self.found if b.author and not _same_words(b.author, self.site)), "")
        return Byline(author, next((b.published for b in self.found if b.published), ""))


def clean(raw: RawDocument) -> CleanDocument:
    """Readable text and merged metadata of one imported document.

    HTML and MHTML go through readability; Markdown (already rendered to HTML) and plain
    text are only normalised. Metadata found in the page beats the container's hints,
    except the URL, where the page's canonical link or og:url comes first, then the hint.

    Raises:
        ImportFailed: the document holds no readable text at all.
    """
    head = _Head([])
    if raw.format in WEB_PAGES and raw.html is not None:
        root = parse_html(raw.html)
        page = read_metadata(root, url=raw.hints.url, host_fallback=False)
        title = page.title or raw.hints.title
        head = _head(root, page, title)
        text = _article(root, page.url or raw.hints.url or None, head)
        reason = NO_TEXT
    else:
        page = Metadata()
        title = raw.hints.title
        markup = raw.html if raw.format in CLEAN_MARKUP and raw.html is not None else None
        text = element_text(parse_html(markup)) if markup is not None else normalize_text(raw.text or "")
        if raw.format == "pdf":  # a printed page carries the same furniture lines as the web page
            head = _Head([t for t in (first(title),) if t])
            text = _tidy(text, head)
        reason = "no readable text found in this file"
    if not text.strip() and not raw.warnings:  # a scan is imported empty, with its warning
        raise ImportFailed(raw.path, reason)
    hints = raw.hints
    # A web archive records the address the page was fetched from; that beats its canonical link.
    url = (hints.url or page.url) if raw.format in ARCHIVED_PAGES else (page.url or hints.url)
    printed = head.byline()  # the byline printed at the top, when the page's metadata names no one
    meta = Metadata(
        title=title or raw.path.stem,
        author=page.author or printed.author or hints.author,
        published=page.published or printed.published or hints.published,
        site=page.site or hints.site or site_from_url(url),
        url=url,
        language=page.language or hints.language or detect_language(text),
    )
    return CleanDocument(text=text, meta=meta)


def article_text(html: str, url: str | None = None) -> str:
    """The article body of an HTML page as plain text, without its headline.

    Args:
        html: the decoded page.
        url: where it came from, if known (resolves relative links for readability).

    Returns:
        The text; "" when the page has none.
    """
    root = parse_html(html)
    page = read_metadata(root, url=url or "", host_fallback=False)
    return _article(root, url, _head(root, page, page.title))


def normalize_text(text: str) -> str:
    """Plain text with spaces collapsed inside lines and at most one blank line between paragraphs."""
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _head(root: etree._Element, page: Metadata, title: str) -> _Head:
    section = page_section(root)
    return _Head(_titles(root, title), page.author, page.site, section, page.language not in ("", "en"))


def _titles(root: etree._Element, title: str) -> list[str]:
    """Headlines the body may open with: the known title, the bare <title> and the first <h1>."""
    found = [title]
    found += [strip_site_name(el.text_content()) for el in root.iter("title")][:1]
    found += [el.text_content() for el in root.iter("h1")][:1]
    return [t for t in (first(t) for t in found) if t]


def _article(root: lxml.html.HtmlElement, url: str | None, head: _Head) -> str:
    _drop_junk(root)
    body = root.find("body")
    visible = element_text(body if body is not None else root)
    if not visible:
        return ""
    text = _readability(root, url)
    headed = _headline_article(root, head.titles)
    if headed is not None and not _overlaps(text, headed):
        # Readability preferred a list of teasers (related posts are <article>s too) over the
        # one <article> that carries the page's headline: read that one instead.
        page = lxml.html.document_fromstring("<html><body></body></html>")
        page.find("body").append(copy.deepcopy(headed))
        text = _readability(page, url) or text
    if len(text) < 0.25 * len(visible) and len(text) < 200:
        text = _fallback(root, visible)
    return _tidy(text, head)


def _readability(root: lxml.html.HtmlElement, url: str | None) -> str:
    from readability import Document  # here: the window imports cleaning, and cleans nothing at start

    try:
        summary = Document(root, url=url).summary(html_partial=True)
        article = lxml.html.fragment_fromstring(summary, create_parent="div")
    except Exception:  # readability raises on odd input; the caller falls back
        return ""
    _drop_teasers(article)
    return element_text(article)


def _drop_teasers(article: lxml.html.HtmlElement) -> None:
    """Take out promotions readability keeps inside the story.

    A block that is one link in capitals ("SWIFT'S LABEL BOSS BLASTS HER CLAIMS") between the
    story's paragraphs is an inline teaser; link-only blocks ending the text are related stories,
    tags or a gallery link, as long as some block of the story's own comes before them.
    """
    blocks = [
        el
        for el in article.iter(*_LEAF_BLOCKS)
        if el.text_content().strip() and not any(True for _ in el.iterdescendants(*_LEAF_BLOCKS))
    ]
    kept = []
    for el in blocks:
        text = " ".join(el.text_content().split())
        inline = bool(kept)  # an opening link is the story's own ("FULL RESULTS HERE")
        if inline and _link_share(el, text) >= 0.9 and len(text.split()) >= 4 and text == text.upper() != text.lower():
            _drop(el)
        else:
            kept.append((el, text))
    trailing = 0
    for el, text in reversed(kept):
        if len(text) > _TEASER_MAX_CHARS or _link_share(el, text) < _TEASER_LINK_SHARE:
            break
        trailing += 1
    if 0 < trailing < len(kept):
        for el, _text in kept[-trailing:]:
            _drop(el)


def _link_share(el: lxml.html.HtmlElement, text: str) -> float:
    linked = sum(len(" ".join(a.text_content().split())) for a in el.iter("a"))
    return linked / len(text) if text else 0.0


def _headline_article(root: lxml.html.HtmlElement, titles: list[str]) -> lxml.html.HtmlElement | None:
    """The <article> holding the page's headline, if it has paragraphs of its own."""
    for heading in root.iter("h1", "h2"):
        if not any(_same_words(heading.text_content(), t) for t in titles):
            continue
        article = next((a for a in heading.iterancestors() if a.tag == "article"), None)
        if article is not None and any(len(p.text_content()) >= 100 for p in article.iter("p")):
            return article
        return None
    return None


def _overlaps(text: str, el: lxml.html.HtmlElement) -> bool:
    """True when some sizeable paragraph of `el` made it into `text`."""
    words = re.compile(r"\w+")
    flat = " ".join(words.findall(text.casefold()))
    paragraphs = (" ".join(words.findall(p.text_content().casefold())) for p in el.iter("p"))
    return any(p in flat for p in paragraphs if len(p) >= 100)


def _drop_junk(root: lxml.html.HtmlElement) -> None:
    for el in list(root.iter(*_JUNK_TAGS, etree.Comment)):
        _drop(el)
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        if el.get("hidden") is not None or el.get("aria-hidden") == "true":
            _drop(el)
            continue
        furniture = el.tag in _FURNITURE_TAGS or (el.get("role") or "").lower() in _FURNITURE_ROLES
        features = f"{el.get('class', '')} {el.get('id', '')}"
        droppable = furniture or _OVERLAY.search(features) or _CAPTION.search(features)
        if el.tag == "figcaption" or (droppable and not _holds_article(el)):
            _drop(el)
        elif el.tag == "blockquote":
            _unmark_quote(el)


def _unmark_quote(quote: lxml.html.HtmlElement) -> None:
    """Make an embedded quote look like plain content to readability.

    Embedded posts (class "twitter-tweet" in a "social-media-embed" div) are quotes the story
    relies on, but readability deletes anything whose class looks like a widget, and the
    wrapper divs for their share of links. So classes go and wrappers are unwrapped.
    """
    size = len(quote.text_content().strip())
    wrappers = []
    for ancestor in quote.iterancestors():
        if ancestor.tag not in ("div", "span", "figure") or len(ancestor.text_content().strip()) > size + 20:
            break
        wrappers.append(ancestor)
    for el in (quote, *quote.iterdescendants()):
        el.attrib.pop("class", None)
        el.attrib.pop("id", None)
    for wrapper in wrappers:
        wrapper.drop_tag()


def _holds_article(el: lxml.html.HtmlElement) -> bool:
    """True when `el` contains the main content, so dropping it as furniture would lose the article."""
    if el.tag in ("body", "html", "article", "main"):
        return True
    if any(el.find(f".//{tag}") is not None for tag in ("article", "main", "blockquote")):
        return True
    return len(el.findall(".//p")) >= 5


def _drop(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is None:
        return
    if isinstance(el, lxml.html.HtmlElement):
        el.drop_tree()  # keeps the tail text
    else:
        tail = el.tail
        previous = el.getprevious()
        if tail:
            if previous is not None:
                previous.tail = (previous.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail
        parent.remove(el)


def _fallback(root: lxml.html.HtmlElement, visible: str) -> str:
    """The best guess at the article when readability found nearly nothing.

    The marked-up body (articleBody, <article>, <main>) or else all paragraph text, as long
    as it holds a fair share of the page; otherwise the whole visible text, furniture
    already removed, rather than an empty article.
    """
    enough = max(200, 0.25 * len(visible))
    for path in ('.//*[@itemprop="articleBody"]', ".//article", ".//main"):
        found = [element_text(el) for el in root.findall(path)]
        best = max(found, key=len, default="")
        if len(best) >= enough:
            return best
    paragraphs = "\n\n".join(t for p in root.iter("p") if (t := element_text(p)))
    return paragraphs if len(paragraphs) >= enough else visible


def _tidy(text: str, head: _Head) -> str:
    """Drop boilerplate lines, and headline, byline, section and date lines at the top.

    Bylines taken out of the top are kept in `head.found`, for the article's author and date.
    """
    kept: list[str] = []
    for index, line in enumerate(text.split("\n")):
        # A list item is furniture when its words are ("• Share this", "• Related stories").
        bare = LIST_MARKER.sub("", line.strip(), count=1)
        if len(bare) <= _FURNITURE_MAX_CHARS and _BOILERPLATE_LINE.fullmatch(bare):
            continue
        if index < _HEAD_LINES * 2 and len(kept) < _HEAD_LINES * 2 and _is_head_furniture(bare, head):
            continue
        kept.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def _is_head_furniture(line: str, head: _Head) -> bool:
    """Is this opening line the headline again, a byline, a section label or a bare date?"""
    if not line or len(line) > 160:
        return False
    if len(line) <= 120 and any(_same_words(line, t) for t in head.titles):
        return True
    if is_section_word(line) or (head.section and _same_words(line, head.section)):
        return True
    if _BYLINE.fullmatch(line) and len(line) <= 120:
        head.found.append(parse_byline(line, head.dayfirst) or Byline())
        return True
    byline = parse_byline(line, head.dayfirst)
    if byline is not None and (
        is_marked_byline(line)
        or byline.published
        or (head.author and _same_words(byline.author, head.author))
        or (head.site and _same_words(byline.author, head.site))
        or _CREDIT.fullmatch(byline.author)
    ):
        head.found.append(byline)
        return True
    if len(line) <= 120 and (date := normalize_date(DATE_PREFIX.sub("", line).replace(" / ", " "), head.dayfirst)):
        head.found.append(Byline(published=date))
        return True
    return False


def _same_words(a: str, b: str) -> bool:
    words = re.compile(r"\w+")
    return words.findall(a.casefold()) == words.findall(b.casefold())
