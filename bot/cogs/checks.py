"""Permission checks shared by cogs, enforced server-side on commands, buttons and modals."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from ..domain.errors import UserError
from ..render import GUILD_ONLY, NEEDS_MANAGE_GUILD, OWNER_ONLY


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
