"""What a self-hoster runs beside the bot: backups, the health probe, and the deployment files (issue 26)."""

from __future__ import annotations

import asyncio
import configparser
import json
import shutil
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from alliance_bot import cli
from alliance_bot.health import STALE_AFTER_SECONDS, beat_until_cancelled, read_health, write_heartbeat
from alliance_bot.storage import Store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def env(monkeypatch, tmp_path):
    for name in ("DISCORD_TOKEN", "BOT_DATABASE", "BOT_HEALTH_FILE", "BOT_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no .env of the developer's is read
    monkeypatch.setenv("BOT_DATABASE", str(tmp_path / "live.sqlite3"))
    return tmp_path


def _names(path: Path) -> dict[int, str]:
    """The names stored for server 1 (none if the file does not even hold the table yet)."""
    with sqlite3.connect(path) as db:
        if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'member_names'").fetchone():
            return {}
        return dict(db.execute("SELECT user_id, display_name FROM member_names WHERE guild_id = 1"))


# ---------------------------------------------------------------------- backup


async def test_backup_of_a_running_database_holds_the_commits_a_file_copy_misses(env, capsys):
    store = await Store.open(env / "live.sqlite3")
    try:
        await store.remember_names(1, {10: "Ada", 11: "Grace"}, datetime(2026, 12, 7, tzinfo=UTC))
        # The commit sits in the -wal file: a plain copy of the .sqlite3 file alone does not have it.
        shutil.copy(env / "live.sqlite3", env / "plain-copy.sqlite3")
        assert _names(env / "plain-copy.sqlite3") == {}

        code = await asyncio.to_thread(cli.main, ["--backup", str(env / "backup.sqlite3")])
        # The bot goes on writing while (and after) the backup is taken.
        await store.remember_names(1, {12: "Hedy"}, datetime(2026, 12, 7, tzinfo=UTC))
    finally:
        await store.close()

    assert code == 0
    assert "ok   backup:" in capsys.readouterr().out
    assert _names(env / "backup.sqlite3") == {10: "Ada", 11: "Grace"}
    assert not (env / "backup.sqlite3-wal").exists()
    with sqlite3.connect(env / "backup.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    # The backup opens as the bot's own database would.
    restored = await Store.open(env / "backup.sqlite3")
    try:
        assert await restored.display_names(1, [10, 11]) == {10: "Ada", 11: "Grace"}
    finally:
        await restored.close()


async def test_backup_into_a_folder_names_the_file_by_time_and_never_overwrites(env, capsys):
    store = await Store.open(env / "live.sqlite3")
    await store.close()
    folder = env / "backups"
    folder.mkdir()

    assert await asyncio.to_thread(cli.main, ["--backup", str(folder)]) == 0
    (made,) = folder.glob("alliance-bot-*.sqlite3")
    assert not list(folder.glob("*.partial"))

    capsys.readouterr()
    assert await asyncio.to_thread(cli.main, ["--backup", str(made)]) == 1
    assert "Not overwriting" in capsys.readouterr().err


def test_backup_without_a_database_or_of_postgresql_says_what_to_do(env, monkeypatch, capsys):
    assert cli.main(["--backup", str(env / "b.sqlite3")]) == 1
    assert "Nothing to back up" in capsys.readouterr().err
    assert not (env / "b.sqlite3").exists()

    monkeypatch.setenv("BOT_DATABASE", "postgresql://bot:s3cret@db/alliance")
    assert cli.main(["--backup", str(env / "b.sqlite3")]) == 2
    err = capsys.readouterr().err
    assert "pg_dump --format=custom" in err
    assert "postgresql://bot:***@db/alliance" in err and "s3cret" not in err


# ---------------------------------------------------------------------- health


def test_health_reads_fresh_ready_beats_as_healthy_and_everything_else_as_not(tmp_path):
    path = tmp_path / "health.json"
    assert not read_health(path).healthy  # not running

    write_heartbeat(path, ready=True, store_open=True, now=1000.0)
    assert read_health(path, now=1010.0).healthy
    stale = read_health(path, now=1000.0 + STALE_AFTER_SECONDS + 1)
    assert not stale.healthy and "stuck" in stale.reason

    write_heartbeat(path, ready=False, store_open=True, now=1000.0)
    assert not read_health(path, now=1001.0).healthy
    write_heartbeat(path, ready=True, store_open=False, now=1000.0)
    assert "database" in read_health(path, now=1001.0).reason

    path.write_text("{not json", encoding="utf-8")
    assert "unreadable" in read_health(path).reason
    assert not list(tmp_path.glob("*.tmp"))


class _FakeBot:
    store_is_open = True

    def __init__(self) -> None:
        self.ready = False

    def is_ready(self) -> bool:
        return self.ready

    def is_closed(self) -> bool:
        return False


async def test_the_running_bot_keeps_the_heartbeat_and_removes_it_when_stopped(tmp_path):
    path = tmp_path / "state" / "health.json"
    bot = _FakeBot()
    beating = asyncio.create_task(beat_until_cancelled(bot, path, interval=0.01))  # type: ignore[arg-type]
    for _ in range(200):
        await asyncio.sleep(0.01)
        if path.exists():
            break
    assert not read_health(path).healthy  # still connecting

    bot.ready = True
    for _ in range(200):
        await asyncio.sleep(0.01)
        if read_health(path).healthy:
            break
    assert read_health(path).healthy
    assert json.loads(path.read_text())["at"] <= time.time()

    beating.cancel()
    with pytest.raises(asyncio.CancelledError):
        await beating
    assert not path.exists()


def test_the_health_command_exits_by_the_heartbeat(env, monkeypatch, capsys):
    path = env / "health.json"
    monkeypatch.setenv("BOT_HEALTH_FILE", str(path))
    assert cli.main(["--health"]) == 1
    assert capsys.readouterr().out.startswith("FAIL no heartbeat")
    write_heartbeat(path, ready=True, store_open=True)
    assert cli.main(["--health"]) == 0
    assert capsys.readouterr().out.startswith("ok   connected")


# ---------------------------------------------------------------------- deployment files


def _dockerfile() -> list[tuple[str, str]]:
    """(instruction, arguments) pairs, continuation lines joined, comments dropped."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines()]
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "")
        for line in lines
        if line and not line.startswith("#")
    ]


def test_the_dockerfile_is_multi_stage_runs_unprivileged_and_probes_health():
    instructions = _dockerfile()
    stages = [args for name, args in instructions if name == "FROM"]
    assert len(stages) >= 2, stages
    final = instructions[max(i for i, (name, _) in enumerate(instructions) if name == "FROM") :]
    users = [args for name, args in final if name == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")
    (health,) = [args for name, args in final if name == "HEALTHCHECK"]
    assert "alliance-bot" in health and "--health" in health
    (command,) = [args for name, args in final if name in ("CMD", "ENTRYPOINT") and "alliance-bot" in args]
    assert json.loads(command)[0] == "alliance-bot"  # exec form: the bot receives SIGTERM itself
    assert "STOPSIGNAL" not in {name for name, _ in final} or ("STOPSIGNAL", "SIGTERM") in final


def test_compose_runs_the_bot_on_postgresql_with_healthchecks_and_a_named_volume():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    bot, db = services["bot"], services["db"]
    assert db["image"].startswith("postgres:")
    for service in (bot, db):
        assert service["healthcheck"]["test"], service
    assert "alliance-bot" in " ".join(bot["healthcheck"]["test"]) and "--health" in bot["healthcheck"]["test"]
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert bot["depends_on"]["db"]["condition"] == "service_healthy"
    assert bot["environment"]["BOT_DATABASE"].startswith("postgresql://")
    assert "DISCORD_TOKEN" in bot["environment"]
    volumes = compose["volumes"]
    assert any(str(mount).split(":")[0] in volumes for mount in db["volumes"])


def test_the_systemd_unit_runs_the_installed_command_unprivileged_and_restarts_it():
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # keys are case-sensitive in systemd
    unit.read(ROOT / "deploy" / "alliance-bot.service", encoding="utf-8")
    service = unit["Service"]
    assert "alliance-bot" in service["ExecStart"]
    assert service["User"] not in ("root", "0")
    assert service["Restart"] in ("on-failure", "always")
    assert service.get("KillSignal", "SIGTERM") == "SIGTERM"
    assert unit["Install"]["WantedBy"]


def test_licence_and_changelog_name_this_version():
    from alliance_bot import __version__

    assert (ROOT / "LICENSE").read_text(encoding="utf-8").strip()
    assert f"## {__version__}" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
