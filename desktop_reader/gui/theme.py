"""Light, dark or system colours for the whole application, as a QPalette on the Fusion style."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

_system_palette: QPalette | None = None

_DARK = {
    QPalette.ColorRole.Window: "#2b2d31",
    QPalette.ColorRole.WindowText: "#e6e6e6",
    QPalette.ColorRole.Base: "#1e1f22",
    QPalette.ColorRole.AlternateBase: "#26282c",
    QPalette.ColorRole.ToolTipBase: "#3a3d42",
    QPalette.ColorRole.ToolTipText: "#f0f0f0",
    QPalette.ColorRole.Text: "#e6e6e6",
    QPalette.ColorRole.Button: "#35373c",
    QPalette.ColorRole.ButtonText: "#e6e6e6",
    QPalette.ColorRole.BrightText: "#ffffff",
    QPalette.ColorRole.Highlight: "#3d6fb4",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#7fb0ff",
    QPalette.ColorRole.PlaceholderText: "#9a9da3",
    QPalette.ColorRole.Mid: "#45484e",
}

_LIGHT = {
    QPalette.ColorRole.Window: "#f3f3f3",
    QPalette.ColorRole.WindowText: "#1f1f1f",
    QPalette.ColorRole.Base: "#ffffff",
    QPalette.ColorRole.AlternateBase: "#f7f7f7",
    QPalette.ColorRole.ToolTipBase: "#ffffe1",
    QPalette.ColorRole.ToolTipText: "#1f1f1f",
    QPalette.ColorRole.Text: "#1f1f1f",
    QPalette.ColorRole.Button: "#ececec",
    QPalette.ColorRole.ButtonText: "#1f1f1f",
    QPalette.ColorRole.BrightText: "#000000",
    QPalette.ColorRole.Highlight: "#cfe0f7",
    QPalette.ColorRole.HighlightedText: "#111111",
    QPalette.ColorRole.Link: "#1a5fb4",
    QPalette.ColorRole.PlaceholderText: "#6b6b6b",
    QPalette.ColorRole.Mid: "#c8c8c8",
}


def _palette(colors: dict[QPalette.ColorRole, str]) -> QPalette:
    palette = QPalette()
    for role, color in colors.items():
        palette.setColor(role, QColor(color))
    disabled = QColor(colors[QPalette.ColorRole.PlaceholderText])
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return palette


def apply_theme(app: QApplication, theme: str) -> None:
    """Apply "light", "dark" or "system" (the palette the platform gave us at start-up)."""
    global _system_palette
    if _system_palette is None:
        _system_palette = QPalette(app.palette())
    if theme == "dark":
        app.setPalette(_palette(_DARK))
    elif theme == "light":
        app.setPalette(_palette(_LIGHT))
    else:
        app.setPalette(_system_palette)
    # A style sheet resolves palette(...) when a widget is polished: setting it again makes
    # every widget take the new colours now, not after a restart.
    sheet = app.styleSheet()
    if sheet:
        app.setStyleSheet(sheet)
