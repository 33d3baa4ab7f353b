"""Where the library, index, settings and logs live; the only code that knows locations."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import platformdirs

APP_NAME = "desktop-reader"
ENV_HOME = "DESKTOP_READER_HOME"
ENV_CACHE = "DESKTOP_READER_CACHE"

# The files and folders of one library's data folder.
DATABASE_NAME = "library.sqlite3"
ORIGINALS_NAME = "originals"
INDEX_NAME = "index"
WRITE_LOCK_NAME = "write.lock"

# Set by `--data-dir`; wins over the environment variable.
_override: Path | None = None


def set_home(path: Path | str | None) -> None:
    """Point every location below `path` (what `--data-dir` does), or back to the defaults."""
    global _override
    _override = Path(path).expanduser().resolve() if path else None


def _home() -> Path | None:
    if _override is not None:
        return _override
    env = os.environ.get(ENV_HOME)
    return Path(env).expanduser().resolve() if env else None


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _folder(name: str, platform_dir: Callable[..., str]) -> Path:
    home = _home()
    return _ensure(home / name if home else Path(platform_dir(APP_NAME, appauthor=False)))


def data_dir() -> Path:
    """Folder holding library.sqlite3, the originals and the search index."""
    return _folder("data", platformdirs.user_data_dir)


def config_dir() -> Path:
    """Folder holding settings.json and the window state."""
    return _folder("config", platformdirs.user_config_dir)


def log_dir() -> Path:
    return _folder("logs", platformdirs.user_log_dir)


def cache_dir() -> Path:
    """Folder for data worked out once per machine and rebuilt when missing (the unpacked language model).

    One per machine, not per library: `--data-dir` and DESKTOP_READER_HOME leave it where it is
    (every test's own home made every import's workers unpack the model again); ENV_CACHE moves it.
    """
    env = os.environ.get(ENV_CACHE)
    path = Path(env).expanduser().resolve() if env else Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
    return _ensure(path)


def log_file() -> Path:
    return log_dir() / "desktop-reader.log"


def database_file(base: Path | None = None) -> Path:
    return (base or data_dir()) / DATABASE_NAME


def originals_dir(base: Path | None = None, *, create: bool = True) -> Path:
    """Where the original files are kept; `create=False` for a caller that reports its own errors."""
    path = (base or data_dir()) / ORIGINALS_NAME
    return _ensure(path) if create else path


def index_dir(base: Path | None = None) -> Path:
    return _ensure((base or data_dir()) / INDEX_NAME)


def write_lock_file(base: Path | None = None) -> Path:
    """The lock file that queues writers from different processes."""
    return (base or data_dir()) / WRITE_LOCK_NAME
