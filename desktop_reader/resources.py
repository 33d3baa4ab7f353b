"""The bundled resources/ folder (icons, style sheet, sample archive), installed or in the repository."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def resource_path(name: str) -> Path:
    """A file or folder of resources/: inside the installed package, else the repository's folder.

    The wheel carries resources/ into the package (hatchling force-include); an editable install
    or a plain checkout reads the repository's own folder instead.
    """
    try:
        packaged = resources.files("desktop_reader").joinpath("resources", *name.split("/"))
        if packaged.is_file() or packaged.is_dir():
            return Path(str(packaged))
    except (ModuleNotFoundError, FileNotFoundError):
        pass
    return Path(__file__).resolve().parents[1] / "resources" / name


def samples_dir() -> Path:
    """The sample archive the window imports into an empty library."""
    return resource_path("samples")


def style_sheet() -> str:
    """The application's style sheet (palette colours only, so it suits every theme); "" if missing."""
    path = resource_path("style.qss")
    return path.read_text(encoding="utf-8") if path.is_file() else ""
