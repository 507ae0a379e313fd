"""The one aiosqlite connection and its transaction discipline, shared by every query mixin."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import TypeVar

import aiosqlite

T = TypeVar("T")


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

    async def write_in_one_hop(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` as one write transaction inside the connection's own thread.

        Every aiosqlite call is a round trip to its worker thread; a batch of many statements
        (the quiz's group commit) is far cheaper as one trip. ``work`` runs between
        BEGIN IMMEDIATE and COMMIT (ROLLBACK if it raises) and must not touch the event loop.
        aiosqlite has no public call for this; ``_execute`` is the primitive its own methods use.
        """

        def transaction(connection: sqlite3.Connection) -> T:
            connection.execute("BEGIN IMMEDIATE")
            try:
                result = work(connection)
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")
            return result

        async with self._write_lock:
            return await self.db._execute(transaction, self.db._conn)

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
