"""Every export format is parsed back by a reader of that format and keeps what the reader wrote."""

import csv
import io
import json

import pytest
import rispy
from pybtex.database import parse_string

from desktop_reader.errors import ReaderError
from desktop_reader.export.records import ExportItem
from desktop_reader.export.writing import write
from desktop_reader.models import Article, Highlight

ARTICLE = Article(
    id=7,
    title="Café owners & 50% of {Kettle} Street_traders object",
    text="",
    author="Jane Müller and Tom O'Neil",
    published="2025-03-04T10:00:00",
    site="Marrowfield Herald",
    url="https://example.org/news/a_b?x=1&y=2",
    language="en",
    source_path="",
    stored_path="",
    imported_at="",
    format="html",
)
HIGHLIGHTS = (
    Highlight(1, 7, "the street will close", "", "", "yellow", "check the date", "", 10, 31),
    Highlight(2, 7, "a passage that is gone", "", "", "green", "", "", None, None, "orphaned"),
)
ITEM = ExportItem(ARTICLE, ("Local politics", "to read"), "My **note**\nsecond line", True, HIGHLIGHTS)
UNDATED = ExportItem(Article(8, "Untitled page", "", "", "", "", "", "", "", "", "", "text"))


def test_bibtex_parses_back_with_names_keywords_and_verbatim_url():
    text = write([ITEM, UNDATED], "bibtex")
    bib = parse_string(text, "bibtex")
    key, entry = next(iter(bib.entries.items()))
    assert key == "muller2025cafe"
    assert entry.type == "online"
    assert [str(p) for p in entry.persons["author"]] == ["Müller, Jane", "O'Neil, Tom"]
    assert entry.fields["title"] == r"Café owners \& 50\% of {Kettle} Street\_traders object"
    assert entry.fields["url"] == ARTICLE.url  # biblatex reads url verbatim
    assert entry.fields["year"] == "2025" and entry.fields["date"] == "2025-03-04"
    assert entry.fields["keywords"] == "Local politics, to read"
    assert "check the date" in entry.fields["annotation"]
    assert len(bib.entries) == 2


def test_ris_parses_back():
    (ref, other) = rispy.loads(write([ITEM, UNDATED], "ris"))
    assert ref["type_of_reference"] == "ELEC"
    assert ref["title"] == ARTICLE.title
    assert ref["authors"] == ["Jane Müller", "Tom O'Neil"]
    assert ref["urls"] == [ARTICLE.url]
    assert ref["keywords"] == ["Local politics", "to read"]
    assert ref["notes"][0] == "My **note** second line"
    assert "“the street will close” — check the date" in ref["notes"]
    assert other["title"] == "Untitled page"


def test_csljson_follows_the_csl_data_schema():
    records = json.loads(write([ITEM, UNDATED], "csljson"))
    r = records[0]
    assert r["type"] == "webpage" and r["id"] == "muller2025cafe"
    assert r["author"] == [{"family": "Müller", "given": "Jane"}, {"family": "O'Neil", "given": "Tom"}]
    assert r["issued"] == {"date-parts": [[2025, 3, 4]]}
    assert r["URL"] == ARTICLE.url and r["container-title"] == "Marrowfield Herald"
    assert r["keyword"] == "Local politics, to read"
    assert "issued" not in records[1]


def test_csv_has_one_row_per_article_or_per_highlight():
    rows = list(csv.DictReader(io.StringIO(write([ITEM, UNDATED], "csv"))))
    assert len(rows) == 2
    assert rows[0]["tags"] == "Local politics; to read" and rows[0]["read"] == "1"
    assert rows[0]["note"] == "My **note**\nsecond line"
    rows = list(csv.DictReader(io.StringIO(write([ITEM, UNDATED], "csv", rows="highlight"))))
    assert [r["highlight"] for r in rows] == ["the street will close", "a passage that is gone", ""]
    assert [r["start"] for r in rows] == ["10", "", ""]


def test_markdown_has_citation_tags_note_and_highlights():
    md = write([ITEM], "md", title="tag:x")
    assert md.startswith("# tag:x\n\n## Café owners")
    assert "Jane Müller and Tom O'Neil. “Café owners" in md
    assert f"<{ARTICLE.url}>" in md
    assert "Tags: `Local politics`, `to read`" in md
    assert "### Note\n\nMy **note**\nsecond line" in md
    assert "> the street will close\n\ncheck the date" in md
    assert "> a passage that is gone *(no longer found in the text)*" in md


def test_unknown_format_is_a_reader_error():
    with pytest.raises(ReaderError):
        write([ITEM], "docx")
