"""Running the bot until SIGTERM or SIGINT, then closing it cleanly (store, scheduler, quizzes)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from discord.ext import commands

from .health import beat_until_cancelled

log = logging.getLogger(__name__)


def stop_on_signals(event: asyncio.Event) -> None:
    """Turn Ctrl-C and SIGTERM (systemd, Docker, Kubernetes) into a clean stop, not a killed process."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # e.g. Windows, non-main thread
            loop.add_signal_handler(sig, event.set)


async def run_until_stopped(
    bot: commands.Bot, running: Coroutine[Any, Any, None], *, health_file: Path | None = None
) -> None:
    """Run ``running`` (``bot.start(token)``) until it ends or a stop signal arrives; then close the bot.

    Closing unloads the cogs (running quizzes end as "interrupted" at the next start, their answers
    kept; the timeline scheduler stops) and closes the store, so the database is left consistent.
    Errors of ``running`` itself (a rejected token) propagate. With ``health_file``, a heartbeat
    is kept there while the bot runs (alliance_bot/health.py, probed by ``alliance-bot --health``).
    """
    stop = asyncio.Event()
    stop_on_signals(stop)
    runner = asyncio.ensure_future(running)
    waiter = asyncio.ensure_future(stop.wait())
    beating = asyncio.ensure_future(beat_until_cancelled(bot, health_file)) if health_file is not None else None
    try:
        await asyncio.wait({runner, waiter}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        waiter.cancel()
        if beating is not None:
            beating.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await beating
        if not runner.done():
            log.info("stop signal received: closing the bot")
        await bot.close()
        if not runner.done():
            runner.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await runner  # re-raises what stopped the bot on its own (a rejected token...)
