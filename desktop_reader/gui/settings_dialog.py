"""SettingsDialog: data folder, entity model, reader font size and theme."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QWidget,
)

from desktop_reader.library import Library
from desktop_reader.settings import THEMES, Settings


def installed_models() -> list[str]:
    """spaCy pipelines the entity extractor can use; empty when it can't tell."""
    try:
        return Library.installed_models()
    except Exception:  # a broken spaCy install must not stop the dialog from opening
        return []


class SettingsDialog(QDialog):
    """Edits a copy of the settings; `result_settings()` gives the edited value after accept."""

    def __init__(self, current: Settings, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Settings")
        self._current = current
        self._data_dir = data_dir

        folder = QLabel(str(data_dir))
        folder.setWordWrap(True)
        folder.setToolTip("Set another folder with --data-dir or the DESKTOP_READER_HOME environment variable.")
        open_folder = QPushButton("Show")
        open_folder.clicked.connect(self.on_show_folder_clicked)
        folder_row = QHBoxLayout()
        folder_row.addWidget(folder, 1)
        folder_row.addWidget(open_folder)

        self.model = QComboBox()
        self.model.addItem("Best installed English model", "")
        for name in installed_models():
            self.model.addItem(name, name)
        if current.entity_model and self.model.findData(current.entity_model) < 0:
            self.model.addItem(current.entity_model, current.entity_model)
        self.model.setCurrentIndex(max(0, self.model.findData(current.entity_model)))
        self.model.setToolTip("Used for articles imported from now on; Rebuild keeps existing entities.")

        self.font_size = QSpinBox()
        self.font_size.setRange(6, 48)
        self.font_size.setSuffix(" pt")
        self.font_size.setValue(current.font_size)

        self.theme = QComboBox()
        for theme in THEMES:
            self.theme.addItem(theme.capitalize(), theme)
        self.theme.setCurrentIndex(max(0, self.theme.findData(current.theme)))

        self.mark_read = QSpinBox()
        self.mark_read.setRange(0, 600)
        self.mark_read.setSuffix(" s")
        self.mark_read.setSpecialValueText("Never (only by hand)")
        self.mark_read.setValue(current.mark_read_seconds)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Data folder", folder_row)
        form.addRow("Entity model", self.model)
        form.addRow("Reader font size", self.font_size)
        form.addRow("Theme", self.theme)
        form.addRow("Mark read after", self.mark_read)
        form.addRow(buttons)

    def result_settings(self) -> Settings:
        return replace(
            self._current,
            entity_model=str(self.model.currentData() or ""),
            font_size=self.font_size.value(),
            theme=str(self.theme.currentData()),
            mark_read_seconds=self.mark_read.value(),
        )

    def on_show_folder_clicked(self) -> None:
        from desktop_reader.gui.reader_view import open_url

        open_url(QUrl.fromLocalFile(str(self._data_dir)))
