"""What a self-hoster installs: the dependency pins the code relies on, and a wheel that runs (issue 26)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import discord

ROOT = Path(__file__).resolve().parents[1]


def test_discord_py_is_pinned_to_the_minor_version_whose_internals_the_bot_reads():
    # alliance_bot/interactions.py (lean button dispatch, expired-component detection) reads discord.py
    # internals (_view_store, _modals): an upgrade past the tested minor must be a deliberate one.
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    spec = next(d for d in project["project"]["dependencies"] if d.startswith("discord.py"))
    upper = re.search(r"<\s*(\d+)\.(\d+)", spec)
    assert upper, f"no upper bound below the next major in {spec!r}"
    major, minor = (int(part) for part in discord.__version__.split(".")[:2])
    assert (int(upper[1]), int(upper[2])) == (major, minor + 1), spec


def test_the_wheel_carries_the_data_and_runs_its_check_from_an_empty_directory(tmp_path):
    # Built from a copy of the source (setuptools writes build/ next to pyproject.toml), installed
    # without dependencies into a fresh virtual environment that borrows this one's libraries
    # (offline: no index to fetch them from), then run from a directory with no data/ in reach.
    source = tmp_path / "source"
    for name in ("alliance_bot", "bot", "data"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", dist, source],
        check=True,
        cwd=tmp_path,
    )
    (wheel,) = dist.glob("alliance_bot-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert "alliance_bot/data/us_russia.yaml" in names
    assert "alliance_bot/data/atop/alliances.tsv" in names
    assert "alliance_bot/data/names/demonyms.tsv" in names
    assert not any(name.startswith("alliance_bot/data/unconfirmed/") for name in names)
    # Every package of the source tree is in the wheel (a new one must be listed in pyproject.toml).
    packages = {str(p.parent.relative_to(ROOT)) for p in (ROOT / "alliance_bot").rglob("__init__.py")}
    assert {f"{package}/__init__.py" for package in packages} <= names, packages

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", wheel], check=True
    )
    fresh_site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    (Path(fresh_site) / "borrowed.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")

    empty = tmp_path / "empty"
    empty.mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("BOT_", "DISCORD_"))}
    env["BOT_DATABASE"] = str(tmp_path / "state" / "bot.sqlite3")
    result = subprocess.run(
        [venv / "bin" / "alliance-bot", "--check"], cwd=empty, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    data_line = next(line for line in result.stdout.splitlines() if line.startswith("ok   data:"))
    assert f"under {fresh_site}/alliance_bot/data" in data_line, data_line
    assert "ok   historical record: " in result.stdout

    # The deprecated alias still works from the installed wheel, with its warning.
    alias = subprocess.run(
        [python, "-W", "always::DeprecationWarning:__main__", "-c",
         "from bot import create_bot; import bot.cogs.quiz, alliance_bot.cogs.quiz as real;"
         "print(bot.cogs.quiz is real, create_bot.__module__)"],
        cwd=empty, env=env, capture_output=True, text=True, check=True,
    )
    assert alias.stdout.split() == ["True", "alliance_bot"]
    assert "'bot' package is now 'alliance_bot'" in alias.stderr


def test_the_private_attributes_the_bot_reads_still_exist():
    # Fails loudly on an upgrade that renames them, instead of letting expired-button detection
    # (alliance_bot/interactions.py) or the one-hop SQLite transaction (alliance_bot/storage/sqlite.py) break at run time.
    from discord.ui.view import ViewStore

    client = discord.Client(intents=discord.Intents.none())
    store = getattr(getattr(client, "_connection", None), "_view_store", None)
    assert isinstance(store, ViewStore), f"discord.py {discord.__version__}: Client._connection._view_store is gone"
    for name in ("_views", "_modals", "_dynamic_items"):
        assert hasattr(store, name), f"discord.py {discord.__version__}: ViewStore.{name} is gone"
    assert isinstance(store._views, dict) and isinstance(store._modals, dict)
    assert isinstance(store._dynamic_items, dict)


async def test_the_private_attributes_of_aiosqlite_the_store_reads_still_exist():
    import aiosqlite

    connection = aiosqlite.connect(":memory:")
    assert hasattr(connection, "_thread"), "aiosqlite: Connection._thread is gone"
    async with connection as db:
        assert callable(getattr(db, "_execute", None)), "aiosqlite: Connection._execute is gone"
        assert db._conn is not None, "aiosqlite: Connection._conn is gone"
        assert await db._execute(lambda: 42) == 42
