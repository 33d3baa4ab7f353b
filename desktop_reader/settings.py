"""User settings: a dataclass stored as settings.json in the config folder."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

from desktop_reader import paths

log = logging.getLogger(__name__)

THEMES = ("system", "light", "dark")


@dataclass(frozen=True, slots=True)
class Settings:
    """Preferences shared by the window and the command line."""

    entity_model: str = ""  # "" = the best English spaCy pipeline installed
    font_size: int = 12  # reader body, in points
    theme: str = "system"  # one of THEMES
    sort: str = "relevance"  # "relevance" or "date"
    highlight_entities: bool = False
    recent_queries: tuple[str, ...] = ()
    mark_read_seconds: int = 3  # an article open this long is marked read; 0 = only by hand

    def with_recent_query(self, query: str, keep: int = 15) -> Settings:
        query = query.strip()
        if not query:
            return self
        recent = (query, *[q for q in self.recent_queries if q != query])[:keep]
        return replace(self, recent_queries=recent)


def settings_file() -> Path:
    return paths.config_dir() / "settings.json"


def load() -> Settings:
    """Read settings; a missing or damaged file gives the defaults (and is logged), never an error."""
    file = settings_file()
    try:
        raw = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, ValueError) as exc:
        log.warning("Ignoring unreadable settings file %s: %s", file, exc)
        return Settings()
    if not isinstance(raw, dict):
        return Settings()
    known = {f.name: f for f in fields(Settings)}
    values: dict[str, object] = {}
    defaults = Settings()
    for name, value in raw.items():
        if name not in known:
            continue
        default = getattr(defaults, name)
        if isinstance(default, tuple) and isinstance(value, list):
            values[name] = tuple(str(v) for v in value)
        elif isinstance(value, type(default)):
            values[name] = value
    settings = replace(defaults, **values)  # type: ignore[arg-type]
    if settings.theme not in THEMES:
        settings = replace(settings, theme="system")
    return replace(settings, font_size=max(6, min(48, settings.font_size)))


def save(settings: Settings) -> None:
    """Write atomically so a crash never leaves half a settings file."""
    file = settings_file()
    tmp = file.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(asdict(settings), indent=2, ensure_ascii=False), encoding="utf-8")
    tmp.replace(file)
