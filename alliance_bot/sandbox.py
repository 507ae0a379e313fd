"""The no-token sandbox: the real bot, unmodified, against SimCord's local browser preview.

A demo server with #general and #timeline, a member and a moderator (Manage Server) to act
as, and its own database file next to the real one, so trying things never touches real data.

What makes it feel like Discord rather than a snapshot:

* **Stable world.** The server, its channels and its two people are created before the
  simulated clock moves, so SimCord gives them the same ids on every run: the sandbox database's
  scores, names and fact changes belong to them again next time.
* **Stable address.** A fixed default port (or the next free one, said out loud) and a page key
  kept in the sandbox database, so the printed address keeps working across restarts.
* **Live page.** A ticker keeps the simulated clock on the wall clock and, whenever the bot
  posted or edited something on its own (a quiz reveal, the next question, results, a daily
  post), publishes the page with ``Preview.refresh()``; the browser picks it up without a click.
* **One sandbox-only control.** ``/sandbox next-post`` moves the clock to the next daily
  timeline post. It is added here, never by ``alliance_bot.client.EXTENSIONS``, so no real deployment
  can load it.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import discord
import simcord
from discord import app_commands
from discord.ext import commands
from simcord.backend.errors import SetupError

from . import create_bot
from .client import AllianceBot
from .config import Settings
from .domain import timeline as tl
from .domain.errors import UserError
from .lifecycle import stop_on_signals
from .render import sandbox as text

log = logging.getLogger(__name__)

DEFAULT_PORT = 8765
# The demo server's id, pinned so the sandbox database's rows belong to it on every run. The
# channels and people get theirs from SimCord in creation order, before the clock moves (so
# they are the same every run too).
SERVER_ID = 1_200_000_000_000_000_001
TICK_SECONDS = 0.5
CLOCK_SLACK_SECONDS = 2.0
PAGE_KEY = "sandbox:page_key"
# Gateway events that change what the page shows.
VISIBLE_EVENTS = ("MESSAGE_CREATE", "MESSAGE_UPDATE", "MESSAGE_DELETE", "MESSAGE_DELETE_BULK")


def sandbox_database(database: Path) -> Path:
    """The sandbox's own database file, beside the real one."""
    return database.with_name(f"{database.stem}-sandbox{database.suffix or '.sqlite3'}")


@dataclass(frozen=True)
class SandboxWorld:
    """What a sandbox session is made of, for code that drives it (e.g. the README screenshot)."""

    env: Any
    preview: Any
    general: Any
    member: Any
    moderator: Any
    timeline: Any = None
    guild: Any = None
    # One step of the live page (clock, /sandbox next-post, publish), for drivers that step it themselves.
    tick: Callable[[], Awaitable[None]] | None = None


@dataclass
class _World:
    guild: Any
    general: Any
    timeline: Any
    member: Any
    moderator: Any


def _build_world(env: simcord.Env) -> _World:
    """The demo server. Called before the clock moves, so every run gets the same ids."""
    guild = env.create_guild(name=text.SERVER_NAME, id=SERVER_ID)
    general = guild.create_text_channel("general", topic="Ask the bot anything about alliances")
    timeline = guild.create_text_channel("timeline", topic="Subscribe the daily timeline here")
    moderators = guild.create_role("Moderators", permissions=discord.Permissions(manage_guild=True))
    member = guild.add_member(env.create_user("member", global_name="You (member)"))
    moderator = guild.add_member(env.create_user("moderator", global_name="You (moderator)"), roles=[moderators])
    return _World(guild, general, timeline, member, moderator)


async def run_sandbox(
    settings: Settings,
    *,
    port: int | None = None,
    stop: asyncio.Event | None = None,
    when_ready: Callable[[SandboxWorld], Awaitable[None]] | None = None,
    live: bool = True,
) -> None:
    """Run the bot in the sandbox until Ctrl-C (or until ``stop`` is set).

    ``port`` pins the page's port (default: 8765, or a free one if that is taken). ``when_ready``,
    if given, runs once the page is served. ``live=False`` leaves out the ticker (for code that
    drives the simulated Discord itself and must not share it).
    """
    # The sandbox is one process on its own SQLite file, whatever the real bot's database and shards.
    sandbox_settings = replace(
        settings,
        token=None,
        database=sandbox_database(settings.database),
        database_url=None,
        shard_count=None,
        shard_ids=None,
        auto_sync=False,
    )
    bot = create_bot(sandbox_settings)
    bot.sandboxed = True  # its command syncs go to SimCord, and its log says so
    # Errors are the bot's business here (it logs them); the sandbox is not a test. Keep
    # SimCord's default settle timeout: settling waits for timers due within it, and a longer
    # one would hold every click until a quiz question's seconds ran out.
    env = simcord.Env(bot, check_errors=False)
    world = _build_world(env)
    # SimCord's clock starts at a fixed date; start it at today instead, so timestamps, weekly
    # boards and "years since" read as they would in a real server.
    behind = (datetime.now(UTC) - env.now()).total_seconds()
    if behind > 0:
        env.backend.clock.advance(behind)
    ticker = _Ticker(env)
    await env.start()
    try:
        with env.time_context():
            await _serve(env, bot, world, sandbox_settings, ticker, port=port, stop=stop, when_ready=when_ready, live=live)
    finally:
        await env.shutdown()
    # SimCord detaches the bot without closing it; close it so the database is closed cleanly.
    if not bot.is_closed() or bot.store_is_open:
        await bot.close()
    print("Sandbox stopped.")


async def _serve(
    env: simcord.Env,
    bot: AllianceBot,
    world: _World,
    sandbox_settings: Settings,
    ticker: _Ticker,
    *,
    port: int | None,
    stop: asyncio.Event | None,
    when_ready: Callable[[SandboxWorld], Awaitable[None]] | None,
    live: bool,
) -> None:
    """Set the demo server up, then serve the preview until stopped."""
    if bot.user is not None:
        await bot.user.edit(username=text.BOT_NAME)
    await bot.add_cog(SandboxControls(bot, ticker))
    # The simulated Discord is new on every run, so its command list always needs a sync.
    await bot.sync_commands(force=True)
    channel = bot.get_channel(world.general.id)
    if isinstance(channel, discord.TextChannel):
        await channel.send(text.WELCOME)
    page_key = await _page_key(bot)
    preview, note = await _open_preview(env, world, port, page_key)
    ticker.take_turns_with(preview)
    try:
        for line in text.ready_lines(preview.url, str(sandbox_settings.database), note):
            print(line)
        waiter = stop or asyncio.Event()
        stop_on_signals(waiter)
        if when_ready is not None:
            # Before the ticker starts: both drive the simulated Discord, and only one may at a time.
            await when_ready(
                SandboxWorld(
                    env,
                    preview,
                    world.general,
                    world.member,
                    world.moderator,
                    world.timeline,
                    world.guild,
                    tick=lambda: ticker.tick(preview),
                )
            )
        task = asyncio.create_task(ticker.run(preview, waiter), name="sandbox-ticker") if live else None
        try:
            await waiter.wait()
        finally:
            if task is not None:
                task.cancel()
                await asyncio.wait({task})
    finally:
        await preview.close()


async def _page_key(bot: AllianceBot) -> str:
    """The page's key (the part after # in its address), kept so the address survives restarts."""
    key = await bot.store.get_meta(PAGE_KEY)
    if not key:
        key = secrets.token_urlsafe(32)
        await bot.store.set_meta(PAGE_KEY, key)
    return key


async def _open_preview(env: simcord.Env, world: _World, port: int | None, page_key: str) -> tuple[Any, str | None]:
    """Enter the preview on the chosen port, or on a free one when the default is taken (and say so).

    Returns the entered preview (close it with ``close()``) and the note to print, if any.
    """
    wanted = DEFAULT_PORT if port is None else port
    attempts = (wanted,) if port is not None else (wanted, 0)
    for attempt in attempts:
        preview = env.preview(world.general, viewers=[world.member, world.moderator], layout="channel", port=attempt)
        # The page's address carries this key after the #; a stable key keeps the address working.
        preview.capability = page_key
        try:
            await preview.__aenter__()
        except SetupError:
            if attempt == attempts[-1]:
                raise
            continue
        used = int(preview.url.split("://", 1)[1].split("/", 1)[0].rsplit(":", 1)[1])
        return preview, None if used == wanted else text.port_taken(wanted, used)
    raise AssertionError("unreachable: the last attempt either returns or raises")


@dataclass
class _Ticker:
    """Keeps the simulated clock on the wall clock and the page current, without anyone refreshing.

    Only bot activity nobody clicked for (timers: quiz reveals, next questions, results, daily
    posts) needs a publish: the page's own actions publish what they cause.
    """

    env: Any
    offset: timedelta = timedelta(0)  # how far /sandbox next-post moved the clock ahead of the wall
    dirty: bool = False
    jump_to: datetime | None = None
    _task: asyncio.Task[Any] | None = field(default=None, repr=False)
    # Held while the ticker or a page action drives the simulated Discord: only one may at a time.
    _turn: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)
    _waiting: int = field(default=0, repr=False)  # page actions waiting for their turn

    def __post_init__(self) -> None:
        self.env.backend.subscribers.append(self._on_event)

    def _on_event(self, event: str, payload: Mapping[str, Any]) -> None:
        if event not in VISIBLE_EVENTS:
            return
        # SimCord has no public "who caused this"; an event outside any operation (a timer) or
        # inside the ticker's own clock move is one the page hasn't published yet.
        active = self.env._operation_task
        if active is None or active is self._task:
            self.dirty = True

    def take_turns_with(self, preview: Any) -> None:
        """Make the page's actions wait for a clock move in progress instead of failing.

        SimCord refuses an action that overlaps another operation; its page then shows "Action
        outcome uncertain" and stops sending until a reload. A click that arrives while the
        ticker moves the clock (for a second, or longer after /sandbox next-post) waits its turn.
        """
        act = preview._action

        async def action_in_turn(context_id: str | None, body: Mapping[str, Any]) -> dict[str, Any]:
            self._waiting += 1
            try:
                await self._turn.acquire()
            finally:
                self._waiting -= 1
            try:
                result = await act(context_id, body)
                if body.get("kind") == "run_command" and _refused_as(result, "stale-revision"):
                    # The page was a revision behind, because the bot posted on its own (a daily
                    # post, a quiz reveal) while the command was typed. A command says everything
                    # it means in its options, so it stands: send it against the current page.
                    current = preview._get_page(context_id).revision
                    result = await act(context_id, {**body, "published_revision": current})
                return result
            finally:
                self._turn.release()

        preview._action = action_in_turn

    def request_jump(self, when: datetime) -> None:
        """Move the clock forward to ``when`` on the next tick (from /sandbox next-post)."""
        self.jump_to = when

    async def run(self, preview: Any, stop: asyncio.Event) -> None:
        self._task = asyncio.current_task()
        while not stop.is_set():
            await asyncio.sleep(TICK_SECONDS)
            try:
                await self.tick(preview)
            except SetupError:
                continue  # the page is running an action right now; try again next tick
            except Exception:
                log.exception("the sandbox could not update its page")

    async def tick(self, preview: Any) -> None:
        if self._turn.locked():
            return  # a page action is running or waiting: it goes first
        async with self._turn:
            await self._tick(preview)

    async def _tick(self, preview: Any) -> None:
        if self.env._operation_task is not None:
            return  # a driver is acting right now, and publishes what it causes
        if self.jump_to is not None:
            target, self.jump_to = self.jump_to, None
            ahead = target - (datetime.now(UTC) + self.offset)
            if ahead > timedelta(0):
                self.offset += ahead
        behind = (datetime.now(UTC) + self.offset - self.env.now()).total_seconds()
        # Timers fire on time by themselves; this only keeps timestamps current. A few seconds of
        # slack keeps the ticker out of the way of clicks (only one party may act at a time).
        if behind >= CLOCK_SLACK_SECONDS:
            await self.env.advance_time(behind)
        # Publishing now would make a waiting action's page out of date (SimCord refuses those);
        # that action publishes the page itself, with this tick's changes in it.
        if self.dirty and not self._waiting:
            self.dirty = False
            await preview.refresh()


def _refused_as(result: Mapping[str, Any], code: str) -> bool:
    """Whether SimCord refused a page action, before running it, for the reason ``code``."""
    diagnostics = result.get("diagnostics") or ()
    return bool(result.get("rejected")) and any(item.get("code") == code for item in diagnostics)


class SandboxControls(commands.Cog):
    """Sandbox-only commands. Added by run_sandbox; never listed in alliance_bot.client.EXTENSIONS."""

    sandbox = app_commands.Group(name="sandbox", description=text.GROUP_DESCRIPTION, guild_only=True)

    def __init__(self, bot: AllianceBot, ticker: _Ticker) -> None:
        self.bot = bot
        self.ticker = ticker

    @sandbox.command(name="next-post", description=text.NEXT_POST_DESCRIPTION)
    async def next_post(self, interaction: discord.Interaction) -> None:
        guild_id = interaction.guild_id
        assert guild_id is not None
        now = discord.utils.utcnow()
        upcoming = []
        for subscription in await self.bot.store.timeline_subscriptions(guild_id):
            due = tl.latest_due(now, subscription.post_time, subscription.since)
            record = None if due is None else await self.bot.store.timeline_post(guild_id, subscription.channel_id, due.date())
            when = tl.next_post_at(now, subscription, record)
            if when is not None:
                upcoming.append(when)
        if not upcoming:
            raise UserError(text.NO_SUBSCRIPTION)
        when = max(min(upcoming), now) + timedelta(seconds=1)
        self.ticker.request_jump(when)
        await interaction.response.send_message(text.moving_clock(when), ephemeral=True)
