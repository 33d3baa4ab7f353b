"""ReaderView: shows clean text safely, never loads resources, and follows links only on explicit clicks."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextCursor, QTextDocument

from desktop_reader.gui import reader_view
from desktop_reader.gui.reader_document import ORIGINAL_HREF, paragraphs
from desktop_reader.gui.reader_view import ReaderView
from desktop_reader.models import Article, Entity
from desktop_reader.search.highlighting import Highlighter, MatchTerms
from desktop_reader.search.schema import text_analyzer
from desktop_reader.search.snippets import SnippetMaker

FORMS = SnippetMaker(text_analyzer())


def words(*typed: str) -> Highlighter:
    """What the core hands the reader for a query of plain words: their indexed forms."""
    return Highlighter(MatchTerms(frozenset(FORMS.form(w) for w in typed)), FORMS)

HOSTILE = (
    "Ministers met in London on Monday.\nA second line.\n\n"
    '<img src="http://tracker.example/pixel.gif"> <script>alert("x")</script> '
    '<a href="javascript:alert(1)">click</a>\n\n'
    "London 😀 again, and the election result."
)


def _article(tmp_path, text: str = HOSTILE) -> Article:
    stored = tmp_path / "page.html"
    stored.write_text("<p>original</p>", encoding="utf-8")
    first, last = text.index("London"), text.rindex("London")
    return Article(
        id=1,
        title="A <b>hostile</b> page",
        text=text,
        author="Jane Doe",
        published="2005-02-01T10:00:00",
        site="example.org",
        url="https://example.org/story",
        language="en",
        source_path=str(stored),
        stored_path=str(stored),
        imported_at="2025-01-01T00:00:00",
        format="html",
        entities=(Entity("London", "GPE", 2, ((first, first + 6), (last, last + 6))),),
    )


def _reader(qtbot) -> ReaderView:  # type: ignore[no-untyped-def]
    reader = ReaderView()
    qtbot.addWidget(reader)
    reader.resize(900, 700)
    return reader


def test_resources_are_never_loaded(qtbot):
    reader = _reader(qtbot)
    for url in ("http://tracker.example/pixel.gif", "https://x.org/a.css", "file:///etc/passwd", "data:,hi"):
        assert reader.loadResource(QTextDocument.ResourceType.ImageResource, QUrl(url)) is None
    assert not reader.openLinks()
    assert not reader.openExternalLinks()


def test_markup_in_the_text_stays_text(qtbot, tmp_path):
    reader = _reader(qtbot)
    reader.show_article(_article(tmp_path))
    shown = reader.toPlainText()
    assert '<script>alert("x")</script>' in shown
    assert "A <b>hostile</b> page" in shown
    assert 'href="javascript:alert(1)"' in shown
    # The only anchors in the document are the two the reader made itself.
    anchors = set()
    block = reader.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isAnchor():
                anchors.add(fmt.anchorHref())
            it += 1
        block = block.next()
    assert anchors == {ORIGINAL_HREF, "https://example.org/story"}


def test_links_open_only_http_and_the_stored_original(qtbot, tmp_path, monkeypatch):
    opened: list[QUrl] = []
    monkeypatch.setattr(reader_view, "open_url", lambda url: opened.append(url) or True)
    reader = _reader(qtbot)
    article = _article(tmp_path)
    reader.show_article(article)
    for ignored in ("javascript:alert(1)", "file:///etc/passwd", "data:text/html,hi", "ftp://x.org/f"):
        reader.anchorClicked.emit(QUrl(ignored))
    reader.on_anchor_clicked(QUrl("javascript:alert(1)"))
    assert opened == []
    reader.on_anchor_clicked(QUrl("https://example.org/story"))
    reader.on_anchor_clicked(QUrl(ORIGINAL_HREF))
    assert opened[0] == QUrl("https://example.org/story")
    assert opened[1] == QUrl.fromLocalFile(article.stored_path)


def test_search_hits_cycle_with_next_and_previous(qtbot, tmp_path):
    reader = _reader(qtbot)
    reader.show_article(_article(tmp_path), words("london", "election"))
    assert reader.hit_count == 3
    start = reader.current_hit
    reader.next_hit()
    assert reader.current_hit == (start + 1) % 3
    reader.previous_hit()
    reader.previous_hit()
    assert reader.current_hit == (start - 1) % 3
    selected = {s.cursor.selectedText().lower() for s in reader.extraSelections()}
    assert selected == {"london", "election"}


def test_entity_mentions_map_to_the_right_words_even_after_emoji(qtbot, tmp_path):
    reader = _reader(qtbot)
    article = _article(tmp_path)
    reader.show_article(article, words())
    assert reader.focus_mentions(article.entities[0].mentions) == 2
    assert [s.cursor.selectedText() for s in reader.extraSelections()] == ["London", "London"]
    reader.set_entity_highlighting(True)
    assert len(reader.extraSelections()) == 4


def test_paragraphs_split_on_blank_lines():
    text = "One\ntwo\n\n   \n Three \n\nFour"
    spans = paragraphs(text)
    assert [text[a:b] for a, b in spans] == ["One\ntwo", "Three", "Four"]


def test_search_hits_ignore_accents_like_the_index(qtbot, tmp_path):
    reader = _reader(qtbot)
    reader.show_article(
        _article(tmp_path, "The Café Müller opened.\n\nA cafe by the London barges."), words("cafe", "müller")
    )
    assert reader.hit_count == 3
    selected = {s.cursor.selectedText() for s in reader.extraSelections()}
    assert {"Café", "cafe", "Müller"} <= selected


def test_list_items_are_indented_blocks_and_offsets_still_map(qtbot, tmp_path):
    text = "Kit:\n\n• a compass for the hills\n  1. brass\n  2. spare\nwith a cord\n• dry socks\n\nThe end."
    reader = _reader(qtbot)
    article = _article(tmp_path, text + " London London")
    reader.show_article(article, words("brass", "socks"))
    blocks = {}
    block = reader.document().begin()
    while block.isValid():
        blocks[block.text()] = block.blockFormat()
        block = block.next()
    top, nested, later = blocks["• a compass for the hills"], blocks["1. brass"], blocks["with a cord"]
    assert 0 < top.leftMargin() < nested.leftMargin()
    assert top.textIndent() < 0  # hanging: wrapped lines start under the text, not the bullet
    assert later.leftMargin() == nested.leftMargin() and later.textIndent() == 0
    assert blocks["Kit:"].leftMargin() == 0 and blocks["The end. London London"].leftMargin() == 0
    assert {s.cursor.selectedText() for s in reader.extraSelections()} == {"brass", "socks"}
    for word in ("compass", "spare", "cord"):  # a selection maps back to the same offsets
        start = text.index(word)
        cursor = reader.textCursor()
        cursor.setPosition(reader.document().find(word).selectionStart())
        cursor.setPosition(cursor.position() + len(word), QTextCursor.MoveMode.KeepAnchor)
        reader.setTextCursor(cursor)
        assert reader.selected_text_range() == (start, start + len(word))
