"""The WARC memory bench imports a generated WARC whose every capture is an article, and reports its memory."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import shared


def test_every_capture_of_a_small_generated_warc_is_imported_and_measured(tmp_path: Path) -> None:
    shared("benchmarks", "article-extraction")
    from desktop_reader.bench.format_corpus import big_warc
    from desktop_reader.bench.warc_memory import measure

    warc = big_warc(tmp_path / "small.warc", 2)
    run = measure(warc, tmp_path / "lib")
    assert run.warc_bytes >= 2_000_000
    assert run.pages > 10
    assert run.articles == run.pages  # numbered captures: none is a duplicate of another
    assert 0 < run.main_peak <= run.tree_peak
    assert run.largest_worker > 0
