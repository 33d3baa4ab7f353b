"""Applying the user's entity rules: change them, mark what the index must catch up, read curated counts."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop_reader.entities import consistency
from desktop_reader.entities.curation import RULE_KINDS, Curation, Rule, fold
from desktop_reader.entities.tidy import is_place
from desktop_reader.errors import ReaderError
from desktop_reader.models import Entity, Facet
from desktop_reader.storage.entity_rules import RuleBook
from desktop_reader.storage.store import Store

RULES_FORMAT = "desktop-reader entity rules"


@dataclass(frozen=True, slots=True)
class Curated:
    """What one curation action did."""

    description: str
    articles: int  # articles whose entities changed; their index entries catch up in the background


@dataclass(frozen=True, slots=True)
class _Automatic:
    """What the archive itself says about its names, as of one library generation."""

    generation: int
    votes: dict[str, str]
    aliases: dict[str, str]


@dataclass(frozen=True, slots=True)
class Total:
    """A curated name with how many articles mention it and how often."""

    text: str
    label: str
    articles: int
    mentions: int


class Curator:
    """The rule operations the Library offers, over the store's rule book."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.book = RuleBook(store)
        self._auto: _Automatic | None = None

    def curation(self) -> Curation:
        """The user's rules over the automatic ones (archive-wide type vote, aliases)."""
        auto = self._automatic()
        rules = [Rule("alias", name, target) for name, target in auto.aliases.items()]
        return Curation.build([*rules, *self.book.rules()], auto.votes)

    def votes(self) -> dict[str, str]:
        """Folded name -> archive-wide label of the names stored under several labels."""
        return self._automatic().votes

    def _automatic(self) -> _Automatic:
        """The automatic resolution as the writer last saved it (re-read when the library changed).

        Readers (the window's thread) only load the saved table; working it out is the writer's job
        (`resolve`), so no reader ever waits for it.
        """
        generation = self.store.generation()
        if self._auto is None or self._auto.generation != generation:
            saved = self.book.automatic()
            votes, aliases = saved if saved is not None else self._work_out()  # a library from before it existed
            self._auto = _Automatic(generation, votes, aliases)
        return self._auto

    def _work_out(self) -> tuple[dict[str, str], dict[str, str]]:
        """Vote and aliases from the archive totals (10-100 ms at 20,000 articles; the model never runs)."""
        everything = self.book.alias_candidates()
        votes = consistency.vote(self.book.contested(), is_place, consistency.person_words(everything))
        return votes, consistency.aliases(everything)

    def resolve(self) -> None:
        """Work out the automatic resolution again and save it (writers call this after storing articles)."""
        votes, aliases = self._work_out()
        self.book.save_automatic(votes, aliases)
        self._auto = _Automatic(self.store.generation(), votes, aliases)

    def revoted(self, before: Curation) -> int:
        """Mark for reindexing the articles of every name the automatic resolution changed since `before`."""
        after = self.curation()
        changed = {k for k in before.voted.keys() | after.voted.keys() if before.voted.get(k) != after.voted.get(k)}
        changed |= {k for k in before.names.keys() | after.names.keys() if before.names.get(k) != after.names.get(k)}
        # A name aliased to a changed one changes with it.
        changed |= {k for names in (before.names, after.names) for k, v in names.items() if fold(v) in changed}
        # Only the mentions whose curated (name, label) differs: a name newly contested by one odd
        # label is voted back to the label most of its articles already had, and those articles
        # are indexed as they were (reindexing them all was most of adding 100 files to 20,000).
        rows = self.book.rows_naming(changed) if changed else []
        differs: dict[tuple[str, str], bool] = {}
        ids: set[int] = set()
        for text, label, article_id, _count in rows:
            pair = (text, label)
            if pair not in differs:
                differs[pair] = before.name_of(text, label) != after.name_of(text, label)
            if differs[pair]:
                ids.add(article_id)
        if ids:
            self.store.mark_indexed(ids, indexed=False)
        return len(ids)

    # -- changing the rules ------------------------------------------------------------------

    def merge(self, names: Sequence[str], into: str, label: str = "") -> Curated:
        names = [n for n in _clean(names) if fold(n) != fold(into)]
        if not into.strip() or not names:
            raise ReaderError("Name at least one entity to merge, and a different name to merge it into.")
        label = label or self._label_of([into, *names])
        rules = [Rule("merge", n, into, label) for n in names]
        return self._change(f"merge {', '.join(names)} into {into}", rules)

    def rename(self, old: str, new: str) -> Curated:
        if not old.strip() or not new.strip() or (fold(old) == fold(new) and old.strip() == new.strip()):
            raise ReaderError("Give the entity's current name and a new one.")
        return self._change(f"rename {old} to {new}", [Rule("rename", old, new, self._label_of([old]))])

    def retype(self, name: str, label: str) -> Curated:
        return self._change(f"retype {name} as {label}", [Rule("retype", name, label=label)])

    def ignore(self, names: Sequence[str]) -> Curated:
        names = _clean(names)
        return self._change(f"ignore {', '.join(names)}", [Rule("ignore", n) for n in names])

    def unignore(self, name: str) -> Curated:
        if not any(r.kind == "ignore" and fold(r.name) == fold(name) for r in self.book.rules()):
            raise ReaderError(f"{name!r} is not ignored.")
        return self._change(f"unignore {name}", remove=[Rule("ignore", name)])

    def alias(self, name: str, existing: str) -> Curated:
        if fold(name) == fold(existing):
            raise ReaderError("An alias must differ from the name it stands for.")
        return self._change(f"alias {name} for {existing}", [Rule("alias", name, existing, self._label_of([existing]))])

    def undo(self) -> Curated | None:
        """Take back the last curation action; None when there is none."""
        before = self.curation()
        undone = self.book.undo()
        if undone is None:
            return None
        description, touched = undone
        return Curated(f"undid: {description}", self._mark(before, touched))

    def export(self, path: Path) -> int:
        rules = [
            {"kind": r.kind, "name": r.name, "target": r.target, "label": r.label, "created": r.created}
            for r in self.book.rules()
        ]
        try:
            path.write_text(
                json.dumps({"format": RULES_FORMAT, "version": 1, "rules": rules}, indent=2, ensure_ascii=False) + "\n",
                encoding="utf-8",
            )
        except OSError as exc:
            raise ReaderError(f"Cannot write the rules to {path}: {exc.strerror or exc}") from exc
        return len(rules)

    def import_rules(self, path: Path) -> Curated:
        """Add the rules of an exported file (a rule for the same name replaces the library's own)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            items = data["rules"] if isinstance(data, dict) else data
            rules = [
                Rule(
                    str(i["kind"]),
                    str(i["name"]),
                    str(i.get("target", "")),
                    str(i.get("label", "")),
                    created=str(i.get("created", "")),
                )
                for i in items
            ]
        except OSError as exc:
            raise ReaderError(f"Cannot read {path}: {exc.strerror or exc}") from exc
        except (ValueError, KeyError, TypeError) as exc:
            raise ReaderError(f"{path} is not an exported rules file ({type(exc).__name__}: {exc}).") from exc
        bad = [r for r in rules if r.kind not in RULE_KINDS or not r.name.strip()]
        if bad:
            raise ReaderError(f"{path} has rules this version does not know: {bad[0].kind!r} for {bad[0].name!r}.")
        return self._change(f"import {len(rules)} rules from {path.name}", rules)

    def _change(self, description: str, add: Sequence[Rule] = (), remove: Sequence[Rule] = ()) -> Curated:
        before = self.curation()
        old = self.book.rules()
        added = self.book.change(description, add, remove)
        gone = [r for r in old if r.id not in {x.id for x in self.book.rules()}]
        return Curated(description, self._mark(before, [*added, *gone]))

    def _mark(self, before: Curation, touched: Iterable[Rule]) -> int:
        """Mark for reindexing every article a name of the touched rules occurs in, whatever it became."""
        after = self.curation()
        names: set[str] = set()
        for rule in touched:
            for name in (rule.name, rule.target):
                if name:
                    names.add(name)
                    names |= before.sources_of(name) | after.sources_of(name)
        ids = self.book.articles_naming(names)
        if ids:
            self.store.mark_indexed(ids, indexed=False)
        return len(ids)

    def _label_of(self, names: Sequence[str]) -> str:
        """The label the given names carry in most articles (the first name's, when it is stored)."""
        for name in names:
            rows = self.book.spellings([name])
            if rows:
                return max(rows, key=lambda r: r[2])[1]
        return ""

    # -- reading curated entities ---------------------------------------------------------

    def totals(self, labels: Sequence[str] | None, limit: int, offset: int = 0) -> list[Total]:
        """Archive-wide curated names, most widespread first; `labels` None for every label."""
        cur = self.curation()
        wanted = set(labels) if labels else None
        touched = cur.touched()
        rows, voted = self.book.contested(), self._automatic().votes
        curated: list[Total] = [
            Total(text, label, articles, mentions)
            for key, (text, label, articles, mentions) in consistency.totals(rows, voted).items()
            if key not in touched and (wanted is None or label in wanted)
        ]
        touched |= set(voted)
        finals = cur.finals()
        merged_into = {fold(v) for v in cur.names.values()}
        counts: dict[str, dict[int, int]] = {}
        label_votes: dict[str, dict[str, int]] = {}
        spelled: dict[str, dict[str, int]] = {}
        wanted_names = {n for display in finals.values() for n in cur.spellings_of(display)}
        for text, label, article_id, count in self.book.rows_naming(wanted_names):
            named = cur.name_of(text, label)
            key = fold(named[0]) if named else ""
            if key not in finals:
                continue
            per_article = counts.setdefault(key, {})
            per_article[article_id] = per_article.get(article_id, 0) + count
            votes = label_votes.setdefault(key, {})
            votes[named[1]] = votes.get(named[1], 0) + 1  # type: ignore[index]
            spellings = spelled.setdefault(key, {})
            spellings[text] = spellings.get(text, 0) + 1
        for key, per_article in counts.items():
            votes = label_votes[key]
            label = max(votes, key=lambda lab: votes[lab])
            display = finals[key]
            if key not in merged_into:  # only retyped: keep its most common stored spelling
                display = max(spelled[key], key=lambda t: spelled[key][t])
            if wanted is None or label in wanted:
                curated.append(Total(display, label, len(per_article), sum(per_article.values())))
        plain: list[Total] = []
        sql = "SELECT text, label, articles, mentions FROM entity_totals"
        args: list[object] = []
        if wanted:
            sql += f" WHERE label IN ({','.join('?' * len(wanted))})"
            args.extend(sorted(wanted))
        sql += " ORDER BY articles DESC, mentions DESC, text"
        need = offset + limit
        for text, label, articles, mentions in self.store._conn().execute(sql, args):
            if fold(text) in touched:
                continue
            plain.append(Total(text, label, int(articles), int(mentions)))
            if len(plain) >= need:
                break
        merged = sorted([*plain, *curated], key=lambda t: (-t.articles, -t.mentions, t.text))
        return merged[offset:need]

    def facets(self, facets: Sequence[Facet]) -> list[Facet]:
        """Index facets with the rules applied, for names the index has not caught up with yet."""
        cur = self.curation()
        if not cur:
            return list(facets)
        out: dict[str, Facet] = {}
        for facet in facets:
            named = cur.name_of(facet.text, facet.label)
            if named is None:
                continue
            key = fold(named[0])
            seen = out.get(key)
            # Until the index has caught up, two spellings in one article count twice; it is brief.
            out[key] = Facet(named[0], named[1], facet.articles + (seen.articles if seen else 0))
        return sorted(out.values(), key=lambda f: (-f.articles, f.text.lower()))

    def mentions_in(self, ids: Sequence[int]) -> dict[str, int]:
        """Curated folded name -> mentions within the given articles."""
        cur = self.curation()
        out: dict[str, int] = {}
        for text, label, _article, count in self.book.mentions_in(ids):
            named = cur.name_of(text, label)
            if named is not None:
                out[fold(named[0])] = out.get(fold(named[0]), 0) + count
        return out

    def entities_of(self, entities: Sequence[Entity]) -> tuple[Entity, ...]:
        return self.curation().apply(entities)


def _clean(names: Iterable[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        name = " ".join(name.split())
        if name and fold(name) not in {fold(n) for n in out}:
            out.append(name)
    return out
