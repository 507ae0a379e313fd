"""Permission checks shared by cogs, enforced server-side on commands, buttons and modals."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from ..domain.errors import UserError
from ..render import GUILD_ONLY, NEEDS_MANAGE_GUILD, OWNER_ONLY

# Member commands (answers, help, the timeline) are installable by a user as well as a server, and
# usable in servers, the bot's DMs and group DMs; moderator tools and quizzes stay in servers.
EVERYWHERE_INSTALLS = app_commands.AppInstallationType(guild=True, user=True)
EVERYWHERE_CONTEXTS = app_commands.AppCommandContext(guild=True, dm_channel=True, private_channel=True)


def everywhere(command):  # type: ignore[no-untyped-def]
    """Decorate a member command: user and server installs, every context."""
    command = app_commands.allowed_installs(guilds=True, users=True)(command)
    return app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)(command)


def outside_a_server(interaction: discord.Interaction) -> bool:
    """True in a DM or group DM, or in a server that did not install the bot (a user install)."""
    if interaction.guild_id is None:
        return True
    return interaction.is_user_integration() and not interaction.is_guild_integration()


def is_moderator(interaction: discord.Interaction) -> bool:
    """Manage Server, as Discord resolved it for this very interaction."""
    return interaction.guild is not None and interaction.permissions.manage_guild


def ensure_moderator(interaction: discord.Interaction) -> None:
    """Refuse unless the user is a moderator now (use on every button click and modal submit)."""
    if interaction.guild is None:
        raise UserError(GUILD_ONLY)
    if not is_moderator(interaction):
        raise UserError(NEEDS_MANAGE_GUILD)


def require_moderator(interaction: discord.Interaction) -> None:
    """App-command check (used by /manage): in a server, with Manage Server, on every invocation."""
    if interaction.guild is None:
        raise app_commands.NoPrivateMessage(GUILD_ONLY)
    if not is_moderator(interaction):
        raise app_commands.CheckFailure(NEEDS_MANAGE_GUILD)


async def ensure_owner(interaction: discord.Interaction) -> None:
    """Refuse unless the user is the bot's owner (BOT_OWNER_IDS, or the application's owner)."""
    client = interaction.client
    if not isinstance(client, commands.Bot) or not await client.is_owner(interaction.user):
        raise UserError(OWNER_ONLY)
