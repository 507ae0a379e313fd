"""/manage: every moderator tool under one top-level command, so Discord can hide it from members.

Discord can only hide whole top-level commands (``default_member_permissions``), so the tools
that change a server's facts or its daily posts live here rather than beside the members'
/facts and /timeline commands. Hiding is only a hint: ``interaction_check`` enforces Manage
Server on every command, and the buttons and forms these commands open check it again.
The work itself is done by the Facts and Timeline cogs; this cog declares the commands.
"""

from __future__ import annotations

import logging
from typing import Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from ..client import AllianceBot
from ..domain.errors import UserError
from ..domain.quiz import DEFAULT_SECONDS, MAX_QUESTIONS, MAX_SECONDS, MIN_SECONDS, REVEAL_PAUSE, QuizSettings
from ..render import help as render_help
from ..render import manage as text
from ..render import quiz as render_quiz
from .checks import require_moderator
from .facts import AddableKind, Facts
from .timeline import Timeline

log = logging.getLogger(__name__)

# What /quiz start uses where neither the member nor the server says otherwise.
BOT_QUIZ_DEFAULTS = QuizSettings(
    topic="us-russia", difficulty=None, questions=5, seconds=DEFAULT_SECONDS, reveal_pause=int(REVEAL_PAUSE)
)

@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Manage(commands.GroupCog, group_name="manage", group_description=text.MANAGE_DESCRIPTION):
    """Moderator tools: /manage facts … and /manage timeline …."""

    facts = app_commands.Group(name="facts", description=text.FACTS_DESCRIPTION)
    timeline = app_commands.Group(name="timeline", description=text.TIMELINE_DESCRIPTION)
    quiz = app_commands.Group(name="quiz", description=text.QUIZ_DESCRIPTION)

    def __init__(self, bot: AllianceBot) -> None:
        self.bot = bot
        super().__init__()

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        require_moderator(interaction)
        return True

    def _facts(self) -> Facts:
        cog = self.bot.get_cog("Facts")
        if not isinstance(cog, Facts):
            raise RuntimeError("the Facts cog is not loaded")
        return cog

    def _timeline(self) -> Timeline:
        cog = self.bot.get_cog("Timeline")
        if not isinstance(cog, Timeline):
            raise RuntimeError("the Timeline cog is not loaded")
        return cog

    async def _fact_ids(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await self._facts().fact_id_autocomplete(interaction, current)

    # ------------------------------------------------------------------ /manage facts

    @facts.command(name="edit", description="Correct an entry in this server (opens a form)")
    @app_commands.describe(fact_id=text.FACT_ID_HELP)
    async def facts_edit(self, interaction: discord.Interaction, fact_id: str) -> None:
        await self._facts().edit(interaction, fact_id)

    @facts.command(name="add", description="Add an entry in this server (opens a form)")
    @app_commands.describe(kind="What kind of entry to add")
    async def facts_add(self, interaction: discord.Interaction, kind: AddableKind) -> None:
        await self._facts().add(interaction, kind)

    @facts.command(name="remove", description="Hide an entry in this server (after a confirmation)")
    @app_commands.describe(fact_id=text.FACT_ID_HELP)
    async def facts_remove(self, interaction: discord.Interaction, fact_id: str) -> None:
        await self._facts().remove(interaction, fact_id)

    @facts.command(name="revert", description="Make an earlier version current again (as a new version)")
    @app_commands.describe(fact_id=text.FACT_ID_HELP, version=text.VERSION_HELP)
    async def facts_revert(
        self, interaction: discord.Interaction, fact_id: str, version: app_commands.Range[int, 0, 1_000_000]
    ) -> None:
        await self._facts().revert(interaction, fact_id, version)

    @facts.command(name="import", description="Apply a file of changes: all or nothing, after a summary")
    @app_commands.describe(file=text.IMPORT_FILE_HELP)
    async def facts_import(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        await self._facts().import_(interaction, file)

    @facts.command(name="export", description="This server's changes as a file, ready to import or propose upstream")
    async def facts_export(self, interaction: discord.Interaction) -> None:
        await self._facts().export(interaction)

    @facts.command(name="audit", description="Post each fact change in a channel as a one-line summary")
    @app_commands.describe(channel="Where to post fact changes; leave empty to stop posting them")
    async def facts_audit(self, interaction: discord.Interaction, channel: discord.TextChannel | None = None) -> None:
        await self._facts().audit(interaction, channel)

    @facts.command(name="reload", description="Bot owner: re-read the bundled facts after a deploy")
    async def facts_reload(self, interaction: discord.Interaction) -> None:
        await self._facts().reload(interaction)

    facts_edit.autocomplete("fact_id")(_fact_ids)
    facts_remove.autocomplete("fact_id")(_fact_ids)
    facts_revert.autocomplete("fact_id")(_fact_ids)

    # ------------------------------------------------------------------ /manage timeline

    @timeline.command(name="subscribe", description="Post one timeline entry a day in a channel")
    @app_commands.describe(channel="The text channel to post in", time=text.TIME_HELP, topic=text.SERIES_HELP)
    @app_commands.choices(topic=text.SERIES_CHOICES)
    async def timeline_subscribe(
        self,
        interaction: discord.Interaction,
        channel: discord.TextChannel,
        time: str | None = None,
        topic: str | None = None,
    ) -> None:
        await self._timeline().subscribe(interaction, channel, time, topic)

    @timeline.command(name="unsubscribe", description="Stop the daily timeline posts in a channel")
    @app_commands.describe(channel="The channel that gets the daily posts")
    async def timeline_unsubscribe(self, interaction: discord.Interaction, channel: discord.TextChannel) -> None:
        await self._timeline().unsubscribe(interaction, channel)

    @timeline.command(name="status", description="Each daily-post channel: its next post and its last result")
    async def timeline_status(self, interaction: discord.Interaction) -> None:
        await self._timeline().status(interaction)


    # ------------------------------------------------------------------ /manage quiz

    @quiz.command(name="settings", description="This server's quiz defaults")
    async def quiz_settings(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        settings = await self.bot.store.quiz_settings(interaction.guild_id)
        await interaction.response.send_message(
            embed=render_quiz.settings_embed(settings, BOT_QUIZ_DEFAULTS), ephemeral=True
        )

    @quiz.command(name="defaults", description="Change this server's quiz defaults (the rest stay as they are)")
    @app_commands.describe(
        topic="The topic /quiz start uses when none is given",
        difficulty="Only easy, medium or hard questions; 'all' for every level",
        questions=f"Questions per quiz (1-{MAX_QUESTIONS})",
        seconds=f"Seconds to answer each question ({MIN_SECONDS}-{MAX_SECONDS})",
        reveal_pause="Seconds between a reveal and the next question (0-30)",
    )
    @app_commands.choices(topic=render_quiz.TOPIC_CHOICES)
    async def quiz_defaults(
        self,
        interaction: discord.Interaction,
        topic: str | None = None,
        difficulty: Literal["all", "easy", "medium", "hard"] | None = None,
        questions: app_commands.Range[int, 1, MAX_QUESTIONS] | None = None,
        seconds: app_commands.Range[int, MIN_SECONDS, MAX_SECONDS] | None = None,
        reveal_pause: app_commands.Range[int, 0, 30] | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        changes: dict[str, Any] = {
            key: value
            for key, value in (("topic", topic), ("questions", questions), ("seconds", seconds),
                               ("reveal_pause", reveal_pause))
            if value is not None
        }
        if difficulty is not None:
            changes["difficulty"] = None if difficulty == "all" else difficulty
        if topic is not None and topic not in render_quiz.TOPIC_LABELS:
            raise UserError(render_quiz.no_questions(topic))
        if not changes:
            raise UserError(render_quiz.NOTHING_TO_CHANGE)
        settings = await self.bot.store.change_quiz_settings(interaction.guild_id, changes)
        await interaction.response.send_message(
            embed=render_quiz.settings_embed(settings, BOT_QUIZ_DEFAULTS), ephemeral=True
        )

    @quiz.command(name="reports", description="Questions members reported, most reported first")
    async def quiz_reports(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        reports = await self.bot.store.question_reports(interaction.guild_id)
        await interaction.response.send_message(embed=render_quiz.reports_embed(reports), ephemeral=True)

    @quiz.command(name="retire", description="Never ask a reported question in this server again")
    @app_commands.describe(question="The reported question (type to search the reports)")
    async def quiz_retire(self, interaction: discord.Interaction, question: str) -> None:
        assert interaction.guild_id is not None
        reports = {r.key: r for r in await self.bot.store.question_reports(interaction.guild_id, limit=500)}
        if question not in reports:
            raise UserError(render_quiz.NOT_REPORTED)
        retired = await self.bot.store.retire_question(
            interaction.guild_id, question, interaction.user.id, discord.utils.utcnow()
        )
        message = render_quiz.retired_text(reports[question].prompt) if retired else render_quiz.ALREADY_RETIRED
        await interaction.response.send_message(message, ephemeral=True)

    @quiz_retire.autocomplete("question")
    async def _reported(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        assert interaction.guild_id is not None
        reports = await self.bot.store.question_reports(interaction.guild_id, limit=100)
        typed = current.casefold()
        return [
            app_commands.Choice(name=render_quiz.clip(f"{len(r.reasons)}× {r.prompt}", 100), value=r.key)
            for r in reports if typed in r.prompt.casefold()
        ][:25]

    # ------------------------------------------------------------------ /manage forget-server

    @app_commands.command(name="forget-server", description=text.FORGET_SERVER_DESCRIPTION)
    @app_commands.describe(confirm="True to delete now; without it you see what would be deleted")
    async def forget_server(self, interaction: discord.Interaction, confirm: bool = False) -> None:
        guild_id = interaction.guild_id
        assert guild_id is not None
        store = self.bot.store
        if not confirm:
            data = await store.server_data(guild_id)
            await interaction.response.send_message(render_help.forget_server_prompt(data), ephemeral=True)
            return
        forgotten = await store.forget_server(guild_id)
        if forgotten is None:
            raise UserError(render_help.QUIZ_RUNNING_NOTHING_DELETED)
        self.bot.services.facts.invalidate(guild_id)
        self.bot.services.names.forget_guild(guild_id)
        self._timeline().scheduler.wake()  # its subscriptions are gone
        # Logged without what was deleted: who asked, where, and how many records.
        log.warning(
            "server %s: all its stored data deleted at the request of moderator %s (%d records)",
            guild_id, interaction.user.id, forgotten.total,
        )
        await interaction.response.send_message(render_help.server_forgotten_text(forgotten), ephemeral=True)


async def setup(bot: AllianceBot) -> None:
    await bot.add_cog(Manage(bot))
