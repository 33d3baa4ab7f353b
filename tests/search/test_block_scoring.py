"""Block scoring ranks exactly as Whoosh's own matchers do, on real articles in a real index."""

from __future__ import annotations

import dataclasses
import random
import re
from pathlib import Path

import pytest
from whoosh import query

from desktop_reader.models import IndexDoc
from desktop_reader.search.block_scoring import can_score
from desktop_reader.search.index import SearchIndex
from tests.helpers import DATA, SAMPLES, shared

TOLERANCE = 1e-9  # sums of the same terms in another order


def docs_from(texts: list[str]) -> list[IndexDoc]:
    docs = []
    for i, text in enumerate(texts, start=1):
        title, _, body = text.strip().partition("\n")
        capitals = re.findall(r"\b[A-Z][a-z]{3,}\b", body)[:6]
        docs.append(
            IndexDoc(
                id=i,
                title=title[:200],
                text=body,
                author="Staff" if i % 3 else "",
                site="bbc.co.uk" if i % 2 else "example.org",
                url=f"https://example.org/{i}",
                published=f"2005-{i % 12 + 1:02d}-01",
                entities=tuple((c, "PERSON" if k % 2 else "GPE") for k, c in enumerate(capitals)),
            )
        )
    return docs


def build(tmp_path: Path, docs: list[IndexDoc], batches: int) -> SearchIndex:
    """Several segments and some deletions, like a library that has lived a while."""
    ix = SearchIndex(tmp_path / "index")
    size = -(-len(docs) // batches)
    for start in range(0, len(docs), size):
        ix.add(docs[start : start + size])
    ix.delete(d.id for d in docs[::17])
    return ix


def queries_for(docs: list[IndexDoc], count: int, seed: int) -> list[tuple[str, list[tuple[str, str]]]]:
    rng = random.Random(seed)
    words = [w for d in docs for w in re.findall(r"[A-Za-z]{3,}", d.text)]
    texts = [d.text for d in docs]
    names = [e[0] for d in docs for e in d.entities]
    out: list[tuple[str, list[tuple[str, str]]]] = []
    for k in range(count):
        kind = k % 7
        picked = " ".join(rng.choice(words) for _ in range(1 + k % 3))
        if kind == 6:  # a phrase that occurs: 2-4 neighbouring words of an article, maybe with a word
            run = re.findall(r"[A-Za-z]+", rng.choice(texts))
            at = rng.randrange(max(1, len(run) - 4))
            picked = '"' + " ".join(run[at : at + 2 + k % 3]) + '"' + (f" {rng.choice(words)}" if k % 2 else "")
        if kind == 3:
            picked = f"title:{rng.choice(words)}"
        elif kind == 4:
            picked = f"{rng.choice(words)} site:bbc.co.uk published:[2005-02 TO 2005-07]"
        filters = [("person", rng.choice(names))] if kind == 5 and names else []
        out.append((picked, filters))
    return out


def assert_same_ranking(ix: SearchIndex, text: str, filters: list[tuple[str, str]], limit: int | None) -> bool:
    """Compares block scoring with Whoosh; False when the query is not one block scoring takes."""
    reading = ix._read(text)
    if reading.query is None or not (can_score(reading.query) and can_score(reading.first)):
        return False
    filter_q = ix._filter(filters)
    with ix._searching() as s:
        assert s is not None
        total_b, by_blocks = ix._rank_by_blocks(s, reading, limit, filter_q)
        total_w, by_whoosh = ix._rank_by_whoosh(s, reading, limit, False, filter_q)
    assert total_b == total_w, text
    assert len(by_blocks) == len(by_whoosh), text
    for (_, score_b), (_, score_w) in zip(by_blocks, by_whoosh, strict=True):
        assert score_b == pytest.approx(score_w, abs=TOLERANCE), text
    # The same documents at each score (ties may come in another order only within a score).
    last = by_whoosh[-1][1] if by_whoosh else 0.0
    clear_b = {d for d, sc in by_blocks if sc > last + TOLERANCE}
    clear_w = {d for d, sc in by_whoosh if sc > last + TOLERANCE}
    assert clear_b == clear_w, text
    whoosh_score = dict(by_whoosh)
    for d, sc in by_blocks:
        if d in whoosh_score:
            assert sc == pytest.approx(whoosh_score[d], abs=TOLERANCE), text
    return True


def real_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((DATA / "entities_gold").rglob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.rglob("*.txt"))]
    return [t for t in texts if t.strip()]


def test_same_ranking_as_whoosh_on_the_gold_articles(tmp_path: Path) -> None:
    docs = docs_from(real_texts())
    assert len(docs) >= 10
    ix = build(tmp_path, docs, batches=3)
    checked = sum(assert_same_ranking(ix, t, f, limit) for t, f in queries_for(docs, 60, 1) for limit in (5, None))
    assert checked >= 80


def test_same_ranking_as_whoosh_on_the_bbc_corpus(tmp_path: Path) -> None:
    files = sorted(shared("corpus", "bbc-news-2005").rglob("*.txt"))[::4]
    docs = docs_from([p.read_text(encoding="utf-8", errors="replace") for p in files])
    ix = build(tmp_path, docs, batches=5)
    checked = sum(assert_same_ranking(ix, t, f, limit) for t, f in queries_for(docs, 120, 2) for limit in (50, None))
    assert checked >= 200


# Phrases of common words (the slowest shape: most documents hold both words), rare ones, one
# that never occurs in order, a repeated word, and phrases of three and four words.
# fmt: off
PHRASES = [
    '"has said"', '"he said"', '"last year"', '"told the bbc"', '"prime minister"', '"mr blair said"',
    '"said said"', '"year last"', '"would not be"', '"chief executive"', '"the government has said"',
    '"new york"', '"said he"', '"people have"', '"world cup" final', '"has said" title:blair',
]
# fmt: on


def test_phrases_of_common_words_find_what_whoosh_finds_on_the_bbc_corpus(tmp_path: Path) -> None:
    """The phrase check over every candidate at once: the same documents, scores and totals as
    Whoosh's phrase matcher, over an archive of several segments with deletions."""
    files = sorted(shared("corpus", "bbc-news-2005").rglob("*.txt"))[::3]
    docs = docs_from([p.read_text(encoding="utf-8", errors="replace") for p in files])
    ix = build(tmp_path, docs, batches=4)
    totals = {}
    for text in PHRASES:
        for limit in (10, None):
            assert assert_same_ranking(ix, text, [], limit), text
        totals[text] = ix.search(text, limit=1).total
    assert totals['"has said"'] > 20 and totals['"he said"'] > 100  # common words, many candidates
    assert totals['"year last"'] < totals['"last year"']


def test_proximity_and_negations_stay_with_whoosh() -> None:
    assert can_score(query.Or([query.Term("text", "a"), query.Term("title", "a")]))
    assert can_score(query.Phrase("text", ["prime", "minist"]))
    assert not can_score(query.Phrase("text", ["prime", "minist"], slop=3))
    assert not can_score(query.And([query.Term("text", "a"), query.Not(query.Term("text", "b"))]))
    assert not can_score(query.Prefix("text", "minis"))


def test_kept_arrays_follow_deletions_and_new_segments(tmp_path: Path) -> None:
    docs = docs_from(real_texts())
    ix = build(tmp_path, docs, batches=2)
    word = "council"
    before = ix.search(word, limit=None, snippets=0)
    assert before.total >= 2
    gone = before.hits[0].id
    ix.delete([gone])
    after = ix.search(word, limit=None, snippets=0)
    assert gone not in {h.id for h in after.hits} and after.total == before.total - 1
    again = docs[gone - 1]
    ix.add([dataclasses.replace(again, id=999)])
    assert 999 in {h.id for h in ix.search(word, limit=None, snippets=0).hits}
    ix.compact()  # merged segments: the kept arrays of the old ones must not be used
    ix.optimize()
    assert assert_same_ranking(ix, word, [], None)
    assert {h.id for h in ix.search(word, limit=None, snippets=0).hits} == {h.id for h in after.hits} | {999}


def test_kept_postings_stay_within_their_budget(tmp_path: Path) -> None:
    from desktop_reader.search.block_scoring import SegmentArrays

    docs = docs_from(real_texts())
    ix = build(tmp_path, docs, batches=1)
    ix._arrays = arrays = SegmentArrays(budget_bytes=4096)
    words = {w.lower() for d in docs for w in re.findall(r"[A-Za-z]{4,}", d.text)}
    for w in sorted(words)[:300]:
        ix.search(w, limit=10, snippets=0)
        assert arrays._used <= 4096
    assert arrays._postings
    assert assert_same_ranking(ix, "council election", [], 10)


def test_block_reading_matches_whoosh_matchers_over_many_blocks(tmp_path: Path) -> None:
    """Posting lists of several blocks (128 postings a block), read as whole-block arrays
    against Whoosh's own matcher over the same blocks."""
    from desktop_reader.search.block_scoring import BlockScorer, SegmentArrays
    from desktop_reader.search.postings import posting_arrays

    texts = real_texts()
    docs = docs_from([texts[i % len(texts)] + f"\ncopy {i}" for i in range(40 * len(texts))])
    ix = SearchIndex(tmp_path / "index")
    ix.add(docs)
    with ix._searching() as s:
        assert s is not None
        reader = s.reader()
        checked = 0
        for field, tbytes in list(reader.all_terms()):
            if field not in ("text", "title", "person") or reader.doc_frequency(field, tbytes) < 129:
                continue
            ids, weights = posting_arrays(reader.postings(field, tbytes))
            m = reader.postings(field, tbytes)
            expect_ids, expect_weights, expect_positions = [], [], []
            while m.is_active():
                expect_ids.append(m.id())
                expect_weights.append(m.weight())
                if field == "text":
                    expect_positions.append(m.value_as("positions"))
                m.next()
            assert ids.tolist() == expect_ids, (field, tbytes)
            assert weights.tolist() == expect_weights, (field, tbytes)
            if field == "text":
                owner, positions = BlockScorer(s, SegmentArrays())._positions_of(s, field, tbytes, ids)
                per_doc = [positions[owner == k].tolist() for k in range(ids.size)]
                assert per_doc == expect_positions, tbytes
            checked += 1
    assert checked >= 20


def test_published_ranges_from_the_date_column_match_whooshs_at_every_boundary(tmp_path: Path) -> None:
    from desktop_reader.search.block_scoring import BlockScorer

    moments = ["2005-01-31T23:59", "2005-02-01T00:00", "2005-02-01", "2005-07-31T23:59", "2005-08-01T00:00", "2005-03"]
    moments += ["", "2004-12-31", "2006-01-01T00:01"]
    docs = [
        IndexDoc(i, f"Harbour note {i}", "The harbour board met again.", "", "", "", when, ())
        for i, when in enumerate(moments * 3, start=1)
    ]
    ix = build(tmp_path, docs, batches=3)  # three segments, every 17th article deleted
    queries = [
        "harbour published:[2005-02 TO 2005-07]",
        "harbour published:[2005-02-01 TO 2005-02-01]",
        "harbour published:[2005-08 TO]",
        "harbour published:[TO 2005-01]",
        "harbour published:>2005-07",
    ]
    for text in queries:
        assert assert_same_ranking(ix, text, [], None), text
    # ...and the column answered them, not the trie terms.
    reading = ix._read("harbour published:[2005-02 TO 2005-07]")
    rng = next(q for q in reading.query.leaves() if isinstance(q, query.NumericRange))
    with ix._searching() as s:
        assert s is not None
        leaf = s.leaf_searchers()[0][0]
        assert BlockScorer(s, ix._arrays)._published_ids(0, leaf, rng) is not None
    assert ix.search("harbour published:[2005-02 TO 2005-07]", limit=None).total == sum(
        1 for d in docs if d.published[:7] in {f"2005-{m:02d}" for m in range(2, 8)} and (d.id % 17 != 1)
    )


def test_everything_newest_first_from_the_date_column_matches_whooshs_sort(tmp_path: Path) -> None:
    # Many articles share a date (and undated ones have none), so the order of ties counts too.
    moments = ["2005-01-31T23:59", "2005-02-01", "2005-02-01", "", "2004-12-31", "2006-01-01T00:01", "2005-03"]
    docs = [
        IndexDoc(i, f"Harbour note {i}", "The harbour board met again.", "", "", "", moments[i % 7], ())
        for i in range(1, 60)
    ]
    ix = build(tmp_path, docs, batches=4)  # four segments, every 17th article deleted
    reading = ix._read("")  # also what a query of stop words alone reads as
    assert isinstance(reading.query, query.Every)
    with ix._searching() as s:
        assert s is not None
        from desktop_reader.search.block_scoring import BlockScorer

        for limit in (None, 1, 7, 50, 500):
            assert BlockScorer(s, ix._arrays).newest(limit) == ix._rank_by_whoosh(s, reading, limit, True, None)
    hits = ix.search('"in the"', limit=10).hits
    assert [h.id for h in hits] == [h.id for h in ix.search("", limit=10).hits]
    assert ix.search("", limit=None).total == len(docs) - len(docs[::17])
