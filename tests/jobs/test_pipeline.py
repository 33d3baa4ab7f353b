"""Import end to end through the library API, on real files, with a real store and index."""

import os
import random

import pytest

from desktop_reader.library import Library
from desktop_reader.progress import drive
from tests.helpers import DATA, SAMPLES, shared


def _import(library, paths, **kw):
    steps = []
    report = drive(library.import_paths(paths, **kw), steps.append)
    return report, steps


def _consistent(library):
    """Every stored article is complete and indexed; the index holds nothing else."""
    assert library.index_problem() == ""
    assert library.index.ids() == library.store.ids()
    for aid in library.store.ids():
        article = library.article(aid)
        assert article.title and article.text
        assert os.path.exists(article.stored_path)


def test_sample_archive_imports_completely_with_progress(tmp_path):
    library = Library(tmp_path / "lib")
    report, steps = _import(library, [SAMPLES], entities=False)
    assert report.failed == 0, [o for o in report.outcomes if o.status == "failed"]
    assert report.imported == library.count() >= 8
    assert steps[-1].done == steps[-1].total == len(report.outcomes)
    # No asset of a "Web page, complete" save was imported as an article of its own.
    assert not any("_files" in o.path for o in report.outcomes)
    _consistent(library)


def test_reimport_reports_duplicates_and_stores_nothing_twice(tmp_path):
    library = Library(tmp_path / "lib")
    first, _ = _import(library, [SAMPLES], entities=False)
    again, _ = _import(library, [SAMPLES], entities=False)
    assert again.imported == 0
    assert again.duplicates == first.imported
    assert all(o.id for o in again.outcomes if o.status == "duplicate")
    assert library.count() == first.imported


def test_seed_article_is_cleaned_and_searchable(tmp_path):
    seed = shared("seed", "000_1f109518f829ab6e.txt")
    library = Library(tmp_path / "lib")
    report, _ = _import(library, [seed], entities=False)
    (outcome,) = report.outcomes
    article = library.article(outcome.id)
    assert article.title == "No Clear Path Yet: NATO Says Consensus Still Lacking for Ukraine Membership"
    assert article.text.startswith("Brussels: At a media briefing")
    assert article.text.rstrip().endswith("rests on a fragile foundation.")
    assert "WhatsApp" not in article.text
    results, rows = library.search("rutte membership")
    assert [r.id for r in rows] == [outcome.id]
    assert rows[0].snippet is not None and rows[0].snippet.spans


def test_original_survives_the_source_being_deleted(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    page = src / "note.md"
    page.write_text(
        "---\ntitle: Harbour barges\n---\nThe barges left the harbour at dawn.\n", encoding="utf-8"
    )
    library = Library(tmp_path / "lib")
    report, _ = _import(library, [src], entities=False)
    page.unlink()
    article = library.article(report.outcomes[0].id)
    assert "barges left" in open(article.stored_path, encoding="utf-8").read()


def _bad_inputs(folder):
    folder.mkdir()
    (folder / "empty.html").write_bytes(b"")
    (folder / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (folder / "noise.txt").write_bytes(random.Random(7).randbytes(4096))
    (folder / "deep.html").write_text(
        "<html><body>" + "<div>" * 30_000 + "<p>Deep down there is a sentence.</p>" + "</div>" * 30_000,
        encoding="utf-8",
    )
    big = "Paragraph about harbour barges and river trade.\n\n" * 250_000
    (folder / "big.txt").write_text("A very long report\n\n" + big[: 12 * 1024 * 1024], encoding="utf-8")
    (folder / "good.txt").write_text("A good article\n\nIt talks about a café in Zürich.\n", encoding="utf-8")
    (folder / "loop").symlink_to(folder)
    return folder


def test_bad_inputs_fail_with_reasons_and_the_batch_goes_on(tmp_path):
    folder = _bad_inputs(tmp_path / "bad")
    library = Library(tmp_path / "lib")
    report, _ = _import(library, [folder, tmp_path / "missing.html"], entities=False)
    by_name = {os.path.basename(o.path): o for o in report.outcomes}
    for name in ("empty.html", "image.html", "noise.txt", "missing.html"):
        assert by_name[name].status == "failed", by_name[name]
        assert by_name[name].error, name
    assert "empty" in by_name["empty.html"].error.lower()
    assert "image" in by_name["image.html"].error.lower() or "png" in by_name["image.html"].error.lower()
    assert by_name["good.txt"].status == "imported"
    assert by_name["big.txt"].status == "imported"
    # The deep page either imports its sentence or fails with a reason; it never crashes the batch.
    deep = by_name["deep.html"]
    assert deep.status == "imported" or deep.error
    _consistent(library)
    assert library.search("cafe zurich")[1][0].title == "A good article"


def test_unreadable_file_is_reported(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("Title\n\nBody text here.\n", encoding="utf-8")
    path.chmod(0)
    if os.access(path, os.R_OK):
        pytest.skip("running as root: permissions are not enforced")
    library = Library(tmp_path / "lib")
    report, _ = _import(library, [path], entities=False)
    assert report.outcomes[0].status == "failed"
    assert "permission" in report.outcomes[0].error.lower()


def test_file_that_disappears_during_import_is_reported(tmp_path):
    folder = tmp_path / "src"
    folder.mkdir()
    for i in range(3):
        (folder / f"{i}.txt").write_text(f"Title {i}\n\nBody {i} about barges.\n", encoding="utf-8")
    library = Library(tmp_path / "lib")
    job = library.import_paths([folder], entities=False)
    next(job)  # the scan has not looked yet; remove a file from under it
    (folder / "1.txt").unlink()
    report = drive(job, lambda _s: None)
    assert report.imported == 2
    _consistent(library)


def test_cancel_leaves_no_half_records(tmp_path):
    folder = tmp_path / "src"
    folder.mkdir()
    for i in range(40):
        (folder / f"{i:02}.txt").write_text(
            f"Story {i}\n\nBarge number {i} reached port.\n", encoding="utf-8"
        )
    library = Library(tmp_path / "lib", workers=1)
    job = library.import_paths([folder], entities=False)
    seen = 0
    for step in job:
        seen += step.payload is not None
        if seen == 5:
            job.close()
            break
    _consistent(library)
    again, _ = _import(library, [folder], entities=False)
    assert library.count() == 40
    assert again.imported + again.duplicates == 40


def test_index_damage_is_repaired_from_the_store(tmp_path):
    library = Library(tmp_path / "lib")
    _import(library, [SAMPLES], entities=False)
    count = library.count()
    for f in (tmp_path / "lib" / "index").glob("*.seg"):
        f.write_bytes(b"garbage")
    reopened = Library(tmp_path / "lib")
    assert reopened.index_problem()
    drive(reopened.sync_index(), lambda _s: None)
    _consistent(reopened)
    assert reopened.index.doc_count() == count


def test_lost_index_update_is_caught_up(tmp_path):
    library = Library(tmp_path / "lib")
    _import(library, [SAMPLES], entities=False)
    some = sorted(library.store.ids())[:3]
    library.index.delete(some)  # as if the process died between the two commits
    library.store.mark_indexed(some, indexed=False)
    assert library.index_problem()
    drive(library.sync_index(), lambda _s: None)
    _consistent(library)


def test_delete_removes_from_search(tmp_path):
    library = Library(tmp_path / "lib")
    report, _ = _import(library, [DATA / "formats"], entities=False)
    victim = next(o for o in report.outcomes if o.status == "imported")
    library.delete(victim.id)
    _consistent(library)
    assert victim.id not in {r.id for r in library.search("", limit=None)[1]}


def test_entities_are_stored_and_searchable(tmp_path, extractor):
    seed = shared("seed", "000_1f109518f829ab6e.txt")
    library = Library(tmp_path / "lib", extractor=extractor)
    report, _ = _import(library, [seed])
    article = library.article(report.outcomes[0].id)
    people = {e.text for e in article.entities if e.label == "PERSON"}
    assert "Mark Rutte" in people
    assert library.search('person:"Mark Rutte" AND membership')[1][0].id == article.id
    assert any(f.text == "NATO" for f in library.facets(""))


def test_worker_processes_import_a_real_corpus_slice(tmp_path):
    corpus = shared("corpus", "bbc-news-2005", "business")
    files = sorted(corpus.glob("*.txt"))[:40]
    library = Library(tmp_path / "lib", workers=2)
    report, steps = _import(library, files)
    assert report.failed == 0
    assert report.imported + report.duplicates == 40
    assert library.store.without_entities() == []
    _consistent(library)


@pytest.mark.slow
def test_all_benchmark_pages_import_without_failure(tmp_path):
    pages = shared("benchmarks", "article-extraction", "html")
    import gzip

    src = tmp_path / "pages"
    src.mkdir()
    for gz in sorted(pages.glob("*.html.gz")):
        (src / gz.name[: -len(".gz")]).write_bytes(gzip.decompress(gz.read_bytes()))
    library = Library(tmp_path / "lib", workers=2)
    report, _ = _import(library, [src], entities=False)
    assert [o for o in report.outcomes if o.status == "failed"] == []
    assert report.imported + report.duplicates == 91
    _consistent(library)


def test_a_file_over_the_time_limit_fails_alone_and_the_rest_import(tmp_path, monkeypatch):
    from desktop_reader.jobs import pipeline

    folder = tmp_path / "src"
    folder.mkdir()
    for i in range(3):
        (folder / f"good{i}.txt").write_text(f"Good {i}\n\nA short note about barges.\n", encoding="utf-8")
    # A real page that takes readability several seconds: a hundred thousand tiny blocks.
    block = '<div class="c{}"><p>Sentence {} about harbour barges, and more.</p></div>'
    blocks = "".join(block.format(i % 50, i) for i in range(100_000))
    (folder / "slow.html").write_text(f"<html><body>{blocks}</body></html>", encoding="utf-8")
    monkeypatch.setattr(pipeline, "FILE_SECONDS", 0.3)
    monkeypatch.setattr(pipeline, "SECONDS_PER_MB", 0.0)
    monkeypatch.setattr(pipeline, "STARTUP_SECONDS", 4.0)
    library = Library(tmp_path / "lib", workers=2)
    report, _ = _import(library, [folder], entities=False)
    by_name = {os.path.basename(o.path): o for o in report.outcomes}
    assert by_name["slow.html"].status == "failed"
    assert "longer than" in by_name["slow.html"].error
    assert report.imported == 3
    _consistent(library)


def test_a_second_writer_waits_for_the_first(tmp_path):
    from desktop_reader.storage.write_lock import WriteLock

    library = Library(tmp_path / "lib", workers=0)
    library.lock_wait = 0.5
    other = WriteLock(library.data_dir)
    assert other.try_acquire()
    try:
        steps = []
        with pytest.raises(Exception, match="Another desktop-reader") as err:
            drive(library.import_paths([SAMPLES], entities=False), steps.append)
        assert "process" in str(err.value)
        assert steps
        assert steps[0].label.startswith("Waiting for another desktop-reader")
    finally:
        other.release()
    report, _ = _import(library, [SAMPLES], entities=False)
    assert report.imported > 0


def _folder_with_twins(tmp_path):
    root = tmp_path / "notes"
    for sub in ("spring", "autumn"):
        (root / sub).mkdir(parents=True)
        (root / sub / "ferry.txt").write_text("Ferry timetable\n\nThe island ferry now leaves at seven.\n")
    (root / "autumn" / "gulls.txt").write_text("Gulls\n\nGulls nest on the pier again this year.\n")
    (root / "README.md").write_text("# My notes\n\nClippings I saved about the island.\n")
    (root / "spring" / "LICENSE").write_text("Public domain.\n")  # unsupported suffix: silent anyway
    return root


def test_a_duplicate_within_one_import_names_its_twin_and_carries_its_id(tmp_path):
    library = Library(tmp_path / "lib")
    report, _ = _import(library, [_folder_with_twins(tmp_path)], entities=False)
    (dup,) = [o for o in report.outcomes if o.status == "duplicate"]
    (twin,) = [o for o in report.outcomes if o.status == "imported" and o.path.endswith("ferry.txt")]
    assert dup.id == twin.id is not None
    assert f"same content as notes{os.sep}{os.path.relpath(twin.path, tmp_path / 'notes')}" in dup.error
    assert report.shown_path(dup.path) == os.path.join("notes", os.path.relpath(dup.path, tmp_path / "notes"))


def test_a_folders_readme_is_skipped_and_reported_but_imported_when_named(tmp_path):
    library = Library(tmp_path / "lib")
    folder = _folder_with_twins(tmp_path)
    report, _ = _import(library, [folder], entities=False)
    (skipped,) = [o for o in report.outcomes if o.status == "skipped"]
    assert skipped.path.endswith("README.md") and "not an article" in skipped.error
    assert report.skipped == 1 and report.failed == 0 and report.imported == 2
    named, _ = _import(library, [folder / "README.md"], entities=False)
    assert named.imported == 1


def test_a_batch_waits_from_its_first_article_not_from_the_start_of_the_import(tmp_path):
    """The workers' start (seconds, loading the model) must not make the first commit hold only
    the first article or two: the clock runs from when the oldest waiting article arrived."""
    import time

    from desktop_reader.jobs.pipeline import Batching, _Writer
    from tests.helpers import prepared_article

    library = Library(tmp_path / "lib")
    writer = _Writer(library.store, library.index, Batching(articles=3, seconds=0.3))
    time.sleep(0.4)  # as if the workers were still loading
    writer.hold(prepared_article(tmp_path, "a.txt", "First article text."))
    assert not writer.due()
    time.sleep(0.4)
    assert writer.due()
    assert [o.status for o in writer.flush()] == ["imported"]
    assert not writer.due()
    for name in ("b.txt", "c.txt", "d.txt"):
        writer.hold(prepared_article(tmp_path, name, f"Text of {name}."))
    assert writer.due()  # three waiting: the count, not the clock
    assert len(writer.flush()) == 3
    _consistent(library)
