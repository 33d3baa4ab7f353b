"""Archive-wide type vote and automatic aliases (pure), including the two Smiths."""

from desktop_reader.entities.consistency import aliases, person_words, totals, vote
from desktop_reader.entities.tidy import is_place


def test_the_majority_label_wins_when_the_evidence_is_clear():
    rows = [("Halvorsen Group", "ORG", 9, 20), ("Halvorsen Group", "PERSON", 1, 1)]
    assert vote(rows, is_place) == {"halvorsen group": "ORG"}


def test_a_known_place_is_a_place_even_when_outvoted():
    rows = [("Jordan", "PERSON", 8, 10), ("Jordan", "GPE", 2, 2)]
    assert vote(rows, is_place) == {"jordan": "GPE"}


def test_evidence_that_really_differs_keeps_each_article_its_label():
    rows = [("Tanner", "PERSON", 5, 6), ("Tanner", "ORG", 4, 5)]
    # "Tanner" is a surname the archive knows ("Rob Tanner"), so its person label keeps its weight.
    assert vote(rows, is_place, person_words([("Rob Tanner", "PERSON", 3)])) == {}


def test_a_lone_one_word_person_loses_to_the_archives_other_labels():
    # The model calls an unknown capitalised word a person; no article gives "Veltham" a first name,
    # and the archive reads it as a place elsewhere ("built in Veltham"), so it is a place everywhere.
    rows = [("Veltham", "PERSON", 4, 9), ("Veltham", "GPE", 2, 3), ("Corvex", "PERSON", 5, 8), ("Corvex", "ORG", 1, 2)]
    words = person_words([("Ines Kowalczyk", "PERSON", 2), ("Veltham Museum", "ORG", 3)])
    assert vote(rows, is_place, words) == {"veltham": "GPE", "corvex": "ORG"}


def test_a_one_name_person_seen_widely_stays_a_person():
    rows = [("Ronaldinho", "PERSON", 30, 60), ("Ronaldinho", "GPE", 1, 1)]
    assert vote(rows, is_place, frozenset()) == {"ronaldinho": "PERSON"}


def test_person_words_are_the_first_and_last_words_of_full_person_names():
    rows = [("Jonas Ferreira", "PERSON", 2), ("George W Bush", "PERSON", 4), ("Almwick Athletic", "ORG", 3)]
    assert person_words(rows) == {"jonas", "ferreira", "george", "bush"}


def test_voted_totals_add_up_the_labels():
    rows = [("Halvorsen Group", "ORG", 9, 20), ("halvorsen group", "PERSON", 1, 1)]
    assert totals(rows, {"halvorsen group": "ORG"}) == {"halvorsen group": ("Halvorsen Group", "ORG", 10, 21)}


def test_a_surname_joins_the_one_full_name_it_ends():
    rows = [("Okonjo", "PERSON", 2), ("Ngozi Okonjo", "PERSON", 5)]
    assert aliases(rows) == {"Okonjo": "Ngozi Okonjo"}


def test_two_different_smiths_never_merge():
    rows = [("Smith", "PERSON", 4), ("Delia Smith", "PERSON", 6), ("John Smith", "PERSON", 7)]
    assert aliases(rows) == {}


def test_a_surname_that_is_mostly_something_else_stays_apart():
    rows = [("Bolton", "PERSON", 1), ("Bolton", "ORG", 6), ("John Bolton", "PERSON", 5)]
    assert aliases(rows) == {}


def test_transliterations_of_one_full_name_join_the_most_common():
    rows = [
        ("Volodymyr Zelensky", "PERSON", 9),
        ("Volodymyr Zelenskiy", "PERSON", 3),
        ("Volodymyr Zelenskyy", "PERSON", 2),
    ]
    assert aliases(rows) == {"Volodymyr Zelenskiy": "Volodymyr Zelensky", "Volodymyr Zelenskyy": "Volodymyr Zelensky"}


def test_different_people_with_similar_surnames_stay_apart():
    rows = [
        ("John McCall", "PERSON", 3),
        ("John McCain", "PERSON", 9),
        ("Tim Collier", "PERSON", 3),
        ("Tim Collins", "PERSON", 4),
    ]
    assert aliases(rows) == {}


def test_party_singular_joins_its_plural():
    rows = [("Social Democrat", "NORP", 3), ("Social Democrats", "ORG", 8)]
    assert aliases(rows) == {"Social Democrat": "Social Democrats"}


def test_a_singular_better_known_than_its_plural_stays_apart():
    rows = [("American", "NORP", 105), ("American", "ORG", 1), ("Americans", "NORP", 24)]
    assert aliases(rows) == {}
