"""Archive-wide consistency: one type per name, voted over all its mentions with gazetteer evidence (pure)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable

from desktop_reader.models import fold_entity_name as fold

# The winning label must carry this share of the weighted evidence; below it the evidence really
# differs (Jordan the country and Jordan the player), and each article keeps its own label.
MIN_SHARE = 0.6
# An article that names it counts for more than a further mention inside the same article: the
# model's mistakes repeat within an article (one misread context), less across articles.
ARTICLE_WEIGHT, MENTION_WEIGHT = 1.0, 0.25
# A one-word "person" the archive never gives a first name or a surname to (no full person name has it
# as its first or last word) is weak evidence: the small models call any unknown capitalised word a
# person, so its other labels outvote it ("Betamax", "Firefox"), while a true one-name person seen in
# many articles and rarely otherwise (Ronaldinho) keeps enough weight to stay a person.
LONE_PERSON_WEIGHT = 0.1
_PLACE_LABELS = ("GPE", "LOC", "FAC")
_NEVER_PLACES = frozenset({"PERSON", "ORG", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW"})


def vote(
    rows: Iterable[tuple[str, str, int, int]],
    is_place: Callable[[str], bool],
    person_words: Collection[str] = (),
) -> dict[str, str]:
    """Folded name -> the label it gets everywhere, for names stored under more than one label.

    Args:
        rows: (text, label, articles, mentions) archive totals of the contested names.
        is_place: whether a name is a known country, state or major city (the gazetteer).
        person_words: folded first and last words of the archive's full person names (`person_words`);
            a one-word person name outside them weighs LONE_PERSON_WEIGHT.

    A known place takes its place label whenever any article saw it as one; otherwise the label with
    at least MIN_SHARE of the weight wins, and names without such a majority get no entry.
    """
    weights: dict[str, dict[str, float]] = {}
    spelled: dict[str, str] = {}
    for text, label, articles, mentions in rows:
        key = fold(text)
        spelled.setdefault(key, text)
        by_label = weights.setdefault(key, {})
        weight = ARTICLE_WEIGHT * articles + MENTION_WEIGHT * mentions
        if label == "PERSON" and " " not in key and key not in person_words:
            weight *= LONE_PERSON_WEIGHT
        by_label[label] = by_label.get(label, 0.0) + weight
    out: dict[str, str] = {}
    for key, by_label in weights.items():
        if len(by_label) < 2:
            continue
        places = [lab for lab in _PLACE_LABELS if lab in by_label]
        if places and is_place(spelled[key]):
            out[key] = max(places, key=lambda lab: by_label[lab])
            continue
        best = max(by_label, key=lambda lab: by_label[lab])
        if by_label[best] >= MIN_SHARE * sum(by_label.values()):
            out[key] = best
    return out


def person_words(rows: Iterable[tuple[str, str, int]]) -> frozenset[str]:
    """Folded first and last words of the full person names among (text, label, articles) totals."""
    words: set[str] = set()
    for text, label, _articles in rows:
        parts = fold(text).split()
        if label == "PERSON" and len(parts) >= 2:
            words.update((parts[0], parts[-1]))
    return frozenset(words)


def totals(rows: Iterable[tuple[str, str, int, int]], voted: dict[str, str]) -> dict[str, tuple[str, str, int, int]]:
    """Folded name -> (most common spelling, voted label, articles, mentions) for the voted names.

    Exact: an article holds one label per name, so the per-label counts of a name add up.
    """
    out: dict[str, tuple[str, str, int, int]] = {}
    best: dict[str, int] = {}
    for text, _label, articles, mentions in rows:
        key = fold(text)
        if key not in voted:
            continue
        shown, label, a, m = out.get(key, (text, voted[key], 0, 0))
        if articles > best.get(key, -1):
            shown, best[key] = text, articles
        out[key] = (shown, label, a + articles, m + mentions)
    return out


# A bare surname counts as the one full name it ends, only when that full name is this widespread.
MIN_FULL_NAME_ARTICLES = 3
PERSON_SHARE = 0.8
_GROUP_LABELS = frozenset({"ORG", "NORP"})


def aliases(rows: Iterable[tuple[str, str, int]]) -> dict[str, str]:
    """Name -> the name it stands for across the archive, found conservatively from (text, label, articles).

    - A one-word person name is the full person name it is the last word of, when exactly one such full
      name exists in the archive (in MIN_FULL_NAME_ARTICLES articles or more). Two different Smiths never
      merge: with "John Smith" and "Delia Smith" both known, a bare "Smith" stays as it is.
    - A spelling variant of a full person name with the same first name and a surname that differs only
      in a final -y/-i or in one vowel (Zelensky / Zelenskiy / Zelenskyy) is the most widespread one.
    - The singular of an organisation or group whose plural is also known (Lib Dem / Lib Dems) is the
      plural when the plural is the more widespread.
    """
    folded = [(fold(t), t, lab, a) for t, lab, a in rows]
    persons = {key: (t, a) for key, t, lab, a in folded if lab == "PERSON"}
    everywhere: dict[str, int] = {}
    for key, _text, _label, articles in folded:
        everywhere[key] = everywhere.get(key, 0) + articles
    out: dict[str, str] = {}
    by_surname: dict[str, list[tuple[str, int]]] = {}
    first_names: set[str] = set()
    for key, (text, articles) in persons.items():
        words = key.split()
        if len(words) >= 2:
            by_surname.setdefault(words[-1], []).append((text, articles))
            first_names.add(words[0])
    for key, (text, articles) in persons.items():
        if " " in key or key in first_names or not text[:1].isupper():  # "David" may be any David
            continue
        full = by_surname.get(key, [])
        # The bare name must be a person almost everywhere it occurs: "Bolton" the town stays apart.
        if (
            len(full) == 1
            and full[0][1] >= max(MIN_FULL_NAME_ARTICLES, articles)  # the full name is the better known
            and articles >= PERSON_SHARE * everywhere[key]
            and _name_like(full[0][0])
        ):
            out[text] = full[0][0]
    by_first: dict[tuple[str, str], list[tuple[str, int]]] = {}
    for key, (text, articles) in persons.items():
        words = key.split()
        if len(words) == 2 and len(words[1]) >= 5:
            by_first.setdefault((words[0], words[1][:4]), []).append((text, articles))
    for variants in by_first.values():
        if len(variants) < 2:
            continue
        best = max(variants, key=lambda v: v[1])
        for text, _ in variants:
            if text != best[0] and _variant(fold(text).split()[1], fold(best[0]).split()[1]):
                out[text] = best[0]
    groups: dict[str, tuple[str, set[str]]] = {}
    for key, text, label, _articles in folded:
        if label in _GROUP_LABELS:
            shown, labels = groups.get(key, (text, set()))
            groups[key] = (shown, labels | {label})
    for key, (text, labels) in groups.items():
        plural = groups.get(key + "s")
        # Parties and their members: one of the two is a group (NORP) to the model ("Lib Dem", "Lib Dems"),
        # and the plural is the better known (counted over all its labels: "American" stays apart).
        if (
            plural is not None
            and everywhere[key + "s"] >= everywhere[key]
            and len(key) >= 4
            and "NORP" in labels | plural[1]
        ):
            out[text] = plural[0]
    return {k: v for k, v in out.items() if fold(k) != fold(v)}


def _name_like(text: str) -> bool:
    """Two or three capitalised words, as a person's full name is ("Rafael Nadal", not "Shylock and Fagin")."""
    words = text.split()
    return 2 <= len(words) <= 3 and all((w[:1].isupper() and w[1:2] != w[1:2].upper()) or len(w) <= 2 for w in words)


def _variant(a: str, b: str) -> bool:
    """Surnames that are transliterations of one another: the same but for a final -y/-i/-iy/-yy
    (Zelensky, Zelenskiy, Zelenskyy) or for one vowel (Yanukovich, Yanukovych)."""
    if min(len(a), len(b)) < 5:
        return False
    if a.rstrip("iy") == b.rstrip("iy") and len(a.rstrip("iy")) >= 5:
        return True
    if len(a) != len(b):
        return False
    diffs = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return len(diffs) == 1 and all(c in "aeiouy" for c in diffs[0])
