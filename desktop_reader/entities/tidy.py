"""Entity tidying: raw NER spans of one article -> merged, cleaned `Entity` values (pure functions)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable

from desktop_reader.entities import repair
from desktop_reader.entities.dates import anchor_of
from desktop_reader.entities.mention import Mention
from desktop_reader.entities.place_names import gazetteer, towns
from desktop_reader.models import ENTITY_GROUPS, Entity

__all__ = ["KEPT_LABELS", "Mention", "RawSpan", "tidy"]

# A span as a recognizer reports it: surface text, label, start and end offsets into the article text.
RawSpan = tuple[str, str, int, int]

KEPT_LABELS = frozenset(ENTITY_GROUPS)


_EDGE_JUNK = "\"'“”‘’«»„‚{}<>*•·,;:!?/|\\-–—_~#+="
_POSSESSIVE_AFTER = re.compile(r"['’]")
_POSSESSIVE = re.compile(r"(?:['’][sS]|(?<=[sS])['’])\Z")
_LEADING_THE = re.compile(r"(?:the|The|THE)\s+")
_HONORIFIC = re.compile(r"(?:Mr|Mrs|Ms|Dr|Prof)\.?\s+")
_ABBREVIATIONS = frozenset({"inc", "corp", "co", "ltd", "jr", "sr", "st", "bros", "no", "mt", "ft"})
_URL = re.compile(r"https?://|www\.|\w\.[a-z]{2,6}/|@\w+\.\w", re.IGNORECASE)
_TITLE_BEFORE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Dr|Prof|Professor|Sir|Dame|Lord|Lady|Senator|Sen|Governor|Gov|President|Judge"
    r"|Rev|Reverend|Rep|Chancellor)\.?\s+\Z"
)
# English names of laws and treaties end in their kind; the model often calls them ORG or WORK_OF_ART.
_LAW_NAME = re.compile(r"\s(?:Act|Treaty|Agreement|Accords?|Amendment)(?:\s+(?:of\s+)?\d{4})?\Z")
_NOT_PLACE_LABELS = frozenset({"PERSON", "ORG", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW"})
_YEAR = re.compile(r"\d{4}(?:s|-\d{2}(?:-\d{2})?)?\Z")  # a year, a decade or an ISO date
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
# A one-word name right after one of these is a place ("built in Veltham"); not after a possessive.
_PLACE_BEFORE = re.compile(r"(?<![\w-])(?:in|at|near|from)\s+\Z")
_INNER_POSSESSIVE = re.compile(r"\w['’]s?\s")
_RANGE_AFTER = re.compile(r"\s+to\s")  # "everything from Shakespeare to Yeats" names no place
_WHERE_BEFORE = re.compile(r"(?<!\w)(?:on|in|at|along|off|near|from|to|into|down|up)\s+(?:the\s+)?\Z")
# ... but "analysts at Berenberg", "staff at Tesco": after a word for people at work, "at" names an employer.
_STAFF_AT = re.compile(
    r"(?:\w+(?:er|or|ist|yst|ian|ant|ent)s?|staff|people|officials|sources|boss|chief|head)\s+at\s+\Z", re.I
)
# A one-word name right after a word for a business or a service is an organisation ("handset maker
# Ericsson", "file-sharing network Napster", "publishers Sega").
_ORG_BEFORE = re.compile(
    r"(?<!\w)(?:company|firm|maker|makers|giant|group|publisher|publishers|developer|operator|retailer|rival"
    r"|network|service|carrier|provider|manufacturer|chain|broadcaster|bank|insurer|airline|startup|start-up)\s+\Z"
)
_ROLE_BEFORE = re.compile(r"(?<!\w)(?:" + "|".join(sorted(repair.PERSON_ROLES)) + r")\s+\Z")
_ACRONYM_AFTER = re.compile(r"\s*\(([A-Z]{2,6})s?\)")
_ACRONYM_BEFORE = re.compile(r"(?<!\w)([A-Z]{2,6})s?\s*\(\Z")
_PLACE_KINDS = frozenset({"GPE", "LOC", "FAC"})
# Words a title-case headline leaves in lower case (AP/Chicago style).
_MINOR_WORDS = frozenset(
    "a an the and or but nor for of to in on at by with from as into onto over via vs per up off out "  # noqa: SIM905
    "is are be than that".split()
)


def clean_span(span: RawSpan) -> list[Mention]:
    """Clean one raw span's surface form, moving its offsets with every character trimmed.

    A span that crosses a line break is split there: names do not run across lines, but a recognizer
    sometimes glues a headline's last word to the next line's first.
    """
    surface, label, start, _end = span
    pieces: list[Mention] = []
    for match in re.finditer(r"[^\n]+", surface):
        kind = label
        if label in ("ORG", "WORK_OF_ART", "PRODUCT", "EVENT") and _LAW_NAME.search(
            match.group().rstrip(_EDGE_JUNK + ". ")
        ):
            kind = "LAW"
        piece = _trim(match.group(), kind, start + match.start())
        if piece is not None:
            pieces.append(piece)
    return pieces


def _trim(surface: str, label: str, start: int) -> Mention | None:
    """Strip quotes, punctuation, possessives, a leading "the" and honorifics until nothing changes."""
    lo, hi = 0, len(surface)
    while True:
        before = (lo, hi)
        while lo < hi and (surface[lo].isspace() or surface[lo] in _EDGE_JUNK):
            lo += 1
        while hi > lo and (surface[hi - 1].isspace() or surface[hi - 1] in _EDGE_JUNK):
            hi -= 1
        # A bracket is kept only with its partner: "Alliance (NATO)" stays whole, "(NATO" loses it.
        for opening, closing in ("()", "[]"):
            if hi > lo and surface[lo] == opening and closing not in surface[lo:hi]:
                lo += 1
            if hi > lo and surface[hi - 1] == closing and opening not in surface[lo:hi]:
                hi -= 1
        if hi > lo and surface[hi - 1] == "." and not _is_abbreviation(surface[lo:hi]):
            hi -= 1
        possessive = _POSSESSIVE.search(surface, lo, hi)
        if possessive and possessive.start() > lo:
            hi = possessive.start()
        if label not in ("PERSON", "DATE"):
            # A capitalised "The" may belong to a title ("The Godfather"), so works keep it.
            the = _LEADING_THE.match(surface, lo, hi)
            if the and (label != "WORK_OF_ART" or surface[lo] == "t") and the.end() < hi:
                lo = the.end()
        if label == "PERSON":
            title = _HONORIFIC.match(surface, lo, hi)
            if title and title.end() < hi:
                lo = title.end()
        if (lo, hi) == before:
            break
    if lo >= hi:
        return None
    return Mention(" ".join(surface[lo:hi].split()), label, start + lo, start + hi)


def _is_abbreviation(text: str) -> bool:
    """Whether a trailing full stop belongs to the name ("U.S.", "Acme Inc.") rather than the sentence."""
    last = text.split()[-1] if text.split() else ""
    core = last[:-1]
    return "." in core or core.casefold() in _ABBREVIATIONS or (len(core) == 1 and core.isupper())


def is_junk(text: str, label: str) -> bool:
    """Whether a cleaned name cannot be an entity: a number or punctuation, one character, or a URL.

    A bare year is still a date ("2024"), so DATE keeps four-digit years.
    """
    if len(text) < 2 or _URL.search(text):
        return True
    if any(ch.isalpha() for ch in text):
        return False
    return not (label == "DATE" and _YEAR.match(text))


def is_place(name: str) -> bool:
    """Whether `name` is a country, US state, capital or major city."""
    return name.casefold() in gazetteer()


def headline_ranges(text: str) -> list[tuple[int, int]]:
    """Offsets of the lines that read like title-case headlines or subheadings.

    Such a line has at least three capitalised words, almost no other words apart from short function
    words, and no full stop at its end; its capitals say nothing about whether a phrase is a name.
    """
    ranges: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        words = [w for w in _WORD.findall(line.group()) if w.casefold() not in _MINOR_WORDS]
        capitalised = sum(1 for w in words if w[0].isupper())
        if (
            capitalised >= 3
            and capitalised >= 0.8 * len(words)
            and len(words) <= 25
            and not line.group().rstrip().endswith(".")
        ):
            ranges.append(line.span())
    return ranges


def tidy(text: str, spans: Iterable[RawSpan], published: str = "") -> tuple[Entity, ...]:
    """Turn the raw spans of one article into its entities, most mentioned first.

    Args:
        text: the article text the spans' offsets point into.
        spans: (surface, label, start, end) as the recognizer found them, in any order.
        published: the article's ISO publication date, the anchor of dates without a year.

    Returns:
        One `Entity` per name: one label, every mention's offsets (sorted), count == len(mentions);
        dates as ISO (2005-03-25, 2005-03, 2005), relative ones left out.
    """
    cleaned: list[Mention] = []
    cued: set[Mention] = set()  # one-word "people" the words before show to be organisations
    for span in spans:
        if span[1] not in KEPT_LABELS:
            continue
        cleaned.extend(m for m in clean_span(span) if not is_junk(m.text, m.label))
    groups: dict[str, list[Mention]] = {}
    for mention in _listed_places(text, repair.repair(text, cleaned, is_place, anchor_of(published))):
        if not is_junk(mention.text, mention.label):
            cued_mention = _with_cues(text, mention)
            if cued_mention.label == "ORG" and mention.label == "PERSON" and " " not in mention.text:
                cued.add(cued_mention)
            groups.setdefault(mention.text.casefold(), []).append(cued_mention)
    _person_cued_groups(text, groups)
    headlines = headline_ranges(text)
    body = _outside(text, headlines)
    # A headline's run of capitals ("Kelmarsh United Go Clear") is no full name to fold a surname into.
    _merge_partial_names(
        groups, {k for k, ms in groups.items() if _headline_only(ms, headlines) and not _occurs_in(ms[0].text, body)}
    )
    name_starts = {key.split()[0] for key, ms in groups.items() if " " in key and _majority(ms) != "PERSON"}
    entities = []
    for key, mentions in groups.items():
        name = _display_name(key, mentions)
        if not is_place(name) and (
            (_headline_only(mentions, headlines) and not _occurs_in(name, body))
            or _common_word(text, name, mentions, headlines)
        ):
            continue
        owner = groups.get(key.split()[0], []) if " " in key else []
        if len(owner) >= 2 and _majority(owner) in ("ORG", "GPE") and _majority(mentions) == "PERSON":
            # "Kronsdal Together": a name led by the article's own town or group is that group's, not a person's
            mentions = [Mention(m.text, "ORG", m.start, m.end) for m in mentions]
        weak = " " not in key and (key in name_starts or any(m.label != "PERSON" and m in cued for m in mentions))
        label = _vote(mentions, name, weak)
        if label == "PERSON" and _lower_case_word(text, name):
            continue  # "Hope", "Story": an ordinary word the article also writes in lower case
        if label == "PERSON" and _opener_only(text, key, mentions, groups):
            continue  # "Turnout was 61 per cent": news introduces a person by full name, not by a sentence's first word
        offsets = tuple(sorted({(m.start, m.end) for m in mentions}))
        entities.append(Entity(name, label, len(offsets), offsets))
    return tuple(sorted(entities, key=lambda e: (-e.count, e.text)))


def _with_cues(text: str, mention: Mention) -> Mention:
    """The mention's label set right by the name's form and the words around it.

    A name right after a personal title ("Dr Helena Marsh", "Senator Menendez") is a person, and so is
    an "organisation" of two to four name-like words right after a person's role ("captain Ewan
    Tolliver"). A "person" whose name ends in a club's or group's word ("Almwick Athletic") or that is
    spelled out before its acronym ("Asymmetric Digital Subscriber Line (ADSL)") is an organisation, and
    so is a "place" ending in a club's word ("Redport Rovers"); a "person" ending in a street's word is
    a facility ("Mill Lane"); a one-word acronym (GPRS) or a name with a digit ("Xbox 2") is no
    person's; a one-word name right after "in", "at", "near" or "from" is a place, right after a word
    for a business ("handset maker") an organisation.
    """
    before = text[max(0, mention.start - 20) : mention.start]
    words = mention.text.split()
    last = words[-1].casefold()
    if mention.label != "PERSON":
        if _TITLE_BEFORE.search(before) or (
            mention.label == "ORG"
            and _ROLE_BEFORE.search(before)
            and _name_like(words)
            and last not in repair.GROUP_WORDS
        ):
            return Mention(mention.text, "PERSON", mention.start, mention.end)
        if mention.label in _PLACE_KINDS and len(words) > 1 and last in repair.CLUB_WORDS:
            return Mention(mention.text, "ORG", mention.start, mention.end)
        return mention
    label = "PERSON"
    if len(words) > 1 and (last in repair.GROUP_WORDS or _INNER_POSSESSIVE.search(mention.text)):
        label = "ORG"  # a possessive left inside a name ("St Aldric's Church") is no person's either
    elif len(words) > 1 and (
        last in repair.STREET_WORDS or (last in repair.SURNAME_STREET_WORDS and _WHERE_BEFORE.search(before))
    ):
        label = "FAC"
    elif len(words) >= 2 and _spelled_out(words, text, mention.start, mention.end):
        label = "ORG"  # "Asymmetric Digital Subscriber Line (ADSL)": a person's name has no acronym
    elif any(ch.isdigit() for ch in mention.text):
        label = "PRODUCT"
    elif len(words) == 1 and (mention.text.isupper() or last in repair.CLUB_WORDS or _ORG_BEFORE.search(before)):
        label = "ORG"
    elif (
        len(words) == 1
        and _PLACE_BEFORE.search(before)
        and not _STAFF_AT.search(before)
        and not _POSSESSIVE_AFTER.match(text, mention.end)
        and not _RANGE_AFTER.match(text, mention.end)
    ):
        label = "GPE"
    return mention if label == "PERSON" else Mention(mention.text, label, mention.start, mention.end)


_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s(?:and|or)\s+)\Z")
# "Varga, 47," : an age in apposition is said of people only.
_AGE_AFTER = re.compile(r",\s*\d{1,3}\s*,")


def _listed_places(text: str, mentions: list[Mention]) -> list[Mention]:
    """Towns in a list with a known place ("Leeds, Bristol and Norwich") are places too.

    Smaller towns are too often surnames to overrule the model on their own (place_names.MIN_CITY_POPULATION), but a
    town listed beside a place, with nothing between them but commas and "and", is one of its kind.
    """
    ordered = sorted(mentions, key=lambda m: m.start)
    placed = [m.label in _PLACE_KINDS or is_place(m.text) for m in ordered]
    out = []
    for i, mention in enumerate(ordered):
        if not placed[i] and mention.label not in ("DATE", "NORP") and mention.text.casefold() in towns():
            near = [j for j in (i - 1, i + 1) if 0 <= j < len(ordered) and placed[j]]
            gaps = (text[min(ordered[j].end, mention.end) : max(ordered[j].start, mention.start)] for j in near)
            if any(_LIST_GAP.match(gap) for gap in gaps):
                mention = Mention(mention.text, "GPE", mention.start, mention.end)
                placed[i] = True  # so the list's next town follows ("Leeds, Bristol and Norwich")
        out.append(mention)
    return out


def _person_cued_groups(text: str, groups: dict[str, list[Mention]]) -> None:
    """A name given an age in apposition ("Varga, 47,") is a person in every mention, and its one-word
    form takes the full name the article writes but the model missed ("Ilse Varga, a former ...")."""
    for key in list(groups):
        mentions = groups[key]
        if not any(_AGE_AFTER.match(text, m.end) for m in mentions) or not _name_like_or_word(mentions[0].text):
            continue
        groups[key] = [Mention(m.text, "PERSON", m.start, m.end) for m in mentions]
        if " " in key or any(k != key and k.split()[-1] == key for k in groups):
            continue
        word = re.escape(mentions[0].text)
        full = [
            f
            for f in re.finditer(rf"(?<![\w.])([A-Z][a-z]+(?:-[A-Z][a-z]+)?) {word}(?!\w)", text)
            if not re.search(rf"(?<![\w.]){re.escape(f.group(1).lower())}(?!\w)", text)
        ]
        names = {f.group().casefold() for f in full}
        if len(names) == 1:
            groups[names.pop()] = [Mention(f.group(), "PERSON", f.start(), f.end()) for f in full]


def _name_like_or_word(name: str) -> bool:
    words = name.split()
    return _name_like(words) or (len(words) == 1 and words[0][:1].isupper() and not words[0].isupper())


def _spelled_out(words: list[str], text: str, start: int, end: int) -> bool:
    """Whether the name stands beside its own acronym in brackets ("National Health Service (NHS)",
    "NHS (National Health Service)")."""
    initials = "".join(w[0] for w in words if w[:1].isupper())
    found = _ACRONYM_AFTER.match(text, end) or _ACRONYM_BEFORE.search(text[max(0, start - 10) : start])
    return found is not None and len(initials) >= 2 and found.group(1).startswith(initials[:2])


def _name_like(words: list[str]) -> bool:
    """Two to four capitalised words (and particles: "Pieter de Wet"), none all capitals: a person's full name."""
    return (
        2 <= len(words) <= 4
        and words[0][:1].isupper()
        and all((w[:1].isupper() and not w.isupper()) or w in repair.NAME_PARTICLES for w in words)
    )


def _display_name(key: str, mentions: list[Mention]) -> str:
    """The name's most frequent spelling ("NATO" over "Nato"); the earliest wins a tie.

    Only spellings of the group's own key count, so a merged surname never renames the full name.
    """
    counts = Counter(m.text for m in mentions if m.text.casefold() == key)
    first_seen = {m.text: m.start for m in sorted(mentions, key=lambda m: -m.start)}
    return min(counts, key=lambda t: (-counts[t], first_seen[t]))


def _vote(mentions: list[Mention], name: str, weak_person: bool = False) -> str:
    """One label per name: the majority label, but a known place is always a place.

    With `weak_person` (a one-word name that starts another name of the article, "Veltham" of "Veltham
    Museum") the model's person label does not count: the other labels vote, ORG when there are none.
    """
    votes = Counter(m.label for m in mentions)
    if weak_person and "PERSON" in votes:
        del votes["PERSON"]
        if not votes:
            return "GPE" if is_place(name) else "ORG"
    first_seen = {m.label: m.start for m in sorted(mentions, key=lambda m: -m.start)}
    label = min(votes, key=lambda lab: (-votes[lab], first_seen[lab]))
    # NORP and DATE stay: "Roma" (people) and "May" (month) are also spellings of places.
    if label in _NOT_PLACE_LABELS and is_place(name):
        return "GPE"
    return label


def _merge_partial_names(groups: dict[str, list[Mention]], not_names: Collection[str] = ()) -> None:
    """Fold one-word names into the one full person name they are the last word of ("Rutte" -> "Mark Rutte").

    The model often mislabels a bare surname (Quispe as ORG), so any label but a date or a group merges,
    unless the word is a known place or starts an organisation's name ("Nordvig" of "Nordvig Shipping").
    A name the model itself calls a person may also be a first name, or the surname of a full name the
    model mislabelled. A surname shared by two full names ("Madden") stays apart: it cannot be told which
    person is meant.
    """
    multi = {key: _majority(ms) for key, ms in groups.items() if " " in key and key not in not_names}
    persons = [key for key, label in multi.items() if label == "PERSON"]
    org_starts = {key.split()[0] for key, label in multi.items() if label == "ORG"}
    for key in [k for k in groups if " " not in k]:
        label = _majority(groups[key])
        targets = [k for k in persons if k.split()[-1] == key]
        if label == "PERSON":
            targets = (
                targets
                or [k for k in persons if k.split()[0] == key]
                or [k for k in multi if k.split()[-1] == key and not is_place(k)]
            )
        elif label in ("DATE", "NORP") or key in org_starts or is_place(key):
            continue
        if len(targets) == 1:
            # The surname's mentions vote PERSON inside the full name, whatever their own odd labels were.
            groups[targets[0]].extend(Mention(m.text, "PERSON", m.start, m.end) for m in groups.pop(key))


def _majority(mentions: list[Mention]) -> str:
    return Counter(m.label for m in mentions).most_common(1)[0][0]


def _headline_only(mentions: list[Mention], headlines: list[tuple[int, int]]) -> bool:
    return all(any(lo <= m.start and m.end <= hi for lo, hi in headlines) for m in mentions)


def _outside(text: str, ranges: list[tuple[int, int]]) -> str:
    """The text with the given ranges blanked out, so searches in it see only ordinary sentences."""
    parts, pos = [], 0
    for lo, hi in ranges:
        parts.append(text[pos:lo])
        pos = hi
    parts.append(text[pos:])
    return "\n".join(parts)


def _common_word(text: str, name: str, mentions: list[Mention], headlines: list[tuple[int, int]]) -> bool:
    """Whether a one-word name is only an ordinary word capitalised by its place ("Turnout was low").

    It is, when it never appears mid-sentence but the article also uses it (or its singular) in lower case.
    """
    if " " in name or not (name[:1].isupper() and name[1:].islower()):
        return False
    if not all(_starts_sentence(text, m.start) or _headline_only([m], headlines) for m in mentions):
        return False
    lower = name.lower()
    forms = {lower, lower[:-1]} if lower.endswith("s") and len(lower) > 3 else {lower}
    return any(re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text) for form in forms)


def _opener_only(text: str, key: str, mentions: list[Mention], groups: dict[str, list[Mention]]) -> bool:
    """Whether a one-word name only ever opens a sentence and no longer name of the article holds it."""
    if " " in key or any(key in k.split() for k in groups if k != key):
        return False
    return all(
        _starts_sentence(text, m.start) and not _TITLE_BEFORE.search(text[max(0, m.start - 20) : m.start])
        for m in mentions
    )


def _starts_sentence(text: str, start: int) -> bool:
    before = text[max(0, start - 10) : start].rstrip(" \t“\"‘'(")
    return not before or before[-1] in ".!?:\n"


def _occurs_in(name: str, body: str) -> bool:
    """Whether the exact name, capitals and all, stands as whole words somewhere in `body`."""
    pattern = r"(?<!\w)" + r"\s+".join(re.escape(w) for w in name.split()) + r"(?!\w)"
    return re.search(pattern, body) is not None


def _lower_case_word(text: str, name: str) -> bool:
    """Whether a one-word name also stands in the text in lower case, as an ordinary word."""
    if " " in name or not name[:1].isupper() or not name[1:].islower():
        return False
    return re.search(rf"(?<![\w.]){re.escape(name.lower())}(?!\w)", text) is not None
