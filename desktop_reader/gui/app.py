"""The QApplication: name, icon, logging, theme, and run() which the CLI calls when no command is given."""

from __future__ import annotations

import gc
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from desktop_reader import __version__, paths
from desktop_reader import settings as settings_mod
from desktop_reader.resources import resource_path, style_sheet

APP_NAME = "desktop-reader"
DISPLAY_NAME = "Desktop Reader"
_ICONS = ("icons/desktop-reader.svg", "icons/desktop-reader.png", "desktop-reader.svg", "desktop-reader.png")

log = logging.getLogger(__name__)


def app_icon() -> QIcon:
    for name in _ICONS:
        path = resource_path(name)
        if path.is_file():
            return QIcon(str(path))
    return QIcon()


def _configure_logging() -> None:
    handler = logging.FileHandler(paths.log_file(), encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)


def create_app(argv: list[str] | None = None) -> QApplication:
    """The one QApplication (reused if one exists, as under pytest-qt)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(DISPLAY_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_NAME)
    app.setWindowIcon(app_icon())
    app.setStyle("Fusion")  # the same look on every platform, and palettes that theme cleanly
    # Palette colours only, so one sheet serves the light, dark and system themes.
    app.setStyleSheet(style_sheet())
    return app


def settle_heap() -> None:
    """Exempt what startup built (modules, widgets, the library) from the collector's full passes.

    The job thread allocates fast while an import runs, and each full collection it triggers walks
    every object in the process with the GIL held, which stalled the window 70-350 ms at a time.
    Objects made after this point are still collected as usual.
    """
    gc.collect()
    gc.freeze()


def run(data_dir: Path | None = None, open_paths: Sequence[Path] = ()) -> int:
    """Open the main window over the library in `data_dir` (or the configured one) until it closes.

    `open_paths` (files handed over by the desktop, e.g. "Open with") are imported once it shows.
    """
    if data_dir is not None:
        paths.set_home(data_dir)
    _configure_logging()
    app = create_app()

    from desktop_reader.gui import errors, theme
    from desktop_reader.gui.main_window import MainWindow
    from desktop_reader.library import Library

    settings = settings_mod.load()
    theme.apply_theme(app, settings.theme)
    try:
        library = Library(model=settings.entity_model or None)
    except Exception as exc:  # a data folder we cannot open: say why instead of a traceback
        errors.show_error(None, exc)
        app.exec()  # until the message is closed
        return 1

    def excepthook(kind, exc, tb) -> None:  # type: ignore[no-untyped-def]
        # A bug in a slot must become a message, never a dead window.
        errors.show_error(QApplication.activeWindow(), exc.with_traceback(tb))

    sys.excepthook = excepthook
    window = MainWindow(library, settings, import_samples=True)
    window.show()
    settle_heap()
    if open_paths:
        window.import_paths(list(open_paths))
    try:
        return int(app.exec())
    finally:
        library.close()
