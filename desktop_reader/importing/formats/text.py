"""Plain-text articles (.txt): title line, paragraphs, and the site boilerplate trailing them."""

from __future__ import annotations

import re
from pathlib import Path

from desktop_reader.errors import ImportFailed
from desktop_reader.importing.decoding import decode
from desktop_reader.models import Metadata, RawDocument

# Hard-wrapped prose stays under ~80 columns; a longer line is a whole paragraph of
# one-line-per-paragraph text, so the newline after it ends the paragraph.
WRAP_LIMIT = 100
# A first line longer than this is the start of the article, not its title.
TITLE_MAX = 200
# Only short lines can be boilerplate, and only so many of them at the end.
BOILERPLATE_MAX_CHARS = 300
BOILERPLATE_MAX_LINES = 15
# How many paragraphs after the title may repeat it (saved pages often show it twice).
REPEAT_WINDOW = 3

_PLATFORMS = (
    r"whats\s?app|telegram|twitter|x\.com|facebook|instagram|youtube|linkedin|threads|tiktok|"
    r"google\s+news|reddit|mastodon|bluesky|viber"
)
# How invitations open: "Please ...", "Click here to ...", "For the latest news, ..."
_INVITE = r"^\W*(?:please\s+|click\s+here\s+to\s+|for\s+(?:more|the\s+latest)\b[^.]{0,80}?[,:]\s*)?"
_SHARE_WORDS = rf"share|tweet|e-?mail|print|copy\s+link|{_PLATFORMS}"

# Each pattern describes a kind of line that sites append to every article. They are
# matched against the stripped, short trailing lines only, never the body.
_BOILERPLATE = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        # a bare address on its own line
        r"^[<(\[]?(?:https?://|www\.)\S+[>)\]]?$",
        # invitations: "Follow ... on WhatsApp", "Join our Telegram channel", "Subscribe to our newsletter"
        rf"{_INVITE}(?:follow|join|subscribe|sign\s*up|download|get|stay\s+(?:updated|connected|tuned)|listen)\b"
        rf".{{0,160}}\b(?:{_PLATFORMS}|channel|newsletter|app|podcast)\b",
        rf"{_INVITE}(?:follow|find|connect\s+with|like)\s+us\b",
        # comment disclaimers
        r"\bcomments?\b.{0,60}\b(?:posted|published|expressed|below|here)\b.{0,80}"
        r"\b(?:not|do\s+not|don't|are\s+(?:the|solely)|reflect|views|responsib)",
        r"^\W*(?:kindly|please)\s+(?:refrain|avoid|keep\s+(?:your\s+)?comments)\b",
        r"^\W*disclaimer\b",
        r"\bviews\s+expressed\b",
        # sharing widgets that survived as text
        r"^\W*share\s+(?:this|on|via|the|your)\b",
        rf"^\W*(?:{_SHARE_WORDS})(?:\s*[|•·,/]\s*(?:{_SHARE_WORDS}))*\W*$",
        # copyright and rights lines
        r"^\W*(?:©|\(c\)|copyright\b)",
        r"\ball\s+rights\s+reserved\b",
        # navigation and advertising labels
        r"^\W*(?:advertisement|sponsored(?:\s+content)?|story\s+continues\s+below|continue\s+reading|"
        r"read\s+more|also\s+read|read\s+also|related(?:\s+(?:articles?|stories|news|posts))?|more\s+from|"
        r"tags?|topics?|filed\s+under|trending(?:\s+now)?|recommended)\b\s*(?:[:\-–—|]|$)",
        r"^\W*(?:click|tap)\s+here\b",
    )
)

_UNDERLINE = re.compile(r"^\s*(?:=+|-+)\s*$")


def read_text(path: Path, data: bytes) -> RawDocument:
    """Build the RawDocument of a plain-text article.

    Raises:
        ImportFailed: the bytes are not text, or only whitespace.
    """
    title, body = parse_text(decode(data, path))
    if not title and not body:
        raise ImportFailed(path, "empty file (only whitespace)")
    return RawDocument(path=path, format="text", content=data, text=body, hints=Metadata(title=title))


def parse_text(text: str) -> tuple[str, str]:
    """Split plain text into (title, body): title line out, boilerplate trimmed, paragraphs kept.

    The body's paragraphs are separated by one blank line; lines of a hard-wrapped
    paragraph stay as they were.
    """
    paragraphs = to_paragraphs(text)
    if not paragraphs:
        return "", ""
    title = ""
    first = paragraphs[0].split("\n")
    if len(first[0]) <= TITLE_MAX:
        title = first[0].strip()
        rest = first[1:]
        if rest and _UNDERLINE.match(rest[0]):  # "Title\n=====" (Setext style)
            rest = rest[1:]
        paragraphs = (["\n".join(rest)] if rest else []) + paragraphs[1:]
        paragraphs = _drop_repeated_title(title, paragraphs)
    paragraphs = strip_trailing_boilerplate(paragraphs)
    # A one-line note is all title: keep it as the body too rather than import nothing.
    return title, "\n\n".join(paragraphs) if paragraphs else title


def to_paragraphs(text: str) -> list[str]:
    """Normalise line endings and spacing, then split into paragraphs."""
    text = text.lstrip("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.replace("\u2029", "\n\n").replace("\f", "\n\n")
    lines = [line.rstrip() for line in text.split("\n")]
    paragraphs: list[str] = []
    block: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            block.append(line)
            continue
        if any(len(b) > WRAP_LIMIT for b in block):
            paragraphs.extend(block)
        elif block:
            paragraphs.append("\n".join(block))
        block = []
    return paragraphs


def strip_trailing_boilerplate(paragraphs: list[str]) -> list[str]:
    """Drop the short trailing lines that are site furniture (invitations, disclaimers, links...)."""
    kept = list(paragraphs)
    dropped = 0
    while kept and dropped < BOILERPLATE_MAX_LINES:
        lines = kept[-1].split("\n")
        while lines and dropped < BOILERPLATE_MAX_LINES and is_boilerplate(lines[-1]):
            lines.pop()
            dropped += 1
        if lines:
            kept[-1] = "\n".join(lines)
            break
        kept.pop()
    # If everything looked like boilerplate, the rules are wrong for this text: keep it.
    return kept or list(paragraphs)


def is_boilerplate(line: str) -> bool:
    """True if one short line is the kind of text sites append to every article."""
    line = line.strip()
    if not line or len(line) > BOILERPLATE_MAX_CHARS:
        return False
    return any(p.search(line) for p in _BOILERPLATE)


def _drop_repeated_title(title: str, paragraphs: list[str]) -> list[str]:
    wanted = _comparable(title)
    for i, paragraph in enumerate(paragraphs[:REPEAT_WINDOW]):
        lines = paragraph.split("\n")
        if _comparable(lines[0]) == wanted:
            rest = lines[1:]
            return paragraphs[:i] + (["\n".join(rest)] if rest else []) + paragraphs[i + 1 :]
    return paragraphs


def _comparable(line: str) -> str:
    return " ".join(line.casefold().split()).rstrip(".:!")
