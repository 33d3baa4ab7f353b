"""The query fields over the reader's own data (tag:, is:, has:, note:), answered from the library at query time.

Tags, read state, notes and highlights live in the library database, not in the index, so a
change shows in the very next search without touching the index (a tag change would otherwise
rewrite the article's whole index document). The parser reads these fields like any other
(they are added to the schema it parses with, never to the index's); before a query runs, every
leaf on one of them becomes an ArticleSet: the documents of the article ids that the library
reports for it. ArticleSet is a plain Whoosh query with a list matcher, so the fields combine
with everything (AND, OR, NOT, groups, entity filters); where it is a top-level AND part, the
index runs it as a filter so that the rest of the query keeps the fast block scoring.

- `tag:NAME` (case and accents ignored; `tag:clim*` matches tags by pattern)
- `is:read`, `is:unread`
- `has:note`, `has:highlight`, `has:tag`
- `note:WORDS`: words of the article's note and of its highlights' notes, analyzed like the
  article text (stemmed, accents folded); phrases, prefixes and fuzzy words as elsewhere.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

import numpy as np
from whoosh import fields, matching, query
from whoosh.matching import Matcher
from whoosh.searching import Searcher
from whoosh.support.levenshtein import levenshtein

from desktop_reader.search.analysis import TextAnalyzer
from desktop_reader.search.schema import NameField, fold_name

USER_FIELDS = ("tag", "is", "has", "note")
IS_VALUES = ("read", "unread")
HAS_VALUES = {"note": "note", "notes": "note", "highlight": "highlight", "highlights": "highlight",
              "tag": "tag", "tags": "tag"}  # fmt: skip


class UserFacts(Protocol):
    """What the library answers about its user data (storage.user_data.UserData provides it)."""

    def tag_names(self) -> list[str]: ...

    def ids_with_tag(self, name: str) -> set[int]: ...

    def read_ids(self) -> set[int]: ...

    def noted_ids(self) -> set[int]: ...

    def highlighted_ids(self) -> set[int]: ...

    def tagged_ids(self) -> set[int]: ...

    def note_texts(self) -> Iterable[tuple[int, str]]: ...


def with_user_fields(schema: fields.Schema, analyzer: TextAnalyzer) -> fields.Schema:
    """A copy of `schema` that also knows the user fields, for the query parser only."""
    out = schema.copy()
    out.add("tag", NameField())
    out.add("is", fields.KEYWORD(lowercase=True))
    out.add("has", fields.KEYWORD(lowercase=True))
    out.add("note", fields.TEXT(analyzer=analyzer, phrase=True, multitoken_query="phrase"))
    return out


class IdColumns:
    """The article id of every document, per segment, read once (segments never change)."""

    def __init__(self) -> None:
        self._by_segment: dict[str, np.ndarray] = {}

    def local_docnums(self, reader: Any, ids: np.ndarray, exclude: bool) -> list[int]:
        """Live document numbers of one segment whose article id is (or, with exclude, is not) in `ids`."""
        key = reader.segment().segment_id() if hasattr(reader, "segment") else None
        column = self._by_segment.get(key) if key else None
        if column is None:
            col = reader.column_reader("id")
            column = np.fromiter((col[n] for n in range(reader.doc_count_all())), dtype=np.int64)
            if key:
                if len(self._by_segment) > 256:  # merged-away segments
                    self._by_segment.clear()
                self._by_segment[key] = column
        hit = np.isin(column, ids, invert=exclude)
        docnums = np.nonzero(hit)[0].tolist()
        if reader.has_deletions():
            docnums = [d for d in docnums if not reader.is_deleted(d)]
        return docnums


class ArticleSet(query.Query):  # type: ignore[misc]
    """Matches the documents of a set of article ids, or with `exclude` every other document."""

    def __init__(self, ids: Iterable[int], columns: IdColumns, *, exclude: bool = False, label: str = "") -> None:
        self.ids = np.array(sorted(set(ids)), dtype=np.int64)
        self.exclude = exclude
        self.label = label
        self.boost = 1.0
        self.fieldname = None  # a leaf of no index field: nothing to highlight, nothing to expand
        self._columns = columns

    def __repr__(self) -> str:
        return f"ArticleSet({self.label!r}, {len(self.ids)} ids{', exclude' if self.exclude else ''})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, ArticleSet)
            and self.exclude == other.exclude
            and self.label == other.label
            and np.array_equal(self.ids, other.ids)
        )

    def __hash__(self) -> int:
        return hash((self.label, self.exclude, len(self.ids)))

    def inverted(self) -> ArticleSet:
        label = self.label[4:] if self.label.startswith("NOT ") else f"NOT {self.label}"
        return ArticleSet(self.ids.tolist(), self._columns, exclude=not self.exclude, label=label)

    def estimate_size(self, ixreader: Any) -> int:
        return int(ixreader.doc_count() - len(self.ids)) if self.exclude else len(self.ids)

    def matcher(self, searcher: Searcher, context: object = None) -> Matcher:
        reader = searcher.reader()
        docs: list[int] = []
        for leaf, offset in reader.leaf_readers():
            docs.extend(d + offset for d in self._columns.local_docnums(leaf, self.ids, self.exclude))
        if not docs:
            return matching.NullMatcher()
        return matching.ListMatcher(docs, all_weights=self.boost)


class UserTerms:
    """Turns the user-field leaves of parsed queries into ArticleSets; one per index, any thread."""

    def __init__(self, analyzer: TextAnalyzer) -> None:
        self._analyzer = analyzer
        self._notes: dict[int, tuple[str, tuple[str, ...]]] = {}  # article id -> (text, its tokens)
        self.columns = IdColumns()

    def resolve(self, q: query.Query | None, facts: UserFacts | None, notes: list[str]) -> query.Query | None:
        """`q` with every user-field leaf answered by `facts` (None: they match nothing)."""
        if q is None or not uses_user_fields(q):
            return q

        def visit(node: query.Query) -> query.Query:
            if isinstance(node, query.Not) and _field(node.query) in USER_FIELDS:
                inner = visit(node.query)
                return inner.inverted() if isinstance(inner, ArticleSet) else query.Not(inner)
            if _field(node) in USER_FIELDS and node.is_leaf():
                return self._leaf(node, facts, notes)
            return node.apply(visit)

        return visit(q)

    def _leaf(self, node: query.Query, facts: UserFacts | None, notes: list[str]) -> ArticleSet:
        field = _field(node)
        text = str(getattr(node, "text", "") or " ".join(getattr(node, "words", ()) or ()))
        label = f"{field}:{text}"
        if facts is None:
            return ArticleSet((), self.columns, label=label)
        if field == "is":
            if text not in IS_VALUES:
                _say(notes, f'"is:" takes {" or ".join(IS_VALUES)}; "is:{text}" matched nothing.')
                return ArticleSet((), self.columns, label=label)
            return ArticleSet(facts.read_ids(), self.columns, exclude=text == "unread", label=label)
        if field == "has":
            what = HAS_VALUES.get(text)
            if what is None:
                _say(notes, f'"has:" takes note, highlight or tag; "has:{text}" matched nothing.')
                return ArticleSet((), self.columns, label=label)
            getter = {"note": facts.noted_ids, "highlight": facts.highlighted_ids, "tag": facts.tagged_ids}[what]
            return ArticleSet(getter(), self.columns, label=label)
        if field == "tag":
            ids: set[int] = set()
            for name in facts.tag_names():
                if _matches(node, fold_name(name)):
                    ids |= facts.ids_with_tag(name)
            return ArticleSet(ids, self.columns, label=label)
        return ArticleSet(self._note_ids(node, facts), self.columns, label=label)

    def _note_ids(self, node: query.Query, facts: UserFacts) -> set[int]:
        current = dict(facts.note_texts())
        for gone in set(self._notes) - set(current):
            del self._notes[gone]
        out = set()
        for article_id, text in current.items():
            cached = self._notes.get(article_id)
            if cached is None or cached[0] != text:
                tokens = tuple(t.text for t in self._analyzer(text))
                cached = self._notes[article_id] = (text, tokens)
            if _matches_tokens(node, cached[1]):
                out.add(article_id)
        return out


def uses_user_fields(q: query.Query) -> bool:
    return _field(q) in USER_FIELDS or any(uses_user_fields(c) for c in q.children())


def split_filter(q: query.Query | None) -> tuple[query.Query | None, list[ArticleSet]]:
    """Take the ArticleSets that are top-level AND parts out of `q` (to run them as a filter)."""
    if isinstance(q, ArticleSet):
        return query.Every(), [q]
    if q is None or type(q) is not query.And:
        return q, []
    parts: list[query.Query] = list(q.subqueries)
    sets = [c for c in parts if isinstance(c, ArticleSet)]
    if not sets:
        return q, []
    rest = [c for c in parts if not isinstance(c, ArticleSet)]
    if not rest:
        return query.Every(), sets
    return (rest[0] if len(rest) == 1 else query.And(rest)), sets


def _field(node: query.Query) -> str | None:
    return getattr(node, "fieldname", None)


def _say(notes: list[str], note: str) -> None:
    if note not in notes:
        notes.append(note)


def _matches(node: query.Query, value: str) -> bool:
    """Whether one whole value (a folded tag name) matches a leaf."""
    if isinstance(node, query.Prefix):
        return value.startswith(node.text)
    if isinstance(node, query.Wildcard):
        return fnmatch.fnmatchcase(value, node.text)
    if isinstance(node, query.FuzzyTerm):
        return bool(levenshtein(value, node.text, node.maxdist) <= node.maxdist)
    if isinstance(node, query.Phrase):
        return value == " ".join(node.words)
    return bool(value == getattr(node, "text", None))


def _matches_tokens(node: query.Query, tokens: Sequence[str]) -> bool:
    """Whether analyzed note words match a leaf of the `note` field."""
    if isinstance(node, query.Phrase):
        words = list(node.words)
        n = len(words)
        return any(list(tokens[i : i + n]) == words for i in range(len(tokens) - n + 1)) if n else False
    return any(_matches(node, t) for t in set(tokens))
