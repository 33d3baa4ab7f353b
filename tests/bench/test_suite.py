"""The benchmark suite runs end to end at tiny sizes and prints every row of its table."""

from __future__ import annotations

import hashlib

import pytest

from tests.helpers import shared


@pytest.fixture
def bases():
    shared("corpus", "bbc-news-2005")
    from desktop_reader.bench import corpus
    from desktop_reader.importing import cleaning, file_readers
    from desktop_reader.models import Entity

    out = []
    for path in corpus.bbc_files(5):
        clean = cleaning.clean(file_readers.read_file(path))
        # Entities without a model: the first capitalised word, wherever it occurs.
        word = next(w for w in clean.text.split() if w.istitle() and len(w) > 3)
        start = clean.text.index(word)
        out.append(corpus.Base(clean, (Entity(word, "ORG", 1, ((start, start + len(word)),)),)))
    return out


def test_copies_are_distinct_articles_with_valid_entities(bases):
    from desktop_reader.bench import corpus

    made = list(corpus.copies(bases, 0, 25))
    assert len({a.sha256 for a in made}) == 25
    assert len({a.clean.text for a in made}) == 25  # perturbed copies differ from the real ones
    assert all("2004-01-01" <= a.clean.meta.published <= "2005-12-31" for a in made)
    for a in made:
        assert a.sha256 == hashlib.sha256(f"{made.index(a)}\n".encode() + a.content).hexdigest()
        for e in a.entities or ():
            assert all(a.clean.text[s:t] == e.text for s, t in e.mentions)


def test_suite_prints_every_row_at_tiny_sizes(tmp_path):
    shared("corpus", "bbc-news-2005")
    shared("benchmarks", "article-extraction")
    from desktop_reader.bench import report, suite

    sizes = (40, 80)
    options = suite.Options(
        sizes=sizes,
        import_size=16,
        queries=20,
        add_size=8,
        bbc_limit=16,
        pages_limit=4,
        quick=True,
        workers=1,  # the ceiling's processes: one model load is enough to prove the code path
        workdir=tmp_path / "bench",
    )
    results = suite.run(options, log=lambda _line: None)
    table = report.render(results)
    for label in report.labels(list(sizes)):
        assert label in table, label
    assert "| -" not in table.replace("|---", "")  # nothing was skipped
    assert results["imports"]["bbc-news-2005"]["rate"] > 0
    assert results["imports"]["article-extraction"]["imported"] > 0
    assert results["search"]["80"]["queries"] == 20
    assert results["open"]["rows"] > 0
    assert results["memory"]["import_peak_rss"] > results["memory"]["import_max_child_rss"] > 0
    assert results["disk"]["index_bytes"] > 0
