"""A status-bar panel for the running job: count, current file and Cancel, shown only after half a second."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from desktop_reader.progress import Progress

SHOW_AFTER_MS = 500  # quick jobs finish before this and never flash a panel (the Anki pattern)


class ProgressPanel(QWidget):
    """Progress of the running job, kept hidden until the job has run for SHOW_AFTER_MS.

    Signals:
        cancel_requested(): the user pressed Cancel.
    """

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("progressPanel")
        self.label = QLabel()
        self.label.setMinimumWidth(260)
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(220)
        self.bar.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self.delay = QTimer(self)
        self.delay.setSingleShot(True)
        self.delay.setInterval(SHOW_AFTER_MS)
        self.delay.timeout.connect(self.show)
        self.cancel_button.clicked.connect(self.on_cancel_clicked)
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.hide()

    @Slot(str)
    def begin(self, title: str) -> None:
        self.title = title
        self.label.setText(title)
        self.bar.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self.delay.start()

    @Slot(object)
    def update_step(self, step: Progress) -> None:
        if step.total:
            self.bar.setRange(0, step.total)
            self.bar.setValue(step.done)
            self.bar.setFormat(f"{step.done:,} / {step.total:,}")
        self.label.setText(progress_text(self.title, step.label))

    @Slot()
    def end(self) -> None:
        self.delay.stop()
        self.hide()

    @Slot()
    def on_cancel_clicked(self) -> None:
        self.cancel_button.setEnabled(False)
        self.label.setText("Cancelling…")


def progress_text(title: str, label: str) -> str:
    """The panel's line: "Importing 240.txt" for a file, "Importing: looking for files…" for a phase.

    A step's label is either a file or a phrase of its own, and two phrases read as one
    ("Importing Looking for files…") without the colon.
    """
    if not label:
        return title
    if "/" in label or "\\" in label or re.fullmatch(r"\S+\.\w{1,8}", label):
        return f"{title} {Path(label).name}"  # the current file, without its long folder
    if not title:
        return label
    return f"{title}: {label[:1].lower()}{label[1:]}"
