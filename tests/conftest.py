"""Shared fixtures: a real bot on a temporary database, driven through SimCord."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import discord
import pytest
from simcord.backend import serializers
from simcord.enums import ComponentType, InteractionType

from bot import Settings, create_bot
from bot.config import BUNDLED_DATA_DIR


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
