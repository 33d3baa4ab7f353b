import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DATA = Path(__file__).resolve().parent / "data"
SAMPLES = REPO / "resources" / "samples"

GUI_FIXTURES = {"qtbot", "qapp", "qtmodeltester"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if GUI_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    """Every test gets its own data/config folders; nothing touches the real user folders."""
    from desktop_reader import paths

    home = tmp_path / "home"
    monkeypatch.setenv(paths.ENV_HOME, str(home))
    paths.set_home(None)
    yield home
    paths.set_home(None)


def shared(*parts: str) -> Path:
    """A path in ../shared, or a clean skip when that material is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path


@pytest.fixture(scope="session")
def extractor():
    """The real English pipeline, loaded once for the whole session."""
    from desktop_reader.entities import EntityExtractor

    ext = EntityExtractor()
    _ = ext.nlp
    return ext
