"""Repairing malformed query text before parsing: quotes, parentheses, operators, fields, dates."""

from __future__ import annotations

import re
from datetime import date, timedelta

_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
_BINARY = _OPERATORS - {"NOT"}

_FIELD_RE = re.compile(r"(?<![\w:])([A-Za-z_]+):")


# Whoosh's parser and matchers recurse per term and tag in quadratic time: a pasted page of
# text as a query would take seconds or overflow the stack. Nobody types more than this.
MAX_QUERY_CHARS = 500
MAX_QUERY_PIECES = 40


def repair(text: str, field_names: set[str]) -> tuple[str, list[str]]:
    """Fix unbalanced quotes and parentheses, dangling operators and empty or unknown fields.

    Returns:
        The repaired query and one note per repair, written for the user.
    """
    notes: list[str] = []
    text = _shorten(text, notes)
    if text.count('"') % 2:
        text = without_lone_quote(text)
        notes.append('A quote (") had no partner; the words after it were searched as plain words.')
    text, paren_notes = _balance_parentheses(text)
    notes.extend(paren_notes)
    pieces = _split_outside_quotes(text)
    out: list[str] = []
    glue = False
    for i, signed in enumerate(pieces):
        prev = out[-1].lstrip("+-") if out else ""
        nxt = pieces[i + 1] if i + 1 < len(pieces) else ""
        ends_clause = not nxt or nxt in _BINARY or nxt == ")"
        sign, piece = _sign(signed)
        if not piece:
            continue  # a lone "-" or "+" between words is punctuation ("nato - russia")
        if piece in _BINARY and (not prev or prev in _OPERATORS or prev == "(" or ends_clause):
            notes.append(f'"{piece}" had nothing to join on one side and was ignored.')
            continue
        if piece == "NOT" and ends_clause:
            notes.append('"NOT" had nothing after it and was ignored.')
            continue
        piece = _date_comparison(piece)
        bare = re.fullmatch(r"([A-Za-z_]+):[<>=]*", piece)
        if bare and bare.group(1).lower() in field_names:
            if ends_clause or nxt in _OPERATORS:
                notes.append(f'"{piece}" had no value after it and was ignored.')
                continue
        elif bare:
            notes.append(f'There is no field "{piece}"; "{bare.group(1)}" was searched as a word.')
            piece = bare.group(1)
        elif not piece.startswith('"') and "://" not in piece:
            unknown = [f for f in _FIELD_RE.findall(piece) if f.lower() not in field_names]
            if unknown:
                notes.append(f'There is no field "{unknown[0]}:"; it was searched as words.')
                piece = _unfield(piece, set(unknown))
        if glue and out:
            # "title: barge" -> "title:barge": the field applies to the next item.
            out[-1] += piece
        else:
            out.append(sign + piece)
        glue = bare is not None and bare.group(1).lower() in field_names
    return " ".join(out), notes


def without_lone_quote(text: str) -> str:
    """The text without its last quote when quotes do not pair up."""
    if text.count('"') % 2 == 0:
        return text
    cut = text.rfind('"')
    return (text[:cut].rstrip() + " " + text[cut + 1 :].lstrip()).strip()


_DATE_CMP = re.compile(r"(published|date):(>=|=>|<=|=<|>|<)(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", re.I)


def _date_comparison(piece: str) -> str:
    """`published:>2024-03` -> `published:[2024-04 TO]`: after all of March, not from its start.

    Whoosh's own `>`/`<` on a partial date include the whole named period on both sides.
    """
    m = _DATE_CMP.fullmatch(piece)
    if not m:
        return piece
    field, op, year, month, day = m.group(1), m.group(2), int(m.group(3)), m.group(4), m.group(5)
    try:
        start = date(year, int(month or 1), int(day or 1))
    except ValueError:
        return piece
    if op in (">=", "=>"):
        return f"{field}:[{_iso(start, month, day)} TO]"
    if op in ("<=", "=<"):
        return f"{field}:[TO {_iso(start, month, day)}]"
    if op == ">":
        if day:
            after = start + timedelta(days=1)
        elif month:
            after = date(year + (start.month == 12), start.month % 12 + 1, 1)
        else:
            after = date(year + 1, 1, 1)
        return f"{field}:[{_iso(after, month, day)} TO]"
    if day:
        before = start - timedelta(days=1)
    elif month:
        before = date(year - (start.month == 1), (start.month - 2) % 12 + 1, 1)
    else:
        before = date(year - 1, 1, 1)
    return f"{field}:[TO {_iso(before, month, day)}]"


def _iso(d: date, month: str | None, day: str | None) -> str:
    """The date at the precision the user wrote it."""
    return d.isoformat() if day else f"{d.year:04d}-{d.month:02d}" if month else f"{d.year:04d}"


def _shorten(text: str, notes: list[str]) -> str:
    """Cut over-long queries to MAX_QUERY_CHARS and MAX_QUERY_PIECES distinct pieces, with one note."""
    cut_chars = len(text) > MAX_QUERY_CHARS
    if cut_chars:
        cut = text.rfind(" ", 0, MAX_QUERY_CHARS)
        text = text[: cut if cut > MAX_QUERY_CHARS // 2 else MAX_QUERY_CHARS]
    pieces = _split_outside_quotes(text)
    if len(pieces) > MAX_QUERY_PIECES:
        kept = list(dict.fromkeys(p for p in pieces if p.lstrip("+-") not in ("(", ")")))[:MAX_QUERY_PIECES]
        text = " ".join(kept)
        # Parentheses go too: a cut could leave them unbalanced.
        if kept:
            notes.append(f"The query was too long; only its first {len(kept)} distinct words were searched.")
        else:
            notes.append("The query was too long and had no words in it.")
    elif cut_chars:
        notes.append(f"The query was too long; only its first {len(text)} characters were searched.")
    return text


def _unfield(piece: str, unknown: set[str]) -> str:
    """`foo:bar` -> `foo bar` for fields the schema does not have."""
    return _FIELD_RE.sub(lambda m: m.group(1) + " " if m.group(1) in unknown else m.group(0), piece)


def _balance_parentheses(text: str) -> tuple[str, list[str]]:
    out: list[str] = []
    depth = 0
    in_quote = False
    notes: list[str] = []
    for ch in text:
        if ch == '"':
            in_quote = not in_quote
        elif not in_quote and ch == "(":
            depth += 1
        elif not in_quote and ch == ")":
            if depth == 0:
                if not notes:
                    notes.append('A ")" had no matching "(" and was ignored.')
                continue
            depth -= 1
        out.append(ch)
    if depth:
        out.append(")" * depth)
        notes.append('A "(" was not closed; it was closed at the end of the query.')
    return "".join(out), notes


def _split_outside_quotes(text: str) -> list[str]:
    """Whitespace-separated pieces, with quoted phrases and parentheses as pieces of their own.

    A sign stays on the parenthesis it opens: "-(a OR b)" gives "-(", "a", "OR", "b", ")".
    """
    return re.findall(r'[^\s()"]*"[^"]*"[^\s()"]*|[+-]?[(]|[)]|[^\s()"]+', text)


def _sign(piece: str) -> tuple[str, str]:
    """`-word` -> ("-", "word"): a leading + or - (require, exclude) and what it applies to.

    Only a sign at the start of a piece counts; "e-mail" and "C++" are words.
    """
    if piece[:1] in ("+", "-") and not piece.startswith(("++", "--", "+-", "-+")):
        return piece[0], piece[1:]
    return "", piece
