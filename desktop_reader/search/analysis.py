"""The text fields' analyzer as one generator: words, lowercase, accent folding, stop words, stemming.

It yields exactly the tokens of the Whoosh chain

    RegexTokenizer(pattern) | LowercaseFilter() | CharsetFilter(fold)
        | StopFilter(stops, minsize=1, maxsize=60) | StemFilter(lang="en")

(tests/test_text_tokens.py compares the two on real articles), at about a third of the cost:
a Whoosh chain is one generator per filter, so every token pays five generator hops and a
Python LFU-cache lookup. Indexing runs in the import's main process next to the entity
workers, so what it spends here is taken from entity recognition.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from whoosh.analysis import Composable, Token
from whoosh.lang import stemmer_for_language

MIN_WORD = 1  # CJK characters are one-character words
MAX_WORD = 60  # longer "words" are base64 blobs and such


class TextAnalyzer(Composable):  # type: ignore[misc]
    """A Whoosh analyzer (callable on a string, any of Whoosh's analyzer keywords)."""

    is_morph = True  # like StemFilter: query parsing knows words come out stemmed

    def __init__(self, pattern: str, fold: dict[int, str], stop_words: frozenset[str], stem: bool = True) -> None:
        self.pattern = pattern
        self.fold = fold
        self.stop_words = stop_words
        self.stem = stem
        self._setup()

    def _setup(self) -> None:
        self._words = re.compile(self.pattern)
        # A C-level cache: stemming the same common words over and over is most of the cost.
        self._stemmer: Callable[[str], str] | None = (
            lru_cache(maxsize=200_000)(stemmer_for_language("en")) if self.stem else None
        )

    def __getstate__(self) -> dict[str, Any]:
        # Whoosh pickles the schema into every index's table of contents: no compiled regex,
        # no cache.
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_")}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._setup()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TextAnalyzer) and self.__getstate__() == other.__getstate__()

    def __hash__(self) -> int:
        return hash((self.pattern, self.stem))

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        no_morph: bool = False,
        **kwargs: Any,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        stem = None if no_morph else self._stemmer
        fold, stops = self.fold, self.stop_words
        if tokenize:
            spans: Any = ((m.group(), m.start(), m.end()) for m in self._words.finditer(value))
        else:
            spans = ((value, 0, len(value)),)
        kept_pos: int | None = None  # StopFilter(renumber=True): positions close over stop words
        for n, (word, start, end) in enumerate(spans):
            t.boost = 1.0
            if keeporiginal or not tokenize:
                t.original = word
            if positions:
                t.pos = start_pos + n
            if chars:
                t.startchar = start_char + start
                t.endchar = start_char + end
            text = word.lower().translate(fold)
            if MIN_WORD <= len(text) <= MAX_WORD and text not in stops:
                if positions:
                    if kept_pos is None:
                        kept_pos = t.pos
                    else:
                        kept_pos += 1
                        t.pos = kept_pos
                t.stopped = False
                t.text = stem(text) if stem is not None else text
                yield t
            elif not removestops:
                t.stopped = True
                t.text = text
                yield t
