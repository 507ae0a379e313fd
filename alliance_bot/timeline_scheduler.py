"""The daily timeline poster: sleeps until the next due post, posts it exactly once, sleeps again.

Exactly once, per (server, channel, day):

* Before sending, the day is recorded as 'sending' in its own committed transaction; after
  the send it becomes 'sent'. A day with any record but a retryable 'failed' is never sent again.
* A 'sending' record found at start-up means the bot stopped mid-send. Whether Discord got the
  message cannot be proven either way, so the record becomes 'unconfirmed' and the day is NOT
  sent again: at-most-once is the safe reading of "never posts the same day twice".
* Only the latest due slot is ever posted: after any downtime there is one catch-up post.

Refusals that won't fix themselves (channel deleted: NotFound; permission lost: Forbidden; any
other 4xx) pause that one subscription with the reason; Discord 5xx and network errors are
retried later with back-off. A failure in one server never stops the others.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import aiohttp
import discord

from .domain import timeline as tl
from .render import NO_MENTIONS
from .render import timeline as render

if TYPE_CHECKING:
    from .client import AllianceBot

log = logging.getLogger(__name__)

# The loop's monotonic clock and UTC can drift apart (a suspended host, a clock change), so a
# long sleep is cut into pieces of at most this and the schedule is recomputed from UTC.
MAX_SLEEP = timedelta(hours=6)
# After an unexpected error while servicing one subscription, look at it again this much later.
BUG_RETRY = timedelta(minutes=15)


class TimelineScheduler:
    """Runs the daily posts of every subscription; start after ready, stop on unload."""

    def __init__(self, bot: AllianceBot) -> None:
        self.bot = bot
        self._task: asyncio.Task[None] | None = None
        self._sleeper: asyncio.Task[None] | None = None
        self._dirty = False
        self._backoff: dict[tuple[int, int], datetime] = {}

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        """Start the loop (idempotent: a reconnect's second on_ready changes nothing)."""
        if self.running:
            return
        self._task = asyncio.create_task(self._run(), name="timeline-scheduler")

    def wake(self) -> None:
        """Recompute the schedule now (a subscription was added, changed or removed)."""
        self._dirty = True
        if self._sleeper is not None and not self._sleeper.done():
            self._sleeper.cancel()

    async def stop(self) -> None:
        """Stop the loop and wait for it to finish."""
        task, self._task = self._task, None
        if task is None:
            return
        task.cancel()
        # wait() neither raises the task's CancelledError nor hides a cancellation of our caller.
        await asyncio.wait({task})

    # ------------------------------------------------------------------ the loop

    async def _run(self) -> None:
        settled = False
        while True:
            self._dirty = False
            try:
                if not settled:
                    await self._settle_interrupted()
                    settled = True
                wake_at = await self._run_due()
            except Exception:
                # The database or a bug: never let it end the loop; look again a little later.
                log.exception("the timeline scheduler failed; trying again later")
                wake_at = discord.utils.utcnow() + BUG_RETRY
            if self._dirty:
                continue
            await self._sleep_until(wake_at)

    async def _settle_interrupted(self) -> None:
        interrupted = await self.bot.store.timeline_settle_interrupted(discord.utils.utcnow())
        if interrupted:
            log.warning(
                "%d timeline post(s) were interrupted mid-send by a previous stop; "
                "they are marked unconfirmed and will not be re-sent",
                interrupted,
            )

    async def _sleep_until(self, wake_at: datetime | None) -> None:
        now = discord.utils.utcnow()
        delay = MAX_SLEEP if wake_at is None else min(max(wake_at - now, timedelta(0)), MAX_SLEEP)
        # A separate sleeper task, so wake() can cut the sleep short without cancelling the loop.
        self._sleeper = asyncio.create_task(asyncio.sleep(delay.total_seconds()))
        try:
            await self._sleeper
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if current is not None and current.cancelling():
                raise  # stop(), not wake()
        finally:
            self._sleeper = None

    async def _run_due(self) -> datetime | None:
        """Post whatever is due now; return when the earliest subscription needs a look again."""
        now = discord.utils.utcnow()
        earliest: datetime | None = None
        for subscription in await self.bot.store.timeline_subscriptions():
            if not subscription.active:
                continue
            key = (subscription.guild_id, subscription.channel_id)
            try:
                if key in self._backoff and self._backoff[key] > now:
                    wake_at: datetime | None = self._backoff[key]
                else:
                    self._backoff.pop(key, None)
                    wake_at = await self._service(subscription, now)
            except Exception:
                log.exception("timeline subscription %s/%s failed; trying again later", *key)
                wake_at = self._backoff[key] = now + BUG_RETRY
            if wake_at is not None and (earliest is None or wake_at < earliest):
                earliest = wake_at
        return earliest

    async def _service(self, subscription: tl.Subscription, now: datetime) -> datetime | None:
        """Post for one subscription if it is due; return when it needs a look again."""
        store = self.bot.store
        due = tl.latest_due(now, subscription.post_time, subscription.since)
        record = None if due is None else await store.timeline_post(
            subscription.guild_id, subscription.channel_id, due.date()
        )
        plan = tl.plan(now, subscription, record)
        if plan.post_day is None:
            return plan.wake_at
        await self._post(subscription, plan.post_day, now)
        # Recompute from the records just written (sent, retry later, or paused).
        self._dirty = True
        return None

    async def _post(self, subscription: tl.Subscription, day: date, now: datetime) -> None:
        store = self.bot.store
        guild_id, channel_id = subscription.guild_id, subscription.channel_id
        facts = await self.bot.services.facts.view(guild_id)
        entries = tl.of_series(tl.timeline_entries(facts), subscription.topic)
        seen = await store.timeline_seen(guild_id, channel_id, day)
        choice = tl.choose_entry(entries, day, subscription.walk_key, seen)
        if choice is None:
            await store.timeline_skip_day(guild_id, channel_id, day, now, render.NO_ENTRIES)
            return
        embed = render.post_embed(choice.entry, on_this_day=choice.on_this_day, day=day)
        channel = self.bot.get_partial_messageable(channel_id, guild_id=guild_id)
        claimed = await store.timeline_claim_day(guild_id, channel_id, day, choice.entry.id, now)
        if claimed is None:
            return  # already posted (or interrupted) for that day
        # Nothing but the send itself between recording 'sending' and recording the outcome.
        try:
            message = await channel.send(embed=embed, allowed_mentions=NO_MENTIONS)
        except discord.NotFound as error:
            await self._pause(subscription, day, now, "channel_missing", error)
        except discord.Forbidden as error:
            await self._pause(subscription, day, now, "forbidden", error)
        except discord.HTTPException as error:
            if error.status >= 500 or error.status == 429:
                await self._retry_later(subscription, day, now, claimed.attempts, render.http_detail(error))
            else:
                await self._pause(subscription, day, now, "rejected", error)
        except (aiohttp.ClientError, TimeoutError) as error:
            await self._retry_later(subscription, day, now, claimed.attempts, f"network error: {error!r}"[:200])
        else:
            await store.timeline_mark_sent(
                guild_id, channel_id, day, message.id, now, walk_key=choice.walk_key, detail=choice.entry.title
            )
            log.info("posted timeline entry %s to %s/%s for %s", choice.entry.id, guild_id, channel_id, day)

    async def _pause(
        self, subscription: tl.Subscription, day: date, now: datetime, kind: tl.PauseKind, error: discord.HTTPException
    ) -> None:
        detail = render.http_detail(error)
        log.warning("pausing timeline posts to %s/%s: %s", subscription.guild_id, subscription.channel_id, detail)
        await self.bot.store.timeline_mark_failed(
            subscription.guild_id, subscription.channel_id, day, now, detail=detail, pause=kind
        )

    async def _retry_later(
        self, subscription: tl.Subscription, day: date, now: datetime, attempts: int, detail: str
    ) -> None:
        retry_at = now + tl.retry_delay(attempts)
        log.warning(
            "timeline post to %s/%s failed (%s); retrying at %s",
            subscription.guild_id,
            subscription.channel_id,
            detail,
            retry_at.isoformat(),
        )
        await self.bot.store.timeline_mark_failed(
            subscription.guild_id, subscription.channel_id, day, now, detail=detail, retry_at=retry_at
        )
