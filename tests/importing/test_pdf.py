"""PDF import: a page printed by headless Chromium, a scan, encrypted, truncated and fake PDFs.

The files in tests/data/archives/pdf/ were made by `python -m desktop_reader.bench.format_corpus
OUT --test-files` from the project's own sample article (resources/samples) and plain-notice page.
"""

from __future__ import annotations

import re

import pytest

from desktop_reader.errors import ImportFailed
from desktop_reader.importing.cleaning import clean
from desktop_reader.importing.file_readers import read_file
from desktop_reader.importing.pdf_text import Line, Paragraph, article_paragraphs, paragraphs, split_furniture
from desktop_reader.library import Library
from desktop_reader.progress import drive
from tests.helpers import DATA

PDF = DATA / "archives" / "pdf"


def test_printed_page_reads_as_the_article_with_its_metadata():
    doc = clean(read_file(PDF / "printed.pdf"))
    assert doc.meta.title == "German café chain Bohnenhaus opens first UK branch in Wrexley"
    assert doc.meta.url == "https://example.org/news/bohnenhaus-cafe-opens-first-uk-branch-in-wrexley"
    assert doc.text.startswith("Jürgen Müller (centre) and mayor Sandra Pike")
    assert doc.text.endswith("he promised to return for the opening of the Leeds café “with more cheesecake”.")
    # The browser's running header (print date, title) and footer (URL, n/m) are gone.
    assert not re.search(r"\d+/\d+/\d+, \d+:\d+", doc.text)
    assert "example.org/news" not in doc.text and not re.search(r"^\d/2$", doc.text, re.M)
    # Lines are rejoined into paragraphs, also across the page break.
    assert "“People told me the British only drink tea,” Müller said, laughing." in doc.text
    for paragraph in doc.text.split("\n\n"):
        assert "\n" not in paragraph
    assert "The Wrexley Chamber of Commerce welcomed the investment. Its chief executive" in doc.text


def test_menus_and_footer_of_the_printed_page_are_left_out():
    text = clean(read_file(PDF / "printed.pdf")).text
    for furniture in ("Wrexley Evening Post", "Subscribe", "Sport", "Privacy"):
        assert furniture not in text


def test_scan_without_text_layer_imports_with_a_warning(tmp_path):
    doc = read_file(PDF / "scanned.pdf")
    assert doc.text == ""
    assert doc.warnings == ("no text layer: 1 page",)
    library = Library(tmp_path / "lib")
    report = drive(library.import_paths([PDF / "scanned.pdf"], entities=False), lambda _: None)
    (outcome,) = report.outcomes
    assert outcome.status == "imported"
    assert outcome.warnings == ("no text layer: 1 page",)
    assert library.article(outcome.id).text == ""


def test_pdf_with_only_an_owner_password_opens():
    text = clean(read_file(PDF / "owner_password_only.pdf")).text
    assert text.startswith("From the first of July, the reading room in the old granary")


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("needs_password.pdf", "this PDF is protected by a password"),
        ("truncated.pdf", "damaged or truncated PDF: it cannot be opened"),
        ("html_renamed.pdf", "not a PDF file (it is an HTML page renamed to .pdf)"),
    ],
)
def test_unreadable_pdfs_fail_with_their_reason(name, reason):
    with pytest.raises(ImportFailed) as caught:
        read_file(PDF / name)
    assert str(caught.value) == f"{name}: {reason}"


def _line(page, text, baseline, height=12.0, left=40.0):
    return Line(page, text, left, baseline, height, 792.0)


def test_hyphenated_words_are_joined_and_page_breaks_mended():
    lines = [
        _line(0, "The council voted to pedestri-", 400),
        _line(0, "anise the street after a long", 384),
        _line(0, "debate that ran into the", 368),
        _line(1, "night.", 700),
        _line(1, "A new paragraph starts here.", 660),
    ]
    texts = [p.text for p in paragraphs(lines)]
    assert texts == [
        "The council voted to pedestrianise the street after a long debate that ran into the night.",
        "A new paragraph starts here.",
    ]


def test_running_header_footer_and_page_numbers_are_dropped_and_url_kept():
    lines = []
    for page in range(3):
        lines += [
            _line(page, f"1/{page + 2}/25, 10:0{page} AM  Story title - Site", 780, 6),
            _line(page, f"Body text of page {page}, long enough to be a line.", 500),
            _line(page, f"https://example.com/story  {page + 1}/3", 12, 6),
        ]
    body, furniture = split_furniture(lines, pages=3)
    assert [line.text for line in body] == [f"Body text of page {p}, long enough to be a line." for p in range(3)]
    assert furniture.url == "https://example.com/story"


def test_short_furniture_around_the_article_is_dropped():
    article = "This is a sentence of the article, long enough to count, and it goes on for a while. " * 3
    more = article.replace("This is", "Here is")
    paras = [
        Paragraph("Home News Sport Weather", 10, 0),
        Paragraph(article, 10, 0),
        Paragraph("A subheading", 12, 0),
        Paragraph(more, 10, 0),
        Paragraph("Share on Facebook Twitter Email", 10, 1),
        Paragraph("Related: another story about something else entirely here", 10, 1),
    ]
    assert article_paragraphs(paras) == [article, "A subheading", more]
