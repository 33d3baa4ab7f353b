"""Paths and helpers shared by every test package: the repository, ../shared, test data and samples."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
DATA = REPO / "tests" / "data"
SAMPLES = REPO / "resources" / "samples"


def shared(*parts: str) -> Path:
    """A path in ../shared, or a clean skip when that material is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path


def prepared_article(tmp_path: Path, name: str, text: str, entities: tuple[Any, ...] | list[Any] = ()) -> Any:
    """A PreparedArticle as the import's workers hand it over, with its source file written in tmp_path/src."""
    import hashlib

    from desktop_reader.models import CleanDocument, Metadata, PreparedArticle

    content = text.encode()
    source = tmp_path / "src" / name
    source.parent.mkdir(exist_ok=True)
    source.write_bytes(content)
    return PreparedArticle(
        sha256=hashlib.sha256(content).hexdigest(),
        path=source,
        format="text",
        content=content,
        clean=CleanDocument(text, Metadata(title=name, published="2025-03-01", site="example.org")),
        entities=tuple(entities),
    )


def write_whoosh3_index(folder: Path, batches: list[list[Any]], version: str) -> None:
    """An index as the releases before our posting codec wrote it: Whoosh's own codec, one
    commit per batch of IndexDocs (merged by the same tiers), under schema `version`."""
    from whoosh.codec.whoosh3 import W3Codec

    from desktop_reader.search.index_files import TIER_FACTOR, clear_index, merge_tiers, open_index
    from desktop_reader.search.schema import VERSION_FILE, build_schema, to_fields

    schema = build_schema()
    clear_index(folder, schema, lock_timeout=3.0)
    ix = open_index(folder, schema, mapped=False)
    for batch in batches:
        writer = ix.writer(codec=W3Codec())
        for doc in batch:
            writer.add_document(**to_fields(doc))
        writer.commit(mergetype=merge_tiers(TIER_FACTOR))
    (folder / VERSION_FILE).write_text(f"{version}\n")
