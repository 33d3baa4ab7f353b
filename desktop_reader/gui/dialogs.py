"""The few blocking questions the window asks, behind functions tests can replace."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

# Offered in the file picker; the importer decides for real (and reports anything else).
_PAGES = "*.html *.htm *.xhtml *.mhtml *.mht *.txt *.md *.markdown"
_DOCUMENTS = "*.pdf *.epub"
_ARCHIVES = "*.warc *.warc.gz *.wacz *.webarchive"
_EXPORTS = "*.json *.zip"  # Wallabag's JSON, Omnivore's ZIP
_FILTER = ";;".join(
    [
        f"Everything desktop_reader reads ({_PAGES} {_DOCUMENTS} {_ARCHIVES} {_EXPORTS})",
        f"Saved pages ({_PAGES})",
        f"PDF and EPUB ({_DOCUMENTS})",
        f"Web archives ({_ARCHIVES})",
        f"Read-later exports: Wallabag, Omnivore ({_EXPORTS})",
        "All files (*)",
    ]
)


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    """Ask a yes/no question; No is the default so a stray Enter never destroys anything."""
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def choose_files(parent: QWidget | None) -> list[Path]:
    names, _ = QFileDialog.getOpenFileNames(parent, "Import files", str(Path.home()), _FILTER)
    return [Path(n) for n in names]


def choose_folder(parent: QWidget | None) -> list[Path]:
    name = QFileDialog.getExistingDirectory(parent, "Import folder", str(Path.home()))
    return [Path(name)] if name else []
