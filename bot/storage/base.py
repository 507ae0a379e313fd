"""The one aiosqlite connection and its transaction discipline, shared by every query mixin."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import aiosqlite


class StoreBase:
    """Owns the connection; mixins add typed query methods on top of it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db: aiosqlite.Connection | None = None
        self._write_lock = asyncio.Lock()

    @property
    def db(self) -> aiosqlite.Connection:
        if self._db is None:
            raise RuntimeError("the store is not open")
        return self._db

    @property
    def is_open(self) -> bool:
        return self._db is not None

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """Run the body as one write transaction, committed on success, rolled back on error.

        The lock keeps coroutines from interleaving statements inside each other's transactions
        on the shared connection.
        """
        async with self._write_lock:
            await self.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                await self.execute("ROLLBACK")
                raise
            else:
                await self.execute("COMMIT")

    async def execute(self, sql: str, params: tuple = ()) -> int:
        """Run one statement to completion (its cursor closed); returns the rows changed."""
        async with self.db.execute(sql, params) as cursor:
            return cursor.rowcount

    async def fetchone(self, sql: str, params: tuple = ()) -> aiosqlite.Row | None:
        async with self.db.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def fetchall(self, sql: str, params: tuple = ()) -> list[aiosqlite.Row]:
        async with self.db.execute(sql, params) as cursor:
            return list(await cursor.fetchall())
