"""ImportReportDialog: what an import did: imported, duplicates, and each failed file with its reason."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_reader.models import ImportReport


def summary(report: ImportReport) -> str:
    head = "Import cancelled. " if report.cancelled else ""
    skipped = f", {report.skipped:,} skipped" if report.skipped else ""
    duplicates = f"{report.duplicates:,} duplicate{'' if report.duplicates == 1 else 's'}"
    return f"{head}{report.imported:,} imported, {duplicates}{skipped}, {report.failed:,} failed."


class ImportReportDialog(QDialog):
    """A non-modal report; failures and duplicates are listed file by file."""

    def __init__(self, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report = report
        self.setObjectName("importReport")
        self.setWindowTitle("Import report")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(720, 420)
        self.summary = QLabel(summary(report))
        self.summary.setWordWrap(True)
        self.details = QTreeWidget()
        self.details.setHeaderLabels(["File", "Result", "Reason"])
        self.details.setRootIsDecorated(False)
        self.details.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.details.header().setStretchLastSection(True)
        for outcome in report.outcomes:
            if outcome.status == "imported" and not outcome.warnings:
                continue
            # Relative to the imported folder: bare names are ambiguous across its subfolders.
            shown = report.shown_path(outcome.path)
            if outcome.member:  # one record of a WARC, one entry of an export
                shown = f"{shown} › {outcome.member}"
            reason = outcome.error or "; ".join(outcome.warnings)
            status = "imported, with a warning" if outcome.status == "imported" else outcome.status
            item = QTreeWidgetItem([shown, status, reason])
            item.setToolTip(0, outcome.path)
            item.setToolTip(2, reason)
            self.details.addTopLevelItem(item)
        has_details = self.details.topLevelItemCount() > 0
        self.details.setVisible(has_details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        if not has_details:
            self.resize(420, 120)
