"""Cog for the ask feature (being built)."""

from __future__ import annotations

from discord.ext import commands

from ..client import AllianceBot


class Ask(commands.Cog):
    def __init__(self, bot: AllianceBot) -> None:
        self.bot = bot


async def setup(bot: AllianceBot) -> None:
    await bot.add_cog(Ask(bot))
