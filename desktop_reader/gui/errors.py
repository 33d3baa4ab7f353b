"""How the window presents failures: a ReaderError's own message, or a logged bug and where its log is."""

from __future__ import annotations

import logging
import traceback
from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop_reader import paths
from desktop_reader.errors import ReaderError

log = logging.getLogger(__name__)


def message_for(exc: BaseException) -> str:
    """The text the user sees; anything but a ReaderError is logged with its traceback first."""
    if isinstance(exc, ReaderError):
        return str(exc)
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)).rstrip()
    log.error("Unexpected error: %s", details)
    _append_to_log(details)
    return (
        f"Something went wrong inside desktop-reader ({type(exc).__name__}: {exc}).\n\n"
        f"The details were written to {paths.log_file()}; "
        "please include that file when reporting the problem."
    )


def _append_to_log(details: str) -> None:
    # Written directly, not only through logging: the message promises the file holds the
    # details even when no handler was configured (tests, embedding).
    try:
        with paths.log_file().open("a", encoding="utf-8") as out:
            out.write(f"{datetime.now(UTC).isoformat(timespec='seconds')} ERROR {details}\n")
    except OSError:
        log.warning("Could not write to %s", paths.log_file())


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """Tell the user about `exc` without blocking the event loop (tests monkeypatch this)."""
    box = QMessageBox(QMessageBox.Icon.Warning, "desktop-reader", message_for(exc), parent=parent)
    box.setObjectName("errorBox")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
