"""Span repair: mentions cut or glued wrong by the recognizer, set right before they are grouped (pure)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from desktop_reader.entities import dates
from desktop_reader.entities.mention import Mention

# Words that open a sentence and get swept into the name after them ("Meanwhile Ofcom", "Asked Smith").
_OPENERS = frozenset(
    "however meanwhile asked despite after before under unlike like although while when if since following "  # noqa: SIM905
    "according today yesterday last next former then now also but and so both many some most several other "
    "only even just such every each all critics officials experts analysts fans users shares sales".split()
)
# Time zones and clock words the model reads as organisations.
_NOT_NAMES = frozenset({"gmt", "bst", "utc", "est", "edt", "pst", "pdt", "cet", "cest", "am", "pm"})
# Abbreviations and dotted forms of a few names that are written many ways; the full name is shown.
ALIASES: dict[str, tuple[str, str]] = {
    "us": ("United States", "GPE"),
    "u.s.": ("United States", "GPE"),
    "u.s": ("United States", "GPE"),
    "usa": ("United States", "GPE"),
    "u.s.a.": ("United States", "GPE"),
    "united states of america": ("United States", "GPE"),
    "uk": ("United Kingdom", "GPE"),
    "u.k.": ("United Kingdom", "GPE"),
    "eu": ("European Union", "ORG"),
    "e.u.": ("European Union", "ORG"),
    "un": ("United Nations", "ORG"),
    "u.n.": ("United Nations", "ORG"),
}
_LOWER_THE = re.compile(r"the\s+")


def repair(text: str, mentions: list[Mention], is_place: Callable[[str], bool], anchor: date | None) -> list[Mention]:
    """Mentions with their spans set right; junk dropped, glued names split."""
    out: list[Mention] = []
    for mention in mentions:
        if mention.label == "DATE":
            fixed = _date(text, mention, anchor)
            if fixed is not None:
                out.append(fixed)
            continue
        if mention.text.casefold() in _NOT_NAMES:
            continue
        mention = _strip_front(text, mention)
        alias = ALIASES.get(mention.text.casefold())
        if alias is not None and (mention.text.isupper() or "." in mention.text or " " in mention.text):
            mention = Mention(alias[0], alias[1], mention.start, mention.end)
        out.extend(_split_place(text, mention, is_place))
    return out


def _date(text: str, mention: Mention, anchor: date | None) -> Mention | None:
    surface = text[mention.start : mention.end]
    found = dates.normalise(surface, anchor)
    if found is None:
        return None
    iso, lo, hi = found
    return Mention(iso, "DATE", mention.start + lo, mention.start + hi)


def _strip_front(text: str, mention: Mention) -> Mention:
    """Drop a lower-case "the" and a sentence-opening word that is not part of the name."""
    surface = text[mention.start : mention.end]
    the = _LOWER_THE.match(surface)
    if the and the.end() < len(surface):
        return _strip_front(text, _shifted(text, mention, the.end()))
    words = surface.split()
    if len(words) < 2 or not _starts_sentence(text, mention.start):
        return mention
    first = words[0].casefold()
    verb = len(first) >= 6 and first.endswith("ing")  # "Entering", "Speaking"
    if (first in _OPENERS or verb) and words[1][:1].isupper():
        return _shifted(text, mention, surface.index(words[1], len(words[0])))
    return mention


def _split_place(text: str, mention: Mention, is_place: Callable[[str], bool]) -> list[Mention]:
    """A place glued to the person after it ("Ukraine Kurt Volker") becomes the place and the person."""
    words = mention.text.split()
    if mention.label != "PERSON" or len(words) < 3:
        return [mention]
    for k in (1, 2):
        head, rest = " ".join(words[:k]), words[k:]
        if len(rest) >= 2 and is_place(head) and all(w[:1].isupper() for w in rest):
            surface = text[mention.start : mention.end]
            cut = surface.index(rest[0], len(words[0]))
            place = Mention(head, "GPE", mention.start, mention.start + len(surface[:cut].rstrip()))
            return [place, _shifted(text, mention, cut)]
    return [mention]


def _shifted(text: str, mention: Mention, cut: int) -> Mention:
    start = mention.start + cut
    return Mention(" ".join(text[start : mention.end].split()), mention.label, start, mention.end)


def _starts_sentence(text: str, start: int) -> bool:
    before = text[max(0, start - 10) : start].rstrip(" \t“\"‘'(")
    return not before or before[-1] in ".!?:\n"
