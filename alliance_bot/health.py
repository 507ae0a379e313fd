"""A health signal a container or supervisor can probe, without a port or a Discord call.

The running bot (lifecycle.run_until_stopped) rewrites a small JSON file every
``HEARTBEAT_SECONDS``: when it was written, whether the bot is connected and ready, and whether its
store is open. ``alliance-bot --health`` reads it and exits 0 only if it is fresh and both are true,
so a hung event loop (no rewrite), a lost gateway or a closed store all read as unhealthy.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

from discord.ext import commands

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 30.0
# Three missed beats: a slow disk or one long stall is not yet a failure.
STALE_AFTER_SECONDS = 3 * HEARTBEAT_SECONDS


@dataclass(frozen=True)
class Health:
    healthy: bool
    reason: str


def write_heartbeat(path: Path, *, ready: bool, store_open: bool, now: float | None = None) -> None:
    """Replace the file atomically, so a probe never reads half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    beat = {"at": time.time() if now is None else now, "ready": ready, "store_open": store_open, "pid": os.getpid()}
    partial = path.with_name(path.name + ".tmp")
    partial.write_text(json.dumps(beat), encoding="utf-8")
    os.replace(partial, path)


def read_health(path: Path, *, now: float | None = None) -> Health:
    """Is the bot that writes ``path`` alive, connected and able to store?"""
    try:
        beat = json.loads(path.read_text(encoding="utf-8"))
        at, ready, store_open = float(beat["at"]), bool(beat["ready"]), bool(beat["store_open"])
    except FileNotFoundError:
        return Health(False, f"no heartbeat at {path} (the bot is not running, or not yet started)")
    except (OSError, ValueError, KeyError, TypeError) as error:
        return Health(False, f"unreadable heartbeat at {path}: {error}")
    age = (time.time() if now is None else now) - at
    if age > STALE_AFTER_SECONDS:
        return Health(False, f"last heartbeat {age:.0f} s ago (the event loop is stuck or the bot stopped)")
    if not ready:
        return Health(False, "not connected to Discord (or still starting)")
    if not store_open:
        return Health(False, "the database is closed")
    return Health(True, f"connected, database open, heartbeat {max(age, 0):.0f} s ago")


async def beat_until_cancelled(bot: commands.Bot, path: Path, interval: float = HEARTBEAT_SECONDS) -> None:
    """The running bot's side: rewrite the heartbeat until cancelled, then remove it."""
    try:
        while True:
            ready = bot.is_ready() and not bot.is_closed()
            store_open = bool(getattr(bot, "store_is_open", True))
            try:
                # A few hundred bytes, but still a disk write: off the event loop.
                await asyncio.to_thread(write_heartbeat, path, ready=ready, store_open=store_open)
            except OSError as error:
                log.warning("could not write the heartbeat %s: %s", path, error)
            await asyncio.sleep(interval)
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
