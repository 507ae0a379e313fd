"""Members' display names: remembered when they act, so boards and histories show a name.

This process remembers which names it has already stored, so an unchanged name costs no write;
a failed write never decides the reply to what the member did.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

import discord

from ..storage import Store

log = logging.getLogger(__name__)


class NamesService:
    """Display-name memory, per server."""

    def __init__(self, store: Callable[[], Store]) -> None:
        self._store = store
        self._known: dict[tuple[int, int], str] = {}  # (guild, user) -> name already stored

    async def remember(self, guild_id: int | None, user: discord.abc.User) -> None:
        """Keep the display name of a member who just played or acted, so embeds can show it.

        Written only when it is new or changed since this process last stored it. The name is not
        part of what the member did: a failed write is logged and never decides the action's reply
        (it is tried again the next time the member acts).
        """
        if guild_id is None:
            return
        name = self.unstored(guild_id, user)
        if name is None:
            return
        try:
            await self._store().remember_names(guild_id, {user.id: name}, discord.utils.utcnow())
        except Exception:
            log.warning("could not store the display name of %s in guild %s", user.id, guild_id, exc_info=True)
            return
        self.stored(guild_id, user.id, name)

    def unstored(self, guild_id: int, user: discord.abc.User) -> str | None:
        """The member's display name if this process has not stored it yet (or it changed), else None.

        For hot paths (a quiz click): the name rides along with the answer and is written in the
        answer's own commit, so a click costs no extra database write. Call ``stored`` after.
        """
        name = user.display_name
        return None if self._known.get((guild_id, user.id)) == name else name

    def stored(self, guild_id: int, user_id: int, name: str) -> None:
        self._known[(guild_id, user_id)] = name

    def forget_user(self, user_id: int) -> None:
        """Drop what this process remembers having stored of ``user_id``'s names (after /privacy forget)."""
        for key in [key for key in self._known if key[1] == user_id]:
            del self._known[key]

    def forget_guild(self, guild_id: int) -> None:
        """Drop what this process remembers having stored of names in one server (after /manage forget-server)."""
        for key in [key for key in self._known if key[0] == guild_id]:
            del self._known[key]

    async def display_names(self, guild_id: int, user_ids: Iterable[int]) -> dict[int, str]:
        """The stored display names of these members in one server (unknown ones are left out)."""
        return await self._store().display_names(guild_id, list(user_ids))
