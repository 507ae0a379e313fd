"""Embeds, the browse view and every user-visible string of the timeline feature."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime

import discord

from ..domain import timeline as tl
from ..domain.facts import TimelineEntry
from . import (
    COLOUR_INFO,
    COLOUR_WARN,
    SELECT_LABEL_LIMIT,
    SELECT_OPTION_LIMIT,
    BaseView,
    clip,
    footer_for,
    make_embed,
    source_text,
)
from . import channel_name as channel_name_text

log = logging.getLogger(__name__)

BROWSE_TIMEOUT = 600.0

NO_ENTRIES = "There are no timeline entries yet."
TIME_HELP = "Time of day in UTC, 24-hour HH:MM (default 12:00)"
SERIES_HELP = "What to post: the US–Russia timeline (default), alliance history, or both"
SERIES_LABELS: dict[str, str] = {
    "us-russia": "the US–Russia timeline",
    "alliances": "alliance history",
    "both": "the US–Russia timeline and alliance history",
}
SERIES_CHOICES = [
    discord.app_commands.Choice(name="US–Russia timeline", value="us-russia"),
    discord.app_commands.Choice(name="Alliance history (signatures, accessions, exits)", value="alliances"),
    discord.app_commands.Choice(name="Both", value="both"),
]
TOPIC_LABELS: dict[str, str] = {"alliances": "alliance history"}


def topic_label(topic: str) -> str:
    return TOPIC_LABELS.get(topic, topic)


def no_entries_for_topic(topic: str) -> str:
    return f"There are no timeline entries on the topic “{topic_label(topic)}” yet."


def on_this_day_heading(day: date) -> str:
    return f"On this day, {day.day} {day.strftime('%B')}"


def nothing_on_day(day: date, topic: str | None) -> str:
    about = f" on the topic “{topic_label(topic)}”" if topic else ""
    return f"No timeline entry{about} happened on {day.day} {day.strftime('%B')}. Try `/timeline browse`."


def entry_date(entry: TimelineEntry) -> str:
    """'1999', 'March 2023' or '14 March 2023'."""
    if entry.month is None:
        return str(entry.year)
    month = date(2000, entry.month, 1).strftime("%B")
    return f"{entry.day} {month} {entry.year}" if entry.day else f"{month} {entry.year}"


def entry_embed(
    entry: TimelineEntry,
    *,
    position: int,
    total: int,
    topic: str | None = None,
    asked_year: int | None = None,
    heading: str | None = None,
) -> discord.Embed:
    """The browse card: date and title, the impact, the source, "as of", and where we are."""
    description = entry.impact
    if asked_year is not None and asked_year != entry.year:
        description = f"*No entry for {asked_year}; this is the nearest.*\n\n{description}"
    where = f"{heading}: entry {position + 1} of {total}" if heading else f"Entry {position + 1} of {total}"
    if topic:
        where += f" · topic: {topic_label(topic)}"
    return make_embed(
        f"{entry_date(entry)}: {entry.title}",
        description,
        fields=[("Source", source_text(entry.sources))],
        inline_fields=[] if topic else [("Topic", topic_label(entry.topic))],  # when browsing one topic, the footer says it
        footer=footer_for(entry.as_of, where),
    )


def post_embed(entry: TimelineEntry, *, on_this_day: bool, day: date) -> discord.Embed:
    """The daily post in a subscribed channel."""
    if on_this_day:
        years = day.year - entry.year
        heading = f"On this day, {years} year{'s' if years != 1 else ''} ago"
    elif entry.topic == "alliances":
        heading = "From the history of alliances"
    else:
        heading = "From the US–Russia timeline"
    return make_embed(
        f"{entry_date(entry)}: {entry.title}",
        f"**{heading}**\n{entry.impact}",
        fields=[("Source", source_text(entry.sources))],
        footer=footer_for(entry.as_of, f"Daily timeline post for {day.isoformat()}"),
    )


# --------------------------------------------------------------------------- subscribe / status


def subscribed_text(channel: str, post_time: str, first_post: datetime | None, series: str = "us-russia") -> str:
    when = f" The first one comes {discord.utils.format_dt(first_post, 'R')}." if first_post else ""
    what = SERIES_LABELS.get(series, series)
    return (
        f"#{channel} will get one timeline entry a day at {post_time} UTC, from {what}: an event of that day "
        f"where there is one, otherwise the entry the channel has gone longest without.{when}"
    )


def unsubscribed_text(channel: str) -> str:
    return f"#{channel} will no longer get daily timeline posts."


def not_subscribed_text(channel: str) -> str:
    return f"#{channel} has no daily timeline subscription."


def cannot_post_text(channel: str) -> str:
    return f"I can't post in #{channel}: I need View Channel, Send Messages and Embed Links there."


PAUSE_REASONS: dict[str, str] = {
    "channel_missing": "the channel was deleted or I can no longer see it",
    "forbidden": "I lost permission to post there",
    "rejected": "Discord rejected the post",
}


def pause_text(kind: str | None, detail: str | None) -> str:
    reason = PAUSE_REASONS.get(kind or "", kind or "unknown reason")
    return f"{reason} ({clip(detail, 120)})" if detail else reason


def http_detail(error: discord.HTTPException) -> str:
    """A short operator-facing description of a failed request, for the status and the log."""
    text = error.text or error.__class__.__name__
    return clip(f"HTTP {error.status}: {text}", 200)


LAST_STATUS: dict[str, str] = {
    "sent": "posted",
    "retrying": "failed, will retry",
    "paused": "failed, paused",
    "unconfirmed": "interrupted while posting; not re-posted so the day can't appear twice",
    "skipped": "nothing to post",
}


def _last_result(subscription: tl.Subscription) -> str:
    if subscription.last_status is None or subscription.last_at is None:
        return "no post yet"
    label = LAST_STATUS.get(subscription.last_status, subscription.last_status)
    detail = f" ({clip(subscription.last_detail, 120)})" if subscription.last_detail else ""
    return f"{label}{detail}, {discord.utils.format_dt(subscription.last_at, 'R')}"


def status_embed(
    subscriptions: Sequence[tuple[tl.Subscription, datetime | None, str | None]], now: datetime
) -> discord.Embed:
    """Each subscription of the server: channel, time, next post and last result.

    Each item is (subscription, next post time, channel name or None if the channel is gone).
    """
    if not subscriptions:
        return make_embed(
            "Daily timeline posts",
            "No channel here gets daily timeline posts. Start with `/manage timeline subscribe`.",
        )
    fields = []
    paused = False
    for subscription, next_at, channel_name in subscriptions:
        if channel_name is None:
            paused = True
            reason = (
                pause_text(subscription.paused, subscription.paused_detail)
                if subscription.paused
                else "the channel no longer exists"
            )
            upcoming = f"**paused**: {reason}. Remove this subscription with the button below."
        elif not subscription.active:
            paused = True
            upcoming = (
                f"**paused**: {pause_text(subscription.paused, subscription.paused_detail)}. "
                "Run `/manage timeline subscribe` for this channel again to resume."
            )
        elif next_at is None or next_at <= now:
            upcoming = "due now"
        else:
            upcoming = f"{discord.utils.format_dt(next_at, 'f')} ({discord.utils.format_dt(next_at, 'R')})"
        fields.append(
            (
                channel_name_text(channel_name, subscription.channel_id),
                f"Daily at {tl.format_post_time(subscription.post_time)} UTC: "
                f"{SERIES_LABELS.get(subscription.topic, subscription.topic)}\n"
                f"Next post: {upcoming}\nLast result: {_last_result(subscription)}",
            )
        )
    return make_embed(
        "Daily timeline posts",
        f"{len(subscriptions)} subscription{'s' if len(subscriptions) != 1 else ''} in this server.",
        colour=COLOUR_WARN if paused else COLOUR_INFO,
        fields=fields,
    )


def removed_deleted_text(count: int) -> str:
    return f"Removed {count} subscription{'s' if count != 1 else ''} whose channel no longer exists."


class RemoveDeletedView(BaseView):
    """One button on /manage timeline status: forget subscriptions whose channel was deleted."""

    def __init__(
        self,
        *,
        owner_id: int,
        channel_ids: Sequence[int],
        on_remove: Callable[[discord.Interaction, Sequence[int]], Awaitable[None]],
    ) -> None:
        super().__init__(owner_id=owner_id, timeout=600)
        count = len(channel_ids)
        button: discord.ui.Button[RemoveDeletedView] = discord.ui.Button(
            label=clip(f"Remove {count} subscription{'s' if count != 1 else ''} of deleted channels", 80),
            style=discord.ButtonStyle.danger,
        )

        async def remove(interaction: discord.Interaction) -> None:
            await on_remove(interaction, channel_ids)

        button.callback = remove  # type: ignore[method-assign]
        self.add_item(button)


# --------------------------------------------------------------------------- the browse view


class DecadeSelect(discord.ui.Select["BrowseView"]):
    """Jump to the first entry of a decade."""

    def __init__(self, decades: Sequence[int], current: int) -> None:
        shown = list(decades)[:SELECT_OPTION_LIMIT]
        options = [
            discord.SelectOption(label=clip(f"{decade}s", SELECT_LABEL_LIMIT), value=str(decade), default=decade == current)
            for decade in shown
        ]
        super().__init__(custom_id="timeline:decade", placeholder="Jump to a decade", options=options, row=1)

    async def callback(self, interaction: discord.Interaction) -> None:
        assert self.view is not None
        await self.view.show(interaction, tl.first_index_of_decade(self.view.entries, int(self.values[0])))


class BrowseView(BaseView):
    """Previous/Next through the timeline and a decade select; only the invoker can page."""

    def __init__(
        self,
        entries: Sequence[TimelineEntry],
        index: int,
        *,
        owner_id: int,
        topic: str | None = None,
        heading: str | None = None,
        timeout: float | None = BROWSE_TIMEOUT,
    ) -> None:
        super().__init__(owner_id=owner_id, timeout=timeout)
        self.entries = list(entries)
        self.index = index
        self.topic = topic
        self.heading = heading
        self.decade_select: DecadeSelect | None = None
        self._refresh()

    def _refresh(self) -> None:
        self.previous.disabled = self.index <= 0
        self.next.disabled = self.index >= len(self.entries) - 1
        if self.decade_select is not None:
            self.remove_item(self.decade_select)
            self.decade_select = None
        decades = tl.decades(self.entries)
        if len(decades) > 1:
            self.decade_select = DecadeSelect(decades, tl.decade_of(self.entries[self.index].year))
            self.add_item(self.decade_select)

    def embed(self, asked_year: int | None = None) -> discord.Embed:
        return entry_embed(
            self.entries[self.index],
            position=self.index,
            total=len(self.entries),
            topic=self.topic,
            asked_year=asked_year,
            heading=self.heading,
        )

    async def show(self, interaction: discord.Interaction, index: int) -> None:
        shown = self.index
        self.index = max(0, min(index, len(self.entries) - 1))
        self._refresh()
        try:
            await interaction.response.edit_message(embed=self.embed(), view=self)
        except discord.HTTPException:
            # The card still shows the old entry: stay in step with it, so the next click is right.
            self.index = shown
            self._refresh()
            raise

    @discord.ui.button(label="Previous", emoji="◀️", style=discord.ButtonStyle.secondary, custom_id="timeline:prev", row=0)
    async def previous(self, interaction: discord.Interaction, button: discord.ui.Button[BrowseView]) -> None:
        await self.show(interaction, self.index - 1)

    @discord.ui.button(label="Next", emoji="▶️", style=discord.ButtonStyle.secondary, custom_id="timeline:next", row=0)
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button[BrowseView]) -> None:
        await self.show(interaction, self.index + 1)
