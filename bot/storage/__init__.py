"""The storage module: one aiosqlite connection, ordered migrations, typed query methods.

Each feature keeps its SQL in its own file here (``quiz.py``, ``timeline.py``, ``facts.py``);
this module owns opening, migrating and closing. Migrations are applied in order and recorded
with ``PRAGMA user_version``; a released migration is never edited, only followed by a new one.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
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
        """Open (creating and migrating) the database, or raise StoreError naming the file and the problem.

        A file that is not a database, cannot be read, or cannot be written is refused before
        anything is written to it.
        """
        store = cls(path)
        try:
            await store._connect()
            await store._check_writable()
        except sqlite3.Error as error:
            await store.close()
            raise StoreError(f"database {path} {_explain(error)}") from error
        except OSError as error:
            await store.close()
            raise StoreError(f"database {path} cannot be opened: {error.strerror or error}") from error
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
        try:
            self._db = await connection
        except BaseException:
            # aiosqlite stops its thread without waiting; wait here, or it would report the stop
            # to an event loop that start-up has already closed (a stray traceback on stderr).
            await asyncio.to_thread(connection._thread.join, 5)
            raise
        self._db.row_factory = aiosqlite.Row
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=5000"):
            await self.fetchall(f"PRAGMA {pragma}")
        try:
            await self._migrate()
        except BaseException:
            await self.close()
            raise

    async def _check_writable(self) -> None:
        """Fail now, not on the first user's action, if SQLite cannot write the file: start a write and undo it."""
        async with self._write_lock:
            await self.execute("BEGIN IMMEDIATE")
            try:
                await self.execute("CREATE TABLE write_probe (x INTEGER)")
            finally:
                await self.execute("ROLLBACK")

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


def _explain(error: sqlite3.Error) -> str:
    """What an operator needs to hear about an SQLite error met while opening the database."""
    text = str(error)
    extended = getattr(error, "sqlite_errorcode", None)
    code = None if extended is None else extended & 0xFF  # the primary result code
    if "not a database" in text or code == sqlite3.SQLITE_NOTADB:
        return "is not a SQLite database (corrupt, or another kind of file); it was left as it is"
    if "malformed" in text or code == sqlite3.SQLITE_CORRUPT:
        return "is corrupt (SQLite: database disk image is malformed); it was left as it is"
    if "readonly" in text or "read-only" in text or code == sqlite3.SQLITE_READONLY:
        return (
            "is read-only: the bot needs to write it (scores, subscriptions, fact changes); "
            "give the bot's user write access to the file and its directory"
        )
    if "locked" in text or code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return "is locked by another process (is another copy of the bot running on it?)"
    if "unable to open" in text or code == sqlite3.SQLITE_CANTOPEN:
        return "cannot be opened: check that the bot's user can read and write it and its directory"
    return f"cannot be used: {text}"


def _statements(sql: str) -> list[str]:
    """Split a migration script into statements (migrations contain no semicolons in strings)."""
    return [part.strip() for part in sql.split(";") if part.strip()]


__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "Store", "StoreError"]
