"""The progress panel's text: a file after the job's title, a phase phrase set apart from it."""

from __future__ import annotations

from desktop_reader.gui.progress_panel import progress_text


def test_a_phase_is_not_run_into_the_title() -> None:
    assert progress_text("Importing", "Looking for files…") == "Importing: looking for files…"
    assert progress_text("Repairing the search index", "Checking…") == "Repairing the search index: checking…"


def test_a_file_shows_its_name_after_the_title() -> None:
    assert progress_text("Importing", "/home/u/clips/2019/harbour.html") == "Importing harbour.html"
    assert progress_text("Importing", "harbour.txt") == "Importing harbour.txt"
    assert progress_text("Deleting", "") == "Deleting"
