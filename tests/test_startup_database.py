"""Start-up refuses a database it cannot use: one line naming the file and what is wrong, exit 1, file untouched."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from alliance_bot.storage import Store, StoreError
from tests.test_cli import ROOT, _env

NOT_A_DATABASE = b"This is a note, not a database.\n" * 200
# Root passes every file-mode check through these; dropped, modes apply to root as to anyone.
ROOT_FILE_CAPABILITIES = ("dac_override", "dac_read_search", "fowner")


def _start(database: Path, *args: str, as_other_user: bool = False, **extra: str) -> subprocess.CompletedProcess[str]:
    """Start the bot the way an operator does; ``as_other_user``: without root's power to ignore file modes."""
    command = [sys.executable, "run.py", *args]
    if as_other_user and os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: file modes cannot be made to apply")
        command = [setpriv, f"--bounding-set=-{',-'.join(ROOT_FILE_CAPABILITIES)}", "--", *command]
    env = _env(database.parent, **extra) | {"BOT_DATABASE": str(database)}
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


async def test_store_refuses_a_file_that_is_not_a_database_and_leaves_it_as_it_was(tmp_path):
    path = tmp_path / "bot.sqlite3"
    path.write_bytes(NOT_A_DATABASE)

    with pytest.raises(StoreError) as refused:
        await Store.open(path)

    assert str(path) in str(refused.value) and "not a SQLite database" in str(refused.value)
    assert path.read_bytes() == NOT_A_DATABASE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bot.sqlite3"]


@pytest.mark.parametrize("mode", ["--sandbox", "with a token"])
def test_corrupt_database_stops_start_up_with_one_line(tmp_path, mode):
    database = tmp_path / "bot.sqlite3"
    # The sandbox keeps its own file beside the real one; a token run uses the real one (checked before login).
    target = tmp_path / "bot-sandbox.sqlite3" if mode == "--sandbox" else database
    target.write_bytes(NOT_A_DATABASE)
    args, extra = (["--sandbox"], {}) if mode == "--sandbox" else ([], {"DISCORD_TOKEN": "not-a-real-token"})

    line = _one_line(_start(database, *args, **extra))

    assert str(target) in line and "not a SQLite database" in line, line
    assert target.read_bytes() == NOT_A_DATABASE


async def _make_database(path: Path) -> None:
    from alliance_bot.storage import Store

    store = await Store.open(path)
    await store.close()


def test_read_only_database_stops_start_up_saying_the_bot_must_write_it(tmp_path):
    database = tmp_path / "bot.sqlite3"
    sandbox = tmp_path / "bot-sandbox.sqlite3"
    # A healthy database, made by the bot's own store, then made read-only. (--check would not
    # make one: it never creates the database it checks.)
    asyncio.run(_make_database(database))
    shutil.copy(database, sandbox)
    for path in (database, sandbox):
        path.chmod(0o444)
    before = sandbox.read_bytes()

    line = _one_line(_start(database, "--sandbox", as_other_user=True))

    assert str(sandbox) in line and "read-only" in line and "needs to write" in line, line
    assert sandbox.read_bytes() == before


def test_unreadable_database_stops_start_up_with_one_line(tmp_path):
    database = tmp_path / "bot.sqlite3"
    sandbox = tmp_path / "bot-sandbox.sqlite3"
    sandbox.write_bytes(b"")
    sandbox.chmod(0o000)

    line = _one_line(_start(database, "--sandbox", as_other_user=True))

    assert str(sandbox) in line and "cannot be opened" in line, line


async def test_store_refuses_a_database_another_process_is_writing(tmp_path):
    import sqlite3

    path = tmp_path / "bot.sqlite3"
    store = await Store.open(path)
    await store.close()
    holder = sqlite3.connect(path, isolation_level=None, timeout=0)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError) as refused:
            await Store.open(path)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert str(path) in str(refused.value) and "locked by another process" in str(refused.value)
