"""Editing tags: the dialog for one or many selected articles, and the tag line above the reader."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)


def split_tags(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


class _TagCompleter(QCompleter):
    """Completes the tag being typed after the last comma."""

    def pathFromIndex(self, index) -> str:
        done = self.widget().text().rsplit(",", 1)[0] if "," in self.widget().text() else ""
        return (done + ", " if done else "") + str(index.data())

    def splitPath(self, path: str) -> list[str]:
        return [path.rsplit(",", 1)[-1].strip()]


class TagDialog(QDialog):
    """Asks for the tags of one or more articles, comma-separated, completing known tags.

    For several articles it starts from the tags they all share: tags some of them have are
    left alone, so assigning a tag to a selection never strips their other tags.
    """

    def __init__(self, common: list[str], known: list[str], count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Tags" if count == 1 else f"Tags of {count} articles")
        self.common = common
        self.field = QLineEdit(", ".join(common))
        self.field.setObjectName("tagField")
        self.field.setPlaceholderText("tag, another tag")
        completer = _TagCompleter(QStringListModel(sorted(known, key=str.lower)), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setWidget(self.field)
        self.field.setCompleter(completer)
        hint = "Comma-separated; new tags are created." + (
            "" if count == 1 else " Tags only some have stay as they are."
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.field)
        layout.addWidget(QLabel(hint))
        layout.addWidget(buttons)
        self.resize(420, self.sizeHint().height())

    def changes(self) -> tuple[list[str], list[str]]:
        """(tags to add, tags to remove) relative to the shared tags it started from."""
        wanted = split_tags(self.field.text())
        lower = {t.lower() for t in wanted}
        had = {t.lower() for t in self.common}
        return [t for t in wanted if t.lower() not in had], [t for t in self.common if t.lower() not in lower]


class ArticleTagBar(QWidget):
    """The shown article's tags in one quiet line above the reader, with a button to edit them.

    Signals:
        edit_requested(): the user wants to change the tags.
    """

    edit_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("articleTagBar")
        self.label = QLabel()
        self.label.setObjectName("articleTags")
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Many tags must not widen the reader's column: the line is cut instead.
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.button = QToolButton()
        self.button.setText("Tags…")
        self.button.setToolTip("Edit this article's tags (Ctrl+T)")
        self.button.setAutoRaise(True)
        self.button.clicked.connect(self.edit_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 2, 8, 2)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)

    def set_tags(self, tags: tuple[str, ...] | None, read: bool = False) -> None:
        """None: no article shown."""
        self.setVisible(tags is not None)
        if tags is None:
            return
        shown = "  ".join(f"#{t}" for t in tags) if tags else "No tags"
        self.label.setText(f"{shown}    ·    {'Read' if read else 'Unread'}")
