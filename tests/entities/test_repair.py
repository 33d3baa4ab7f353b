"""Span repair inside tidy: raw recognizer spans as spaCy reports them, set right; and the real model."""

import pytest

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


# (text, spans as (surface, label), the names tidy makes of them)
GLUED_SPANS = {
    "a job title kept at the front of a name is stripped": (
        "Striker Marco Villani scored. Prime Minister Lena Holt spoke, and coach Pieter de Wet agreed.",
        [("Striker Marco Villani", "PERSON"), ("Prime Minister Lena Holt", "PERSON"), ("coach Pieter de Wet", "ORG")],
        {("Marco Villani", "PERSON"), ("Lena Holt", "PERSON"), ("Pieter de Wet", "PERSON")},
    ),
    "an organisation keeps a title word that is part of its name": (
        "The Foreign Office said no. General Motors and the Coach House Hotel agreed.",
        [("Foreign Office", "ORG"), ("General Motors", "ORG"), ("Coach House Hotel", "ORG")],
        {("Foreign Office", "ORG"), ("General Motors", "ORG"), ("Coach House Hotel", "ORG")},
    ),
    "a possessive glue splits the owner from the person": (
        "After Wanderers' Samir Haddad was sent off, France's Lena Holt and Kelmarsh’s Ruth Ashworth spoke.",
        [("Wanderers' Samir Haddad", "ORG"), ("France's Lena Holt", "PERSON"), ("Kelmarsh’s Ruth Ashworth", "PERSON")],
        {
            ("Wanderers", "ORG"),
            ("Samir Haddad", "PERSON"),
            ("France", "GPE"),
            ("Lena Holt", "PERSON"),
            ("Kelmarsh", "ORG"),
            ("Ruth Ashworth", "PERSON"),
        },
    ),
    "a possessive inside one name stays": (
        "Queen's Park Rangers won at Wrexley's Corn Exchange Square before the Women's Royal Voluntary Service met."
        " Guy's My Heart won the Theatregoers' Choice Awards.",
        [
            ("Queen's Park Rangers", "ORG"),
            ("Wrexley's Corn Exchange Square", "FAC"),
            ("Women's Royal Voluntary Service", "ORG"),
            ("Guy's My Heart", "ORG"),
            ("Theatregoers' Choice Awards", "ORG"),
        ],
        {
            ("Queen's Park Rangers", "ORG"),
            ("Wrexley's Corn Exchange Square", "FAC"),
            ("Women's Royal Voluntary Service", "ORG"),
            ("Guy's My Heart", "ORG"),
            ("Theatregoers' Choice Awards", "ORG"),
        },
    ),
    "a function word glued to the end of a name is cut": (
        "A derby against Brackley Wanderers at home.",
        [("Brackley Wanderers at", "ORG")],
        {("Brackley Wanderers", "ORG")},
    ),
}


@pytest.mark.parametrize("case", GLUED_SPANS)
def test_glued_and_titled_spans_are_set_right(case):
    text, spans, expected = GLUED_SPANS[case]
    assert _pairs(text, [_span(text, surface, label) for surface, label in spans]) == expected


def test_the_real_model_on_a_match_report(extractor):
    # Real-style text written for this test (names invented): titles, possessive glue and club names.
    text = (
        "Harwood Rovers Reach Final\n\n"
        "Harwood Rovers beat Denholme Athletic 2-1 on Saturday to reach the county cup final. "
        "Striker Tomas Kellner scored twice, and after Athletic's Owen Priddy had pulled one back, "
        "Rovers held on. Denholme Athletic manager Grace Ebdon said her side deserved a draw. "
        "Kellner, who grew up in Denholme, has scored nine goals this season."
    )
    pairs = {(e.text, e.label) for e in extractor.extract(text)}
    people = {t for t, label in pairs if label == "PERSON"}
    assert {"Tomas Kellner", "Grace Ebdon"} <= people
    assert not any(p.split()[0] in {"Striker", "Manager"} for p in people)
    assert not any(p.split()[-1] in {"Rovers", "Athletic"} for p in people)
    assert not any("'" in p or "’" in p for p in people)
