"""Mention: one cleaned occurrence of a name in an article."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Mention:
    """One cleaned occurrence of a name; `text` has single spaces, the offsets point into the article."""

    text: str
    label: str
    start: int
    end: int
