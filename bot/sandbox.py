"""The no-token sandbox: the real bot, unmodified, against SimCord's local browser preview.

A demo server with #general and #timeline, a member and a moderator (Manage Server) to act
as, and its own database file next to the real one, so trying things never touches real data.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import discord
import simcord

from . import create_bot
from .client import AllianceBot
from .config import Settings

log = logging.getLogger(__name__)

SERVER_NAME = "Alliance Bot Sandbox"
BOT_NAME = "Alliance Bot"
WELCOME = (
    "👋 **Welcome to the sandbox.** This is the real bot running against a simulated Discord on your "
    "machine: nothing leaves it. Pick who you are (a member, or a moderator with Manage Server) and try:\n"
    "• `/ask question: is the u.s. allies with russia`\n"
    "• `/ally country_a: Poland country_b: United States`\n"
    "• `/quiz start`, then click an answer\n"
    "• `/timeline browse year: 2014`\n"
    "• `/facts show` (moderators can `/facts edit` too)\n"
    "• `/about` for everything else."
)


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


async def run_sandbox(
    settings: Settings,
    *,
    port: int | None = None,
    stop: asyncio.Event | None = None,
    when_ready: Callable[[SandboxWorld], Awaitable[None]] | None = None,
) -> None:
    """Run the bot in the sandbox until Ctrl-C (or until ``stop`` is set).

    ``when_ready``, if given, runs once the preview is being served.
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
    # Errors are the bot's business here (it logs them); the sandbox is not a test. Keep
    # SimCord's default settle timeout: settling fast-forwards timers shorter than it, and a
    # longer one would rush a quiz question's seconds through in an instant.
    env = simcord.Env(bot, check_errors=False)
    # SimCord's clock starts at a fixed date; start it at today instead, so timestamps, weekly
    # boards and "years since" read as they would in a real server.
    behind = (datetime.now(UTC) - env.now()).total_seconds()
    if behind > 0:
        env.backend.clock.advance(behind)
    await env.start()
    try:
        with env.time_context():
            await _serve(env, bot, sandbox_settings, port=port, stop=stop, when_ready=when_ready)
    finally:
        await env.shutdown()
    # SimCord detaches the bot without closing it; close it so the database is closed cleanly.
    if not bot.is_closed() or bot.store_is_open:
        await bot.close()
    print("Sandbox stopped.")


async def _serve(
    env: simcord.Env,
    bot: AllianceBot,
    sandbox_settings: Settings,
    *,
    port: int | None,
    stop: asyncio.Event | None,
    when_ready: Callable[[SandboxWorld], Awaitable[None]] | None,
) -> None:
    """Build the demo server, then serve the preview until stopped."""
    guild = env.create_guild(name=SERVER_NAME)
    general = guild.create_text_channel("general", topic="Ask the bot anything about alliances")
    guild.create_text_channel("timeline", topic="Subscribe the daily timeline here")
    moderators = guild.create_role("Moderators", permissions=discord.Permissions(manage_guild=True))
    member = guild.add_member(env.create_user("member", global_name="You (member)"))
    moderator = guild.add_member(env.create_user("moderator", global_name="You (moderator)"), roles=[moderators])
    if bot.user is not None:
        await bot.user.edit(username=BOT_NAME)
    # The simulated Discord is new on every run, so its command list always needs a sync.
    await bot.sync_commands(force=True)
    channel = bot.get_channel(general.id)
    if isinstance(channel, discord.TextChannel):
        await channel.send(WELCOME)
    async with env.preview(general, viewers=[member, moderator], layout="channel", port=port) as preview:
        print()
        print(f"  Sandbox ready: open {preview.url}")
        print(f"  Server '{SERVER_NAME}', database {sandbox_settings.database}")
        print("  Press Ctrl-C to stop.")
        print()
        waiter = stop or asyncio.Event()
        _stop_on_signals(waiter)
        if when_ready is not None:
            await when_ready(SandboxWorld(env, preview, general, member, moderator))
        await waiter.wait()


def _stop_on_signals(event: asyncio.Event) -> None:
    """Turn Ctrl-C (and SIGTERM) into a clean stop instead of a cancelled task mid-shutdown."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # e.g. Windows, non-main thread
            loop.add_signal_handler(sig, event.set)
