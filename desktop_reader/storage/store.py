"""The durable record: a SQLite library of articles, their originals and their entities."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from desktop_reader import paths
from desktop_reader.errors import ArticleNotFound, StorageError
from desktop_reader.models import Article, ArticleSummary, Entity, Facet, IndexDoc, Member, PreparedArticle
from desktop_reader.storage import members
from desktop_reader.storage.write_lock import WriteLock

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    author TEXT NOT NULL DEFAULT '',
    published TEXT NOT NULL DEFAULT '',
    site TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT '',
    format TEXT NOT NULL,
    source_path TEXT NOT NULL,
    stored_path TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    -- 0 until the search index has committed this article; the index is reconciled from it.
    indexed INTEGER NOT NULL DEFAULT 0,
    -- 0 when the entity model was unavailable at import; `entities --refresh` fills these in.
    entities_done INTEGER NOT NULL DEFAULT 0
);
-- The unfiltered list (Store.page, newest first, undated last) reads its page straight from
-- this index; without it every page sorts the whole table (40 ms at 100,000 articles).
DROP INDEX IF EXISTS articles_published;
CREATE INDEX IF NOT EXISTS articles_listing ON articles (published = '', published DESC, id DESC);
CREATE INDEX IF NOT EXISTS articles_unindexed ON articles (indexed) WHERE indexed = 0;
CREATE TABLE IF NOT EXISTS entities (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    label TEXT NOT NULL,
    count INTEGER NOT NULL,
    mentions TEXT NOT NULL,
    PRIMARY KEY (article_id, label, text)
) WITHOUT ROWID;
-- Archive-wide counts, kept exact by triggers in the same transaction as the article rows.
CREATE TABLE IF NOT EXISTS entity_totals (
    text TEXT NOT NULL,
    label TEXT NOT NULL,
    articles INTEGER NOT NULL,
    mentions INTEGER NOT NULL,
    PRIMARY KEY (label, text)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entity_totals_articles ON entity_totals (articles DESC);
CREATE TRIGGER IF NOT EXISTS entities_added AFTER INSERT ON entities BEGIN
    INSERT INTO entity_totals (text, label, articles, mentions) VALUES (NEW.text, NEW.label, 1, NEW.count)
    ON CONFLICT (label, text) DO UPDATE SET articles = articles + 1, mentions = mentions + NEW.count;
END;
CREATE TRIGGER IF NOT EXISTS entities_removed AFTER DELETE ON entities BEGIN
    UPDATE entity_totals SET articles = articles - 1, mentions = mentions - OLD.count
    WHERE label = OLD.label AND text = OLD.text;
    DELETE FROM entity_totals WHERE label = OLD.label AND text = OLD.text AND articles <= 0;
END;
"""

_SUMMARY_COLUMNS = "id, title, site, published, url, source_path"


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class Store:
    """The library database plus the folder of original files.

    Any thread may read through its own connection; writes are expected from a single
    writer at a time (the pipeline's), and each write method is one transaction.
    """

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.db_path = paths.database_file(data_dir)
        self.originals = paths.originals_dir(data_dir, create=False)
        self._local = threading.local()
        try:
            self.originals.mkdir(parents=True, exist_ok=True)
            with self._conn() as conn:
                conn.executescript(_SCHEMA)
                conn.executescript(members.SCHEMA)
                conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
                conn.execute("INSERT OR IGNORE INTO meta VALUES ('generation', '0')")
        except (OSError, sqlite3.Error) as exc:
            # SQLite only says "unable to open database file" when it cannot create its journal.
            hint = "" if os.access(data_dir, os.W_OK) else " (the folder is read-only)"
            raise StorageError(f"Cannot open the library in {data_dir}: {exc}{hint}") from exc
        self._drop_incoming()

    def _drop_incoming(self) -> None:
        """Remove originals left half-copied by a writer that died.

        Only while holding the write lock: a window opened during another process's import
        must not delete the copies that import has in flight.
        """
        lock = WriteLock(self.data_dir)
        with contextlib.suppress(OSError):  # a read-only folder: nothing to clean anyway
            if lock.try_acquire():
                try:
                    shutil.rmtree(self.originals / ".incoming", ignore_errors=True)
                finally:
                    lock.release()

    # -- connections ---------------------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.db_path, timeout=30.0, isolation_level=None, check_same_thread=True)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            # FULL: a committed import survives a power cut, not only a crash.
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=30000")
            self._local.conn = conn
        return conn

    def close(self) -> None:
        """Close this thread's connection."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; a failed write (disk full, read-only folder) raises StorageError."""
        conn = self._conn()
        try:
            conn.execute("BEGIN IMMEDIATE")
            yield conn
            conn.execute("COMMIT")
        except BaseException as exc:
            # After an I/O error SQLite has already rolled back; ROLLBACK would then fail and hide the cause.
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            if isinstance(exc, OSError | sqlite3.Error):
                raise StorageError(f"Could not write to the library in {self.data_dir}: {exc}") from exc
            raise

    # -- writing ---------------------------------------------------------------------

    def add_many(self, articles: Sequence[PreparedArticle]) -> list[int]:
        """Store a batch in one transaction; either every article is stored or none.

        Originals are copied first into a private folder and renamed into place; a row
        only ever points at a complete copy.
        """
        placed: list[Path] = []
        try:
            rows = []
            for article in articles:
                stored, created = self._place_original(article)
                if created:
                    placed.append(self.data_dir / stored)
                rows.append((article, stored))
            with self._transaction() as conn:
                ids = [self._insert(conn, article, stored) for article, stored in rows]
                self._bump_generation(conn)
            return ids
        except BaseException as exc:
            for folder in placed:
                shutil.rmtree(folder.parent, ignore_errors=True)
            if isinstance(exc, OSError | sqlite3.Error):
                raise StorageError(f"Could not store articles in {self.data_dir}: {exc}") from exc
            raise

    def _place_original(self, article: PreparedArticle) -> tuple[str, bool]:
        """Copy the original (and its assets) into the library; returns (relative path, newly created)."""
        if article.member is not None:
            return self._place_container(article.member)
        final = self.originals / article.sha256[:2] / article.sha256
        name = article.path.name
        if (final / name).exists():
            return str((final / name).relative_to(self.data_dir)), False
        incoming = self.originals / ".incoming" / uuid.uuid4().hex
        incoming.mkdir(parents=True)
        with (incoming / name).open("wb") as fh:
            fh.write(article.content)
            fh.flush()
            # On disk before the row that points at it commits: a power cut must not leave a
            # stored article whose original is empty.
            os.fsync(fh.fileno())
        if article.companion_root is not None and article.companion_root.is_dir():
            # The page's assets go along, so the archive survives the source being deleted.
            shutil.copytree(
                article.companion_root,
                incoming / article.companion_root.name,
                symlinks=False,
                ignore_dangling_symlinks=True,
                dirs_exist_ok=True,
            )
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists():  # an orphan left by a crash between copy and commit
            shutil.rmtree(final)
        incoming.replace(final)
        return str((final / name).relative_to(self.data_dir)), True

    def _place_container(self, member: Member) -> tuple[str, bool]:
        """Copy a container file into the library once, under its own hash, however many articles it holds."""
        final = self.originals / member.container_sha256[:2] / member.container_sha256
        name = member.container.name
        if (final / name).exists():
            return str((final / name).relative_to(self.data_dir)), False
        incoming = self.originals / ".incoming" / uuid.uuid4().hex
        incoming.mkdir(parents=True)
        with member.container.open("rb") as src, (incoming / name).open("wb") as fh:
            shutil.copyfileobj(src, fh, 1 << 20)  # a WARC can be gigabytes: copied, never read whole
            fh.flush()
            os.fsync(fh.fileno())
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists():
            shutil.rmtree(final)
        incoming.replace(final)
        return str((final / name).relative_to(self.data_dir)), True

    def _insert(self, conn: sqlite3.Connection, article: PreparedArticle, stored: str) -> int:
        meta = article.clean.meta
        cur = conn.execute(
            "INSERT INTO articles (sha256, title, text, author, published, site, url, language, format,"
            " source_path, stored_path, imported_at, entities_done) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                article.sha256,
                meta.title,
                article.clean.text,
                meta.author,
                meta.published,
                meta.site,
                meta.url,
                meta.language,
                article.format,
                str(article.path),
                stored,
                now_iso(),
                int(article.entities is not None),
            ),
        )
        article_id = int(cur.lastrowid or 0)
        if article.member is not None:
            members.record(conn, article_id, article.member)
        if article.entities:
            self._insert_entities(conn, article_id, article.entities)
        return article_id

    @staticmethod
    def _insert_entities(conn: sqlite3.Connection, article_id: int, entities: Iterable[Entity]) -> None:
        conn.executemany(
            "INSERT OR IGNORE INTO entities (article_id, text, label, count, mentions) VALUES (?,?,?,?,?)",
            [(article_id, e.text, e.label, e.count, json.dumps(e.mentions)) for e in entities],
        )

    def set_entities(self, updates: Sequence[tuple[int, tuple[Entity, ...]]]) -> None:
        """Replace the entities of several articles in one transaction."""
        with self._transaction() as conn:
            for article_id, entities in updates:
                conn.execute("DELETE FROM entities WHERE article_id = ?", (article_id,))
                self._insert_entities(conn, article_id, entities)
                conn.execute("UPDATE articles SET entities_done = 1, indexed = 0 WHERE id = ?", (article_id,))
            self._bump_generation(conn)

    def mark_indexed(self, ids: Iterable[int], indexed: bool = True) -> None:
        with self._transaction() as conn:
            conn.executemany("UPDATE articles SET indexed = ? WHERE id = ?", [(int(indexed), i) for i in ids])

    def mark_all_unindexed(self) -> None:
        with self._transaction() as conn:
            conn.execute("UPDATE articles SET indexed = 0")

    def delete(self, article_id: int) -> None:
        """Remove an article, its entities and its stored original."""
        with self._transaction() as conn:
            row = conn.execute("SELECT stored_path FROM articles WHERE id = ?", (article_id,)).fetchone()
            if row is None:
                raise ArticleNotFound(article_id)
            conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))
            self._bump_generation(conn)
            shared = members.still_used(conn, row["stored_path"])  # a container's other articles
        if not shared:
            shutil.rmtree((self.data_dir / row["stored_path"]).parent, ignore_errors=True)

    @staticmethod
    def _bump_generation(conn: sqlite3.Connection) -> None:
        conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")

    # -- reading ---------------------------------------------------------------------

    def generation(self) -> int:
        """A number that changes with every write, to tell whether the index is current."""
        row = self._conn().execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return int(row[0]) if row else 0

    def count(self) -> int:
        return int(self._conn().execute("SELECT count(*) FROM articles").fetchone()[0])

    def ids(self) -> set[int]:
        return {r[0] for r in self._conn().execute("SELECT id FROM articles")}

    def find_sha(self, sha256: str) -> int | None:
        row = self._conn().execute("SELECT id FROM articles WHERE sha256 = ?", (sha256,)).fetchone()
        return int(row[0]) if row else None

    def get(self, article_id: int) -> Article:
        conn = self._conn()
        row = conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise ArticleNotFound(article_id)
        return Article(
            id=row["id"],
            title=row["title"],
            text=row["text"],
            author=row["author"],
            published=row["published"],
            site=row["site"],
            url=row["url"],
            language=row["language"],
            source_path=row["source_path"],
            stored_path=str(self.data_dir / row["stored_path"]),
            imported_at=row["imported_at"],
            format=row["format"],
            entities=self.entities_of(article_id),
            member=m.name if (m := members.member_of(conn, article_id, row["stored_path"])) else "",
        )

    def member(self, article_id: int) -> Member | None:
        """The member of a stored container the article was read from (None for a file of its own)."""
        row = self._conn().execute("SELECT stored_path FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise ArticleNotFound(article_id)
        return members.member_of(self._conn(), article_id, str(self.data_dir / row[0]))

    def text(self, article_id: int) -> str:
        row = self._conn().execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()
        return str(row[0]) if row else ""

    def entities_of(self, article_id: int) -> tuple[Entity, ...]:
        rows = self._conn().execute(
            "SELECT text, label, count, mentions FROM entities WHERE article_id = ? ORDER BY count DESC, text",
            (article_id,),
        )
        return tuple(
            Entity(r[0], r[1], r[2], tuple(tuple(m) for m in json.loads(r[3])))  # type: ignore[misc]
            for r in rows
        )

    def summaries(self, ids: Sequence[int]) -> dict[int, ArticleSummary]:
        """Summaries for the given ids (in chunks, since SQLite limits bound parameters)."""
        out: dict[int, ArticleSummary] = {}
        conn = self._conn()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for r in conn.execute(f"SELECT {_SUMMARY_COLUMNS} FROM articles WHERE id IN ({marks})", chunk):
                out[r[0]] = _summary(r)
        return out

    def page(self, offset: int, limit: int, newest_first: bool = True) -> list[ArticleSummary]:
        """Articles by published date (undated last, then by import order), for the unfiltered list."""
        rows = self._conn().execute(page_sql(newest_first), (limit, offset))
        return [_summary(r) for r in rows]

    def iter_for_index(self, only_unindexed: bool = False, batch: int = 500) -> Iterator[list[IndexDoc]]:
        """Articles with their entities, in batches, as the search index takes them."""
        conn = self._conn()
        where = "WHERE indexed = 0" if only_unindexed else ""
        ids = [r[0] for r in conn.execute(f"SELECT id FROM articles {where} ORDER BY id")]
        for start in range(0, len(ids), batch):
            chunk = ids[start : start + batch]
            marks = ",".join("?" * len(chunk))
            rows = conn.execute(
                "SELECT a.id, a.title, a.text, a.author, a.site, a.url, a.published,"
                " (SELECT json_group_array(json_array(e.text, e.label)) FROM entities e"
                "  WHERE e.article_id = a.id) AS ents"
                f" FROM articles a WHERE a.id IN ({marks}) ORDER BY a.id",
                chunk,
            )
            yield [
                IndexDoc(
                    id=r["id"],
                    title=r["title"],
                    text=r["text"],
                    author=r["author"],
                    site=r["site"],
                    url=r["url"],
                    published=r["published"],
                    entities=tuple((t, label) for t, label in json.loads(r["ents"] or "[]")),
                )
                for r in rows
            ]

    def unindexed_count(self) -> int:
        return int(self._conn().execute("SELECT count(*) FROM articles WHERE indexed = 0").fetchone()[0])

    def without_entities(self) -> list[int]:
        return [r[0] for r in self._conn().execute("SELECT id FROM articles WHERE entities_done = 0")]

    def all_ids_ordered(self) -> list[int]:
        return [r[0] for r in self._conn().execute("SELECT id FROM articles ORDER BY id")]

    def entity_totals(self, label: str | None = None, limit: int = 50) -> list[tuple[str, str, int, int]]:
        """Archive-wide (text, label, articles, mentions), most widespread first."""
        sql = "SELECT text, label, articles, mentions FROM entity_totals"
        args: list[object] = []
        if label:
            sql += " WHERE label = ?"
            args.append(label)
        sql += " ORDER BY articles DESC, mentions DESC, text LIMIT ?"
        args.append(limit)
        return [(r[0], r[1], r[2], r[3]) for r in self._conn().execute(sql, args)]

    def entity_mentions_in(self, ids: Sequence[int], facets: Sequence[Facet]) -> dict[tuple[str, str], int]:
        """Mention counts of the given entities within the given articles."""
        out: dict[tuple[str, str], int] = {}
        conn = self._conn()
        wanted = {(f.text, f.label) for f in facets}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for r in conn.execute(
                f"SELECT text, label, sum(count) FROM entities WHERE article_id IN ({marks}) GROUP BY label, text",
                chunk,
            ):
                key = (r[0], r[1])
                if key in wanted:
                    out[key] = out.get(key, 0) + int(r[2])
        return out


def page_sql(newest_first: bool) -> str:
    """Store.page's query; newest first, it matches the articles_listing index exactly."""
    order = "DESC" if newest_first else "ASC"
    return (
        f"SELECT {_SUMMARY_COLUMNS} FROM articles ORDER BY published = '' ASC, published {order}, id {order}"
        " LIMIT ? OFFSET ?"
    )


def _summary(r: sqlite3.Row) -> ArticleSummary:
    return ArticleSummary(id=r[0], title=r[1], site=r[2], published=r[3], url=r[4], source_path=r[5])
