"""Window geometry and splitter sizes, kept in window.ini under the config folder."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter

from desktop_reader import paths


def _store() -> QSettings:
    # An explicit file, not the platform default, so --data-dir / DESKTOP_READER_HOME redirect it too.
    return QSettings(str(paths.config_dir() / "window.ini"), QSettings.Format.IniFormat)


def save(window: QMainWindow, splitter: QSplitter, extra: dict[str, object] | None = None) -> None:
    store = _store()
    store.setValue("window/geometry", window.saveGeometry())
    store.setValue("window/state", window.saveState())
    store.setValue("window/splitter", splitter.saveState())
    for key, value in (extra or {}).items():
        store.setValue(f"window/{key}", value)
    store.sync()


def restore(window: QMainWindow, splitter: QSplitter) -> dict[str, object]:
    """Apply what was saved; returns the extra values. A missing or damaged file changes nothing."""
    store = _store()
    geometry = store.value("window/geometry")
    if isinstance(geometry, QByteArray) and not geometry.isEmpty():
        window.restoreGeometry(geometry)
    state = store.value("window/state")
    if isinstance(state, QByteArray) and not state.isEmpty():
        window.restoreState(state)
    sizes = store.value("window/splitter")
    if isinstance(sizes, QByteArray) and not sizes.isEmpty():
        splitter.restoreState(sizes)
    keys = ("entity_scope", "list_width", "entities_width", "sidebar_width")
    return {key: store.value(f"window/{key}") for key in keys if store.contains(f"window/{key}")}
