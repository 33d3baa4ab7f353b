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
# Lower-case words inside a person's name ("Pieter de Wet", "Ludwig van Beethoven").
NAME_PARTICLES = frozenset("de del della der den di du da dos van von ter le la bin ibn al el".split())  # noqa: SIM905
_TAIL_WORDS = frozenset("at in on of the and or for to by with from as".split())  # noqa: SIM905
# Job titles a recognizer keeps at the front of the name they introduce ("Striker Jonas Ferreira",
# "Prime Minister Tony Blair"); a modifier counts only before a head ("Foreign Office" stays whole).
_ROLE_HEADS = frozenset(
    "striker midfielder defender goalkeeper keeper winger forward captain substitute skipper coach manager "  # noqa: SIM905
    "boss referee minister secretary president chancellor premier spokesman spokeswoman spokesperson ceo "
    "chairman chairwoman chief executive director curator senator governor mayor councillor ambassador "
    "commissioner analyst historian economist professor author novelist actor actress singer general attorney".split()
)
_ROLE_MODIFIERS = frozenset("prime foreign home deputy vice shadow former acting".split())  # noqa: SIM905
# Words that end the name of a group, not a person's: after a possessive they belong to one name
# ("Queen's Park Rangers", "Women's Royal Voluntary Service"), so such a span is not split. Words that
# are also common surnames stay out (Church, Press, Post, Lane: Thomas Haden Church, Nathan Lane).
GROUP_WORDS = frozenset(
    "athletic united city rovers wanderers rangers albion town county fc afc club party council committee "  # noqa: SIM905
    "association union society institute trust foundation group ltd inc corp plc company bank university "
    "college school hospital museum agency authority commission ministry department board federation league "
    "alliance coalition movement army police service services partners holdings hotel inn restaurant cafe centre "
    "center theatre gallery library cathedral award awards prize cup trophy festival championship".split()
)
# A name ending in one of these is a street or a building, not a person ("Trafalgar Square"); one ending
# in a word that is also a surname only after a word for where ("on Mill Lane", not "actor Nathan Lane").
STREET_WORDS = frozenset("road avenue boulevard square stadium airport station".split())  # noqa: SIM905
SURNAME_STREET_WORDS = frozenset({"street", "lane"})
_NOT_FIRST_NAMES = frozenset("my our your his her their its the a an this that".split())  # noqa: SIM905
# The group words that end a club's or a party's name, never a place's ("Redport Rovers" is no facility).
CLUB_WORDS = frozenset("athletic united rovers wanderers rangers albion fc afc club party council committee".split())  # noqa: SIM905
# Roles only a person holds: a name right after one is a person's ("from captain Ewan Tolliver").
PERSON_ROLES = frozenset(
    "striker midfielder defender goalkeeper winger captain substitute coach manager referee spokesman "  # noqa: SIM905
    "spokeswoman spokesperson chairman chairwoman senator governor mayor minister president chancellor".split()
)
_POSSESSIVE_GLUE = re.compile(r"(?<=\w)(?:['’]s|(?<=s)['’])\s+")


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
        mention = _strip_role(text, _strip_tail(text, _strip_front(text, mention)))
        alias = ALIASES.get(mention.text.casefold())
        if alias is not None and (mention.text.isupper() or "." in mention.text or " " in mention.text):
            mention = Mention(alias[0], alias[1], mention.start, mention.end)
        for part in _split_possessive(text, mention, is_place):
            out.extend(_split_place(text, part, is_place))
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


def _strip_tail(text: str, mention: Mention) -> Mention:
    """Drop a lower-case function word glued to the end of a name ("Brackley Wanderers at")."""
    words = mention.text.split()
    if len(words) < 2 or words[-1] not in _TAIL_WORDS:
        return mention
    surface = text[mention.start : mention.end]
    end = mention.start + len(surface[: surface.rindex(words[-1])].rstrip())
    return Mention(" ".join(words[:-1]), mention.label, mention.start, end)


def _strip_role(text: str, mention: Mention) -> Mention:
    """Drop a job title kept at the front of a person's name; an organisation so cut becomes the person.

    Only when a name is left: at least one capitalised word for a person, two or three (and none of them
    a group's word) for an organisation ("Coach House Hotel" stays an organisation).
    """
    if mention.label not in ("PERSON", "ORG"):
        return mention
    words = mention.text.split()
    cut = 0
    for n, word in enumerate(words[:-1]):
        folded = word.casefold().rstrip(".")
        if folded in _ROLE_HEADS:
            cut = n + 1
        elif folded not in _ROLE_MODIFIERS:
            break
    rest = words[cut:]
    if not cut or not rest[0][:1].isupper() or not all(w[:1].isupper() or w in NAME_PARTICLES for w in rest):
        return mention
    label = mention.label
    if label == "ORG":
        if not 2 <= len(rest) <= 3 or rest[-1].casefold() in GROUP_WORDS:
            return mention
        label = "PERSON"
    surface = text[mention.start : mention.end]
    shifted = _shifted(text, mention, _offset_of_word(surface, cut))
    return Mention(shifted.text, label, shifted.start, shifted.end)


def _split_possessive(text: str, mention: Mention, is_place: Callable[[str], bool]) -> list[Mention]:
    """A name glued to the person after it by a possessive ("Rovers' Niall Comerford", "Britain's Tony
    Blair") becomes the owner (a place or an organisation) and the person.

    The person is two or three capitalised words ending in none of a group's or a street's words, so
    "Queen's Park Rangers", "Women's Royal Voluntary Service" and "Wrexley's Corn Exchange Square" stay whole.
    """
    if mention.label not in ("PERSON", "ORG"):
        return [mention]
    surface = text[mention.start : mention.end]
    glue = _POSSESSIVE_GLUE.search(surface)
    if glue is None:
        return [mention]
    owner, person = surface[: glue.start()].rstrip("'’"), surface[glue.end() :].split()
    owner_words = owner.split()
    if (
        not owner_words
        or not all(w[:1].isupper() for w in owner_words)
        or not 2 <= len(person) <= 3
        or not all((w[:1].isupper() and not w.isupper()) or w in NAME_PARTICLES for w in person[1:])
        or not person[0][:1].isupper()
        or person[-1].casefold() in GROUP_WORDS | STREET_WORDS | SURNAME_STREET_WORDS
        or person[0].casefold() in _NOT_FIRST_NAMES
    ):
        return [mention]
    owner_text = " ".join(owner_words)
    first = Mention(owner_text, "GPE" if is_place(owner_text) else "ORG", mention.start, mention.start + len(owner))
    second = _shifted(text, mention, glue.end())
    return [first, Mention(second.text, "PERSON", second.start, second.end)]


def _offset_of_word(surface: str, n: int) -> int:
    """Where the n-th word (0-based) of `surface` starts."""
    return [m.start() for m in re.finditer(r"\S+", surface)][n]


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
