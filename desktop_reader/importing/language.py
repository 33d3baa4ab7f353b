"""The language of a text whose page does not declare one, told from its words (py3langid)."""

from __future__ import annotations

import functools
from typing import Any

# The opening few thousand characters decide as well as the whole text, at a fraction of the cost.
_SAMPLE_CHARS = 5000
# Below this a headline-sized text is too short to tell reliably: better unknown than wrong.
_MIN_LETTERS = 40
_MIN_PROBABILITY = 0.9


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
    # Loading the model takes a second or two: once per process, and only when a page needs it.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    try:
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    except (OSError, ValueError, MemoryError):
        # py3langid unpacks its model through a temporary file, which a full disk or a file-size limit
        # refuses; an unknown language is a missing detail, never a reason to fail the article's import.
        return None
