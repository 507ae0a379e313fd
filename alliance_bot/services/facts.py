"""The facts as each server sees them: the bundled data, and per-server views with its changes.

One home for what was spread over the Bot class: the bundled fact base (loaded at start-up off the
event loop, reloaded after a deploy), the merged view per server (cached, with a generation counter
so a view read while a change lands is never cached), and what another process's change means here.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from ..config import Settings
from ..domain.facts import FactBase, Problem, load_fact_base
from ..domain.overlay import FactVersion, compute_overlay
from ..storage import Store, StoreEvent

log = logging.getLogger(__name__)


def _merge(bundled: FactBase, versions: list[FactVersion]) -> tuple[FactBase, list[Problem]]:
    """The server's view: bundled facts with its stored changes applied (runs in a worker thread)."""
    overlay, problems = compute_overlay(versions)
    return bundled.with_overlay(overlay), problems


class FactsService:
    """Bundled facts and each server's view of them."""

    def __init__(self, settings: Settings, store: Callable[[], Store], bundled: FactBase | None = None) -> None:
        self._settings = settings
        self._store = store  # the bot's store, looked up at each use (it is opened in setup_hook)
        self._preloaded = bundled is not None
        self.bundled: FactBase = bundled if bundled is not None else FactBase({})
        self._by_guild: dict[int, FactBase] = {}
        self._generation = 0  # bumped on every invalidation, so a view read during a change isn't cached

    async def load(self) -> None:
        """Parse and validate the bundled data off the event loop (unless given at construction);
        a broken file raises FactBaseError."""
        if not self._preloaded:
            self.bundled = await asyncio.to_thread(load_fact_base, self._settings.data_dir)

    async def view(self, guild_id: int | None) -> FactBase:
        """The facts as one server sees them: bundled data merged with that server's changes.
        Outside a server (a DM, a user install): the bundled facts."""
        if guild_id is None:
            return self.bundled
        cached = self._by_guild.get(guild_id)
        if cached is not None:
            return cached
        generation, bundled = self._generation, self.bundled
        versions = await self._store().latest_fact_versions(guild_id)
        # Validating a server's changes grows with their number (up to the per-kind cap): off the loop.
        view, problems = await asyncio.to_thread(_merge, bundled, versions)
        for problem in problems:
            log.warning("ignoring a stored fact change that no longer validates: %s", problem)
        if generation == self._generation:  # nothing changed or reloaded while we read
            self._by_guild[guild_id] = view
        return view

    def invalidate(self, guild_id: int | None = None) -> None:
        """Forget the cached view of one server (after a change there), or of every server."""
        self._generation += 1
        if guild_id is None:
            self._by_guild.clear()
        else:
            self._by_guild.pop(guild_id, None)

    async def reload(self, *, announce: bool = True) -> FactBase:
        """Re-read the bundled data off the loop; on FactBaseError the old data keeps being served.

        With ``announce``, every other process sharing the database reloads too.
        """
        fresh = await asyncio.to_thread(load_fact_base, self._settings.data_dir)
        self.bundled = fresh
        self.invalidate()
        log.info("reloaded %d bundled facts from %s", len(fresh), self._settings.data_dir)
        if announce:
            await self._store().notify(("reload", None))
        return fresh

    async def on_store_event(self, event: StoreEvent) -> None:
        """Another process's fact edit or reload (PostgreSQL LISTEN/NOTIFY), or missed notifications."""
        kind, guild_id = event
        if kind == "facts" and guild_id is not None:
            self.invalidate(guild_id)
        elif kind == "reload":
            try:
                await self.reload(announce=False)
            except Exception:
                log.exception("another process reloaded the facts, but this one could not; keeping the old data")
        else:  # "reset": notifications may have been missed
            self.invalidate()
