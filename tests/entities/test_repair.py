"""Span repair inside tidy: raw recognizer spans as spaCy reports them, set right; and the real model."""

from desktop_reader.entities.tidy import tidy


def _pairs(text, spans, published=""):
    return {(e.text, e.label) for e in tidy(text, spans, published)}


def _span(text, surface, label, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return (surface, label, start, start + len(surface))


def test_a_place_glued_to_a_person_is_split():
    text = "Talks in Kyiv went on. Officials said Ukraine Peter Walsh had arrived."
    pairs = _pairs(text, [_span(text, "Ukraine Peter Walsh", "PERSON")])
    assert pairs == {("Ukraine", "GPE"), ("Peter Walsh", "PERSON")}


def test_a_sentence_opening_word_is_not_part_of_the_name():
    text = "The vote was close. Meanwhile Harbour Authority officials met. Speaking Westbury Council said no."
    pairs = _pairs(
        text, [_span(text, "Meanwhile Harbour Authority", "ORG"), _span(text, "Speaking Westbury Council", "ORG")]
    )
    assert pairs == {("Harbour Authority", "ORG"), ("Westbury Council", "ORG")}


def test_a_lower_case_the_never_starts_a_person_name():
    text = "A row broke out as the Greens accused the mayor."
    assert _pairs(text, [_span(text, "the Greens", "PERSON")]) == {("Greens", "PERSON")}


def test_one_word_people_that_are_ordinary_words_are_dropped():
    text = "Faith said the plan would help. Campaigners kept their faith in it."
    assert _pairs(text, [_span(text, "Faith", "PERSON")]) == set()


def test_time_zones_are_not_organisations_and_dotted_names_are_one_country():
    text = "The talks start at 14:00 GMT. U.S. officials and US diplomats met. The United States agreed."
    spans = [
        _span(text, "GMT", "ORG"),
        _span(text, "U.S.", "GPE"),
        _span(text, "US", "GPE"),
        _span(text, "United States", "GPE"),
    ]
    (entity,) = tidy(text, spans)
    assert (entity.text, entity.label, entity.count) == ("United States", "GPE", 3)


def test_dates_in_tidy_are_iso_and_relative_ones_are_gone():
    text = "On Monday, the board said the deal of 12 May 2021 stands. It meets again on 2 July."
    spans = [_span(text, "Monday", "DATE"), _span(text, "12 May 2021", "DATE"), _span(text, "2 July", "DATE")]
    assert _pairs(text, spans, "2022-03-01") == {("2021-05-12", "DATE"), ("2022-07-02", "DATE")}


def test_the_real_model_on_real_style_text(extractor):
    text = (
        "Water bills to rise\n\n"
        "Ofwat said on Tuesday that bills would rise this year. The regulator first set the cap on "
        "14 February 2019, and its chief executive, Rachel Fletcher, said US investors were watching. "
        "The annual review is due in March."
    )
    pairs = {(e.text, e.label) for e in extractor.extract_many([text], published=["2023-01-10"]).__next__()}
    dates = {t for t, label in pairs if label == "DATE"}
    assert "2019-02-14" in dates
    assert not dates & {"Tuesday", "this year", "annual"}
    assert all(d[:4].isdigit() for d in dates)
    assert ("Rachel Fletcher", "PERSON") in pairs
