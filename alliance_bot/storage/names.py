"""Display names of the people the bot lists (quiz players, fact editors, subscribers).

Embeds can't rely on the reader's client to resolve a mention into a name (it shows a raw id for
anyone it hasn't loaded), so the bot keeps the name each member last used when they played or acted.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Mapping
from datetime import datetime

from .base import StoreBase

SCHEMA = """
CREATE TABLE member_names (
    guild_id     INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    display_name TEXT    NOT NULL,
    seen_at      TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id)
) STRICT;
"""

# The same table for the PostgreSQL backend (main's storage/postgres.py), for when the branches meet.
PG_SCHEMA = """
CREATE TABLE member_names (
    guild_id     BIGINT NOT NULL,
    user_id      BIGINT NOT NULL,
    display_name TEXT   NOT NULL,
    seen_at      TEXT   NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);
"""

UPSERT = (
    "INSERT INTO member_names(guild_id, user_id, display_name, seen_at) VALUES (?, ?, ?, ?) "
    "ON CONFLICT(guild_id, user_id) DO UPDATE SET display_name = excluded.display_name, seen_at = excluded.seen_at"
)

# SQLite's default limit on host parameters is 999; stay well below it per query.
_CHUNK = 500


class NamesQueries(StoreBase):
    async def remember_names(self, guild_id: int, names: Mapping[int, str], now: datetime) -> None:
        """Store each member's current display name in this server (the newest one wins)."""
        if not names:
            return
        rows = [(guild_id, user_id, name[:100], now.isoformat()) for user_id, name in names.items()]
        one_hop = getattr(self, "write_in_one_hop", None)
        if getattr(self, "dialect", "sqlite") == "sqlite" and one_hop is not None:

            def write(connection: sqlite3.Connection) -> None:
                connection.executemany(UPSERT, rows)

            # One trip to the database thread however many names: a quiz's first clicks come in bursts.
            await one_hop(write)
            return
        async with self.transaction():  # any other backend: plain statements in one transaction
            for row in rows:
                await self.execute(UPSERT, row)

    async def display_names(self, guild_id: int, user_ids: Collection[int]) -> dict[int, str]:
        """The last known display name of each of these members in this server (unknown ones are left out)."""
        ids = list(dict.fromkeys(user_ids))
        found: dict[int, str] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            marks = ", ".join("?" for _ in chunk)
            rows = await self.fetchall(
                f"SELECT user_id, display_name FROM member_names WHERE guild_id = ? AND user_id IN ({marks})",
                (guild_id, *chunk),
            )
            found.update({int(row[0]): str(row[1]) for row in rows})
        return found
