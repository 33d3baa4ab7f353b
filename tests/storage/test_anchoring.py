"""Highlights are found again when the article's text changes, and are orphaned (never lost) when gone."""

from desktop_reader.storage.anchoring import anchor, describe

TEXT = (
    "The harbour strike entered its third week on Monday. Dockers in Redport said the barges would stay "
    "moored until the council agreed to talks. The council said it would meet the union on Friday. "
    "Shipping firms warned that the harbour strike could cost millions."
)


def _place(text, quote, occurrence=0):
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    return describe(text, start, start + len(quote))


def test_unchanged_text_places_the_highlight_where_it_was():
    sel = _place(TEXT, "the barges would stay moored")
    got = anchor(sel, TEXT)
    assert (got.start, got.how) == (sel.start, "exact")
    assert TEXT[got.start : got.end] == sel.exact


def test_text_inserted_before_moves_the_highlight_with_its_quote():
    sel = _place(TEXT, "the barges would stay moored")
    changed = "Updated: a correction was added at the top of this article. " + TEXT
    got = anchor(sel, changed)
    assert got.how == "moved"
    assert changed[got.start : got.end] == "the barges would stay moored"


def test_a_repeated_quote_is_told_apart_by_its_context():
    sel = _place(TEXT, "harbour strike", occurrence=1)  # the second one, "...warned that the harbour strike could"
    changed = "Breaking. " + TEXT.replace("Shipping firms", "Several shipping firms")
    got = anchor(sel, changed)
    assert changed[got.start : got.end] == "harbour strike"
    assert changed[got.end :].startswith(" could cost")


def test_an_edited_quote_is_found_between_its_prefix_and_suffix():
    sel = _place(TEXT, "the council agreed to talks")
    changed = TEXT.replace("the council agreed to talks", "the city council agreed to hold talks")
    got = anchor(sel, changed)
    assert got.how == "context"
    assert changed[got.start : got.end] == "the city council agreed to hold talks"


def test_a_slightly_reworded_quote_in_new_surroundings_is_found_fuzzily():
    quote = "Dockers in Redport said the barges would stay moored"
    sel = _place(TEXT, quote)
    changed = "Completely new opening paragraph. Dockers in Redport said that the barges would stay moored. The end."
    got = anchor(sel, changed)
    assert got.how == "fuzzy"
    assert "barges would stay moored" in changed[got.start : got.end]


def test_a_quote_that_is_gone_is_orphaned_not_dropped():
    sel = _place(TEXT, "Shipping firms warned that the harbour strike could cost millions")
    got = anchor(sel, "An entirely different article about a flower show in Kettle Street.")
    assert (got.start, got.end, got.how) == (None, None, "orphaned")


def test_short_quotes_are_not_guessed_at():
    sel = _place(TEXT, "union")
    got = anchor(sel, TEXT.replace("union", "onion"))
    assert got.how == "orphaned"
