"""Paths and helpers shared by every test package: the repository, ../shared, test data and samples."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
DATA = REPO / "tests" / "data"
SAMPLES = REPO / "resources" / "samples"


def shared(*parts: str) -> Path:
    """A path in ../shared, or a clean skip when that material is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path
