from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import BUNDLED_DATA_DIR, Settings, SettingsError


def test_empty_environment_gives_defaults_outside_the_package():
    settings = Settings.from_env({}, dotenv=None)

    assert settings.token is None
    assert settings.data_dir == BUNDLED_DATA_DIR
    assert settings.dev_guild is None
    assert settings.owner_ids == frozenset()
    package_dir = Path(__file__).resolve().parent.parent / "bot"
    assert package_dir not in settings.database.parents
    assert settings.database.name == "bot.sqlite3"


def test_every_variable_is_read(tmp_path):
    env = {
        "DISCORD_TOKEN": " secret-token ",
        "BOT_DATABASE": str(tmp_path / "x.db"),
        "BOT_DATA_DIR": str(tmp_path),
        "BOT_DEV_GUILD": "123456789012345678",
        "BOT_OWNER_IDS": "1, 2;3",
    }
    settings = Settings.from_env(env, dotenv=None)

    assert settings.token == "secret-token"
    assert settings.database == tmp_path / "x.db"
    assert settings.data_dir == tmp_path
    assert settings.dev_guild == 123456789012345678
    assert settings.owner_ids == {1, 2, 3}


def test_token_never_appears_in_repr():
    settings = Settings.from_env({"DISCORD_TOKEN": "super-secret"}, dotenv=None)

    assert "super-secret" not in repr(settings)


def test_dotenv_file_is_read_and_environment_wins(tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text("DISCORD_TOKEN=from-file\nBOT_DEV_GUILD=42\n")

    settings = Settings.from_env({"BOT_DEV_GUILD": "7"}, dotenv=dotenv)

    assert settings.token == "from-file"
    assert settings.dev_guild == 7


@pytest.mark.parametrize(
    ("name", "value"), [("BOT_DEV_GUILD", "my-server"), ("BOT_OWNER_IDS", "1,two"), ("BOT_DEV_GUILD", "-5")]
)
def test_bad_ids_are_refused_with_the_variable_name(name, value):
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: value}, dotenv=None)
