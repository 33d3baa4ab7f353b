"""EPUB, Safari .webarchive, WARC/WACZ and read-later exports, on files made by real tools.

tests/data/archives/ was made by `python -m desktop_reader.bench.format_corpus OUT --test-files`
from the project's own sample articles: EPUB 2 and 3 by pandoc, WARC/WACZ by warcio (each page
with its request, an image and an older capture), the .webarchive by plistlib, and the exports in
Wallabag's and Omnivore's layouts; plus a WARC damaged in its third record and two zip bombs.
"""

from __future__ import annotations

import json
import shutil
import tracemalloc
import zipfile

import pytest

from desktop_reader.errors import ImportFailed
from desktop_reader.importing import file_readers
from desktop_reader.importing.cleaning import clean
from desktop_reader.library import Library
from desktop_reader.models import Member, MemberIssue
from desktop_reader.progress import drive
from tests.helpers import DATA

ARCHIVES = DATA / "archives"
BOHNENHAUS = "https://example.org/news/bohnenhaus-cafe-opens-first-uk-branch-in-wrexley"


def _members(path):
    found = list(file_readers.members_of(path))
    return [m for m in found if isinstance(m, Member)], [m for m in found if not isinstance(m, Member)]


def test_epub3_is_one_article_with_package_metadata_and_no_title_page():
    doc = clean(file_readers.read_file(ARCHIVES / "epub" / "book3.epub"))
    assert doc.meta.title == "German café chain Bohnenhaus opens first UK branch in Wrexley"  # dc:title
    assert doc.meta.language == "en"
    assert "\n\nThe German café chain Bohnenhaus opened its first British branch" in doc.text
    # The chapter's heading only: pandoc's title page (title again) and the nav page are not text.
    assert doc.text.count("opens first UK branch in Wrexley") == 1
    assert "Contents" not in doc.text


def test_epub2_reads_its_spine_in_order():
    doc = clean(file_readers.read_file(ARCHIVES / "epub" / "book2.epub"))
    assert doc.text.startswith("Ilse Varga")
    assert "\n\n" in doc.text


def test_webarchive_main_resource_is_cleaned_like_a_page():
    doc = clean(file_readers.read_file(ARCHIVES / "webarchive" / "page.webarchive"))
    assert doc.meta.title == "German café chain Bohnenhaus opens first UK branch in Wrexley"
    assert doc.meta.url == BOHNENHAUS  # the URL Safari saved, not the page's canonical link
    assert "Founder Jürgen Müller" in doc.text


def test_warc_lists_newest_html_capture_of_each_url_only():
    members, issues = _members(ARCHIVES / "warc" / "pages.warc.gz")
    assert len(members) == 5  # requests, the image and the older captures are not articles
    assert {i.status for i in issues} == {"duplicate"}
    assert len(issues) == 5
    assert all("older capture" in i.reason for i in issues)
    page = file_readers.read_member(next(m for m in members if m.name == BOHNENHAUS))
    assert clean(page).text.startswith("Jürgen Müller (centre)") or "Bohnenhaus" in clean(page).text
    assert page.hints.url == BOHNENHAUS


def test_warc_with_a_damaged_record_imports_the_others_and_reports_it():
    members, issues = _members(ARCHIVES / "warc" / "corrupt.warc.gz")
    assert len(members) == 4
    (bad,) = issues
    assert bad.status == "failed"
    assert bad.name.startswith("record at byte ")
    for member in members:
        assert clean(file_readers.read_member(member)).text


def test_wacz_reads_the_warc_inside():
    members, _ = _members(ARCHIVES / "wacz" / "pages.wacz")
    assert len(members) == 5
    assert all(m.locator.startswith("archive/data.warc.gz#") for m in members)
    assert file_readers.read_member(members[0]).format == "wacz"


@pytest.mark.parametrize("name", ["wacz/bomb.wacz", "omnivore/bomb.zip"])
def test_zip_bombs_are_refused_with_bounded_memory(name):
    tracemalloc.start()
    found = list(file_readers.members_of(ARCHIVES / name))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    (failure,) = found
    assert isinstance(failure, ImportFailed)
    assert "zip bomb" in failure.reason
    assert peak < 5 * 1024 * 1024  # the 20 MB member was never unpacked


def test_zip_bomb_that_lies_about_its_size_is_stopped_at_the_limit(tmp_path):
    from desktop_reader.importing.zip_limits import read_member

    path = tmp_path / "x.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("content/a.html", b"<p>" + b"a" * 3_000_000)
    with zipfile.ZipFile(path) as archive, pytest.raises(ImportFailed, match="unpacks to more than"):
        read_member(path, archive, "content/a.html", limit=1_000_000)


def test_wallabag_export_entries_with_metadata_and_link_only_entry_reported():
    members, issues = _members(ARCHIVES / "wallabag" / "wallabag.json")
    assert len(members) == 5
    assert [(i.status, i.reason) for i in issues] == [("skipped", "no saved content, only a link")]
    assert members[0].labels == ("bench",)
    doc = clean(file_readers.read_member(members[0]))
    assert doc.meta.url == BOHNENHAUS
    assert "The German café chain Bohnenhaus opened its first British branch" in doc.text


def test_omnivore_export_pages_and_labels():
    members, issues = _members(ARCHIVES / "omnivore" / "omnivore.zip")
    assert len(members) == 5
    assert [i.reason for i in issues] == ["no saved content, only a link"]
    assert members[0].labels == ("bench",)
    assert clean(file_readers.read_member(members[0])).meta.url == BOHNENHAUS


def test_json_that_is_not_an_export_fails_as_a_whole(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"theme": "dark"}))
    (failure,) = list(file_readers.members_of(path))
    assert isinstance(failure, ImportFailed)
    assert "not a Wallabag export" in failure.reason


def test_exports_inside_folders_are_left_alone(tmp_path):
    shutil.copy(ARCHIVES / "wallabag" / "wallabag.json", tmp_path)
    shutil.copy(ARCHIVES / "warc" / "pages.warc.gz", tmp_path)
    assert [p.name for p in file_readers.discover([tmp_path]) if not isinstance(p, MemberIssue)] == ["pages.warc.gz"]


def test_container_import_stores_it_once_and_articles_read_again_without_the_source(tmp_path):
    source = tmp_path / "crawl.warc.gz"
    shutil.copy(ARCHIVES / "warc" / "pages.warc.gz", source)
    library = Library(tmp_path / "lib")
    report = drive(library.import_paths([source], entities=False), lambda _: None)
    imported = [o for o in report.outcomes if o.status == "imported"]
    assert len(imported) == 5
    assert {o.path for o in report.outcomes} == {str(source)}
    assert BOHNENHAUS in {o.member for o in imported}
    articles = [library.article(o.id) for o in imported]
    assert len({a.stored_path for a in articles}) == 1  # the container, stored once
    assert {a.member for a in articles} == {o.member for o in imported}
    assert next(a for a in articles if a.member == BOHNENHAUS).url == BOHNENHAUS

    source.unlink()
    for article in articles:
        member = library.store.member(article.id)
        assert member is not None
        assert clean(file_readers.read_member(member)).text == article.text

    # The shared container stays until its last article is deleted.
    for article in articles[:-1]:
        library.delete(article.id)
    assert (tmp_path / "lib").exists()
    assert __import__("os").path.exists(articles[-1].stored_path)
    library.delete(articles[-1].id)
    assert not __import__("os").path.exists(articles[-1].stored_path)


def test_export_labels_become_tags(tmp_path):
    library = Library(tmp_path / "lib")
    report = drive(library.import_paths([ARCHIVES / "wallabag" / "wallabag.json"], entities=False), lambda _: None)
    first = next(o for o in report.outcomes if o.status == "imported")
    assert "bench" in library.tags(first.id)
