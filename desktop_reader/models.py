"""Plain frozen dataclasses that cross module boundaries."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePath

# Entity labels the app keeps, with the pane group each belongs to.
ENTITY_GROUPS: dict[str, str] = {
    "PERSON": "People",
    "ORG": "Organisations",
    "GPE": "Places",
    "LOC": "Places",
    "FAC": "Places",
    "NORP": "Other",
    "EVENT": "Other",
    "LAW": "Other",
    "WORK_OF_ART": "Other",
    "PRODUCT": "Other",
    "DATE": "Dates",
}


@dataclass(frozen=True, slots=True)
class Metadata:
    """What is known about an article besides its text; empty string means unknown."""

    title: str = ""
    author: str = ""
    published: str = ""  # ISO 8601 date or date-time
    site: str = ""
    url: str = ""
    language: str = ""  # ISO 639-1 code, e.g. "en"


@dataclass(frozen=True, slots=True)
class Member:
    """One article inside a container file (a WARC record, an export's entry) and how to find it again.

    The library stores the container once and each article's Member beside it, so the article
    can be read again from the stored copy (re-cleaning) without the user's file.
    """

    container: Path  # the file the user imported
    name: str  # what the user sees: the record's URL, the entry's name
    locator: str  # for the container's reader: a record's byte offset, an entry's path or index
    size: int = 0  # bytes of the record or entry (for the time limit)
    labels: tuple[str, ...] = ()  # a read-later service's labels/tags, kept with the article
    saved: str = ""  # when it was captured or saved (a WARC record's date, an entry's created_at)
    container_sha256: str = ""  # filled in by the import: the stored container's name


@dataclass(frozen=True, slots=True)
class MemberIssue:
    """A member of a container that is not imported: a bad record, an older capture, an empty entry."""

    container: Path
    name: str
    status: str  # "failed", "duplicate" or "skipped"
    reason: str


@dataclass(frozen=True, slots=True)
class RawDocument:
    """A file as read from disk: decoded, but not yet cleaned.

    Exactly one of `html` and `text` is set: HTML still needs the cleaner (Markdown is
    rendered to HTML too, and cleaned without readability); text (.txt) is already the body.
    """

    path: Path
    format: str  # "html", "mhtml", "text", "markdown", "pdf", "epub", "webarchive"...
    content: bytes  # the original bytes, stored unchanged
    html: str | None = None
    text: str | None = None
    hints: Metadata = field(default_factory=Metadata)  # what the container said: front matter, MHTML header...
    companions: tuple[Path, ...] = ()  # files that belong to the page (its NAME_files/ folder)
    companion_root: Path | None = None  # the NAME_files/ folder itself, copied along with the page
    warnings: tuple[str, ...] = ()  # imported, but the user should know ("no text layer: 3 pages")
    member: Member | None = None  # set when the document is one member of a container file


@dataclass(frozen=True, slots=True)
class CleanDocument:
    """Readable text plus the best metadata found for it."""

    text: str
    meta: Metadata


@dataclass(frozen=True, slots=True)
class Entity:
    """A named entity of one article: every mention of one name, merged."""

    text: str
    label: str  # spaCy label, e.g. "PERSON", "ORG", "GPE"
    count: int
    mentions: tuple[tuple[int, int], ...]  # character offsets into Article.text


def fold_entity_name(name: str) -> str:
    """The form under which rules match names: single spaces, case-folded, accents removed."""
    if name.isascii():  # most names, and nothing to decompose: the vote folds every name of the archive
        return " ".join(name.split()).lower()
    decomposed = unicodedata.normalize("NFKD", " ".join(name.split()).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True, slots=True)
class EntityRule:
    """One entity curation rule as the user made it.

    merge/rename/alias: `name` counts as `target` (with label `label`, or each mention's own when "");
    retype: `name` gets `label`; ignore: `name` is no entity at all.
    """

    kind: str
    name: str
    target: str = ""
    label: str = ""
    id: int = 0
    created: str = ""

    def describe(self) -> str:
        if self.kind == "ignore":
            return f"ignore {self.name!r}"
        if self.kind == "retype":
            return f"retype {self.name!r} as {self.label}"
        as_label = f" ({self.label})" if self.label else ""
        return f"{self.kind} {self.name!r} into {self.target!r}{as_label}"


@dataclass(frozen=True, slots=True)
class Article:
    """A stored article, as `show` presents it."""

    id: int
    title: str
    text: str
    author: str
    published: str
    site: str
    url: str
    language: str
    source_path: str  # where the user imported it from
    stored_path: str  # the copy kept in the library folder
    imported_at: str  # ISO 8601, UTC
    format: str
    entities: tuple[Entity, ...] = ()
    member: str = ""  # the record's URL or entry's name when the original is a container


@dataclass(frozen=True, slots=True)
class Snippet:
    """A short passage of an article and where the query matched in it.

    Plain text, never markup: the front ends decide how a match looks (the list paints it,
    the command line brackets it), and nothing from an untrusted page can turn into a tag.
    """

    text: str
    spans: tuple[tuple[int, int], ...] = ()  # character offsets into `text`, in order

    def marked(self, before: str = "[", after: str = "]") -> str:
        """The text with each match wrapped in `before`/`after` (for a terminal)."""
        out, pos = [], 0
        for start, end in self.spans:
            out += [self.text[pos:start], before, self.text[start:end], after]
            pos = end
        out.append(self.text[pos:])
        return "".join(out)


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """One row of the article list."""

    id: int
    title: str
    site: str
    published: str
    snippet: Snippet | None = None  # only for search results
    score: float = 0.0
    url: str = ""
    source_path: str = ""


@dataclass(frozen=True, slots=True)
class IndexDoc:
    """What the search index holds for one article."""

    id: int
    title: str
    text: str
    author: str
    site: str
    url: str
    published: str
    entities: tuple[tuple[str, str], ...] = ()  # (text, label)


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One ranked search result."""

    id: int
    score: float
    snippet: Snippet | None  # None when the hit was not given one


@dataclass(frozen=True, slots=True)
class Facet:
    """An entity counted over a set of search results."""

    text: str
    label: str
    articles: int


@dataclass(frozen=True, slots=True)
class SearchResults:
    """A page of ranked hits plus what the user should know about the query."""

    hits: tuple[SearchHit, ...]
    total: int
    suggestion: str = ""  # "did you mean" query, or ""
    message: str = ""  # how a malformed query was read, or ""


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """What happened to one file of an import."""

    path: str
    status: str  # "imported", "duplicate", "skipped" (a folder's README...) or "failed"
    id: int | None = None
    title: str = ""
    error: str = ""
    warnings: tuple[str, ...] = ()  # imported, with something the user should know
    member: str = ""  # for a container (WARC, export): the record's URL or the entry's name


@dataclass(frozen=True, slots=True)
class ImportReport:
    """The result of a whole import batch."""

    outcomes: tuple[ImportOutcome, ...]
    cancelled: bool = False
    roots: tuple[str, ...] = ()  # the files and folders the user asked to import

    def shown_path(self, path: str) -> str:
        """`path` as a report shows it: relative to the imported folder it was found in."""
        return shown_path(path, self.roots)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def imported(self) -> int:
        return self.count("imported")

    @property
    def duplicates(self) -> int:
        return self.count("duplicate")

    @property
    def failed(self) -> int:
        return self.count("failed")

    @property
    def skipped(self) -> int:
        return self.count("skipped")


def shown_path(path: str, roots: Sequence[str]) -> str:
    """A found file relative to the parent of the imported folder holding it ("bbc/sport/240.txt").

    The folder's own name is kept: two imported folders may both hold "sport/240.txt".
    """
    p = PurePath(path)
    known = _root_set(tuple(roots))
    if p in known:
        return p.name
    # Walk up from the file (a few steps), not over the roots: a drop of 2,000 files has 2,000.
    for parent in p.parents:
        if parent in known:
            return str(PurePath(parent.name) / p.relative_to(parent))
    return str(p)


@lru_cache(maxsize=8)
def _root_set(roots: tuple[str, ...]) -> frozenset[PurePath]:
    return frozenset(PurePath(r) for r in roots)


@dataclass(frozen=True, slots=True)
class PreparedArticle:
    """A file read, cleaned and (when a model was there) its entities found: ready to be stored."""

    path: Path
    sha256: str
    format: str
    content: bytes  # the original file's bytes, kept in the library
    clean: CleanDocument
    entities: tuple[Entity, ...] | None  # None: no model, `entities --refresh` fills them in
    companion_root: Path | None = None  # a saved page's NAME_files/ folder, copied along
    warnings: tuple[str, ...] = ()  # imported, but the user should know (a scan without text)
    member: Member | None = None  # the article is this member of `path`, a container


@dataclass(frozen=True, slots=True)
class FailedFile:
    """A file that cannot be imported, with the reason a user should read."""

    path: Path
    reason: str
    skipped: bool = False  # left out on purpose (a folder's README...), not a failure
    member: str = ""  # the member of the container `path` that failed, if only one did


# -- the reader's own data: tags, notes, read state, highlights, saved searches --------------

HIGHLIGHT_COLORS = ("yellow", "green", "blue", "pink", "purple")


@dataclass(frozen=True, slots=True)
class Highlight:
    """A highlighted passage of an article, placed on the article's current text.

    The quote and its context are what the user highlighted; `start`/`end` are where that
    passage is in the current text, or None when it can no longer be found (orphaned: the
    highlight is kept, with its quote and note, and shown apart).
    """

    id: int
    article_id: int
    quote: str
    prefix: str
    suffix: str
    color: str
    note: str
    created: str  # ISO 8601, UTC
    start: int | None
    end: int | None
    anchoring: str = "exact"  # "exact", "moved" (found elsewhere), "fuzzy" (text edited) or "orphaned"
    original: str = ""  # the quote as highlighted, when the passage was edited since ("" otherwise)

    @property
    def orphaned(self) -> bool:
        return self.start is None


@dataclass(frozen=True, slots=True)
class TagCount:
    """A tag and how many articles of the library carry it."""

    name: str
    articles: int


@dataclass(frozen=True, slots=True)
class SavedSearch:
    """A query kept under a name, with its entity filters and sort.

    `count` and `new` are filled in when listed: the current number of results, and how many
    of them were not among the results when the search was last opened.
    """

    name: str
    query: str
    filters: tuple[tuple[str, str], ...] = ()
    sort: str = "relevance"
    opened_at: str = ""  # ISO 8601, UTC; "" = never opened
    count: int = 0
    new: int = 0


@dataclass(frozen=True, slots=True)
class ReadingMarks:
    """What the list shows of an article's user data: read or not, its tags."""

    read: bool = False
    tags: tuple[str, ...] = ()
    has_note: bool = False
    highlights: int = 0
