"""Reading a user's search query into a Whoosh query, repairing what is malformed and saying how."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TypeAlias

from whoosh import query
from whoosh.fields import DATETIME, Schema
from whoosh.qparser import (
    FieldAliasPlugin,
    FuzzyTermPlugin,
    GtLtPlugin,
    MultifieldPlugin,
    OperatorsPlugin,
    PhrasePlugin,
    QueryParser,
    WildcardPlugin,
    syntax,
)

from desktop_reader.errors import QueryError
from desktop_reader.search.match_sets import with_fast_ranges
from desktop_reader.search.query_repair import repair
from desktop_reader.search.schema import ENTITY_QUERY_FIELDS, NAME_WORDS_SUFFIX, TEXT_FIELDS, WORD_RE, name_words

_FIELD_ALIASES = {"published": ["date"], "author": ["by"], "site": ["source"]}


class _PlainGroup(syntax.GroupNode):  # type: ignore[misc]
    """An unfielded query item spread over the text fields; its own class so it can be found.

    Deliberately not an OrGroup: the OR operator would merge its neighbours into it.
    """

    qclass = query.Or
    merging = False


class _RequiredGroup(syntax.GroupNode):  # type: ignore[misc]
    """`+item`: an item every match must have, even among optional plain words."""

    qclass = query.And
    merging = False


# A sign binds to the item right after it (a word, "a phrase", field:value or a group) and
# only at the start of a piece: "e-mail" and "C++" keep their signs as part of the word.
_SIGN_START = r"(^|(?<=[\s(]))"
_MINUS = _SIGN_START + r"(NOT(?=\s)|-(?=[^\s)+-]))"
_PLUS = _SIGN_START + r"\+(?=[^\s)+-])"


def _operators() -> OperatorsPlugin:
    """Whoosh's AND/OR/NOT/ANDNOT/ANDMAYBE, with `-item` meaning NOT and `+item` meaning required."""
    plus = OperatorsPlugin.OpTagger(_PLUS, _RequiredGroup, syntax.PrefixOperator, memo="plus")
    return OperatorsPlugin(ops=[(plus, 0)], Not=_MINUS, Require=None)


class _StarWildcardPlugin(WildcardPlugin):  # type: ignore[misc]
    """`*` wildcards only: a `?` ends many typed questions and must not become a wildcard."""

    qmarks = ""
    expr = r"(?P<text>[*])"


_Query: TypeAlias = query.Query  # inside Reading, `query` names the field


@dataclass(frozen=True, slots=True)
class Reading:
    """How a query string was read.

    Attributes:
        query: The Whoosh query (everything that matches), or None when nothing searchable is left.
        message: How a malformed query was repaired, or "".
        words: The plain words of the query, for "did you mean".
        first: For several plain words, the stricter query with all of them: its matches rank
            above those with only some words. None when the query has no such tiers.
    """

    query: query.Query | None
    message: str = ""
    words: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=(), repr=False)
    first: _Query | None = None


EVERYTHING_NOTE = "Nothing was left to search for, so every article is listed."


class QueryReader:
    """Turns query strings into Whoosh queries for one schema; reusable, not thread-safe."""

    def __init__(self, schema: Schema) -> None:
        self._schema = schema
        self._parser = self._make_parser(schema)
        self._field_names = set(schema.names()) | {a for al in _FIELD_ALIASES.values() for a in al}

    def _make_parser(self, schema: Schema) -> QueryParser:
        parser = QueryParser(None, schema)
        parser.remove_plugin_class(WildcardPlugin)
        parser.replace_plugin(_operators())
        parser.add_plugins(
            [
                _StarWildcardPlugin(),
                MultifieldPlugin(list(TEXT_FIELDS), group=_PlainGroup),
                FuzzyTermPlugin(),
                GtLtPlugin(),
                # DateParserPlugin is left out: it misreads ISO dates ("2024-03" in a range becomes
                # all of 2024). DATETIME parses YYYY[-MM[-DD]] itself, and its errors are reported.
                FieldAliasPlugin(_FIELD_ALIASES),
            ]
        )
        return parser

    def read(self, text: str) -> Reading:
        """Read `text`; empty text means every document.

        Raises:
            QueryError: only when even the plain-words reading fails (not expected).
        """
        text = text.strip()
        if not text:
            return Reading(query.Every())
        repaired, notes = repair(text, self._field_names)
        try:
            q, words, first = self._build(repaired, notes)
        except Exception:  # Whoosh's parser has corner cases that raise; fall back to plain words.
            plain = " ".join(re.findall(r"\w+", text))
            notes.append(f"Could not read the query's syntax; searched for the words {plain!r}.")
            try:
                q, words, first = self._build(plain, notes)
            except Exception as exc:
                raise QueryError(f"The query {text!r} could not be read.") from exc
        if q is None:
            # Nothing of the query is left: read it as the empty query, not as "match nothing",
            # and say so in the same message as the reasons.
            if not notes:
                notes.append("The query has no searchable words (only very common words or symbols).")
            notes.append(EVERYTHING_NOTE)
            return Reading(query.Every(), " ".join(notes), words, tuple(notes))
        return Reading(q, " ".join(notes), words, tuple(notes), first)

    def _build(self, text: str, notes: list[str]) -> tuple[query.Query | None, tuple[str, ...], query.Query | None]:
        parser = self._parser
        tree = parser.process(_unbracketed(text))
        words = tuple(_plain_words(tree))
        children = list(tree) if isinstance(tree, syntax.AndGroup) else []
        plain = [c for c in children if isinstance(c, _PlainGroup)]
        if len(plain) >= 2:
            required = _queries([c for c in children if not isinstance(c, _PlainGroup)], parser, notes)
            optional = _queries(plain, parser, notes)
            if len(optional) >= 2:
                # Documents with all the plain words first, then those with only some, so a long
                # query is never empty when parts of it match.
                strict = query.And(required + optional).normalize()
                relaxed = query.And([*required, query.Or(optional)]) if required else query.Or(optional)
                return _for_speed(relaxed.normalize()), words, _for_speed(strict)
        q = tree.query(parser)
        if _is_null(q):
            _note_error(q, notes)
            return None, words, None
        q = _tame(q.normalize(), notes, self._schema)
        return (None if _is_null(q) else _for_speed(q)), words, None


# Parentheses around plain words alone, as in a pasted sentence ("vitamin B6 (VB6) intake"):
# no operator, field, quote, wildcard or sign inside, so nothing for them to group.
_PLAIN_PARENS = re.compile(r"\((?![^()]*(?:\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b|[\"':*~^]|(?<=[(\s])[-+]))([^()]*)\)")


def _unbracketed(text: str) -> str:
    """`text` with plain parenthesised words read as words: kept as a group they were required,
    so a claim whose abbreviation an article never spells out found nothing.

    Brackets inside quotes stay: they belong to the phrase or name (`org:"Alliance (NATO)"`).
    """
    pieces = re.split(r'("[^"]*")', text)
    return "".join(p if n % 2 else _PLAIN_PARENS.sub(lambda m: f" {m.group(1)} ", p) for n, p in enumerate(pieces))


def _is_null(q: query.Query | None) -> bool:
    # The parser makes fresh NullQuery-class instances for errors, so identity is not enough.
    return q is None or isinstance(q, type(query.NullQuery))


_DATE_NOTE = "A date in the query was not understood (write YYYY, YYYY-MM or YYYY-MM-DD); it was ignored."


def _note_error(q: query.Query | None, notes: list[str]) -> None:
    """Say why a part of the query was dropped (Whoosh marks it with an `error` attribute)."""
    error = getattr(q, "error", None)
    if error is None:
        return
    if "date" in str(error) or "int()" in str(error):
        # DATETIME and NUMERIC fields parse their own values; a non-number fails with int().
        note = _DATE_NOTE
    else:
        note = f"Part of the query could not be read ({error}) and was ignored."
    if note not in notes:
        notes.append(note)


def _queries(nodes: list[syntax.SyntaxNode], parser: QueryParser, notes: list[str]) -> list[query.Query]:
    out = []
    for node in nodes:
        q = node.query(parser)
        if not _is_null(q):
            q = _tame(q.normalize(), notes, parser.schema)
        if _is_null(q):
            _note_error(q, notes)
        else:
            out.append(q)
    return out


MAX_FUZZY_DISTANCE = 2


def _tame(q: query.Query, notes: list[str], schema: Schema) -> query.Query:
    """Analyze fuzzy words like indexed ones, bound fuzzy distances, turn bare `*` into Every."""

    def visit(node: query.Query) -> query.Query:
        if _is_null(node):
            _note_error(node, notes)
            # The singleton, which normalize() knows how to drop from And/Or.
            return query.NullQuery
        if isinstance(node, query.FuzzyTerm):
            if node.maxdist > MAX_FUZZY_DISTANCE and not any("fuzzy" in n for n in notes):
                notes.append(f"Fuzzy distances above {MAX_FUZZY_DISTANCE} were reduced to {MAX_FUZZY_DISTANCE}.")
            # The parser passes fuzzy words through unanalyzed; the index holds stems
            # ("barjes~" must reach "barg", the stem of "barges").
            text = node.text
            if node.fieldname in schema:
                text = next(iter(schema[node.fieldname].process_text(text, mode="query")), text)
            maxdist = min(node.maxdist, MAX_FUZZY_DISTANCE)
            return query.FuzzyTerm(node.fieldname, text, node.boost, maxdist, node.prefixlength)
        field = schema[node.fieldname] if getattr(node, "fieldname", None) in schema else None
        if isinstance(node, query.Phrase) and field is not None and not field.format.supports("positions"):
            # url: and the entity fields keep no positions; Whoosh would fail at search time.
            return query.And([query.Term(node.fieldname, w) for w in node.words])
        if type(node) is query.Term and field is not None and not isinstance(node.text, bytes):
            try:  # numbers and dates are encoded at search time, where a bad value would raise
                field.to_bytes(node.text)
            except Exception:
                note = _DATE_NOTE if isinstance(field, DATETIME) else f'"{node.fieldname}:" needs a number.'
                if note not in notes:
                    notes.append(note)
                return query.NullQuery
        if type(node) in (query.Term, query.Prefix) and node.fieldname in ENTITY_QUERY_FIELDS:
            return _name_or_its_words(node)
        if isinstance(node, query.Wildcard) and not node.text.strip("*?"):
            # Expanding "***" would list every word of the index; it means "anything" anyway.
            return query.Every()
        return node.apply(visit)

    return visit(q).normalize()


# A whole name ranks above a name that merely contains the word (person:rutte: "Rutte" before
# "Mark Rutte"); the whole name matches the words field too, so this adds to that score.
WHOLE_NAME_BOOST = 2.0


def _name_or_its_words(node: query.Term | query.Prefix) -> query.Query:
    """`person:rutte` -> the whole name "rutte", or any name with the word "rutte" in it.

    A value of several words stays a whole name: its words could come from different
    names of the same article ("Mark Smith" and "Anna Rutte" are not "Mark Rutte").
    """
    text = node.text if isinstance(node.text, str) else node.text.decode("utf-8", "replace")
    words = name_words(text)
    if " " in text or not words or (isinstance(node, query.Prefix) and len(words) > 1):
        return node
    whole = type(node)(node.fieldname, text, boost=node.boost * WHOLE_NAME_BOOST)
    field = node.fieldname + NAME_WORDS_SUFFIX
    # "o'brien" is one name but the words "o" and "brien"
    parts = [type(node)(field, w, boost=node.boost) for w in words]
    return query.Or([whole, parts[0] if len(parts) == 1 else query.And(parts)])


def _for_speed(q: query.Query) -> query.Query:
    """Date and number ranges as FastRange, and every Or on Whoosh's binary union matchers.

    On a segment of fewer than 5,000 documents Whoosh otherwise scores every match of an Or
    into an array, which cannot skip the blocks that cannot reach the top hits.
    """
    q = with_fast_ranges(q)  # first: it rebuilds compound queries, which forgets matcher_type
    for node in _all_nodes(q):
        if isinstance(node, query.Or):
            node.matcher_type = query.Or.DEFAULT_MATCHER
    return q


def _all_nodes(q: query.Query) -> list[query.Query]:
    nodes = [q]
    for child in q.children():
        nodes.extend(_all_nodes(child))
    return nodes


def _plain_words(tree: syntax.SyntaxNode) -> list[str]:
    """Plain unfielded words outside NOT, in order: the candidates for spelling correction."""
    words: list[str] = []
    for node in tree:
        if isinstance(node, syntax.NotGroup):
            continue
        if isinstance(node, _PlainGroup):
            first = node[0] if len(node) else None
            if isinstance(first, syntax.WordNode):
                found = [first.text.strip("?!.,;:'\"")]
            elif isinstance(first, PhrasePlugin.PhraseNode):
                found = WORD_RE.findall(first.text)  # a misspelled word inside "a phrase"
            else:
                found = []
            words.extend(w for w in found if w and w not in words)
        elif isinstance(node, syntax.GroupNode):
            words.extend(w for w in _plain_words(node) if w not in words)
    return words
