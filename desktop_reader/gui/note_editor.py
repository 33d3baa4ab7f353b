"""NoteEditor: the article's Markdown note beside the reader, saved a moment after typing stops."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

SAVE_AFTER_MS = 800


class _Editor(QPlainTextEdit):
    focus_lost = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.focus_lost.emit()


class NoteEditor(QWidget):
    """One note per article; `note_edited` fires once typing pauses, on focus loss and on switching article.

    Signals:
        note_edited(int, str): article id and its note's new text (only when it changed).
    """

    note_edited = Signal(int, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noteEditor")
        self.editor = _Editor()
        self.editor.setObjectName("noteText")
        self.editor.setPlaceholderText("Your note on this article (Markdown). Saved as you type.")
        self.status = QLabel("")
        self.status.setObjectName("noteStatus")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.status)
        self.article_id: int | None = None
        self._saved = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_AFTER_MS)
        self._timer.timeout.connect(self.flush)
        self.editor.textChanged.connect(self._on_text_changed)
        self.editor.focus_lost.connect(self.flush)
        self.setEnabled(False)

    def set_note(self, article_id: int | None, text: str) -> None:
        """Show another article's note (the current one is saved first)."""
        self.flush()
        self.article_id = article_id
        self._saved = text
        self.editor.blockSignals(True)
        self.editor.setPlainText(text)
        self.editor.blockSignals(False)
        self.editor.document().clearUndoRedoStacks()
        self.status.setText("")
        self.setEnabled(article_id is not None)

    def show_saved(self, article_id: int, text: str) -> None:
        """Show the note as stored now (after an undo) without saving what the editor held."""
        self._timer.stop()
        self.article_id = article_id
        self._saved = text
        self.editor.blockSignals(True)
        self.editor.setPlainText(text)
        self.editor.blockSignals(False)

    @property
    def text(self) -> str:
        return self.editor.toPlainText()

    @Slot()
    def _on_text_changed(self) -> None:
        self.status.setText("Editing…")
        self._timer.start()

    @Slot()
    def flush(self) -> None:
        """Save now if the text differs from what was saved."""
        self._timer.stop()
        if self.article_id is None:
            return
        text = self.editor.toPlainText()
        if text.strip() != self._saved.strip():
            self._saved = text
            self.note_edited.emit(self.article_id, text)
        self.status.setText("Saved." if text.strip() else "")
