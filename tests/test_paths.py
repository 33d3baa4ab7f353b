from pathlib import Path

import platformdirs

from desktop_reader import paths


def test_env_override_moves_every_location(home):
    assert paths.data_dir() == home / "data"
    assert paths.config_dir() == home / "config"
    assert paths.index_dir() == home / "data" / "index"
    assert paths.log_file().parent == home / "logs"


def test_data_dir_flag_wins_over_environment(home, tmp_path):
    paths.set_home(tmp_path / "elsewhere")
    assert paths.data_dir() == (tmp_path / "elsewhere" / "data").resolve()


def test_without_override_platformdirs_decides(monkeypatch):
    monkeypatch.delenv(paths.ENV_HOME)
    expected = Path(platformdirs.user_data_dir("desktop-reader", appauthor=False))
    monkeypatch.setattr(Path, "mkdir", lambda *a, **k: None)  # never create real user folders in a test
    assert paths.data_dir() == expected
