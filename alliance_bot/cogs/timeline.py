"""/timeline browse; the daily posts that /manage timeline sets up; runs the daily-post scheduler."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

import discord
from discord import app_commands
from discord.ext import commands

from ..client import AllianceBot
from ..domain import timeline as tl
from ..domain.errors import UserError
from ..domain.facts import TimelineTopic
from ..render import reply_after_change
from ..render import timeline as render
from ..timeline_scheduler import TimelineScheduler
from .checks import EVERYWHERE_CONTEXTS, EVERYWHERE_INSTALLS, ensure_moderator

log = logging.getLogger(__name__)


class Timeline(commands.Cog):
    """The US–Russia timeline and alliance history, browsable and posted daily."""

    timeline = app_commands.Group(
        name="timeline",
        description="The US–Russia timeline and alliance history, entry by entry",
        allowed_installs=EVERYWHERE_INSTALLS,
        allowed_contexts=EVERYWHERE_CONTEXTS,
    )

    def __init__(self, bot: AllianceBot) -> None:
        self.bot = bot
        self.scheduler = TimelineScheduler(bot)

    async def cog_load(self) -> None:
        # On a first start the scheduler begins in on_ready; on a reload the bot is ready already.
        if self.bot.is_ready():
            self.scheduler.start()

    async def cog_unload(self) -> None:
        await self.scheduler.stop()

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        self.scheduler.start()

    # ------------------------------------------------------------------ browse

    @timeline.command(name="browse", description="Browse the timeline entry by entry, or jump to a year or decade")
    @app_commands.describe(year="Open at this year (or the nearest entry)", topic="Only show entries on this topic")
    async def browse(
        self,
        interaction: discord.Interaction,
        year: app_commands.Range[int, 1000, 2100] | None = None,
        topic: TimelineTopic | None = None,
    ) -> None:
        facts = await self.bot.services.facts.view(interaction.guild_id)
        entries = tl.with_topic(tl.timeline_entries(facts), topic)
        if not entries:
            raise UserError(render.no_entries_for_topic(topic) if topic else render.NO_ENTRIES)
        index = tl.nearest_index(entries, year) if year is not None else 0
        view = render.BrowseView(entries, index, owner_id=interaction.user.id, topic=topic)
        await interaction.response.send_message(embed=view.embed(asked_year=year), view=view)
        await view.attach(interaction)

    @timeline.command(name="today", description="What happened on this day of the year, in every year of the timeline")
    @app_commands.describe(topic="Only show entries on this topic")
    async def today(self, interaction: discord.Interaction, topic: TimelineTopic | None = None) -> None:
        day = discord.utils.utcnow().date()
        facts = await self.bot.services.facts.view(interaction.guild_id)
        entries = tl.on_this_day(tl.with_topic(tl.timeline_entries(facts), topic), day)
        if not entries:
            raise UserError(render.nothing_on_day(day, topic))
        view = render.BrowseView(
            entries, 0, owner_id=interaction.user.id, topic=topic, heading=render.on_this_day_heading(day)
        )
        await interaction.response.send_message(embed=view.embed(), view=view)
        await view.attach(interaction)

    # ------------------------------------------------------------------ daily posts (run by /manage timeline)

    async def subscribe(
        self,
        interaction: discord.Interaction,
        channel: discord.TextChannel,
        time: str | None = None,
        topic: str | None = None,
    ) -> None:
        """/manage timeline subscribe: one entry a day in a channel, from the chosen topic."""
        assert interaction.guild is not None  # /manage is guild-only
        post_time = tl.parse_post_time(time)
        series = tl.parse_series(topic)
        me = interaction.guild.me
        if me is not None:
            permissions = channel.permissions_for(me)
            if not (permissions.view_channel and permissions.send_messages and permissions.embed_links):
                raise UserError(render.cannot_post_text(channel.name))
        now = discord.utils.utcnow()
        subscription = await self.bot.store.timeline_subscribe(
            interaction.guild.id, channel.id, post_time, now, by=interaction.user.id, topic=series
        )
        self.scheduler.wake()
        await self.bot.services.names.remember(interaction.guild.id, interaction.user)
        log.info("timeline subscription %s/%s at %s UTC", interaction.guild.id, channel.id, tl.format_post_time(post_time))
        first = tl.next_post_at(now, subscription, None)
        text = render.subscribed_text(channel.name, tl.format_post_time(post_time), first, series)
        await reply_after_change(interaction.response.send_message(text, ephemeral=True), text)

    async def unsubscribe(self, interaction: discord.Interaction, channel: discord.TextChannel) -> None:
        """/manage timeline unsubscribe: stop the daily posts in a channel."""
        assert interaction.guild is not None
        if not await self.bot.store.timeline_unsubscribe(interaction.guild.id, channel.id):
            raise UserError(render.not_subscribed_text(channel.name))
        self.scheduler.wake()
        text = render.unsubscribed_text(channel.name)
        await reply_after_change(interaction.response.send_message(text, ephemeral=True), text)

    async def status(self, interaction: discord.Interaction) -> None:
        """/manage timeline status: each subscription, its next post and its last result."""
        assert interaction.guild is not None
        now = discord.utils.utcnow()
        rows = await self._status_rows(interaction.guild, now)
        embed = render.status_embed(rows, now)
        gone = [subscription.channel_id for subscription, _, name in rows if name is None]
        if not gone:
            await interaction.response.send_message(embed=embed, ephemeral=True)
            return
        # A deleted channel can't be picked in /manage timeline unsubscribe, so offer to remove it here.
        view = render.RemoveDeletedView(owner_id=interaction.user.id, channel_ids=gone, on_remove=self._remove_deleted)
        await interaction.response.send_message(embed=embed, view=view, ephemeral=True)
        await view.attach(interaction)

    async def _status_rows(
        self, guild: discord.Guild, now: datetime
    ) -> list[tuple[tl.Subscription, datetime | None, str | None]]:
        """(subscription, next post time, channel name or None when the channel is gone) for /manage timeline status."""
        store = self.bot.store
        rows = []
        for subscription in await store.timeline_subscriptions(guild.id):
            due = tl.latest_due(now, subscription.post_time, subscription.since)
            record = None if due is None else await store.timeline_post(
                subscription.guild_id, subscription.channel_id, due.date()
            )
            channel = guild.get_channel(subscription.channel_id)
            rows.append((subscription, tl.next_post_at(now, subscription, record), channel.name if channel else None))
        return rows

    async def _remove_deleted(self, interaction: discord.Interaction, channel_ids: Sequence[int]) -> None:
        """The status button: unsubscribe channels that (still) no longer exist; moderators only."""
        ensure_moderator(interaction)
        guild = interaction.guild
        assert guild is not None
        removed = 0
        for channel_id in channel_ids:
            if guild.get_channel(channel_id) is None and await self.bot.store.timeline_unsubscribe(guild.id, channel_id):
                removed += 1
        self.scheduler.wake()
        now = discord.utils.utcnow()
        text = render.removed_deleted_text(removed)
        embed = render.status_embed(await self._status_rows(guild, now), now)
        await reply_after_change(interaction.response.edit_message(content=text, embed=embed, view=None), text)


async def setup(bot: AllianceBot) -> None:
    await bot.add_cog(Timeline(bot))
