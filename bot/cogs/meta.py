"""/about: what the bot does and what it knows."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from ..client import AllianceBot
from ..render import meta as render_meta


class Meta(commands.Cog):
    def __init__(self, bot: AllianceBot) -> None:
        self.bot = bot

    @app_commands.command(name="about", description="What this bot does, its commands and how current its facts are")
    async def about(self, interaction: discord.Interaction) -> None:
        facts = await self.bot.facts_for(interaction.guild_id)
        lines = []
        for command in self.bot.tree.get_commands():
            if isinstance(command, app_commands.Group):
                lines.extend(f"`/{sub.qualified_name}`: {sub.description}" for sub in command.commands)
            else:
                lines.append(f"`/{command.name}`: {command.description}")
        await interaction.response.send_message(embed=render_meta.about_embed(facts, sorted(lines)), ephemeral=True)


async def setup(bot: AllianceBot) -> None:
    await bot.add_cog(Meta(bot))
