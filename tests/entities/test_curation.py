"""Curation rules resolved and applied to one article's entities (pure)."""

import pytest

from desktop_reader.entities.curation import Curation, Rule, UnknownType, parse_type, parse_types
from desktop_reader.models import Entity


def _ents():
    return (
        Entity("Greens", "NORP", 2, ((10, 16), (80, 86))),
        Entity("Green Party", "ORG", 1, ((40, 51),)),
        Entity("Council", "ORG", 1, ((0, 7),)),
        Entity("Amira Haddad", "PERSON", 1, ((60, 72),)),
    )


def test_merge_joins_mentions_under_the_target_name_and_label():
    cur = Curation.build([Rule("merge", "Greens", "Green Party", "ORG")])
    out = {e.text: e for e in cur.apply(_ents())}
    assert "Greens" not in out
    assert out["Green Party"].label == "ORG"
    assert out["Green Party"].mentions == ((10, 16), (40, 51), (80, 86))
    assert out["Green Party"].count == 3


def test_ignore_drops_a_name_in_any_case():
    cur = Curation.build([Rule("ignore", "council")])
    assert "Council" not in {e.text for e in cur.apply(_ents())}


def test_chains_follow_to_the_last_name_and_retype_follows_a_merge():
    cur = Curation.build(
        [
            Rule("retype", "Greens", label="ORG"),
            Rule("rename", "Greens", "The Greens"),
            Rule("merge", "The Greens", "Green Party"),
        ]
    )
    assert cur.name_of("greens", "NORP") == ("Green Party", "ORG")


def test_a_newer_naming_rule_for_a_name_wins():
    cur = Curation.build([Rule("rename", "Greens", "Green Party"), Rule("rename", "Greens", "Greens UK")])
    assert cur.name_of("Greens", "NORP") == ("Greens UK", "NORP")


def test_index_pairs_are_curated_once_each():
    cur = Curation.build([Rule("merge", "Greens", "Green Party", "ORG")])
    assert cur.apply_pairs([("Greens", "NORP"), ("Green Party", "ORG")]) == (("Green Party", "ORG"),)


def test_no_rules_leaves_entities_as_they_are():
    assert Curation.build([]).apply(_ents()) == _ents()


@pytest.mark.parametrize(
    ("word", "labels"),
    [
        ("person", ("PERSON",)),
        ("People", ("PERSON",)),
        ("organisation", ("ORG",)),
        ("organization", ("ORG",)),
        ("place", ("GPE", "LOC", "FAC")),
        ("date", ("DATE",)),
        ("gpe", ("GPE",)),
        ("WORK_OF_ART", ("WORK_OF_ART",)),
    ],
)
def test_type_words_and_spacy_labels_are_accepted(word, labels):
    assert parse_types(word) == labels


def test_retype_takes_the_first_label_of_a_group_and_unknown_types_list_the_valid_ones():
    assert parse_type("place") == "GPE"
    with pytest.raises(UnknownType) as err:
        parse_types("planet")
    assert "person" in str(err.value) and "GPE" in str(err.value)
