"""The reader's own data in the library database: tags, notes, read state, highlights, saved searches.

**Keyed by content, not by row id.** Every row names its article by the sha256 of the original
file (`articles.sha256`), the same key that makes a second import of a file a duplicate. So user
data lives in its own tables of the store's SQLite file and is untouched by `reindex` or a
deleted index folder (the Whoosh index never holds it: `tag:`, `is:`, `has:` and `note:` are
resolved from these tables at query time), by `entities --refresh --all` (which rewrites only
entities), and by re-importing the same file (a duplicate: same article, same data).

**On delete** an article's user data is kept, detached: it is not shown or counted anywhere
(every read joins on `articles`), and it comes back if the same file is imported again, the way
a reference manager keeps an item's notes in its trash. `purge_detached` removes it for good.

**Highlights** are stored as a TextQuoteSelector (quote, prefix, suffix) with a position hint
and placed on the article's current text whenever they are read; see storage/anchoring for how
a highlight is found again when the text changes, and why an orphaned one is never dropped.
One found anywhere but where it was stored is described again on the text it was found in and
written back, so the next read places it exactly and at once; when that rewrites the quote (the
passage itself was edited) the quote as the user highlighted it is kept in `original`.

Every write is one transaction on the store's connection and bumps the store's generation, so a
window watching the library sees a change made from the command line.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from desktop_reader.errors import ArticleNotFound, ReaderError, StorageError
from desktop_reader.models import HIGHLIGHT_COLORS, Highlight, ReadingMarks, SavedSearch, TagCount
from desktop_reader.storage.anchoring import Selector, anchor, describe
from desktop_reader.storage.store import Store, now_iso

_SCHEMA = """
CREATE TABLE IF NOT EXISTS user_articles (
    sha256 TEXT PRIMARY KEY,
    read_at TEXT,                      -- NULL: unread
    note TEXT NOT NULL DEFAULT '',     -- Markdown
    note_updated TEXT
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS user_articles_read ON user_articles (read_at) WHERE read_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS tags (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE
);
CREATE TABLE IF NOT EXISTS article_tags (
    sha256 TEXT NOT NULL,
    tag_id INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    added TEXT NOT NULL,
    PRIMARY KEY (sha256, tag_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS article_tags_by_tag ON article_tags (tag_id);
CREATE TABLE IF NOT EXISTS highlights (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL,
    quote TEXT NOT NULL,
    prefix TEXT NOT NULL DEFAULT '',
    suffix TEXT NOT NULL DEFAULT '',
    start INTEGER NOT NULL,            -- the position hint: where the quote was when highlighted
    color TEXT NOT NULL DEFAULT 'yellow',
    note TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    original TEXT NOT NULL DEFAULT ''  -- the quote as highlighted, once re-anchoring rewrote `quote`
);
CREATE INDEX IF NOT EXISTS highlights_by_article ON highlights (sha256);
CREATE TABLE IF NOT EXISTS saved_searches (
    name TEXT PRIMARY KEY COLLATE NOCASE,
    query TEXT NOT NULL,
    filters TEXT NOT NULL DEFAULT '[]',   -- JSON [[field, value], ...]
    sort TEXT NOT NULL DEFAULT 'relevance',
    created TEXT NOT NULL,
    opened_at TEXT NOT NULL DEFAULT '',
    seen_ids TEXT NOT NULL DEFAULT '[]'   -- JSON: the result ids when last opened, for the "new" badge
);
"""

_SHA = "(SELECT sha256 FROM articles WHERE id = ?)"


@dataclass(frozen=True, slots=True)
class StoredHighlight:
    """A highlight row as stored, enough to put a deleted highlight back (undo)."""

    id: int
    sha256: str
    selector: Selector
    color: str
    note: str
    created: str
    original: str = ""


class UserData:
    """User data of one library, on its Store's connections (one per thread, like the store's)."""

    def __init__(self, store: Store) -> None:
        self._store = store
        try:
            conn = self._conn()
            conn.executescript(_SCHEMA)
            if "original" not in {r[1] for r in conn.execute("PRAGMA table_info(highlights)")}:
                conn.execute("ALTER TABLE highlights ADD COLUMN original TEXT NOT NULL DEFAULT ''")
        except sqlite3.Error as exc:
            raise StorageError(f"Cannot open the library in {store.data_dir}: {exc}") from exc

    # -- plumbing ------------------------------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        return self._store._conn()  # the store's own per-thread connection: one database, one WAL

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._store._transaction() as conn:
            yield conn
            self._store._bump_generation(conn)

    def _sha(self, conn: sqlite3.Connection, article_id: int) -> str:
        row = conn.execute("SELECT sha256 FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise ArticleNotFound(article_id)
        return str(row[0])

    def _ensure(self, conn: sqlite3.Connection, sha: str) -> None:
        conn.execute("INSERT OR IGNORE INTO user_articles (sha256) VALUES (?)", (sha,))

    # -- tags ----------------------------------------------------------------------------

    def add_tags(self, ids: Iterable[int], names: Iterable[str]) -> list[tuple[int, str]]:
        """Tag articles, creating tags on the fly; returns the (article id, tag) pairs that are new."""
        names = _clean_names(names)
        added: list[tuple[int, str]] = []
        with self._write() as conn:
            tag_ids = {name: int(self._tag_id(conn, name, create=True) or 0) for name in names}
            for article_id in ids:
                sha = self._sha(conn, article_id)
                for name, tag_id in tag_ids.items():
                    cur = conn.execute(
                        "INSERT OR IGNORE INTO article_tags (sha256, tag_id, added) VALUES (?,?,?)",
                        (sha, tag_id, now_iso()),
                    )
                    if cur.rowcount:
                        added.append((article_id, self._tag_name(conn, tag_id) or name))
        return added

    def remove_tags(self, ids: Iterable[int], names: Iterable[str]) -> list[tuple[int, str]]:
        """Untag articles; returns the (article id, tag) pairs that were removed. Tags stay listed."""
        removed: list[tuple[int, str]] = []
        with self._write() as conn:
            for article_id in ids:
                sha = self._sha(conn, article_id)
                for name in _clean_names(names):
                    tag_id = self._tag_id(conn, name, create=False)
                    if tag_id is None:
                        continue
                    cur = conn.execute("DELETE FROM article_tags WHERE sha256 = ? AND tag_id = ?", (sha, tag_id))
                    if cur.rowcount:
                        removed.append((article_id, self._tag_name(conn, tag_id) or name))
        return removed

    def tags_of(self, article_id: int) -> tuple[str, ...]:
        rows = self._conn().execute(
            f"SELECT t.name FROM article_tags a JOIN tags t ON t.id = a.tag_id WHERE a.sha256 = {_SHA}"
            " ORDER BY t.name COLLATE NOCASE",
            (article_id,),
        )
        return tuple(r[0] for r in rows)

    def tag_counts(self) -> list[TagCount]:
        """Every tag with the number of (non-deleted) articles carrying it, by name."""
        rows = self._conn().execute(
            "SELECT t.name, count(ar.id) FROM tags t LEFT JOIN article_tags a ON a.tag_id = t.id"
            " LEFT JOIN articles ar ON ar.sha256 = a.sha256 GROUP BY t.id ORDER BY t.name COLLATE NOCASE"
        )
        return [TagCount(r[0], int(r[1])) for r in rows]

    def rename_tag(self, old: str, new: str) -> None:
        """Rename a tag; renaming onto an existing tag merges the two."""
        (new,) = _clean_names([new]) or [""]
        if not new:
            raise ReaderError("A tag needs a name.")
        with self._write() as conn:
            old_id = self._tag_id(conn, old, create=False)
            if old_id is None:
                raise ReaderError(f"There is no tag {old!r}.")
            target = self._tag_id(conn, new, create=False)
            if target is None or target == old_id:
                conn.execute("UPDATE tags SET name = ? WHERE id = ?", (new, old_id))
                return
            self._merge(conn, old_id, target)

    def merge_tags(self, sources: Iterable[str], target: str) -> None:
        """Give every article of `sources` the tag `target` and drop the sources."""
        with self._write() as conn:
            target_id = self._tag_id(conn, target, create=True)
            for name in sources:
                source_id = self._tag_id(conn, name, create=False)
                if source_id is not None and source_id != target_id:
                    self._merge(conn, source_id, target_id)

    def delete_tag(self, name: str) -> None:
        with self._write() as conn:
            conn.execute("DELETE FROM tags WHERE name = ?", (name.strip(),))

    @staticmethod
    def _merge(conn: sqlite3.Connection, source_id: int, target_id: int | None) -> None:
        conn.execute(
            "INSERT OR IGNORE INTO article_tags (sha256, tag_id, added) SELECT sha256, ?, added"
            " FROM article_tags WHERE tag_id = ?",
            (target_id, source_id),
        )
        conn.execute("DELETE FROM tags WHERE id = ?", (source_id,))  # cascades to its article_tags

    @staticmethod
    def _tag_id(conn: sqlite3.Connection, name: str, *, create: bool) -> int | None:
        row = conn.execute("SELECT id FROM tags WHERE name = ?", (name,)).fetchone()
        if row is not None:
            return int(row[0])
        if not create:
            return None
        return int(conn.execute("INSERT INTO tags (name) VALUES (?)", (name,)).lastrowid or 0)

    @staticmethod
    def _tag_name(conn: sqlite3.Connection, tag_id: int) -> str | None:
        row = conn.execute("SELECT name FROM tags WHERE id = ?", (tag_id,)).fetchone()
        return str(row[0]) if row else None

    # -- notes and read state --------------------------------------------------------------

    def note(self, article_id: int) -> str:
        row = self._conn().execute(f"SELECT note FROM user_articles WHERE sha256 = {_SHA}", (article_id,)).fetchone()
        return str(row[0]) if row else ""

    def set_note(self, article_id: int, text: str) -> str:
        """Set (or with "" remove) an article's note; returns the note it replaces."""
        with self._write() as conn:
            sha = self._sha(conn, article_id)
            self._ensure(conn, sha)
            old = conn.execute("SELECT note FROM user_articles WHERE sha256 = ?", (sha,)).fetchone()[0]
            conn.execute(
                "UPDATE user_articles SET note = ?, note_updated = ? WHERE sha256 = ?", (text.strip(), now_iso(), sha)
            )
        return str(old)

    def is_read(self, article_id: int) -> bool:
        row = (
            self._conn()
            .execute(f"SELECT read_at IS NOT NULL FROM user_articles WHERE sha256 = {_SHA}", (article_id,))
            .fetchone()
        )
        return bool(row and row[0])

    def set_read(self, ids: Iterable[int], read: bool) -> list[int]:
        """Mark articles read or unread; returns the ids whose state changed."""
        changed = []
        with self._write() as conn:
            for article_id in ids:
                sha = self._sha(conn, article_id)
                self._ensure(conn, sha)
                if read:
                    cur = conn.execute(
                        "UPDATE user_articles SET read_at = ? WHERE sha256 = ? AND read_at IS NULL", (now_iso(), sha)
                    )
                else:
                    cur = conn.execute(
                        "UPDATE user_articles SET read_at = NULL WHERE sha256 = ? AND read_at IS NOT NULL", (sha,)
                    )
                if cur.rowcount:
                    changed.append(article_id)
        return changed

    def unread_count(self) -> int:
        row = (
            self._conn()
            .execute(
                "SELECT count(*) FROM articles a LEFT JOIN user_articles u ON u.sha256 = a.sha256"
                " WHERE u.read_at IS NULL"
            )
            .fetchone()
        )
        return int(row[0])

    # -- highlights ------------------------------------------------------------------------

    def add_highlight(self, article_id: int, selector: Selector, color: str = "yellow", note: str = "") -> int:
        if color not in HIGHLIGHT_COLORS:
            raise ReaderError(f"Unknown highlight colour {color!r}; use one of {', '.join(HIGHLIGHT_COLORS)}.")
        with self._write() as conn:
            sha = self._sha(conn, article_id)
            cur = conn.execute(
                "INSERT INTO highlights (sha256, quote, prefix, suffix, start, color, note, created)"
                " VALUES (?,?,?,?,?,?,?,?)",
                (sha, selector.exact, selector.prefix, selector.suffix, selector.start, color, note.strip(), now_iso()),
            )
            return int(cur.lastrowid or 0)

    def highlights(self, article_id: int, text: str) -> list[Highlight]:
        """The article's highlights placed on `text` (its current text), in reading order, orphans last.

        A highlight found elsewhere than stored is written back as described on `text` (see the
        module docstring); orphaned ones keep their selector, so they can come back with the text.
        """
        rows = self._conn().execute(
            "SELECT id, quote, prefix, suffix, start, color, note, created, original"
            f" FROM highlights WHERE sha256 = {_SHA}",
            (article_id,),
        ).fetchall()
        out, moved = [], []
        for r in rows:
            selector = Selector(r["quote"], r["prefix"], r["suffix"], r["start"])
            placed = anchor(selector, text)
            original, how = r["original"], placed.how
            if placed.start is not None and placed.end is not None:
                if how != "exact":
                    selector = describe(text, placed.start, placed.end)
                    original = original or (r["quote"] if selector.exact != r["quote"] else "")
                    moved.append((selector, original, r["id"]))
                elif original and original != selector.exact:
                    how = "fuzzy"  # placed exactly where it was written back: still an edited passage
            out.append(
                Highlight(
                    r["id"], article_id, selector.exact, selector.prefix, selector.suffix, r["color"], r["note"],
                    r["created"], placed.start, placed.end, how, original,
                )
            )  # fmt: skip
        if moved:
            self._write_back(moved)
        return sorted(out, key=lambda h: (h.start is None, h.start or 0, h.id))

    def _write_back(self, moved: list[tuple[Selector, str, int]]) -> None:
        # Not a change the user made: no generation bump (a watching window would only re-read),
        # and a library that cannot be written now (read-only, another writer busy) is read as is.
        try:
            with self._store._transaction() as conn:
                conn.executemany(
                    "UPDATE highlights SET quote = ?, prefix = ?, suffix = ?, start = ?, original = ? WHERE id = ?",
                    [(s.exact, s.prefix, s.suffix, s.start, original, hid) for s, original, hid in moved],
                )
        except StorageError:
            pass

    def update_highlight(self, highlight_id: int, *, color: str | None = None, note: str | None = None) -> None:
        if color is not None and color not in HIGHLIGHT_COLORS:
            raise ReaderError(f"Unknown highlight colour {color!r}; use one of {', '.join(HIGHLIGHT_COLORS)}.")
        with self._write() as conn:
            if color is not None:
                conn.execute("UPDATE highlights SET color = ? WHERE id = ?", (color, highlight_id))
            if note is not None:
                conn.execute("UPDATE highlights SET note = ? WHERE id = ?", (note.strip(), highlight_id))

    def delete_highlight(self, highlight_id: int) -> StoredHighlight | None:
        """Delete a highlight; returns it as stored so that `restore_highlight` can undo this."""
        with self._write() as conn:
            r = conn.execute("SELECT * FROM highlights WHERE id = ?", (highlight_id,)).fetchone()
            if r is None:
                return None
            conn.execute("DELETE FROM highlights WHERE id = ?", (highlight_id,))
        selector = Selector(r["quote"], r["prefix"], r["suffix"], r["start"])
        return StoredHighlight(r["id"], r["sha256"], selector, r["color"], r["note"], r["created"], r["original"])

    def restore_highlight(self, h: StoredHighlight) -> None:
        with self._write() as conn:
            s = h.selector
            conn.execute(
                "INSERT OR REPLACE INTO highlights"
                " (id, sha256, quote, prefix, suffix, start, color, note, created, original)"
                " VALUES (?,?,?,?,?,?,?,?,?,?)",
                (h.id, h.sha256, s.exact, s.prefix, s.suffix, s.start, h.color, h.note, h.created, h.original),
            )

    # -- saved searches ----------------------------------------------------------------------

    def save_search(self, search: SavedSearch) -> None:
        """Save (or replace, keeping when it was last opened) a search under its name."""
        if not search.name.strip():
            raise ReaderError("A saved search needs a name.")
        with self._write() as conn:
            conn.execute(
                "INSERT INTO saved_searches (name, query, filters, sort, created) VALUES (?,?,?,?,?)"
                " ON CONFLICT (name) DO UPDATE SET query = excluded.query, filters = excluded.filters,"
                " sort = excluded.sort",
                (
                    search.name.strip(),
                    search.query,
                    json.dumps([list(f) for f in search.filters]),
                    search.sort,
                    now_iso(),
                ),
            )

    def saved_searches(self) -> list[SavedSearch]:
        rows = self._conn().execute(
            "SELECT name, query, filters, sort, opened_at FROM saved_searches ORDER BY name COLLATE NOCASE"
        )
        return [_saved(r) for r in rows]

    def saved_search(self, name: str) -> SavedSearch:
        row = (
            self._conn()
            .execute("SELECT name, query, filters, sort, opened_at FROM saved_searches WHERE name = ?", (name.strip(),))
            .fetchone()
        )
        if row is None:
            raise ReaderError(f"There is no saved search named {name!r}.")
        return _saved(row)

    def seen_ids(self, name: str) -> set[int]:
        row = self._conn().execute("SELECT seen_ids FROM saved_searches WHERE name = ?", (name.strip(),)).fetchone()
        return set(json.loads(row[0])) if row else set()

    def mark_opened(self, name: str, ids: Sequence[int]) -> None:
        """Remember the results seen now: later ones count as new."""
        with self._write() as conn:
            conn.execute(
                "UPDATE saved_searches SET opened_at = ?, seen_ids = ? WHERE name = ?",
                (now_iso(), json.dumps(sorted(ids)), name.strip()),
            )

    def delete_saved(self, name: str) -> SavedSearch:
        found = self.saved_search(name)
        with self._write() as conn:
            conn.execute("DELETE FROM saved_searches WHERE name = ?", (name.strip(),))
        return found

    # -- what search asks (search.user_terms.UserFacts) --------------------------------------

    def tag_names(self) -> list[str]:
        return [r[0] for r in self._conn().execute("SELECT name FROM tags")]

    def ids_with_tag(self, name: str) -> set[int]:
        rows = self._conn().execute(
            "SELECT ar.id FROM tags t JOIN article_tags a ON a.tag_id = t.id JOIN articles ar ON ar.sha256 = a.sha256"
            " WHERE t.name = ?",
            (name,),
        )
        return {r[0] for r in rows}

    def read_ids(self) -> set[int]:
        return self._ids("SELECT sha256 FROM user_articles WHERE read_at IS NOT NULL")

    def noted_ids(self) -> set[int]:
        return self._ids("SELECT sha256 FROM user_articles WHERE note != ''")

    def highlighted_ids(self) -> set[int]:
        return self._ids("SELECT DISTINCT sha256 FROM highlights")

    def tagged_ids(self) -> set[int]:
        return self._ids("SELECT DISTINCT sha256 FROM article_tags")

    def note_texts(self) -> Iterator[tuple[int, str]]:
        """(article id, its note and the notes of its highlights) for every article with any."""
        rows = self._conn().execute(
            "SELECT ar.id, coalesce(u.note, '') || char(10) || coalesce((SELECT group_concat(h.note, char(10))"
            "   FROM highlights h WHERE h.sha256 = ar.sha256 AND h.note != ''), '')"
            " FROM articles ar LEFT JOIN user_articles u ON u.sha256 = ar.sha256"
            " WHERE u.note != '' OR EXISTS (SELECT 1 FROM highlights h WHERE h.sha256 = ar.sha256 AND h.note != '')"
        )
        for r in rows:
            yield int(r[0]), str(r[1]).strip()

    def _ids(self, sha_query: str) -> set[int]:
        rows = self._conn().execute(f"SELECT a.id FROM articles a WHERE a.sha256 IN ({sha_query})")
        return {r[0] for r in rows}

    # -- for the list ------------------------------------------------------------------------

    def marks(self, ids: Sequence[int]) -> dict[int, ReadingMarks]:
        """Read state, tags, note and highlight count of the given articles (absent: no user data)."""
        out: dict[int, ReadingMarks] = {}
        conn = self._conn()
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            for r in conn.execute(
                "SELECT a.id, u.read_at IS NOT NULL, coalesce(u.note, '') != '',"
                " (SELECT group_concat(t.name, char(31)) FROM article_tags x JOIN tags t ON t.id = x.tag_id"
                "  WHERE x.sha256 = a.sha256),"
                " (SELECT count(*) FROM highlights h WHERE h.sha256 = a.sha256)"
                f" FROM articles a LEFT JOIN user_articles u ON u.sha256 = a.sha256 WHERE a.id IN ({marks})",
                chunk,
            ):
                tags = tuple(sorted(r[3].split("\x1f"), key=str.lower)) if r[3] else ()
                out[r[0]] = ReadingMarks(bool(r[1]), tags, bool(r[2]), int(r[4]))
        return out

    def purge_detached(self) -> int:
        """Remove the user data of deleted articles; returns how many articles' data went."""
        live = "SELECT sha256 FROM articles"
        with self._write() as conn:
            gone = conn.execute(
                f"SELECT count(DISTINCT sha256) FROM (SELECT sha256 FROM user_articles UNION ALL"
                f" SELECT sha256 FROM article_tags UNION ALL SELECT sha256 FROM highlights)"
                f" WHERE sha256 NOT IN ({live})"
            ).fetchone()[0]
            for table in ("user_articles", "article_tags", "highlights"):
                conn.execute(f"DELETE FROM {table} WHERE sha256 NOT IN ({live})")
        return int(gone)


def _clean_names(names: Iterable[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        name = " ".join(name.split())
        if name and name.lower() not in (n.lower() for n in out):
            out.append(name)
    return out


def _saved(r: sqlite3.Row) -> SavedSearch:
    filters = tuple((str(f), str(v)) for f, v in json.loads(r["filters"]))
    return SavedSearch(r["name"], r["query"], filters, r["sort"], r["opened_at"])
