"""Tests for importers: each format, companion folders, discover() and every way a file can be bad.

The binary test files were generated once with the standard library (a 2x2 PNG built
with zlib/struct, 256 bytes from random.Random(20250306).randbytes) and committed.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_reader.errors import ImportFailed, UnsupportedFile
from desktop_reader.importing.file_readers import SUPPORTED_SUFFIXES, discover, read_file
from desktop_reader.importing.formats.markdown import iso_date, split_front_matter
from desktop_reader.importing.formats.text import is_boilerplate, parse_text
from desktop_reader.models import FailedFile, RawDocument
from tests.helpers import DATA, SHARED

FORMATS = DATA / "formats"
BROKEN = DATA / "broken"
SEED = SHARED / "seed" / "000_1f109518f829ab6e.txt"


def body(doc: RawDocument) -> str:
    content = doc.html if doc.html is not None else doc.text
    assert content is not None
    assert "\ufffd" not in content
    return content


def failure(path: Path, **kwargs: int) -> ImportFailed:
    with pytest.raises(ImportFailed) as caught:
        read_file(path, **kwargs)
    assert str(caught.value).startswith(f"{path.name}: ")
    return caught.value


# --- formats -----------------------------------------------------------------------------------


def test_supported_suffixes() -> None:
    assert set(SUPPORTED_SUFFIXES) == {
        ".html",
        ".htm",
        ".mhtml",
        ".mht",
        ".txt",
        ".md",
        ".markdown",
        ".pdf",
        ".epub",
        ".webarchive",
        ".warc",
        ".warc.gz",
        ".wacz",
        ".json",
        ".zip",
    }


def test_web_page_complete_brings_its_companion_folder() -> None:
    doc = read_file(FORMATS / "page.html")
    assert doc.format == "html"
    assert doc.text is None
    assert doc.content == (FORMATS / "page.html").read_bytes()
    assert doc.hints.url == "https://news.example.org/2025/03/harbour-ferry-returns.html"
    assert doc.companion_root == FORMATS / "page_files"
    assert doc.companions == (FORMATS / "page_files" / "ferry.png", FORMATS / "page_files" / "style.css")
    assert "“We heard from islanders every single day,” said harbour master Tomás Quiñones." in body(doc)
    assert "€4 for foot passengers" in body(doc)


def test_single_file_html_with_data_uri() -> None:
    doc = read_file(FORMATS / "single_file.html")
    assert (doc.format, doc.companions, doc.companion_root, doc.hints.url) == ("html", (), None, "")
    assert 'src="data:image/png;base64,iVBORw0KGgo' in body(doc)
    assert "Librarian Anaïs Brändli said" in body(doc)


def test_html_without_declared_charset_in_cp1252() -> None:
    html = body(read_file(FORMATS / "cp1252_undeclared.html"))
    assert "<title>Café reopens on the market square</title>" in html
    assert "“It’s like coming home,” said the owner, Renée Fauchard." in html
    assert "A coffee now costs €1.80" in html
    assert "crème brûlée" in html


@pytest.mark.parametrize("folder", ["seite-Dateien", "página_archivos", "page_fichiers", "x_file", "a.files"])
def test_localized_companion_folders(tmp_path: Path, folder: str) -> None:
    stem = folder.rsplit("-", 1)[0] if "-" in folder else folder.rsplit("_", 1)[0].rsplit(".files", 1)[0]
    page = tmp_path / f"{stem}.htm"
    page.write_text("<html><body><p>Text of the page.</p></body></html>", encoding="utf-8")
    (tmp_path / folder / "img").mkdir(parents=True)
    (tmp_path / folder / "img" / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    (tmp_path / folder / "app.js").write_text("// script", encoding="utf-8")
    doc = read_file(page)
    assert doc.companion_root == tmp_path / folder
    assert doc.companions == (tmp_path / folder / "app.js", tmp_path / folder / "img" / "photo.jpg")
    assert list(discover([tmp_path])) == [page]


def test_companion_files_never_follow_links(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text("<p>Hello</p>", encoding="utf-8")
    (tmp_path / "page_files").mkdir()
    (tmp_path / "page_files" / "a.css").write_text("p {}", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("private", encoding="utf-8")
    (tmp_path / "page_files" / "leak.txt").symlink_to(tmp_path / "secret.txt")
    assert read_file(tmp_path / "page.html").companions == (tmp_path / "page_files" / "a.css",)


def test_saved_from_comment_for_local_pages_is_not_a_url(tmp_path: Path) -> None:
    page = tmp_path / "local.html"
    page.write_text("<!-- saved from url=(0014)about:internet -->\n<p>Hi there</p>", encoding="utf-8")
    assert read_file(page).hints.url == ""


def test_mhtml_with_quoted_printable_part() -> None:
    doc = read_file(FORMATS / "quoted_printable.mhtml")
    assert doc.format == "mhtml"
    assert doc.hints.title == "Comet watchers gather on the hill – Daily Example"
    assert doc.hints.url == "https://daily.example.net/science/comet-watch"
    assert doc.hints.published == ""  # the Date header is the save date
    html = body(doc)
    assert "“It’s the brightest one I’ve seen in twenty years,” said Søren Ødegaard" in html
    assert "Advertisement" not in html  # the iframe's own HTML part is not the article
    assert doc.companions == ()


def test_mhtml_with_base64_part_picks_the_snapshot_and_uses_its_mime_charset() -> None:
    doc = read_file(FORMATS / "base64.mht")
    html = body(doc)
    assert "The restorer, Maëlle Lefèvre, rebuilt 1,200 pipes by hand." in html
    assert "“Every pipe has its own voice,” she said. The concert raised €3,400" in html
    assert "newsletter" not in html
    assert doc.hints.title == "Village church organ restored – Weekly Example"
    assert doc.hints.url == "https://weekly.example.com/culture/organ-restored"


def test_mhtml_without_snapshot_header_uses_first_html_part(tmp_path: Path) -> None:
    source = (FORMATS / "base64.mht").read_bytes()
    lines = [line for line in source.split(b"\r\n") if not line.startswith(b"Snapshot-Content-Location")]
    path = tmp_path / "no_snapshot.mht"
    path.write_bytes(b"\r\n".join(lines))
    doc = read_file(path)
    assert "Sign up for our newsletter" in body(doc)
    assert doc.hints.url == "https://weekly.example.com/widgets/newsletter.html"


def test_mhtml_without_html_part(tmp_path: Path) -> None:
    path = tmp_path / "images_only.mhtml"
    path.write_bytes(
        b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        b"iVBORw0KGgo=\r\n--b--\r\n"
    )
    assert failure(path).reason == "no HTML part in this MHTML file"


def test_text_with_repeated_title_and_trailing_boilerplate() -> None:
    doc = read_file(FORMATS / "repeated_title.txt")
    assert doc.format == "text"
    assert doc.html is None
    assert doc.hints.title == "Council Approves New Cycle Lanes for the Old Bridge"
    text = body(doc)
    assert text.startswith("Millbrook: The town council voted on Thursday")
    assert text.endswith("The council will publish the final drawings next month.")
    assert "Council Approves" not in text
    # a long line followed directly by another is a paragraph of its own
    assert "ten weeks.\n\nCouncillor Priya Nandakumar" in text
    assert "bicycles.\n\n" in text  # trailing spaces stripped
    assert "\n\n\n" not in text


def test_seed_article() -> None:
    if not SEED.exists():
        pytest.skip("shared seed article not available")
    doc = read_file(SEED)
    assert doc.hints.title == "No Clear Path Yet: NATO Says Consensus Still Lacking for Ukraine Membership"
    text = body(doc)
    assert text.startswith("Brussels: At a media briefing")
    assert text.endswith("rests on a fragile foundation.")
    assert "No Clear Path Yet" not in text
    assert "WhatsApp" not in text
    assert "Kyiv’s aspiration" in text


@pytest.mark.parametrize(
    ("name", "title", "sentence"),
    [
        (
            "shift_jis.txt",
            "市立図書館が夜間開館を開始",
            "館長の山田花子さんは「静かに本を読める場所を、もっと多くの人に使ってほしい」と話した。",
        ),
        (
            "gb2312.txt",
            "河边公园将建新图书馆",
            "新馆预计明年春天开放，藏书约十五万册，并设有儿童阅览室和安静的自习区。",
        ),
        (
            "utf16le_bom.txt",
            "Kraków tram line reaches the new district",
            "The extended tram line to the new Płaszów district opened on Saturday. Residents of the Ελληνικά quarter",
        ),
    ],
)
def test_text_in_other_encodings(name: str, title: str, sentence: str) -> None:
    doc = read_file(FORMATS / name)
    assert doc.hints.title == title
    assert sentence in body(doc)
    assert "\r" not in body(doc)


def test_text_paragraphs_and_line_endings() -> None:
    title, text = parse_text("Title\r\n=====\r\n\r\nOne short line\r\nwrapped here.   \r\n\r\n\r\n\r\nSecond.\r")
    assert (title, text) == ("Title", "One short line\nwrapped here.\n\nSecond.")


def test_text_whose_first_line_is_a_paragraph_has_no_title() -> None:
    first = "A very long opening sentence " * 10
    assert parse_text(f"{first}\n\nMore.") == ("", f"{first.rstrip()}\n\nMore.")


def test_one_line_text_keeps_its_line_as_body() -> None:
    assert parse_text("Just a note.\n") == ("Just a note.", "Just a note.")


@pytest.mark.parametrize(
    "line",
    [
        "Follow the Example Daily channel on WhatsApp:",
        "Join our Telegram channel for breaking news",
        "Subscribe to our newsletter",
        "For the latest updates, follow us on X",
        "https://t.me/examplechannel",
        "The comments posted here are not from Example News.",
        "Kindly refrain from using derogatory words in your comments.",
        "Share this article",
        "Facebook | Twitter | WhatsApp | Email",
        "© 2025 Example Media Ltd.",
        "Copyright 2025 Example Media. All rights reserved.",
        "Also read: Council meets again on Friday",
        "Advertisement",
        "Disclaimer: Views expressed are the author’s own.",
    ],
)
def test_boilerplate_lines(line: str) -> None:
    assert is_boilerplate(line)


@pytest.mark.parametrize(
    "line",
    [
        "He urged supporters to join the protest organised on Telegram.",
        "The mayor will follow the advice of the engineers.",
        "Readers can see the full report on the council's website.",
        "Follow-up talks are expected in June, officials said.",
        "Getting there will take years, she added.",
        "Share prices fell by 3% after the announcement.",
        "The comments, he said, were taken out of context.",
    ],
)
def test_article_sentences_are_not_boilerplate(line: str) -> None:
    assert not is_boilerplate(line)


def test_markdown_with_front_matter() -> None:
    doc = read_file(FORMATS / "front_matter.md")
    assert doc.format == "markdown"
    assert doc.text is None
    hints = doc.hints
    assert (hints.title, hints.author, hints.published) == (
        "Robotics club wins regional final",
        "Idris Okafor",
        "2025-02-14",
    )
    assert (hints.url, hints.site, hints.language) == (
        "https://school.example.edu/news/robotics-final",
        "Example School News",
        "en",
    )
    html = body(doc)
    assert "<h1>" not in html  # the leading heading is the title
    assert "<em>Eastfield</em>" in html
    assert "<strong>regional final</strong>" in html
    assert '<a href="https://robots.example.org/rules">rules of the contest</a>' in html
    assert "<h2>What the robot does</h2>" in html
    assert "<li>reads labels with a camera</li>" in html
    assert "<code>Rust</code>" in html
    assert "<td>Eastfield</td>" in html
    assert "<script" not in html
    assert "---" not in html
    assert "tags:" not in html


def test_markdown_title_from_first_heading(tmp_path: Path) -> None:
    path = tmp_path / "note.markdown"
    path.write_text("Intro line.\n\n# The *real* title\n\nBody text.\n", encoding="utf-8")
    doc = read_file(path)
    assert doc.hints.title == "The real title"
    assert "<h1>The <em>real</em> title</h1>" in body(doc)  # not leading: it stays


def test_markdown_with_broken_yaml_keeps_going(tmp_path: Path) -> None:
    path = tmp_path / "broken.md"
    path.write_text("---\ntitle: Update: talks resume\ndate: [2024\n---\n\nThe talks resumed.\n", encoding="utf-8")
    doc = read_file(path)
    assert doc.hints.title == "Update: talks resume"
    assert doc.hints.published == ""
    assert body(doc) == "<p>The talks resumed.</p>\n"


def test_markdown_with_impossible_yaml_date(tmp_path: Path) -> None:
    path = tmp_path / "bad_date.md"
    path.write_text("---\ntitle: Leap\ndate: 2023-02-30\n---\nBody.\n", encoding="utf-8")
    assert body(read_file(path)) == "<p>Body.</p>\n"


def test_markdown_toml_front_matter() -> None:
    front, rest = split_front_matter('+++\ntitle = "Hugo post"\ndate = 2024-05-01T10:00:00Z\n+++\nBody\n')
    assert front["title"] == "Hugo post"
    assert rest == "Body\n"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-03-04", "2025-03-04"),
        ("Tue, 4 Mar 2025 10:00:00 GMT", "2025-03-04T10:00:00+00:00"),
        ("March 4, 2025", "2025-03-04"),
        ("March 2025", "2025-03"),
        (2024, "2024"),
        ("4 March", ""),
        ("soon", ""),
        (None, ""),
        (True, ""),
    ],
)
def test_iso_date(value: object, expected: str) -> None:
    assert iso_date(value) == expected


def test_markdown_with_only_front_matter_fails(tmp_path: Path) -> None:
    path = tmp_path / "empty_body.md"
    path.write_text("---\ntitle: Nothing\n---\n\n", encoding="utf-8")
    assert failure(path).reason == "no text after the front matter"


# --- broken files and file-system trouble ----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.html", "empty file"),
        ("image_renamed.html", "looks like a PNG image renamed to .html"),
        ("random_bytes.txt", "binary data, not text"),
        ("not_mime.mhtml", "no HTML part in this MHTML file (it has no MIME headers)"),
    ],
)
def test_broken_files(name: str, reason: str) -> None:
    assert failure(BROKEN / name).reason == reason


def test_jpeg_renamed(tmp_path: Path) -> None:
    path = tmp_path / "photo.html"
    path.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01")
    assert failure(path).reason == "looks like a JPEG image renamed to .html"


def test_whitespace_only_file(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text(" \n\t\n  ", encoding="utf-8")
    assert failure(path).reason == "empty file (only whitespace)"


def test_too_large_file(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("Title\n\n" + "x" * 2000, encoding="utf-8")
    assert failure(path, max_bytes=1024).reason == "file is larger than 1 KB"
    assert read_file(path, max_bytes=4096).hints.title == "Title"


def test_default_limit_is_50_mb(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # sparse: no 50 MB written to disk
        handle.truncate(50 * 1024 * 1024 + 1)
    assert failure(path).reason == "file is larger than 50 MB"


def test_twelve_megabyte_text_imports(tmp_path: Path) -> None:
    paragraph = "Delegates met again on Friday to discuss the harbour budget and the new ferry timetable. " * 8
    path = tmp_path / "long.txt"
    path.write_text("Long Report\n\n" + (paragraph.strip() + "\n\n") * 18_000, encoding="utf-8")
    assert path.stat().st_size > 12 * 1024 * 1024
    doc = read_file(path)
    assert doc.hints.title == "Long Report"
    assert body(doc).count("\n\n") == 17_999


def test_unsupported_file_given_to_read_file(tmp_path: Path) -> None:
    path = tmp_path / "picture.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n")
    with pytest.raises(UnsupportedFile):
        read_file(path)


def test_folder_given_to_read_file(tmp_path: Path) -> None:
    folder = tmp_path / "folder.html"
    folder.mkdir()
    assert failure(folder).reason == "is a folder, not a file"


def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("Secret\n\nText.", encoding="utf-8")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as a user who can read any file (root)")
        assert failure(path).reason.startswith("permission denied")
    finally:
        path.chmod(0o644)


def test_file_deleted_between_discover_and_read(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    path = tmp_path / "docs" / "gone.txt"
    path.write_text("Here\n\nthen gone.", encoding="utf-8")
    found = list(discover([tmp_path / "docs"]))
    assert found == [path]
    path.unlink()
    assert failure(path).reason == "file disappeared before it could be read"


def _read_anything(path: Path) -> None:
    try:
        doc: RawDocument | ImportFailed = read_file(path)
    except ImportFailed as exc:
        doc = exc
    assert isinstance(doc, RawDocument | ImportFailed)
    assert doc.path == path


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(min_size=1, max_size=3000), suffix=st.sampled_from(SUPPORTED_SUFFIXES))
def test_arbitrary_bytes_never_raise_anything_but_import_failed(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    _read_anything(path)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.sampled_from(["quoted_printable.mhtml", "base64.mht", "front_matter.md", "page.html"]),
    cut=st.integers(min_value=1, max_value=2000),
    noise=st.binary(max_size=40),
)
def test_damaged_files_never_raise_anything_but_import_failed(
    tmp_path: Path, name: str, cut: int, noise: bytes
) -> None:
    source = (FORMATS / name).read_bytes()
    path = tmp_path / name
    path.write_bytes(source[:cut] + noise + source[cut + len(noise) :])
    _read_anything(path)


# --- discover ------------------------------------------------------------------------------------


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A folder as users have them: pages with resource folders, notes, images, hidden files."""
    root = tmp_path / "saved"
    shutil.copytree(FORMATS, root / "formats")
    (root / "b").mkdir()
    (root / "b" / "Note.MD").write_text("# Note\n\nText.", encoding="utf-8")
    (root / "b" / "image.jpg").write_bytes(b"\xff\xd8\xff")
    (root / "b" / ".hidden.txt").write_text("hidden", encoding="utf-8")
    (root / ".git").mkdir()
    (root / ".git" / "notes.txt").write_text("hidden folder", encoding="utf-8")
    (root / "a.txt").write_text("A\n\ntext", encoding="utf-8")
    # a NAME_files folder whose page is missing is an ordinary folder
    (root / "orphan_files").mkdir()
    (root / "orphan_files" / "kept.htm").write_text("<p>kept</p>", encoding="utf-8")
    # documents inside a page's companion folder are the page's, not articles
    (root / "formats" / "page_files" / "frame.html").write_text("<p>frame</p>", encoding="utf-8")
    return root


def test_discover_walks_folders_in_sorted_order(tree: Path) -> None:
    found = list(discover([tree]))
    assert all(isinstance(f, Path) for f in found)
    relative = [str(Path(str(f)).relative_to(tree)) for f in found]
    assert relative == [
        "a.txt",
        "b/Note.MD",
        "formats/base64.mht",
        "formats/cp1252_undeclared.html",
        "formats/front_matter.md",
        "formats/gb2312.txt",
        "formats/page.html",
        "formats/quoted_printable.mhtml",
        "formats/repeated_title.txt",
        "formats/shift_jis.txt",
        "formats/single_file.html",
        "formats/utf16le_bom.txt",
        "orphan_files/kept.htm",
    ]
    assert list(discover([tree])) == found  # stable


def test_discover_reports_what_the_user_named_but_cannot_import(tree: Path) -> None:
    image = tree / "b" / "image.jpg"
    hidden = tree / "b" / ".hidden.txt"
    missing = tree / "nope.html"
    found = list(discover([image, hidden, missing, tree / "formats" / "page_files", tree / "a.txt"]))
    assert isinstance(found[0], FailedFile) and found[0].reason.startswith("unsupported file type")
    assert found[0].path == image
    assert found[1] == hidden  # explicitly named hidden files are imported
    assert isinstance(found[2], FailedFile)
    assert found[2].reason == "file or folder not found"
    assert isinstance(found[3], FailedFile)
    assert "page.html" in found[3].reason
    assert found[4] == tree / "a.txt"


def test_discover_yields_each_file_once(tree: Path) -> None:
    found = list(discover([tree / "a.txt", tree, tree / "b"]))
    assert found.count(tree / "a.txt") == 1
    assert len(found) == 13


def test_discover_survives_symlink_loops(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "story.txt").write_text("Story\n\nText.", encoding="utf-8")
    (root / "sub" / "back").symlink_to(root)
    (root / "self.txt").symlink_to(root / "self.txt")
    found = list(discover([root]))
    paths = [f for f in found if isinstance(f, Path)]
    failures = [f for f in found if isinstance(f, FailedFile)]
    assert paths == [root / "sub" / "story.txt"]
    assert [f.path for f in failures] == [root / "self.txt", root / "sub" / "back"]
    assert all("loops" in f.reason for f in failures)
    (explicit,) = discover([root / "self.txt"])
    assert isinstance(explicit, FailedFile)
    assert explicit.reason == "link loops back on itself"


def test_discover_reports_unreadable_folder(tmp_path: Path) -> None:
    locked = tmp_path / "docs" / "locked"
    locked.mkdir(parents=True)
    (locked / "x.txt").write_text("x\n\ny", encoding="utf-8")
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running as a user who can read any folder (root)")
        found = list(discover([tmp_path / "docs"]))
        assert len(found) == 1
        assert isinstance(found[0], FailedFile)
        assert found[0].reason.startswith("permission denied")
    finally:
        locked.chmod(0o755)


def test_discover_reports_broken_links(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "dead.html").symlink_to(tmp_path / "missing.html")
    (tmp_path / "docs" / "dead.png").symlink_to(tmp_path / "missing.png")
    found = list(discover([tmp_path / "docs"]))
    assert len(found) == 1
    assert isinstance(found[0], FailedFile)
    assert found[0].reason.startswith("broken link")
