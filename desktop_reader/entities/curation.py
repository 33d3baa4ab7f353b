"""User curation rules (merge, rename, retype, ignore, alias) and how they rewrite entities (pure)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from desktop_reader.models import ENTITY_GROUPS, Entity, EntityRule, fold_entity_name

Rule = EntityRule
fold = fold_entity_name

RULE_KINDS = ("merge", "rename", "retype", "ignore", "alias")
# Kinds that send one name to another; the newest such rule for a name wins.
NAMING_KINDS = frozenset({"merge", "rename", "alias"})

# What `--type` accepts besides spaCy's own labels; "place" means every place label when filtering.
_TYPE_WORDS: dict[str, tuple[str, ...]] = {
    "person": ("PERSON",),
    "people": ("PERSON",),
    "persons": ("PERSON",),
    "org": ("ORG",),
    "orgs": ("ORG",),
    "organisation": ("ORG",),
    "organisations": ("ORG",),
    "organization": ("ORG",),
    "organizations": ("ORG",),
    "place": ("GPE", "LOC", "FAC"),
    "places": ("GPE", "LOC", "FAC"),
    "location": ("LOC",),
    "date": ("DATE",),
    "dates": ("DATE",),
    "group": ("NORP",),
    "nationality": ("NORP",),
    "event": ("EVENT",),
    "events": ("EVENT",),
    "law": ("LAW",),
    "laws": ("LAW",),
    "work": ("WORK_OF_ART",),
    "product": ("PRODUCT",),
    "products": ("PRODUCT",),
}


class UnknownType(ValueError):
    """A `--type` word that is neither a known word nor a spaCy label."""

    def __init__(self, word: str) -> None:
        self.word = word
        super().__init__(f"unknown entity type {word!r}; use one of: {', '.join(valid_types())}")


def valid_types() -> list[str]:
    """Every word `parse_types` accepts, for a usage message."""
    return sorted(_TYPE_WORDS) + sorted(ENTITY_GROUPS)


def parse_types(word: str) -> tuple[str, ...]:
    """The spaCy labels a type word means ("person" -> PERSON, "place" -> GPE, LOC, FAC; "gpe" -> GPE).

    Raises:
        UnknownType: the word names no type.
    """
    key = word.strip()
    if key.lower() in _TYPE_WORDS:
        return _TYPE_WORDS[key.lower()]
    if key.upper() in ENTITY_GROUPS:
        return (key.upper(),)
    raise UnknownType(word)


def parse_type(word: str) -> str:
    """The one label to give a name when retyping ("place" -> GPE)."""
    return parse_types(word)[0]


@dataclass(frozen=True)
class Curation:
    """The rules resolved into lookups; `apply` rewrites one article's entities with them."""

    names: dict[str, str] = field(default_factory=dict)  # folded source -> final display name
    labels: dict[str, str] = field(default_factory=dict)  # folded final name -> label
    ignored: frozenset[str] = frozenset()
    typed: dict[str, str] = field(default_factory=dict)  # folded name -> a spelling a rule used for it
    voted: dict[str, str] = field(default_factory=dict)  # folded name -> its archive-wide label (automatic)

    @classmethod
    def build(cls, rules: Sequence[Rule], voted: dict[str, str] | None = None) -> Curation:
        """Resolve rules in the order made (later ones win), following chains (A -> B, B -> C).

        `voted`: the archive-wide label of names seen under several (consistency.vote); a rule overrides it.
        """
        step: dict[str, str] = {}
        labels: dict[str, str] = {}
        ignored: set[str] = set()
        typed: dict[str, str] = {}
        for rule in rules:
            key = fold(rule.name)
            typed.setdefault(key, rule.name)
            if rule.target:
                typed.setdefault(fold(rule.target), rule.target)
            if rule.kind in NAMING_KINDS and rule.target:
                target = fold(rule.target)
                if target != key:
                    step[key] = rule.target
                else:
                    step.pop(key, None)
                if rule.label:
                    labels[target] = rule.label
            elif rule.kind == "retype" and rule.label:
                labels[key] = rule.label
            elif rule.kind == "ignore":
                ignored.add(key)
        names: dict[str, str] = {}
        for key in step:
            seen = {key}
            final = step[key]
            while fold(final) in step and fold(final) not in seen:
                seen.add(fold(final))
                final = step[fold(final)]
            names[key] = final
        # A retype given to a name that was later merged away moves to where the name went.
        for key in list(labels):
            if key in names and fold(names[key]) not in labels:
                labels[fold(names[key])] = labels[key]
        return cls(names, labels, frozenset(ignored), typed, dict(voted or {}))

    def __bool__(self) -> bool:
        return bool(self.names or self.labels or self.ignored or self.voted)

    def name_of(self, text: str, label: str) -> tuple[str, str] | None:
        """The curated (name, label) of a name found with `label`; None when it is ignored."""
        key = fold(text)
        if key in self.ignored:
            return None
        final = self.names.get(key, text)
        fkey = fold(final) if final is not text else key
        if fkey in self.ignored:
            return None
        return final, self.labels.get(fkey) or self.voted.get(fkey) or label

    def touches(self, text: str) -> bool:
        """Whether any rule changes this name."""
        key = fold(text)
        return key in self.names or key in self.labels or key in self.ignored

    def sources_of(self, final: str) -> set[str]:
        """Folded names that end up as `final` (itself included)."""
        key = fold(final)
        return {k for k, v in self.names.items() if fold(v) == key} | {key}

    def finals(self) -> dict[str, str]:
        """Folded key -> display name of every name a rule changes (ignored ones left out)."""
        out = {fold(v): v for v in self.names.values()}
        for key in self.labels:
            out.setdefault(key, self.typed.get(key, key))
        return {k: v for k, v in out.items() if k not in self.ignored}

    def touched(self) -> set[str]:
        """Folded names whose archive-wide counts the rules change."""
        return set(self.names) | set(self.finals()) | set(self.ignored)

    def spellings_of(self, final: str) -> set[str]:
        """The names (as rules spelled them, and folded) that end up as `final`."""
        keys = self.sources_of(final)
        return keys | {self.typed[k] for k in keys if k in self.typed}

    def apply(self, entities: Iterable[Entity]) -> tuple[Entity, ...]:
        """One article's entities with the rules applied: renamed, relabelled, merged, ignored ones gone.

        Names that become one are one entity with all their mentions; most mentioned first.
        """
        entities = tuple(entities)
        if not self:
            return entities
        groups: dict[str, list[tuple[str, str, Entity]]] = {}
        for entity in entities:
            named = self.name_of(entity.text, entity.label)
            if named is not None:
                groups.setdefault(fold(named[0]), []).append((named[0], named[1], entity))
        out = []
        for members in groups.values():
            if len(members) == 1:
                name, label, entity = members[0]
                out.append(Entity(name, label, entity.count, entity.mentions))
                continue
            mentions = tuple(sorted({m for _, _, e in members for m in e.mentions}))
            weight: dict[str, int] = {}
            for _, label, entity in members:
                weight[label] = weight.get(label, 0) + entity.count
            label = max(weight, key=lambda lab: weight[lab])
            out.append(Entity(members[0][0], label, len(mentions), mentions))
        return tuple(sorted(out, key=lambda e: (-e.count, e.text)))

    def apply_pairs(self, pairs: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
        """(text, label) pairs as the index takes them, curated; each curated name once."""
        out: dict[str, tuple[str, str]] = {}
        for text, label in pairs:
            named = self.name_of(text, label)
            if named is not None:
                out.setdefault(fold(named[0]), named)
        return tuple(out.values())
