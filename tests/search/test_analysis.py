"""The fused text analyzer yields exactly what the Whoosh filter chain it replaces yields."""

from __future__ import annotations

import pickle

import pytest
from whoosh import analysis

from desktop_reader.search.schema import FOLD_TABLE, STOP_WORDS, WORD_PATTERN, text_analyzer
from tests.helpers import DATA, SAMPLES, shared


def whoosh_chain() -> analysis.Analyzer:
    """The analyzer the index was built with before text_tokens (schema version 1)."""
    return (
        analysis.RegexTokenizer(WORD_PATTERN)
        | analysis.LowercaseFilter()
        | analysis.CharsetFilter(FOLD_TABLE)
        | analysis.StopFilter(stoplist=STOP_WORDS, minsize=1, maxsize=60)
        | analysis.StemFilter(lang="en", cachesize=100_000)
    )


ATTRS = ("text", "pos", "startchar", "endchar", "stopped", "boost", "original")

# Whoosh's own callers: indexing, query parsing, highlighting, spelling.
MODES = [
    {"positions": True, "mode": "index"},
    {"mode": "query"},
    {"chars": True, "positions": True, "removestops": False, "mode": "query"},
    {"chars": True, "start_char": 7, "start_pos": 3, "positions": True, "keeporiginal": True},
    {"tokenize": False, "positions": True, "chars": True},
    {"no_morph": True, "positions": True},
]

ODD_TEXTS = [
    "",
    "The the THE a",
    "Barges at the Café Müller in São Paulo — “quoted” words, U.S.A. and e.g. 3.14",
    "東京で会議 and 서울 뉴스, Москва и Киев, Αθήνα ΆΈΉ",
    "x" * 61 + " ok " + "y" * 60,
    "İstanbul ß ǅ ﬁnance ＡＢＣ",
    "tabs\tand\nnew lines\r\n\u00a0non-breaking\u200bzero width",
    "🙂 \x00 \ufffd surrogates",
]


def real_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(SAMPLES.rglob("*.txt"))]
    texts += [p.read_text(encoding="utf-8", errors="replace") for p in sorted((DATA / "entities_gold").rglob("*.txt"))]
    return [t for t in texts if t.strip()]


def as_tuples(tokens: object) -> list[tuple[object, ...]]:
    return [tuple(getattr(t, a, None) for a in ATTRS) for t in tokens]  # type: ignore[attr-defined]


@pytest.mark.parametrize("kwargs", MODES, ids=lambda k: ",".join(f"{a}={b}" for a, b in k.items()))
def test_same_tokens_as_the_whoosh_chain(kwargs: dict[str, object]) -> None:
    texts = ODD_TEXTS + real_texts()
    assert len(texts) > len(ODD_TEXTS), "no real articles found in resources/samples or tests/data"
    fused, chain = text_analyzer(), whoosh_chain()
    for text in texts:
        assert as_tuples(fused(text, **kwargs)) == as_tuples(chain(text, **kwargs)), text[:80]


def test_same_tokens_on_the_bbc_corpus() -> None:
    folder = shared("corpus", "bbc-news-2005")
    files = sorted(folder.rglob("*.txt"))[::20]
    assert len(files) > 50
    fused, chain = text_analyzer(), whoosh_chain()
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert as_tuples(fused(text, positions=True, mode="index")) == as_tuples(
            chain(text, positions=True, mode="index")
        ), path


def test_pickles_without_its_cache_and_still_works() -> None:
    fused = text_analyzer()
    list(fused("warming the cache with words"))
    state = pickle.dumps(fused)
    assert b"lru_cache" not in state
    again = pickle.loads(state)
    assert again == fused
    assert [t.text for t in again("Running barges")] == ["run", "barg"]


def test_is_a_whoosh_analyzer_for_query_parsing() -> None:
    assert text_analyzer().has_morph()
    assert isinstance(text_analyzer(), analysis.Composable)
