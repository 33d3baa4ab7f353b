"""Which member of a stored container (WARC record, export entry) each article came from.

The container is stored once, under its own hash, and every article read from it points at
that copy (`articles.stored_path`) and has one row here: the member's name, how the format's
reader finds it again, its labels and when it was captured. With these, an article can be read
again from the library alone (re-cleaning), and the container stays until its last article goes.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from desktop_reader.models import Member

SCHEMA = """
CREATE TABLE IF NOT EXISTS article_members (
    article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    name TEXT NOT NULL,        -- the record's URL, the entry's name
    locator TEXT NOT NULL,     -- a record's byte offset, an entry's index or path
    labels TEXT NOT NULL DEFAULT '[]',
    saved TEXT NOT NULL DEFAULT ''
);
"""


def record(conn: sqlite3.Connection, article_id: int, member: Member) -> None:
    """Note, in the caller's transaction, that `article_id` is `member` of its stored container."""
    conn.execute(
        "INSERT OR REPLACE INTO article_members (article_id, name, locator, labels, saved) VALUES (?,?,?,?,?)",
        (article_id, member.name, member.locator, json.dumps(list(member.labels)), member.saved),
    )


def member_of(conn: sqlite3.Connection, article_id: int, stored: str) -> Member | None:
    """The member an article was read from, its container being the library's copy at `stored`."""
    row = conn.execute(
        "SELECT name, locator, labels, saved FROM article_members WHERE article_id = ?", (article_id,)
    ).fetchone()
    if row is None:
        return None
    return Member(Path(stored), row[0], row[1], labels=tuple(json.loads(row[2])), saved=row[3])


def still_used(conn: sqlite3.Connection, stored_path: str) -> bool:
    """Whether another article still points at this stored original (a shared container)."""
    return conn.execute("SELECT 1 FROM articles WHERE stored_path = ? LIMIT 1", (stored_path,)).fetchone() is not None
