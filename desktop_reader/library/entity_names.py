"""EntityNames: the Library's view of the archive's names (listings, facets) and the user's curation of them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from desktop_reader.entities.curation import Rule, fold, parse_type, parse_types
from desktop_reader.jobs.curating import Curated, Curator
from desktop_reader.models import ENTITY_GROUPS, Facet
from desktop_reader.storage.user_data import UserData
from desktop_reader.storage.write_lock import WriteLock

if TYPE_CHECKING:
    from desktop_reader.search.index import SearchIndex

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class EntityCount:
    """An entity with how many articles mention it and how often."""

    text: str
    label: str
    articles: int
    mentions: int


class EntityNames:
    """Library methods over entity names; curation rules apply at once, the index catches up (sync_index).

    A part of `Library` (its one facade), kept apart because the curation vocabulary is its own.
    """

    data_dir: Path
    index: SearchIndex
    user_data: UserData
    curator: Curator

    def facets(
        self,
        query: str = "",
        *,
        limit: int = 30,
        filters: Sequence[tuple[str, str]] = (),
        per_type: int | None = None,
    ) -> list[Facet]:
        """The entities in most of a query's results ("" : the whole archive), curated names.

        Counted by results mentioning them, not mentions. `per_type`: up to that many of each type
        group (people, organisations, places, dates, other) instead of the `limit` overall.
        """
        wanted = 1_000_000 if per_type else limit
        facets = self.curator.facets(self.index.facets(query, limit=wanted, filters=filters, user=self.user_data))
        if not per_type:
            return facets[:limit]
        taken: dict[str, int] = {}
        out = []
        for facet in facets:
            group = ENTITY_GROUPS.get(facet.label, "Other")
            if taken.get(group, 0) < per_type:
                taken[group] = taken.get(group, 0) + 1
                out.append(facet)
        return out

    def entities(self, *, label: str | None = None, query: str = "", limit: int = 50) -> list[EntityCount]:
        """Entities archive-wide, or within a query's results, most widespread first.

        `label`: a spaCy label or a type word ("person", "place": every place label).
        """
        labels = parse_types(label) if label else None
        if not query.strip():
            return [EntityCount(t.text, t.label, t.articles, t.mentions) for t in self.curator.totals(labels, limit)]
        facets = [f for f in self.facets(query, limit=max(limit * 4, 200)) if not labels or f.label in labels]
        facets = facets[:limit]
        mentions = self.curator.mentions_in(self.index.matching_ids(query, user=self.user_data))
        return [EntityCount(f.text, f.label, f.articles, mentions.get(fold(f.text), 0)) for f in facets]

    def entity_rules(self) -> list[Rule]:
        """Every curation rule, oldest first."""
        return self.curator.book.rules()

    def merge_entities(self, names: Sequence[str], into: str, *, label: str = "") -> Curated:
        """Count every name in `names` as `into` (label: a type word or spaCy label; default: into's)."""
        return self._curate(lambda: self.curator.merge(names, into, parse_type(label) if label else ""))

    def rename_entity(self, old: str, new: str) -> Curated:
        return self._curate(lambda: self.curator.rename(old, new))

    def retype_entity(self, name: str, label: str) -> Curated:
        return self._curate(lambda: self.curator.retype(name, parse_type(label)))

    def ignore_entities(self, names: Sequence[str]) -> Curated:
        """Never count these names as entities again (until unignored)."""
        return self._curate(lambda: self.curator.ignore(names))

    def unignore_entity(self, name: str) -> Curated:
        return self._curate(lambda: self.curator.unignore(name))

    def alias_entity(self, name: str, existing: str) -> Curated:
        """Count `name` as the existing entity `existing`, wherever it occurs."""
        return self._curate(lambda: self.curator.alias(name, existing))

    def undo_curation(self) -> Curated | None:
        """Take back the last curation action; None when there is nothing to undo."""
        return self._curate(self.curator.undo)

    def last_curation(self) -> str:
        """What `undo_curation` would take back ("" when nothing)."""
        return self.curator.book.last_action()

    def export_rules(self, path: Path | str) -> int:
        """Write every rule to a JSON file; returns how many."""
        return self.curator.export(Path(path))

    def import_rules(self, path: Path | str) -> Curated:
        """Add the rules of an exported JSON file."""
        return self._curate(lambda: self.curator.import_rules(Path(path)))

    def _curate(self, action: Callable[[], T]) -> T:
        with WriteLock(self.data_dir).held():
            return action()
