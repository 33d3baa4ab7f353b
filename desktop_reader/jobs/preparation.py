"""The CPU-heavy half of an import: read, clean and extract entities, in-process or in worker processes."""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

from desktop_reader.entities.extractor import EntityExtractor
from desktop_reader.errors import ImportFailed, ModelUnavailable
from desktop_reader.importing import cleaning, file_readers
from desktop_reader.models import FailedFile, Member, PreparedArticle

log = logging.getLogger(__name__)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def prepare_many(
    items: Sequence[Path | Member], extractor: EntityExtractor | None, shas: Sequence[str | None] = ()
) -> list[PreparedArticle | FailedFile]:
    """Read and clean each file (or member of a container), then find entities for all of them in one batch.

    Each item fails on its own: one bad page never costs the others in the chunk. `shas` are
    the files' hashes when the caller already has them (the import hashed every file to find
    duplicates before sending it here), so no file is hashed twice.
    """
    cleaned: list[PreparedArticle | FailedFile] = []
    for n, item in enumerate(items):
        path, member = (item.container, item) if isinstance(item, Member) else (item, None)
        name = member.name if member else ""
        try:
            raw = file_readers.read_member(member) if member else file_readers.read_file(path)
            clean = cleaning.clean(raw)
            known = shas[n] if n < len(shas) else None
            cleaned.append(
                PreparedArticle(
                    path=path,
                    sha256=known or hashlib.sha256(raw.content).hexdigest(),
                    format=raw.format,
                    # A member's original is its container, copied into the library once, from disk.
                    content=b"" if member else raw.content,
                    clean=clean,
                    entities=None,
                    companion_root=raw.companion_root,
                    warnings=raw.warnings,
                    member=member,
                )
            )
        except ImportFailed as exc:
            cleaned.append(FailedFile(path, exc.reason, member=name))
        except RecursionError:
            cleaned.append(FailedFile(path, "the page is nested too deeply to be read", member=name))
        except MemoryError:
            cleaned.append(FailedFile(path, "the file is too large to process in memory", member=name))
        except Exception as exc:  # a bug, but one file must not stop the batch
            log.exception("Unexpected error while importing %s %s", path, name)
            reason = f"unexpected error ({type(exc).__name__}: {exc}); see the log"
            cleaned.append(FailedFile(path, reason, member=name))
    if extractor is None:
        return cleaned
    ok = [n for n, p in enumerate(cleaned) if isinstance(p, PreparedArticle)]
    try:
        texts = [cleaned[n].clean.text for n in ok]  # type: ignore[union-attr]
        published = [cleaned[n].clean.meta.published for n in ok]  # type: ignore[union-attr]
        found = list(extractor.extract_many(texts, published=published))
    except ModelUnavailable as exc:
        log.warning("%s", exc)
        return cleaned
    for n, entities in zip(ok, found, strict=True):
        cleaned[n] = replace(cleaned[n], entities=entities)  # type: ignore[type-var]
    return cleaned


# -- worker processes ----------------------------------------------------------------

_worker_extractor: EntityExtractor | None = None


def _init_worker(model: str | None, with_entities: bool) -> None:
    global _worker_extractor
    if not with_entities:
        return
    extractor = EntityExtractor(model=model)
    try:
        _ = extractor.nlp  # load once per worker, before the first task arrives
    except ModelUnavailable as exc:
        log.warning("%s", exc)
        return
    _worker_extractor = extractor


def _work(items: Sequence[Path | Member], shas: Sequence[str | None]) -> list[PreparedArticle | FailedFile]:
    return prepare_many(items, _worker_extractor, shas)


def worker_pool(workers: int, model: str | None, with_entities: bool = True) -> ProcessPoolExecutor:
    """Processes that each load the entity model once.

    Spawned rather than forked: the GUI process has threads, and forking those is unsafe.
    """
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker,
        initargs=(model, with_entities),
    )


def submit(pool: ProcessPoolExecutor, paths: Sequence[Path], shas: Sequence[str | None] = ()):  # type: ignore[no-untyped-def]
    return pool.submit(_work, list(paths), list(shas))
