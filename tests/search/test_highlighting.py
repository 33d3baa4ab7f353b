"""Phrase highlighting: the words of a phrase are marked only where they stand in a row."""

from __future__ import annotations

import random

from desktop_reader.search.highlighting import MatchTerms, find
from desktop_reader.search.schema import WORD_RE, text_analyzer
from desktop_reader.search.snippets import SnippetMaker
from tests.helpers import DATA, SAMPLES
from tests.search.test_snippets import TRICKY


def _every_token_way(text: str, terms: MatchTerms, maker: SnippetMaker) -> list[tuple[int, int, str]]:
    """The plain definition: every indexed token of the text, and a phrase where its forms are
    consecutive tokens (stop words have no form, so they are not tokens here)."""
    tokens = [(m.start(), m.end(), f) for m in WORD_RE.finditer(text) if (f := maker.form(m.group()))]
    marked = {i for i, t in enumerate(tokens) if t[2] in terms.words}
    for phrase in terms.phrases:
        for i in range(len(tokens) - len(phrase) + 1):
            if tuple(t[2] for t in tokens[i : i + len(phrase)]) == phrase:
                marked.update(range(i, i + len(phrase)))
    return [tokens[i] for i in sorted(marked)]


def test_phrases_are_marked_where_their_words_stand_in_a_row() -> None:
    maker = SnippetMaker(text_analyzer())
    text = "The minister said on Monday. A minister of state said so; the said minister left."
    minister, said = maker.form("minister"), maker.form("said")
    spans = find(text, MatchTerms(phrases=((minister, said),)), maker)
    # "of state" stands between the second pair; "the" is a stop word.
    assert [text[s:e] for s, e, _ in spans] == ["minister", "said"]
    spans = find(text, MatchTerms(phrases=((said, minister),)), maker)
    assert [text[s:e] for s, e, _ in spans] == ["said", "minister"]
    assert spans[0][0] == text.index("said minister")


def test_phrase_marks_equal_the_every_token_definition_on_real_articles() -> None:
    """Phrases taken from the texts themselves (so they occur), with a stop word inside some,
    shuffled ones that mostly do not, and plain words beside them."""
    maker = SnippetMaker(text_analyzer())
    paths = sorted((DATA / "entities_gold").rglob("*.txt")) + sorted(SAMPLES.rglob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in paths] + [TRICKY]
    assert len(texts) > 10
    rng = random.Random(11)
    checked = 0
    for text in texts:
        forms = [f for w in WORD_RE.findall(text) if (f := maker.form(w))]
        if len(forms) < 6:
            continue
        for _ in range(8):
            n = rng.choice((2, 2, 3, 4))
            at = rng.randrange(len(forms) - n)
            phrase = tuple(forms[at : at + n])
            shuffled = tuple(rng.sample(phrase, n))
            words = frozenset(rng.sample(forms, 2))
            terms = MatchTerms(words=words, phrases=(phrase, shuffled))
            got = find(text, terms, maker)
            assert got == _every_token_way(text, terms, maker), (phrase, shuffled, words)
            checked += bool(got)
    assert checked > 50
