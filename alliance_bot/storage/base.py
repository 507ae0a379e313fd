"""The seam every query mixin writes against: statements, transactions, and who owns what.

Two backends implement it (``sqlite.py``: one aiosqlite connection; ``postgres.py``: an asyncpg
pool). Queries are written once with ``?`` placeholders; the PostgreSQL backend numbers them.
Where the dialects differ (a batch writer, a row order), a mixin branches on ``self.dialect``.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

Dialect = Literal["sqlite", "postgresql"]

# A change another process made that cached views must forget: ("facts", guild_id) for one
# server's fact changes, ("reload", None) after /facts reload, ("reset", None) when changes may
# have been missed (the listening connection was lost) so everything cached is suspect.
StoreEvent = tuple[str, int | None]
StoreListener = Callable[[StoreEvent], Awaitable[None] | None]


class StoreError(RuntimeError):
    """The database cannot be used (newer schema than this code, unreadable file, unreachable server...)."""


def is_storage_failure(error: BaseException) -> bool:
    """Whether an exception is the database refusing work (full disk, lost connection, locked file)."""
    if isinstance(error, StoreError | sqlite3.Error):
        return True
    module = type(error).__module__
    return module.startswith("asyncpg")  # asyncpg's PostgresError and InterfaceError families


class RetryTransaction(Exception):
    """Raised inside a retrying write when another process got in between; the write is run again."""


@dataclass(frozen=True)
class Ownership:
    """Which servers this process serves: Discord's shard formula over the shards it runs.

    ``shard_count`` None means every server (one process, or shards that all live here).
    ``instance`` names this process in the claims it writes (timeline posts being sent), so that
    after a crash it settles only its own claims, never those of another live process.
    """

    instance: str = "main"
    shard_count: int | None = None
    shard_ids: tuple[int, ...] = ()

    def guild_filter(self, column: str = "guild_id") -> tuple[str, tuple[int, ...]]:
        """A SQL condition (and its parameters) true for the servers this process owns."""
        if self.shard_count is None:
            return "1 = 1", ()
        marks = ", ".join("?" for _ in self.shard_ids)
        return f"(({column} >> 22) % ?) IN ({marks})", (self.shard_count, *self.shard_ids)

    def owns(self, guild_id: int) -> bool:
        return self.shard_count is None or (guild_id >> 22) % self.shard_count in self.shard_ids


class StoreBase:
    """What a backend provides; the query mixins add typed methods on top of it."""

    dialect: Dialect

    def __init__(self, target: Any, ownership: Ownership | None = None) -> None:
        self.target = target
        self.ownership = ownership or Ownership()

    @property
    def is_open(self) -> bool:
        raise NotImplementedError

    @property
    def writes_inline(self) -> bool:
        """True if small write batches run inline on the event loop (SQLite only; see sqlite.py)."""
        return False

    def transaction(self) -> contextlib.AbstractAsyncContextManager[Any]:
        """Run the body as one write transaction, committed on success, rolled back on error."""
        raise NotImplementedError

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement to completion; returns the rows changed."""
        raise NotImplementedError

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Any | None:
        """The first row (indexable by position and by column name), or None."""
        raise NotImplementedError

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        raise NotImplementedError

    async def notify(self, event: StoreEvent) -> None:
        """Tell every other process sharing this database about ``event`` (after the current commit)."""

    async def listen(self, listener: StoreListener) -> None:
        """Call ``listener`` with each event another process sends (no-op where only one process can be)."""
