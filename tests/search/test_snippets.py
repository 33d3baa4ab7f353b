"""Snippets: where the window falls, what is marked, escaping, and speed on a long article."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from desktop_reader.search.schema import WORD_RE, text_analyzer
from desktop_reader.search.snippets import SNIPPET_CHARS, SnippetMaker
from tests.helpers import DATA, SAMPLES, SHARED

M = '<b class="match">'


@pytest.fixture(scope="module")
def maker() -> SnippetMaker:
    return SnippetMaker(text_analyzer())


def terms(maker: SnippetMaker, *words: str) -> set[str]:
    return {maker.form(w) for w in words}


def snip(maker: SnippetMaker, text: str, wanted: set[str]) -> str:
    """The snippet with its matches written as <b class="match">...</b>, to read in assertions."""
    return maker.snippet(text, maker.matches(text, frozenset(wanted))).marked(M, "</b>")


def test_window_goes_to_the_densest_cluster_of_distinct_terms(maker: SnippetMaker) -> None:
    filler = "Nothing of note happened in the town that week. " * 20
    text = (
        "The ferry left early. "
        + filler
        + "At noon the ferry and the barge collided near the harbour wall. "
        + filler
        + "A barge was seen later."
    )
    snippet = snip(maker, text, terms(maker, "ferry", "barge"))
    assert f"{M}ferry</b> and the {M}barge</b> collided" in snippet
    assert snippet.startswith("…") and snippet.endswith("…")
    plain = snippet.replace(M, "").replace("</b>", "").strip("…")
    assert len(plain) <= SNIPPET_CHARS + 5


def test_stemmed_and_accent_folded_variants_are_marked(maker: SnippetMaker) -> None:
    snippet = snip(
        maker, "Two barges and one barge docked by the Café Müller.", terms(maker, "barge", "cafe", "muller")
    )
    assert snippet == f"Two {M}barges</b> and one {M}barge</b> docked by the {M}Café Müller</b>."


def test_neighbouring_matches_are_merged_into_one_mark(maker: SnippetMaker) -> None:
    assert f"{M}Mark Rutte</b>" in snip(maker, "Then Mark Rutte spoke.", terms(maker, "mark", "rutte"))
    assert f"{M}東京</b>" in snip(maker, "会議は東京で開かれた。", terms(maker, "東", "京"))


def test_text_stays_plain_and_whitespace_is_collapsed(maker: SnippetMaker) -> None:
    text = 'The page had <script>alert("x")</script>\n\n  in it & more.'
    snippet = maker.snippet(text, maker.matches(text, frozenset(terms(maker, "alert"))))
    assert snippet.text == 'The page had <script>alert("x")</script> in it & more.'
    assert [snippet.text[a:b] for a, b in snippet.spans] == ["alert"]


def test_no_match_gives_the_opening(maker: SnippetMaker) -> None:
    text = "First sentence of the article. " * 30
    snippet = snip(maker, text, terms(maker, "zeppelin"))
    assert snippet.startswith("First sentence") and "<b" not in snippet and snippet.endswith("…")
    assert snip(maker, "", terms(maker, "x")) == ""
    assert snip(maker, "Short text.", set()) == "Short text."


def test_word_wider_than_the_window_does_not_break(maker: SnippetMaker) -> None:
    text = "x" * 500 + " barge " + "y" * 500
    assert f"{M}barge</b>" in snip(maker, text, terms(maker, "barge"))


def test_snippet_of_a_5000_word_article_is_fast(maker: SnippetMaker) -> None:
    words = ("the council met again to discuss the harbour budget and the new ferry timetable " * 400).split()
    text = " ".join(words[:5000]) + " finally the zeppelin landed."
    wanted = terms(maker, "zeppelin", "ferry")
    snip(maker, text, wanted)  # fill the word cache, as the first hits of a search do
    started = time.perf_counter()
    for _ in range(10):
        snippet = snip(maker, text, wanted)
    per_snippet = (time.perf_counter() - started) / 10
    assert f"{M}zeppelin</b>" in snippet
    assert per_snippet < 0.05  # about 2 ms here; generous for a loaded CI machine


def _words_of(paths: list[Path]) -> set[str]:
    words: set[str] = set()
    for path in paths:
        words.update(WORD_RE.findall(path.read_text(encoding="utf-8", errors="replace")))
    return words


def test_stemming_keeps_the_first_letter_on_real_words(maker: SnippetMaker) -> None:
    """What the scan relies on to skip stemming words that cannot match."""
    paths = sorted((DATA / "entities_gold").rglob("*.txt")) + sorted(SAMPLES.rglob("*.txt"))
    if SHARED.joinpath("corpus").exists():
        paths += sorted(SHARED.joinpath("corpus").rglob("*.txt"))
    words = _words_of(paths) | {"dying", "lying", "skies", "Ýes", "Éclair", "ΆΈΉ", "東京", "U.S.A."}
    assert len(words) > 1000
    for word in words:
        form = maker.form(word)
        assert not form or form[:1] == SnippetMaker.first_letter(word), word


def test_a_fresh_maker_marks_what_a_warm_one_marks() -> None:
    """Skipped words are not cached as non-matches: a later query with them still finds them."""
    text = sorted((DATA / "entities_gold").glob("*.txt"))[0].read_text(encoding="utf-8")
    warm = SnippetMaker(text_analyzer())
    for word in WORD_RE.findall(text):
        warm.form(word)
    fresh = SnippetMaker(text_analyzer())
    for query in (["the", "minister"], ["said"], ["council", "votes"], ["x"]):
        wanted = {warm.form(w) for w in query} - {""}
        snip(fresh, text, {"zzz"})  # a scan that skips every word first
        assert snip(fresh, text, wanted) == snip(warm, text, wanted), query


def _every_token(maker: SnippetMaker, text: str, wanted: frozenset[str]) -> list[tuple[int, int, str]]:
    """The plain definition: every WORD_RE token whose form is wanted."""
    return [(m.start(), m.end(), f) for m in WORD_RE.finditer(text) if (f := maker.form(m.group())) in wanted]


TRICKY = (
    "U.S. and U.S.A. e.g. the café Café CAFÉ naïve 東京は大きい都市 東京 abc_def 3.5 x.y.z ü.ber .S S. "
    "Ελλάδα ελλαδα Άθήνα 😀harbour 😀 𝐀bc 𠀀x ab𠀀c Straße ſtraße İstanbul ǅemal dog's 1.5m Ænima œuvre dying"
)


def test_the_scan_finds_exactly_the_tokens_whose_form_is_wanted(maker: SnippetMaker) -> None:
    """The scan skips words by their first letter in the regex engine; it must cut and keep the
    same tokens as WORD_RE, on real articles and on text with dots, accents, CJK and astral characters."""
    import random

    paths = sorted((DATA / "entities_gold").rglob("*.txt")) + sorted(SAMPLES.rglob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in paths] + [TRICKY]
    forms = sorted({maker.form(w) for t in texts for w in WORD_RE.findall(t)} - {""})
    rng = random.Random(5)
    for text in texts:
        for size in (1, 2, 3, 8):
            wanted = frozenset(rng.sample(forms, size))
            assert maker.matches(text, wanted) == _every_token(maker, text, wanted)
    for word in WORD_RE.findall(TRICKY):
        wanted = frozenset({maker.form(word)} - {""})
        assert maker.matches(TRICKY, wanted) == _every_token(maker, TRICKY, wanted), word
    # "harbour" right after an emoji is its own token, found where it starts.
    (span,) = maker.matches(TRICKY, frozenset({"harbour"}))
    assert TRICKY[span[0] : span[1]] == "harbour"
