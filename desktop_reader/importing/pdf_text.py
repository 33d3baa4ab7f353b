"""PDF lines to article text: running headers and footers dropped, paragraphs rejoined, page furniture left out."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

# Browsers print the date and title at the top of each page and the URL and "n/m" at the bottom,
# inside the page margin (Chromium's default margin is 0.4 in = 29 pt).
_MARGIN_PT = 32.0
_PAGE_NUMBER = re.compile(r"(?:page\s*)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?|[-–]\s*\d{1,4}\s*[-–]|[ivxlc]{1,6}", re.I)
_URL = re.compile(r"(?:https?|file)://\S+")
_DIGITS = re.compile(r"\d+")
_SENTENCE_END = re.compile(r"[.!?:;…\"”’»)。！？]$")
_PUNCTUATION = re.compile(r"[.!?,;:。！？、，]")
_HYPHENATED = re.compile(r"[^\W\d_][-\u00ad\x02]$")
# A paragraph this long is article text wherever it stands; this short, it is furniture unless
# it sits between article paragraphs (the rule jusText uses for HTML, with lengths for PDF lines).
_LONG_CHARS = 200
_SHORT_CHARS = 60
_CHARS_PER_MARK = 150  # running text has a comma or full stop every 60 characters or so


@dataclass(frozen=True, slots=True)
class Line:
    """One line of text as the PDF draws it, with its box in points (origin bottom left)."""

    page: int
    text: str
    left: float
    baseline: float
    height: float  # the font's line box
    page_height: float

    @property
    def top(self) -> float:
        return self.baseline + 0.8 * self.height

    @property
    def bottom(self) -> float:
        return self.baseline - 0.2 * self.height


@dataclass(frozen=True, slots=True)
class Furniture:
    """What the running header and footer lines said: the source URL when the footer names one."""

    url: str = ""


def split_furniture(lines: Sequence[Line], pages: int) -> tuple[list[Line], Furniture]:
    """Drop running headers/footers and page numbers; return the body lines and what the footer said."""
    repeated = _repeated_margin_lines(lines, pages)
    body, url = [], ""
    for line in lines:
        in_margin = line.top > line.page_height - _MARGIN_PT or line.bottom < _MARGIN_PT
        key = _key(line.text)
        if in_margin and (key in repeated or _PAGE_NUMBER.fullmatch(line.text.strip()) or pages == 1):
            found = _URL.search(line.text)
            if found and not url and not found.group().startswith("file:"):
                url = found.group().rstrip(".,)")
            continue
        if pages > 1 and key in repeated and _PAGE_NUMBER.fullmatch(line.text.strip()):
            continue
        body.append(line)
    return body, Furniture(url=url)


def _key(text: str) -> str:
    # Page numbers and print times change from page to page; the rest of the line does not.
    return _DIGITS.sub("#", " ".join(text.split())).casefold()


def _repeated_margin_lines(lines: Sequence[Line], pages: int) -> set[str]:
    if pages < 2:
        return set()
    on_pages: Counter[str] = Counter()
    for key in {(_key(line.text), line.page) for line in lines}:
        on_pages[key[0]] += 1
    return {key for key, count in on_pages.items() if count >= max(2, pages // 2 + (pages > 3))}


@dataclass(frozen=True, slots=True)
class Paragraph:
    """Lines rejoined, with the font size they are set in."""

    text: str
    size: float
    page: int


def paragraphs(lines: Sequence[Line]) -> list[Paragraph]:
    """Rejoin lines into paragraphs across line and page breaks, undoing hyphenation.

    Lines of one paragraph follow each other at the document's usual line pitch for their font
    size; a wider step down is a paragraph break (web pages space paragraphs by about a line).
    """
    lines = [line for line in lines if line.text.strip()]
    pitch = _usual_pitch(lines)
    out: list[list[Line]] = []
    for line in lines:
        current = out[-1] if out else None
        if current is not None and _continues(current[-1], line, pitch):
            current.append(line)
        else:
            out.append([line])
    return [Paragraph(_join([line.text for line in group]), group[0].height, group[0].page) for group in out]


def _usual_pitch(lines: Sequence[Line]) -> dict[float, float]:
    steps: dict[float, Counter[float]] = {}
    for prev, line in itertools.pairwise(lines):
        if line.page == prev.page and abs(line.height - prev.height) < 0.5:
            step = round(prev.baseline - line.baseline, 0)
            if 0 < step < 3 * prev.height:
                steps.setdefault(round(prev.height), Counter())[step] += 1
    return {size: counts.most_common(1)[0][0] for size, counts in steps.items()}


def _continues(prev: Line, line: Line, pitch: dict[float, float]) -> bool:
    if line.page != prev.page:
        # A page break inside a paragraph: the text ran on without ending its sentence.
        return not _SENTENCE_END.search(prev.text.rstrip()) and line.text.lstrip()[:1].islower()
    if abs(line.height - prev.height) > 0.15 * prev.height:
        return False
    step = prev.baseline - line.baseline
    usual = pitch.get(round(prev.height), 1.3 * prev.height)
    return 0.5 * usual <= step <= 1.2 * usual + 1 and abs(line.left - prev.left) < 4 * prev.height


def _join(texts: Sequence[str]) -> str:
    out = ""
    for text in texts:
        text = " ".join(text.split())
        if not out:
            out = text
        elif _HYPHENATED.search(out) and text[:1].islower():
            out = out[:-1] + text
        else:
            out = f"{out} {text}"
    return out.replace("\u00ad", "").replace("\x02", "")


def article_paragraphs(paras: Sequence[Paragraph]) -> list[str]:
    """Keep the article: long paragraphs in the body's font size, and short ones between them.

    A browser prints menus, link lists, share buttons and footers as runs of short lines, often in
    smaller type; the article is where the long paragraphs in the body font are. A document of
    only short lines (a poem, a list, slides) is kept whole: nothing tells article from furniture.
    """
    paras = _without_repeats(paras)
    if not paras:
        return []
    body = _body_size(paras)

    def kind(p: Paragraph) -> str:
        # Menus and link lists: short, or long with hardly a comma or full stop.
        if len(p.text) < _SHORT_CHARS or len(_PUNCTUATION.findall(p.text)) * _CHARS_PER_MARK < len(p.text):
            return "bad"
        if not 0.85 * body <= p.size <= 1.15 * body:  # fine print (footers, related links), or headlines
            return "bad"
        return "good" if len(p.text) >= _LONG_CHARS else "near"

    kinds = [kind(p) for p in paras]
    # Medium paragraphs that end a sentence are article text when they come in runs (news is
    # written in one- and two-sentence paragraphs); alone, they are teasers and captions.
    sentences = [k != "bad" and bool(_SENTENCE_END.search(p.text)) for k, p in zip(kinds, paras, strict=True)]
    for i, k in enumerate(kinds):
        if k == "near":
            company = any(sentences[j] for j in range(max(0, i - 2), min(len(kinds), i + 3)) if j != i)
            kinds[i] = "good" if sentences[i] and company else "bad"
    if "good" not in kinds:
        return [p.text for p in paras]
    # Short lines between article paragraphs are subheadings or quotes; elsewhere, furniture.
    kept = []
    for i, para in enumerate(paras):
        if kinds[i] == "good" or (para.size >= 0.85 * body and _between_good(kinds, i)):
            kept.append(para.text)
    return kept


def _without_repeats(paras: Sequence[Paragraph]) -> list[Paragraph]:
    """Drop what is printed on several pages (fixed banners, cookie notices) and repeats on one page."""
    pages: dict[str, set[int]] = {}
    for p in paras:
        pages.setdefault(p.text, set()).add(p.page)
    seen: set[str] = set()
    kept = []
    for p in paras:
        if len(pages[p.text]) > 1 or p.text in seen:
            continue
        seen.add(p.text)
        kept.append(p)
    return kept


def _body_size(paras: Sequence[Paragraph]) -> float:
    """The font size most of the long paragraphs' text is set in."""
    weight: Counter[float] = Counter()
    for p in paras:
        if len(p.text) >= _LONG_CHARS:
            weight[round(p.size, 1)] += len(p.text)
    return weight.most_common(1)[0][0] if weight else 0.0


def _between_good(kinds: Sequence[str], i: int) -> bool:
    return "good" in kinds[max(0, i - 3) : i] and "good" in kinds[i + 1 : i + 4]
