"""The durable record of entity curation: the rules table, its undo history, and name lookups over entities."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence

from desktop_reader.models import EntityRule as Rule
from desktop_reader.models import fold_entity_name as fold
from desktop_reader.storage.store import Store, now_iso

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entity_rules (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    target TEXT NOT NULL DEFAULT '',
    label TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL
);
-- One row per user action, with what it added and removed, so the last one can be undone.
CREATE TABLE IF NOT EXISTS entity_rule_history (
    id INTEGER PRIMARY KEY,
    description TEXT NOT NULL,
    added TEXT NOT NULL,
    removed TEXT NOT NULL
);
-- Finding the articles a rule touches must not scan every entity row (600,000 at 20,000 articles).
CREATE INDEX IF NOT EXISTS entities_by_name ON entities (text COLLATE NOCASE);
-- The automatic resolution (archive-wide label votes, aliases), derived from entity_totals by the
-- writer after each batch so readers only load it. Rebuildable at any time.
CREATE TABLE IF NOT EXISTS entity_auto (
    name TEXT NOT NULL PRIMARY KEY,
    label TEXT NOT NULL DEFAULT '',
    target TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS entity_totals_by_name ON entity_totals (text COLLATE NOCASE);
"""

_COLUMNS = "id, kind, name, target, label, created"
# Kinds that send one name to another: a name has at most one, the newest.
_NAMING_KINDS = frozenset({"merge", "rename", "alias"})


def _rule(row: sqlite3.Row | tuple[object, ...]) -> Rule:
    return Rule(
        kind=str(row[1]),
        name=str(row[2]),
        target=str(row[3]),
        label=str(row[4]),
        id=int(row[0]),
        created=str(row[5]),  # type: ignore[call-overload]
    )


class RuleBook:
    """Curation rules stored in the library database, next to the entities they rewrite.

    The entities table keeps what the model found; the rules are applied whenever entities are read
    or indexed, so they survive re-extraction, reindexing and re-importing.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        store._conn().executescript(_SCHEMA)

    # -- reading -------------------------------------------------------------------------

    def rules(self) -> list[Rule]:
        """Every rule, oldest first."""
        return [_rule(r) for r in self.store._conn().execute(f"SELECT {_COLUMNS} FROM entity_rules ORDER BY id")]

    def history_size(self) -> int:
        return int(self.store._conn().execute("SELECT count(*) FROM entity_rule_history").fetchone()[0])

    def last_action(self) -> str:
        """What the next undo would take back ("" when there is nothing)."""
        row = (
            self.store._conn()
            .execute("SELECT description FROM entity_rule_history ORDER BY id DESC LIMIT 1")
            .fetchone()
        )
        return str(row[0]) if row else ""

    def articles_naming(self, names: Iterable[str]) -> set[int]:
        """Ids of the articles whose stored entities include any of `names` (any case, any label)."""
        conn = self.store._conn()
        ids: set[int] = set()
        for name in {" ".join(n.split()) for n in names if n.strip()}:
            ids.update(
                r[0] for r in conn.execute("SELECT article_id FROM entities WHERE text = ? COLLATE NOCASE", (name,))
            )
        return ids

    def totals_of(self, names: Iterable[str]) -> tuple[int, int]:
        """(articles, mentions) over the stored entities spelled as any of `names`, each article once."""
        conn = self.store._conn()
        per_article: dict[int, int] = {}
        for name in {" ".join(n.split()) for n in names if n.strip()}:
            for article_id, count in conn.execute(
                "SELECT article_id, count FROM entities WHERE text = ? COLLATE NOCASE", (name,)
            ):
                per_article[article_id] = per_article.get(article_id, 0) + int(count)
        return len(per_article), sum(per_article.values())

    def spellings(self, names: Iterable[str]) -> list[tuple[str, str, int]]:
        """Stored (text, label, articles) rows of every spelling of `names` (case and accents aside)."""
        wanted = {fold(n) for n in names}
        conn = self.store._conn()
        rows: dict[tuple[str, str], int] = {}
        for name in {" ".join(n.split()) for n in names if n.strip()}:
            for text, label, articles in conn.execute(
                "SELECT text, label, articles FROM entity_totals WHERE text = ? COLLATE NOCASE", (name,)
            ):
                if fold(text) in wanted:
                    rows[(text, label)] = int(articles)
        return [(text, label, n) for (text, label), n in rows.items()]

    def automatic(self) -> tuple[dict[str, str], dict[str, str]] | None:
        """The saved (votes: folded name -> label, aliases: name -> name), or None if never saved."""
        conn = self.store._conn()
        if conn.execute("SELECT 1 FROM meta WHERE key = 'entity_auto'").fetchone() is None:
            return None
        votes: dict[str, str] = {}
        aliases: dict[str, str] = {}
        for name, label, target in conn.execute("SELECT name, label, target FROM entity_auto"):
            if label:
                votes[name] = label
            if target:
                aliases[name] = target
        return votes, aliases

    def save_automatic(self, votes: dict[str, str], aliases: dict[str, str]) -> None:
        """Replace the saved automatic resolution (derived data: the generation does not move)."""
        rows: dict[str, list[str]] = {k: [v, ""] for k, v in votes.items()}
        for name, target in aliases.items():
            rows.setdefault(name, ["", ""])[1] = target
        with self.store._transaction() as conn:
            conn.execute("DELETE FROM entity_auto")
            conn.executemany("INSERT INTO entity_auto VALUES (?, ?, ?)", [(k, *v) for k, v in rows.items()])
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('entity_auto', '1')")

    def contested(self) -> list[tuple[str, str, int, int]]:
        """(text, label, articles, mentions) of every name stored under more than one label."""
        return [
            (r[0], r[1], int(r[2]), int(r[3]))
            for r in self.store._conn().execute(
                "SELECT t.text, t.label, t.articles, t.mentions FROM entity_totals t WHERE t.text COLLATE NOCASE IN"
                " (SELECT text COLLATE NOCASE FROM entity_totals GROUP BY text COLLATE NOCASE HAVING count(*) > 1)"
            )
        ]

    def alias_candidates(self) -> list[tuple[str, str, int]]:
        """(text, label, articles) of every stored name, for automatic aliases."""
        return [
            (r[0], r[1], int(r[2]))
            for r in self.store._conn().execute("SELECT text, label, articles FROM entity_totals")
        ]

    def rows_naming(self, names: Iterable[str]) -> list[tuple[str, str, int, int]]:
        """(text, label, article id, count) of the stored entities spelled as any of `names` (any case)."""
        wanted = sorted({" ".join(n.split()) for n in names if n.strip()})
        return self._entity_rows("text COLLATE NOCASE", wanted)

    def mentions_in(self, ids: Sequence[int]) -> list[tuple[str, str, int, int]]:
        """(text, label, article id, count) of every stored entity of the given articles."""
        return self._entity_rows("article_id", list(ids))

    def _entity_rows(self, column: str, values: Sequence[object]) -> list[tuple[str, str, int, int]]:
        """(text, label, article id, count) of the entities whose `column` is one of `values`, 500 at a time
        (SQLite's limit on bound parameters is not reached whatever the size of the list)."""
        conn = self.store._conn()
        rows: list[tuple[str, str, int, int]] = []
        for start in range(0, len(values), 500):
            chunk = list(values[start : start + 500])
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT text, label, article_id, count FROM entities WHERE {column} IN ({marks})"
            rows.extend((r[0], r[1], int(r[2]), int(r[3])) for r in conn.execute(sql, chunk))
        return rows

    # -- writing -------------------------------------------------------------------------

    def change(self, description: str, add: Sequence[Rule] = (), remove: Sequence[Rule] = ()) -> list[Rule]:
        """Add and remove rules as one user action (one undo step); returns the rules added, with ids.

        A new naming rule (merge, rename, alias) or retype for a name replaces the older one.
        """
        with self.store._transaction() as conn:
            removed = [self._find(conn, r) for r in remove]
            gone = [r for r in removed if r is not None]
            for rule in add:
                for old in self._superseded(conn, rule):
                    if old.id not in {g.id for g in gone}:
                        gone.append(old)
            for old in gone:
                conn.execute("DELETE FROM entity_rules WHERE id = ?", (old.id,))
            added = [self._insert(conn, rule) for rule in add]
            if added or gone:
                conn.execute(
                    "INSERT INTO entity_rule_history (description, added, removed) VALUES (?, ?, ?)",
                    (description, json.dumps([r.id for r in added]), json.dumps([_as_row(r) for r in gone])),
                )
            Store._bump_generation(conn)
        return added

    def undo(self) -> tuple[str, list[Rule]] | None:
        """Take back the last action; returns its description and the rules it touched, or None."""
        with self.store._transaction() as conn:
            row = conn.execute(
                "SELECT id, description, added, removed FROM entity_rule_history ORDER BY id DESC LIMIT 1"
            ).fetchone()
            if row is None:
                return None
            touched: list[Rule] = []
            for rule_id in json.loads(row[2]):
                found = conn.execute(f"SELECT {_COLUMNS} FROM entity_rules WHERE id = ?", (rule_id,)).fetchone()
                if found is not None:
                    touched.append(_rule(found))
                conn.execute("DELETE FROM entity_rules WHERE id = ?", (rule_id,))
            for values in json.loads(row[3]):
                conn.execute(f"INSERT OR REPLACE INTO entity_rules ({_COLUMNS}) VALUES (?,?,?,?,?,?)", values)
                touched.append(_rule(values))
            conn.execute("DELETE FROM entity_rule_history WHERE id = ?", (row[0],))
            Store._bump_generation(conn)
        return str(row[1]), touched

    @staticmethod
    def _insert(conn: sqlite3.Connection, rule: Rule) -> Rule:
        created = rule.created or now_iso()
        cur = conn.execute(
            "INSERT INTO entity_rules (kind, name, target, label, created) VALUES (?,?,?,?,?)",
            (rule.kind, " ".join(rule.name.split()), " ".join(rule.target.split()), rule.label, created),
        )
        return Rule(
            rule.kind,
            " ".join(rule.name.split()),
            " ".join(rule.target.split()),
            rule.label,
            int(cur.lastrowid or 0),
            created,
        )

    @staticmethod
    def _find(conn: sqlite3.Connection, rule: Rule) -> Rule | None:
        for row in conn.execute(f"SELECT {_COLUMNS} FROM entity_rules WHERE kind = ? ORDER BY id DESC", (rule.kind,)):
            if fold(row[2]) == fold(rule.name):
                return _rule(row)
        return None

    @staticmethod
    def _superseded(conn: sqlite3.Connection, rule: Rule) -> list[Rule]:
        kinds = _NAMING_KINDS if rule.kind in _NAMING_KINDS else {rule.kind}
        marks = ",".join("?" * len(kinds))
        return [
            _rule(row)
            for row in conn.execute(f"SELECT {_COLUMNS} FROM entity_rules WHERE kind IN ({marks})", sorted(kinds))
            if fold(row[2]) == fold(rule.name)
        ]


def _as_row(rule: Rule) -> list[object]:
    return [rule.id, rule.kind, rule.name, rule.target, rule.label, rule.created]
