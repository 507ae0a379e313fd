"""Tables and queries for the facts feature: each server's append-only fact versions and its audit channel.

Versions are only ever inserted, never updated or deleted: history is the table itself.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

import aiosqlite

from ..domain.overlay import ACTIONS, FactVersion, NewVersion
from .base import StoreBase

SCHEMA = """
CREATE TABLE fact_versions (
    guild_id    INTEGER NOT NULL,
    fact_id     TEXT    NOT NULL,
    version     INTEGER NOT NULL CHECK (version >= 1),
    action      TEXT    NOT NULL CHECK (action IN ('edit', 'add', 'hide', 'revert', 'import')),
    body        TEXT,
    hidden      INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
    reverted_to INTEGER,
    author_id   INTEGER NOT NULL,
    created_at  TEXT    NOT NULL,
    PRIMARY KEY (guild_id, fact_id, version),
    CHECK (body IS NULL OR hidden = 0)
) STRICT;

CREATE TABLE fact_settings (
    guild_id         INTEGER PRIMARY KEY,
    audit_channel_id INTEGER
) STRICT;
"""


class VersionConflict(RuntimeError):
    """A fact changed since the caller looked at it; nothing was stored."""

    def __init__(self, fact_id: str, expected: int, actual: int) -> None:
        super().__init__(f"{fact_id} is at version {actual}, expected {expected}")
        self.fact_id = fact_id
        self.expected = expected
        self.actual = actual


def _row_to_version(row: aiosqlite.Row) -> FactVersion:
    action = row["action"]
    if action not in ACTIONS:  # the CHECK constraint makes this unreachable
        raise ValueError(f"unknown action {action!r} in fact_versions")
    return FactVersion(
        guild_id=row["guild_id"],
        fact_id=row["fact_id"],
        version=row["version"],
        action=action,
        body=None if row["body"] is None else json.loads(row["body"]),
        hidden=bool(row["hidden"]),
        reverted_to=row["reverted_to"],
        author_id=row["author_id"],
        created_at=datetime.fromisoformat(row["created_at"]),
    )


_COLUMNS = "guild_id, fact_id, version, action, body, hidden, reverted_to, author_id, created_at"


class FactsQueries(StoreBase):
    async def fact_history(self, guild_id: int, fact_id: str) -> list[FactVersion]:
        """Every stored version of one fact in one server, oldest first."""
        rows = await self.fetchall(
            f"SELECT {_COLUMNS} FROM fact_versions WHERE guild_id = ? AND fact_id = ? ORDER BY version",
            (guild_id, fact_id),
        )
        return [_row_to_version(row) for row in rows]

    async def latest_fact_version(self, guild_id: int, fact_id: str) -> FactVersion | None:
        row = await self.fetchone(
            f"SELECT {_COLUMNS} FROM fact_versions WHERE guild_id = ? AND fact_id = ? ORDER BY version DESC LIMIT 1",
            (guild_id, fact_id),
        )
        return None if row is None else _row_to_version(row)

    async def latest_fact_versions(self, guild_id: int) -> list[FactVersion]:
        """Each changed fact's latest version in one server, in the order the facts were first changed."""
        rows = await self.fetchall(
            f"""
            SELECT {_COLUMNS} FROM fact_versions AS v
            WHERE guild_id = ? AND version = (
                SELECT MAX(version) FROM fact_versions AS w
                WHERE w.guild_id = v.guild_id AND w.fact_id = v.fact_id
            )
            ORDER BY (
                SELECT MIN(rowid) FROM fact_versions AS f
                WHERE f.guild_id = v.guild_id AND f.fact_id = v.fact_id
            )
            """,
            (guild_id,),
        )
        # Up to thousands of JSON bodies per server: decode them off the event loop.
        return await asyncio.to_thread(lambda: [_row_to_version(row) for row in rows])

    async def record_fact_versions(
        self,
        guild_id: int,
        author_id: int,
        changes: Sequence[NewVersion],
        *,
        expected: Mapping[str, int] | None = None,
        now: datetime | None = None,
    ) -> list[FactVersion]:
        """Append one new version per change, all or nothing.

        ``expected`` maps a fact id to the version the caller based its change on (0: none);
        if any fact moved on meanwhile, :class:`VersionConflict` is raised and nothing is stored.
        """
        created_at = (now or datetime.now(UTC)).isoformat()
        stored: list[FactVersion] = []
        async with self.transaction():
            for change in changes:
                row = await self.fetchone(
                    "SELECT COALESCE(MAX(version), 0) FROM fact_versions WHERE guild_id = ? AND fact_id = ?",
                    (guild_id, change.fact_id),
                )
                current = int(row[0]) if row else 0
                if expected is not None and change.fact_id in expected and expected[change.fact_id] != current:
                    raise VersionConflict(change.fact_id, expected[change.fact_id], current)
                body = change.body_json()
                await self.execute(
                    f"INSERT INTO fact_versions({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        guild_id,
                        change.fact_id,
                        current + 1,
                        change.action,
                        body,
                        int(change.hidden and body is None),
                        change.reverted_to,
                        author_id,
                        created_at,
                    ),
                )
                stored.append(
                    FactVersion(
                        guild_id=guild_id,
                        fact_id=change.fact_id,
                        version=current + 1,
                        action=change.action,
                        body=None if body is None else json.loads(body),
                        hidden=change.hidden and body is None,
                        reverted_to=change.reverted_to,
                        author_id=author_id,
                        created_at=datetime.fromisoformat(created_at),
                    )
                )
        return stored

    async def get_audit_channel(self, guild_id: int) -> int | None:
        row = await self.fetchone("SELECT audit_channel_id FROM fact_settings WHERE guild_id = ?", (guild_id,))
        return None if row is None else row[0]

    async def set_audit_channel(self, guild_id: int, channel_id: int | None) -> None:
        async with self.transaction():
            await self.execute(
                "INSERT INTO fact_settings(guild_id, audit_channel_id) VALUES (?, ?) "
                "ON CONFLICT(guild_id) DO UPDATE SET audit_channel_id = excluded.audit_channel_id",
                (guild_id, channel_id),
            )
