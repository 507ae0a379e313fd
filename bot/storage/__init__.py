"""The storage module: one aiosqlite connection, ordered migrations, typed query methods.

Each feature keeps its SQL in its own file here (``quiz.py``, ``timeline.py``, ``facts.py``);
this module owns opening, migrating and closing. Migrations are applied in order and recorded
with ``PRAGMA user_version``; a released migration is never edited, only followed by a new one.
"""

from __future__ import annotations

import logging
from pathlib import Path

import aiosqlite

from . import core, facts, names, quiz, timeline
from .core import CoreQueries
from .facts import FactsQueries
from .names import NamesQueries
from .quiz import QuizQueries
from .timeline import TimelineQueries

log = logging.getLogger(__name__)

# (name, SQL) in the order they are applied; version N means the first N have been applied.
MIGRATIONS: tuple[tuple[str, str], ...] = (
    ("core", core.SCHEMA),
    ("quiz", quiz.SCHEMA),
    ("timeline", timeline.SCHEMA),
    ("facts", facts.SCHEMA),
    ("member names", names.SCHEMA),
)
SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(RuntimeError):
    """The database cannot be used (newer schema than this code, unreadable file...)."""


class Store(CoreQueries, QuizQueries, TimelineQueries, FactsQueries, NamesQueries):
    """The bot's SQLite database. Open with ``await Store.open(path)``; close with ``close()``."""

    @classmethod
    async def open(cls, path: Path) -> Store:
        store = cls(path)
        await store._connect()
        return store

    async def _connect(self) -> None:
        if str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN/COMMIT ourselves (see StoreBase.transaction).
        connection = aiosqlite.connect(self.path, isolation_level=None)
        # aiosqlite's worker thread is non-daemon: a bot that dies without close() would then
        # hang the process at exit. SQLite's WAL journal keeps the file consistent either way,
        # and committed transactions are durable before their awaits return.
        connection._thread.daemon = True
        self._db = await connection
        self._db.row_factory = aiosqlite.Row
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=5000"):
            await self.fetchall(f"PRAGMA {pragma}")
        try:
            await self._migrate()
        except BaseException:
            await self.close()
            raise

    async def schema_version(self) -> int:
        row = await self.fetchone("PRAGMA user_version")
        return int(row[0]) if row else 0

    async def _migrate(self) -> None:
        current = await self.schema_version()
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} has schema version {current}, newer than this bot's {SCHEMA_VERSION}; "
                "upgrade the bot or use another BOT_DATABASE"
            )
        for version in range(current + 1, SCHEMA_VERSION + 1):
            name, sql = MIGRATIONS[version - 1]
            async with self.transaction():
                for statement in _statements(sql):
                    await self.execute(statement)
                # PRAGMA does not take parameters; version is an int we computed.
                await self.execute(f"PRAGMA user_version = {int(version)}")
            log.info("database %s migrated to version %d (%s)", self.path, version, name)

    async def integrity_ok(self) -> bool:
        row = await self.fetchone("PRAGMA integrity_check")
        return row is not None and row[0] == "ok"

    async def close(self) -> None:
        if self._db is not None:
            db, self._db = self._db, None
            await db.close()


def _statements(sql: str) -> list[str]:
    """Split a migration script into statements (migrations contain no semicolons in strings)."""
    return [part.strip() for part in sql.split(";") if part.strip()]


__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "Store", "StoreError"]
