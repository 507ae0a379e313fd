from __future__ import annotations

from pathlib import Path

import pytest

from alliance_bot.config import BUNDLED_DATA_DIR, Settings, SettingsError


def test_empty_environment_gives_defaults_outside_the_package():
    settings = Settings.from_env({}, dotenv=None)

    assert settings.token is None
    assert settings.data_dir == BUNDLED_DATA_DIR
    assert settings.dev_guild is None
    assert settings.owner_ids == frozenset()
    package_dir = Path(__file__).resolve().parent.parent / "alliance_bot"
    assert package_dir not in settings.database.parents
    assert settings.database.name == "bot.sqlite3"


def test_every_variable_is_read(tmp_path):
    env = {
        "DISCORD_TOKEN": " secret-token ",
        "BOT_DATABASE": str(tmp_path / "x.db"),
        "BOT_DATA_DIR": str(tmp_path),
        "BOT_DEV_GUILD": "123456789012345678",
        "BOT_OWNER_IDS": "1, 2;3",
        "BOT_HEALTH_FILE": str(tmp_path / "beat.json"),
        "BOT_SOURCE_URL": "https://example.org/code",
        "BOT_SUPPORT_URL": " https://example.org/help ",
    }
    settings = Settings.from_env(env, dotenv=None)
    assert settings.health_file == tmp_path / "beat.json"
    assert (settings.source_url, settings.support_url) == ("https://example.org/code", "https://example.org/help")

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
    ("name", "value"),
    [
        ("BOT_DEV_GUILD", "my-server"), ("BOT_OWNER_IDS", "1,two"), ("BOT_DEV_GUILD", "-5"),
        ("BOT_SOURCE_URL", "javascript:alert(1)"), ("BOT_SUPPORT_URL", "https://x.org/a b"),
    ],
)
def test_bad_ids_are_refused_with_the_variable_name(name, value):
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: value}, dotenv=None)


def test_a_postgresql_url_selects_postgresql_and_its_password_stays_hidden():
    url = "postgresql://bot:hunter2@db.example:5432/alliance"
    settings = Settings.from_env({"BOT_DATABASE": url}, dotenv=None)

    assert settings.store_target == url
    assert settings.database_label == "postgresql://bot:***@db.example:5432/alliance"
    assert "hunter2" not in repr(settings)
    assert Settings.from_env({"BOT_DATABASE": "/srv/bot.sqlite3"}, dotenv=None).store_target == Path("/srv/bot.sqlite3")


@pytest.mark.parametrize(
    ("count", "ids", "expected", "instance"),
    [
        ("8", "0-3", (0, 1, 2, 3), "shards 0-3 of 8"),
        ("8", "4,5, 7", (4, 5, 7), "shards 4-5,7 of 8"),
        ("8", "", None, "main"),
        ("1", "0", (0,), "shards 0 of 1"),
    ],
)
def test_shard_settings_name_this_processes_shards(count, ids, expected, instance):
    settings = Settings.from_env({"BOT_SHARD_COUNT": count, "BOT_SHARD_IDS": ids}, dotenv=None)

    assert settings.shard_count == int(count) and settings.shard_ids == expected
    assert settings.instance == instance


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"BOT_SHARD_IDS": "0-3"}, "needs BOT_SHARD_COUNT"),
        ({"BOT_SHARD_COUNT": "4", "BOT_SHARD_IDS": "2-5"}, "outside 0-3"),
        ({"BOT_SHARD_COUNT": "4", "BOT_SHARD_IDS": "a-b"}, "BOT_SHARD_IDS must look like"),
        ({"BOT_SHARD_COUNT": "0"}, "at least 1"),
        ({"BOT_SHARD_COUNT": "many"}, "BOT_SHARD_COUNT must be a number"),
    ],
)
def test_bad_shard_settings_are_refused_with_the_reason(env, message):
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(env, dotenv=None)


def test_shard_settings_build_an_auto_sharded_bot_running_those_shards():
    from discord.ext import commands

    from alliance_bot import AllianceBot, create_bot

    sharded = create_bot(Settings(shard_count=8, shard_ids=(4, 5, 6, 7)))
    assert isinstance(sharded, commands.AutoShardedBot) and isinstance(sharded, AllianceBot)
    assert (sharded.shard_count, sharded.shard_ids) == (8, [4, 5, 6, 7])
    assert sharded.ownership.owns(4 << 22) and not sharded.ownership.owns(3 << 22)
    plain = create_bot(Settings())
    assert not isinstance(plain, commands.AutoShardedBot)
    assert plain.ownership.owns(3 << 22)


@pytest.mark.parametrize(("value", "expected"), [("", "NORMAL"), ("normal", "NORMAL"), (" FULL ", "FULL")])
def test_sqlite_durability_is_normal_unless_full_is_asked_for(value, expected):
    assert Settings.from_env({"BOT_SQLITE_SYNCHRONOUS": value}, dotenv=None).sqlite_synchronous == expected


def test_an_unknown_sqlite_durability_is_refused_with_the_variable_name():
    with pytest.raises(SettingsError, match="BOT_SQLITE_SYNCHRONOUS"):
        Settings.from_env({"BOT_SQLITE_SYNCHRONOUS": "OFF"}, dotenv=None)
