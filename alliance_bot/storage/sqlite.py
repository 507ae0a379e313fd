"""The SQLite backend: one aiosqlite connection, migrations recorded in ``PRAGMA user_version``.

Durability: WAL with ``synchronous=NORMAL`` (the default) survives a crash of the process, since
every committed transaction is in the WAL file before its await returns, but not a power loss or
an OS crash, which can lose the last transactions before the next checkpoint. ``synchronous=FULL``
(``BOT_SQLITE_SYNCHRONOUS=FULL``) fsyncs the WAL on every commit and survives both; bench/run.py
reports what it costs.

Small answer batches are written inline on the event loop (``write_small_inline``): with NORMAL a
commit of a few rows appends to the WAL without an fsync, and measured cheaper than the round
trip to aiosqlite's thread (STYLE.md habit 9; bench/run.py reports the loop's worst stall).
Automatic checkpoints, which would make an occasional inline commit copy the WAL back into the
database, are off; passive checkpoints run in a background thread instead, at a quiet moment. With FULL every write
goes through the thread, since an fsync is blocking I/O of unmeasured cost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from .base import StoreBase, StoreError

log = logging.getLogger(__name__)

T = TypeVar("T")

SYNCHRONOUS = ("NORMAL", "FULL")
INLINE_MAX_ROWS = 64  # a larger batch is split; each inline commit stays well under a millisecond
CHECKPOINT_EVERY = 200  # commits before a passive checkpoint is due (SQLite's automatic one: about 1,000 pages)
CHECKPOINT_QUIET = 0.05  # seconds without a commit before a due checkpoint runs: not in the middle of a burst
CHECKPOINT_FORCE = 2000  # commits after which a due checkpoint runs anyway (the WAL stays within tens of MB)


class SqliteBackend(StoreBase):
    """Owns the connection to one SQLite file (or ``:memory:``)."""

    dialect = "sqlite"

    def __init__(self, target: Path, ownership=None, *, synchronous: str = "NORMAL") -> None:
        super().__init__(Path(target), ownership)
        if synchronous.upper() not in SYNCHRONOUS:
            raise ValueError(f"synchronous must be one of {', '.join(SYNCHRONOUS)}, not {synchronous!r}")
        self.path = Path(target)
        self.synchronous = synchronous.upper()
        self._db: aiosqlite.Connection | None = None
        self._write_lock = asyncio.Lock()
        # The event loop's own connection for small inline writes (files with NORMAL only).
        self._inline: sqlite3.Connection | None = None
        self._commits = 0  # since the last checkpoint
        self._last_commit = 0.0  # loop time
        self._checkpoint: asyncio.Task[None] | None = None
        self._checkpoint_timer: asyncio.TimerHandle | None = None

    @property
    def db(self) -> aiosqlite.Connection:
        if self._db is None:
            raise RuntimeError("the store is not open")
        return self._db

    @property
    def is_open(self) -> bool:
        return self._db is not None

    def describe(self) -> str:
        return str(self.path)

    async def _connect(self) -> None:
        """Connect, or raise StoreError naming the file and what is wrong with it (left untouched)."""
        try:
            await self._open_connection()
            await self._check_writable()
        except sqlite3.Error as error:
            raise StoreError(f"database {self.path} {_explain(error)}") from error
        except OSError as error:
            raise StoreError(f"database {self.path} cannot be opened: {error.strerror or error}") from error

    async def _open_connection(self) -> None:
        if str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN/COMMIT ourselves (see transaction()).
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
        pragmas = ("journal_mode=WAL", f"synchronous={self.synchronous}", "foreign_keys=ON", "busy_timeout=5000")
        on_file = str(self.path) != ":memory:"
        for pragma in pragmas + (("wal_autocheckpoint=0",) if on_file else ()):
            await self.fetchall(f"PRAGMA {pragma}")
        if on_file and self.synchronous == "NORMAL":
            # busy_timeout=0: if another process holds the write lock, the write goes through the
            # thread (which may wait) instead of making the event loop wait.
            inline = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            for pragma in ("synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=0", "wal_autocheckpoint=0"):
                inline.execute(f"PRAGMA {pragma}")
            self._inline = inline

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

    async def _apply_migration(self, version: int, sql: str) -> None:
        async with self.transaction():
            for statement in _statements(sql):
                await self.execute(statement)
            # PRAGMA does not take parameters; version is an int we computed.
            await self.execute(f"PRAGMA user_version = {int(version)}")

    async def integrity_ok(self) -> bool:
        row = await self.fetchone("PRAGMA integrity_check")
        return row is not None and row[0] == "ok"

    async def close(self) -> None:
        if self._checkpoint_timer is not None:
            self._checkpoint_timer.cancel()
            self._checkpoint_timer = None
        if self._checkpoint is not None:
            with contextlib.suppress(Exception):
                await self._checkpoint
            self._checkpoint = None
        if self._inline is not None:
            inline, self._inline = self._inline, None
            inline.close()
        if self._db is not None:
            db, self._db = self._db, None
            await db.close()  # the last connection to close checkpoints the WAL into the database

    def _committed(self) -> None:
        """Count a commit; once CHECKPOINT_EVERY are in the WAL, checkpoint at the next quiet moment.

        A checkpoint (a background thread, about 8 ms for 200 one-click commits) running during a
        burst of clicks stalled the event loop for up to 4 ms (bench/run.py burst); so a due
        checkpoint waits until no commit came for CHECKPOINT_QUIET, or until CHECKPOINT_FORCE commits.
        """
        loop = asyncio.get_running_loop()
        self._commits += 1
        self._last_commit = loop.time()
        if self._commits < CHECKPOINT_EVERY or self._checkpointing:
            return
        if self._commits >= CHECKPOINT_FORCE:
            self._start_checkpoint()
        elif self._checkpoint_timer is None:
            self._checkpoint_timer = loop.call_later(CHECKPOINT_QUIET, self._checkpoint_when_quiet)

    @property
    def _checkpointing(self) -> bool:
        return self._checkpoint is not None and not self._checkpoint.done()

    def _checkpoint_when_quiet(self) -> None:
        self._checkpoint_timer = None
        if self._db is None or self._checkpointing:
            return
        loop = asyncio.get_running_loop()
        quiet = loop.time() - self._last_commit
        if quiet >= CHECKPOINT_QUIET or self._commits >= CHECKPOINT_FORCE:
            self._start_checkpoint()
        else:
            self._checkpoint_timer = loop.call_later(CHECKPOINT_QUIET - quiet, self._checkpoint_when_quiet)

    def _start_checkpoint(self) -> None:
        if self._checkpoint_timer is not None:
            self._checkpoint_timer.cancel()
            self._checkpoint_timer = None
        self._commits = 0
        self._checkpoint = asyncio.create_task(asyncio.to_thread(self._run_checkpoint), name="sqlite-checkpoint")

    def _run_checkpoint(self) -> None:
        """PASSIVE: copy what no reader still needs back into the database; never blocks writers."""
        try:
            connection = sqlite3.connect(self.path, isolation_level=None)
            try:
                connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            finally:
                connection.close()
        except sqlite3.Error:
            log.warning("passive checkpoint of %s failed; the next one will retry", self.path, exc_info=True)

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
                self._committed()

    async def write_in_one_hop(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` as one write transaction inside the connection's own thread.

        Every aiosqlite call is a round trip to its worker thread; a batch of many statements
        (the quiz's group commit) is far cheaper as one trip. ``work`` runs between
        BEGIN IMMEDIATE and COMMIT (ROLLBACK if it raises) and must not touch the event loop.
        aiosqlite has no public call for this; ``_execute`` is the primitive its own methods use.
        """

        def transaction(connection: sqlite3.Connection) -> T:
            connection.execute("BEGIN IMMEDIATE")
            return _commit_after(connection, work)

        async with self._write_lock:
            result = await self.db._execute(transaction, self.db._conn)
        self._committed()
        return result

    @property
    def writes_inline(self) -> bool:
        """True if small write batches run inline on the event loop (a file with synchronous=NORMAL)."""
        return self._inline is not None

    async def write_small_inline(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` as one write transaction right here on the event loop, on the loop's own connection.

        For a few rows only (``INLINE_MAX_ROWS``): measured, such a commit costs less than the
        trip to the database thread and keeps the loop's worst stall well under a millisecond
        (bench/run.py). Falls back to the thread when inline writes are off or another process
        holds SQLite's write lock.
        """
        connection = self._inline
        if connection is None:
            return await self.write_in_one_hop(work)
        async with self._write_lock:
            try:
                connection.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError:  # busy: another process is writing
                connection = None
            if connection is not None:
                result = _commit_after(connection, work)
        if connection is None:
            return await self.write_in_one_hop(work)
        self._committed()
        return result

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement to completion (its cursor closed); returns the rows changed."""
        return await self._one_trip(sql, params, lambda cursor: cursor.rowcount)

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> aiosqlite.Row | None:
        return await self._one_trip(sql, params, lambda cursor: cursor.fetchone())

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[aiosqlite.Row]:
        return await self._one_trip(sql, params, lambda cursor: cursor.fetchall())

    async def _one_trip(self, sql: str, params: Sequence[Any], read: Callable[[sqlite3.Cursor], T]) -> T:
        """Execute, read and close the cursor in one trip to the connection's thread.

        aiosqlite's cursor API takes a trip each for execute, fetch and close; a trip costs about
        0.1 ms on a busy 2-core machine, so a board's three queries took about 5 ms instead of about 1.
        """

        def run(connection: sqlite3.Connection) -> T:
            cursor = connection.execute(sql, tuple(params))
            try:
                return read(cursor)
            finally:
                cursor.close()

        return await self.db._execute(run, self.db._conn)


def _commit_after(connection: sqlite3.Connection, work: Callable[[sqlite3.Connection], T]) -> T:
    """Run ``work`` in the transaction just begun on ``connection``: COMMIT, or ROLLBACK if it raises."""
    try:
        result = work(connection)
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
    return result


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
