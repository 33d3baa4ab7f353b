import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from tests.helpers import DATA, REPO, SAMPLES, SHARED, shared

__all__ = ["DATA", "REPO", "SAMPLES", "SHARED", "shared"]

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


@pytest.fixture(scope="session")
def extractor():
    """The real English pipeline, loaded once for the whole session."""
    from desktop_reader.entities.extractor import EntityExtractor

    ext = EntityExtractor()
    _ = ext.nlp
    return ext
