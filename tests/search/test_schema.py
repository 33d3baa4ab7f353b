"""Index field values: analyzers, URL forms, dates, entity names, facet encoding."""

from __future__ import annotations

from datetime import datetime

import pytest

from desktop_reader.models import IndexDoc
from desktop_reader.search.schema import (
    decode_facets,
    encode_facets,
    entity_field,
    fold_name,
    parse_published,
    text_analyzer,
    to_fields,
    url_tokens,
)


def tokens(text: str) -> list[str]:
    return [t.text for t in text_analyzer()(text)]


def test_analyzer_stems_folds_and_keeps_news_words() -> None:
    assert tokens("Barges at the Café Müller") == ["barg", "cafe", "muller"]
    assert tokens("US officials may vote") == ["us", "offici", "may", "vote"]  # not stop words here


def test_analyzer_handles_other_scripts() -> None:
    assert tokens("東京で") == ["東", "京", "で"]
    assert tokens("Москва и Киев") == ["москва", "и", "киев"]
    assert tokens("Αθήνα") == ["αθηνα"]
    assert tokens("🙂 \x00") == []


def test_url_tokens_cover_host_parents_and_full_url() -> None:
    forms = url_tokens("https://www.News.Example.com/a/b?x=1")
    assert {"example.com", "news.example.com", "www.news.example.com"} <= set(forms)
    assert "https://www.news.example.com/a/b?x=1" in forms
    assert "news.example.com/a/b?x=1" in forms
    assert "com" not in forms
    assert url_tokens("") == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-05", datetime(2024, 3, 5)),
        ("2024-03-05T10:30:00Z", datetime(2024, 3, 5, 10, 30)),
        ("2024-03-05T10:30:00+02:00", datetime(2024, 3, 5, 8, 30)),
        ("2024-03", datetime(2024, 3, 1)),
        ("2024", datetime(2024, 1, 1)),
        ("", None),
        ("yesterday", None),
        ("2024-13", None),
    ],
)
def test_parse_published(value: str, expected: datetime | None) -> None:
    assert parse_published(value) == expected


def test_entity_names_fold_to_one_token() -> None:
    assert fold_name("  Mark   Rutte ") == "mark rutte"
    assert fold_name("Köln") == "koln"


def test_entity_field_accepts_fields_and_labels() -> None:
    assert entity_field("person") == "person"
    assert entity_field("PERSON") == "person"
    assert entity_field("GPE") == "place" and entity_field("FAC") == "place"
    assert entity_field("NORP") == "entity"
    assert entity_field("colour") is None


def test_facets_are_distinct_per_article() -> None:
    value = encode_facets((("Mark Rutte", "PERSON"), ("Mark  Rutte", "PERSON"), ("NATO", "ORG")))
    assert decode_facets(value) == [("PERSON", "Mark Rutte"), ("ORG", "NATO")]
    assert decode_facets(b"") == []


def test_to_fields_routes_entities_by_label() -> None:
    doc = IndexDoc(
        1, "T", "x", "", "", "", "", (("Mark Rutte", "PERSON"), ("Kyiv", "GPE"), ("NATO", "ORG"), ("Dutch", "NORP"))
    )
    values = to_fields(doc)
    assert values["person"] == "Mark Rutte" and values["place"] == "Kyiv" and values["org"] == "NATO"
    assert values["entity"].split("\n") == ["Mark Rutte", "Kyiv", "NATO", "Dutch"]
    assert "published" not in values and "url" not in values
