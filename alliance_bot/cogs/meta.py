"""/help and /about: every command with an example, and what the bot is."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from .. import __version__
from ..client import AllianceBot
from ..domain.errors import UserError
from ..render import help as render_help
from .checks import EVERYWHERE_CONTEXTS, EVERYWHERE_INSTALLS, everywhere

log = logging.getLogger(__name__)


class Meta(commands.Cog):
    def __init__(self, bot: AllianceBot) -> None:
        self.bot = bot

    def _commands(self) -> list[app_commands.Command]:
        """Every leaf command in the tree (subcommands, not their groups)."""
        return [command for command in self.bot.tree.walk_commands() if isinstance(command, app_commands.Command)]

    @everywhere
    @app_commands.command(name="help", description="Every command with an example, or one command in detail")
    @app_commands.describe(command="One command to explain (type to search), e.g. quiz start")
    async def help(self, interaction: discord.Interaction, command: str | None = None) -> None:
        commands_ = self._commands()
        if command is None:
            embeds = render_help.help_embeds(commands_, self.bot.command_mention)
            await interaction.response.send_message(embeds=embeds, ephemeral=True)
            return
        name = " ".join(command.strip().lstrip("/").lower().split())
        found = next((c for c in commands_ if c.qualified_name == name), None)
        entry = render_help.HELP.get(name)
        if found is None or entry is None:
            raise UserError(render_help.UNKNOWN_COMMAND.format(name=command[:60]))
        await interaction.response.send_message(embed=render_help.command_embed(found, entry, self.bot.command_mention), ephemeral=True)

    @help.autocomplete("command")
    async def _command_names(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        names = [name for name in render_help.HELP if self.bot.tree.get_command(name.split()[0]) is not None]
        return render_help.command_choices(names, current)

    @everywhere
    @app_commands.command(name="about", description="What this bot does, how current its facts are and where they come from")
    async def about(self, interaction: discord.Interaction) -> None:
        facts = await self.bot.services.facts.view(interaction.guild_id)
        settings = self.bot.settings
        links = render_help.AboutLinks(
            version=__version__,
            invite=self.bot.invite_url(),
            source=settings.source_url,
            support=settings.support_url,
        )
        embed = render_help.about_embed(facts, links, self.bot.command_mention)
        await interaction.response.send_message(embed=embed, ephemeral=True)


    privacy = app_commands.Group(
        name="privacy",
        description="What this bot keeps about you, and deleting it",
        allowed_installs=EVERYWHERE_INSTALLS,
        allowed_contexts=EVERYWHERE_CONTEXTS,
    )

    @privacy.command(name="about", description="What this bot keeps about you and how to have it deleted")
    async def privacy_about(self, interaction: discord.Interaction) -> None:
        kept = await self.bot.store.kept_about(interaction.user.id)
        await interaction.response.send_message(embed=render_help.privacy_embed(kept), ephemeral=True)

    @privacy.command(name="forget", description="Delete your quiz answers, scores and names in every server")
    @app_commands.describe(confirm="True to delete now; without it you see what would be deleted")
    async def forget(self, interaction: discord.Interaction, confirm: bool = False) -> None:
        if not confirm:
            kept = await self.bot.store.kept_about(interaction.user.id)
            await interaction.response.send_message(render_help.forget_prompt(kept), ephemeral=True)
            return
        forgotten = await self.bot.store.forget_user(interaction.user.id)
        self.bot.services.names.forget_user(interaction.user.id)
        # Logged without what was deleted, nor whose it was.
        log.info("a member's data was deleted at their request (%d records)", forgotten.total)
        await interaction.response.send_message(render_help.forgotten_text(forgotten), ephemeral=True)


async def setup(bot: AllianceBot) -> None:
    await bot.add_cog(Meta(bot))
