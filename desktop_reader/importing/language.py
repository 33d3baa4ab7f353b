"""The language of a text whose page does not declare one, told from its words (py3langid)."""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from desktop_reader import paths

# The opening few thousand characters decide as well as the whole text, at a fraction of the cost.
_SAMPLE_CHARS = 5000
# Below this a headline-sized text is too short to tell reliably: better unknown than wrong.
_MIN_LETTERS = 40
_MIN_PROBABILITY = 0.9
# The model's arrays, as py3langid's loader returns them, saved one per file so they can be memory-mapped;
# the class labels are read into a list.
_ARRAYS = ("ptc", "pc", "nextmove", "nextmove_row", "out_feat")
_FILES = (*_ARRAYS, "classes")


def detect_language(text: str) -> str:
    """ISO 639-1 code of `text` ("en", "de", "ko"...); "" when it is too short or the guess is unsure."""
    sample = text[:_SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < _MIN_LETTERS:
        return ""
    identifier = _identifier()
    if identifier is None:
        return ""
    language, probability = identifier.classify(sample)
    return str(language) if probability >= _MIN_PROBABILITY else ""


@functools.cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    model = Path(MODEL_FILE)
    model = model if model.is_absolute() else MODEL_DIR / model
    try:
        ptc, pc, classes, nextmove, row, out = _mapped_model(model)
        return LanguageIdentifier(ptc, pc, classes, nextmove, out, norm_probs=True, tk_row=row)
    except (OSError, ValueError, MemoryError):
        pass  # no writable cache: py3langid's own loader, slower, may still manage
    try:
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    except (OSError, ValueError, MemoryError):
        # py3langid unpacks its model through a temporary file, which a full disk or a file-size limit
        # refuses; an unknown language is a missing detail, never a reason to fail the article's import.
        return None


def _mapped_model(model: Path) -> tuple[Any, ...]:
    """The model's arrays memory-mapped from an unpacked copy in the cache, made on first use.

    py3langid decompresses 68 MB of LZMA on every load (about a second per import worker, each
    holding its own copy); mapped, a worker starts at once and the workers share its 67 MB of tables.
    """
    folder = paths.cache_dir() / f"langid-{_fingerprint(model)}"
    if not all((folder / f"{name}.npy").is_file() for name in _FILES):
        _unpack(model, folder)
    try:
        return _map(folder)
    except (OSError, ValueError):
        # A damaged copy (a disk error, a killed unpacking by an older version): unpack it again, once.
        shutil.rmtree(folder, ignore_errors=True)
        _unpack(model, folder)
        return _map(folder)


def _map(folder: Path) -> tuple[Any, ...]:
    mapped = {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in _ARRAYS}
    classes = np.load(folder / "classes.npy").tolist()
    if len(classes) != mapped["pc"].shape[0] or mapped["ptc"].shape[1] != len(classes):
        raise ValueError(f"{folder}: unpacked language model is inconsistent")
    # The tokenizer walks nextmove one byte at a time. A stdlib array copy of it serves that a
    # third faster (0.75 against 1.09 ms an article), but costs 39 MB of private memory in every
    # import worker; a view over the mapping shares the pages between the workers.
    nextmove = memoryview(mapped["nextmove"]).cast("B").cast(mapped["nextmove"].dtype.char)
    return (
        mapped["ptc"],
        np.asarray(mapped["pc"]),
        classes,
        nextmove,
        mapped["nextmove_row"].tolist(),
        mapped["out_feat"].tolist(),
    )


def _fingerprint(model: Path) -> str:
    stat = model.stat()
    return hashlib.sha1(f"{model}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:12]


def _unpack(model: Path, folder: Path) -> None:
    import lzma

    # Written into a fresh folder renamed into place, so a reader never sees half a model.
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".langid-", dir=folder.parent))
    try:
        with lzma.open(model) as packed, np.load(packed, allow_pickle=False) as data:
            for name in _FILES:
                np.save(staging / f"{name}.npy", data[name], allow_pickle=False)
        try:
            os.replace(staging, folder)
        except OSError:
            if not folder.is_dir():  # another worker won the race: its copy is as good
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
