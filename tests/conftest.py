"""Shared fixtures: a real bot on a temporary database, driven through SimCord."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import discord
import pytest
from simcord.backend import serializers
from simcord.enums import ComponentType, InteractionType

from alliance_bot import Settings, create_bot
from alliance_bot.config import BUNDLED_DATA_DIR

# The PostgreSQL half of the store's contract tests runs against a real server: .ci/run starts a
# throwaway cluster and sets this (scripts/pg_cluster.sh); without it those tests are skipped.
POSTGRES_URL = os.environ.get("BOT_TEST_POSTGRES_URL", "").strip() or None
NO_POSTGRES = "PostgreSQL: BOT_TEST_POSTGRES_URL is not set (bash .ci/run starts a server for these tests)"


def pytest_terminal_summary(terminalreporter) -> None:
    """Say in one line whether the PostgreSQL tests ran, and if not, why."""
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if NO_POSTGRES in str(r.longrepr)]
    if skipped:
        terminalreporter.write_line(f"{len(skipped)} PostgreSQL tests SKIPPED: {NO_POSTGRES}")
    elif POSTGRES_URL is not None:
        terminalreporter.write_line("PostgreSQL tests ran against the server in BOT_TEST_POSTGRES_URL")


@contextlib.asynccontextmanager
async def postgres_database() -> AsyncIterator[str]:
    """A URL of an empty PostgreSQL database of our own: a fresh schema, dropped afterwards."""
    import asyncpg

    assert POSTGRES_URL is not None
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(POSTGRES_URL)
    try:
        await admin.execute(f'CREATE SCHEMA "{schema}"')
        separator = "&" if "?" in POSTGRES_URL else "?"
        yield f"{POSTGRES_URL}{separator}search_path={schema}"
    finally:
        await admin.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        await admin.close()


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    """An empty PostgreSQL database (skips the test, with its reason, when there is no server)."""
    if POSTGRES_URL is None:
        pytest.skip(NO_POSTGRES)
    async with postgres_database() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
async def store_target(request, tmp_path: Path) -> AsyncIterator[Path | str]:
    """Where to open the store, once per backend: a SQLite file in tmp_path, or a fresh PostgreSQL schema.

    Reopening the same target reaches the same data, so "survives a reopen" tests run on both.
    """
    if request.param == "sqlite":
        yield tmp_path / "bot.sqlite3"
        return
    if POSTGRES_URL is None:
        pytest.skip(NO_POSTGRES)
    async with postgres_database() as url:
        yield url


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for a test bot: its own database file, the bundled data, no token."""
    return Settings(token=None, database=tmp_path / "bot.sqlite3", data_dir=BUNDLED_DATA_DIR)


@pytest.fixture
async def simcord_bot(settings: Settings):
    bot = create_bot(settings)
    yield bot
    # SimCord detaches the bot at teardown without closing it; close its database.
    if bot.store_is_open:
        await bot.close()


@dataclass
class World:
    """A demo server: #general, #timeline, a member and a moderator (Manage Server)."""

    env: object
    guild: object
    general: object
    timeline: object
    member: object
    moderator: object


def build_world(env, name: str = "Demo Server") -> World:
    guild = env.create_guild(name=name)
    general = guild.create_text_channel("general")
    timeline = guild.create_text_channel("timeline")
    mods = guild.create_role("Moderators", permissions=discord.Permissions(manage_guild=True))
    member = guild.add_member(env.create_user(f"member-{guild.id % 10000}"))
    moderator = guild.add_member(env.create_user(f"moderator-{guild.id % 10000}"), roles=[mods])
    return World(env, guild, general, timeline, member, moderator)


@pytest.fixture
def world(simcord_env) -> World:
    return build_world(simcord_env)


async def stale_click(world: World, member, channel, message, custom_id: str):
    """A click from a client still showing old buttons (SimCord refuses clicks on disabled ones)."""
    stored = world.env.backend.get_message(channel.id, message.id)
    return await member._dispatch_interaction(
        InteractionType.MESSAGE_COMPONENT,
        channel,
        {"custom_id": custom_id, "component_type": ComponentType.BUTTON},
        extra={"message": dict(serializers.message_payload(world.env.backend, stored))},
        source_message_id=message.id,
    )


def show_manage_to(world: World, *members) -> None:
    """A server whose admins let these members see /manage (Server Settings > Integrations).

    Discord then shows them the command; the bot must still refuse them, since only its own
    check on every command, button and form keeps moderator tools to moderators.
    """
    root = world.env.backend.find_command("manage", world.guild.id)
    assert root is not None, "/manage was never synced"
    world.guild.set_command_permissions(int(root["id"]), {member: True for member in members})
