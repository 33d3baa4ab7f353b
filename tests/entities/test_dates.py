"""Date mentions: relative ones are no entities, absolute ones become ISO, anchored on the published date."""

from datetime import date

import pytest

from desktop_reader.entities.dates import anchor_of, normalise

ANCHOR = date(2023, 6, 14)


@pytest.mark.parametrize(
    "text", ["today", "Monday", "this year", "annual", "last week", "two years ago", "the weekend", "1119", "42"]
)
def test_relative_dates_and_bare_numbers_are_not_entities(text):
    assert normalise(text, ANCHOR) is None


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("4 March 2021", "2021-03-04"),
        ("March 4, 2021", "2021-03-04"),
        ("the 4th of March 2021", "2021-03-04"),
        ("March 2021", "2021-03"),
        ("2021", "2021"),
        ("the 1990s", "1990s"),
        ("2021-03-04", "2021-03-04"),
        ("the spring of 2019", "2019"),
    ],
)
def test_absolute_dates_become_iso(text, iso):
    assert normalise(text, ANCHOR)[0] == iso


def test_a_date_without_a_year_takes_the_published_year():
    assert normalise("September 9", ANCHOR)[0] == "2023-09-09"
    assert normalise("last September", ANCHOR)[0] == "2022-09"
    assert normalise("September 9", None) is None  # no anchor: no way to tell the year


def test_possessive_junk_before_a_date_is_cut_off():
    iso, start, end = normalise("the minister's August 3", ANCHOR)
    assert iso == "2023-08-03"
    assert "the minister's August 3"[start:end] == "August 3"


def test_anchor_reads_dates_and_date_times():
    assert anchor_of("2023-06-14T08:00:00Z") == ANCHOR
    assert anchor_of("") is None and anchor_of("June") is None
