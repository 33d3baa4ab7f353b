from desktop_reader import settings


def test_defaults_when_no_file():
    assert settings.load() == settings.Settings()


def test_round_trip_and_recent_queries():
    s = settings.Settings(font_size=15, theme="dark").with_recent_query("nato").with_recent_query("kyiv")
    s = s.with_recent_query("nato")
    settings.save(s)
    loaded = settings.load()
    assert loaded.font_size == 15
    assert loaded.theme == "dark"
    assert loaded.recent_queries == ("nato", "kyiv")


def test_damaged_file_gives_defaults():
    settings.settings_file().write_text("{not json", encoding="utf-8")
    assert settings.load() == settings.Settings()


def test_bad_values_are_ignored():
    settings.settings_file().write_text('{"font_size": "huge", "theme": "neon", "x": 1}', encoding="utf-8")
    loaded = settings.load()
    assert loaded.font_size == settings.Settings().font_size
    assert loaded.theme == "system"
