"""The import report: counts worded right, files shown relative to what was imported."""

from __future__ import annotations

import os

from desktop_reader.gui.import_report import ImportReportDialog, summary
from desktop_reader.models import ImportOutcome, ImportReport


def test_files_are_shown_relative_to_the_imported_folder(qtbot, tmp_path):
    root = tmp_path / "clips"
    a, b = root / "2019" / "tide.txt", root / "2020" / "tide.txt"
    report = ImportReport(
        (
            ImportOutcome(str(a), "imported", 1, "Tide"),
            ImportOutcome(str(b), "duplicate", 1, "Tide", "same content as clips/2019/tide.txt (article 1)"),
            ImportOutcome(str(root / "README.md"), "skipped", error="describes its folder"),
        ),
        roots=(str(root),),
    )
    dialog = ImportReportDialog(report)
    qtbot.addWidget(dialog)
    shown = [dialog.details.topLevelItem(i).text(0) for i in range(dialog.details.topLevelItemCount())]
    assert shown == [os.path.join("clips", "2020", "tide.txt"), os.path.join("clips", "README.md")]
    assert summary(report) == "1 imported, 1 duplicate, 1 skipped, 0 failed."


def test_members_of_a_container_and_warnings_are_listed(qtbot, tmp_path):
    warc = str(tmp_path / "crawl.warc.gz")
    report = ImportReport(
        (
            ImportOutcome(warc, "imported", 1, "Tide", member="https://example.org/tide"),
            ImportOutcome(warc, "failed", error="damaged record, skipped", member="record at byte 5120"),
            ImportOutcome(str(tmp_path / "scan.pdf"), "imported", 2, "Scan", warnings=("no text layer: 2 pages",)),
        ),
        roots=(warc, str(tmp_path / "scan.pdf")),
    )
    dialog = ImportReportDialog(report)
    qtbot.addWidget(dialog)
    rows = [
        tuple(dialog.details.topLevelItem(i).text(c) for c in range(3))
        for i in range(dialog.details.topLevelItemCount())
    ]
    assert rows == [
        ("crawl.warc.gz › record at byte 5120", "failed", "damaged record, skipped"),
        ("scan.pdf", "imported, with a warning", "no text layer: 2 pages"),
    ]
