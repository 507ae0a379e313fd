"""The PostgreSQL backend: an asyncpg pool shared by several bot processes.

Queries arrive with SQLite's ``?`` placeholders and are numbered (``$1``, ``$2``...) once per
statement text. A transaction holds one pooled connection; statements issued inside it (through
``execute``/``fetchone``/``fetchall``) run on that connection, found through a context variable.
Migrations are recorded in ``schema_migrations`` and applied under an advisory lock, so processes
starting together migrate once. Other processes learn of changes through LISTEN/NOTIFY.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import inspect
import json
import logging
import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any, TypeVar

import asyncpg

from .base import RetryTransaction, StoreBase, StoreError, StoreEvent, StoreListener

T = TypeVar("T")

log = logging.getLogger(__name__)

CHANNEL = "alliance_bot_events"
# pg_advisory_xact_lock key for migrations: any constant shared by every process of the bot.
MIGRATION_LOCK = 0x616C6C79
# How long to wait before reconnecting a lost LISTEN connection.
RELISTEN_DELAY = 0.5

_PLACEHOLDER = re.compile(r"\?")


def is_postgres_url(target: object) -> bool:
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


@functools.lru_cache(maxsize=512)
def numbered(sql: str) -> str:
    """``?`` placeholders as PostgreSQL's ``$1, $2...`` (our SQL has no ``?`` inside literals)."""
    counter = iter(range(1, 10_000))
    return _PLACEHOLDER.sub(lambda _: f"${next(counter)}", sql)


def _rowcount(status: str) -> int:
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


class PostgresBackend(StoreBase):
    """Owns an asyncpg pool to one PostgreSQL database (and a LISTEN connection once listening)."""

    dialect = "postgresql"

    def __init__(self, target: str, ownership=None) -> None:
        super().__init__(target, ownership)
        self.url = target
        self._pool: asyncpg.Pool | None = None
        self._tx: contextvars.ContextVar[asyncpg.Connection | None] = contextvars.ContextVar(
            f"pg-tx-{id(self)}", default=None
        )
        self.sender = uuid.uuid4().hex  # tells our own notifications apart from other processes'
        self._listeners: list[StoreListener] = []
        self._listen_conn: asyncpg.Connection | None = None
        self._relisten: asyncio.Task[None] | None = None
        self._closing = False

    @property
    def pool(self) -> asyncpg.Pool:
        if self._pool is None:
            raise RuntimeError("the store is not open")
        return self._pool

    @property
    def is_open(self) -> bool:
        return self._pool is not None

    def describe(self) -> str:
        return redact(self.url)

    async def _connect(self) -> None:
        try:
            self._pool = await asyncpg.create_pool(self.url, min_size=1, max_size=10, command_timeout=60)
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
            # Not a Discord connection problem: say which database could not be reached.
            raise StoreError(f"cannot connect to PostgreSQL at {self.describe()}: {error}") from error

    async def schema_version(self) -> int:
        row = await self.fetchone("SELECT to_regclass('schema_migrations') IS NOT NULL AS present")
        if not row or not row["present"]:
            return 0
        row = await self.fetchone("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
        return int(row[0]) if row else 0

    async def _apply_migration(self, version: int, sql: str) -> None:
        async with self.transaction() as conn:
            await conn.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
            await conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                "version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
            )
            done = await conn.fetchval("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
            if done >= version:  # another process applied it while we waited for the lock
                return
            await conn.execute(sql)  # no arguments: the simple protocol runs the whole script
            await conn.execute("INSERT INTO schema_migrations(version) VALUES ($1)", version)

    async def integrity_ok(self) -> bool:
        row = await self.fetchone("SELECT 1")
        return row is not None and row[0] == 1

    async def close(self) -> None:
        self._closing = True
        if self._relisten is not None:
            self._relisten.cancel()
            await asyncio.wait({self._relisten})
            self._relisten = None
        if self._listen_conn is not None:
            conn, self._listen_conn = self._listen_conn, None
            with contextlib.suppress(Exception):
                await conn.close(timeout=5)
        if self._pool is not None:
            pool, self._pool = self._pool, None
            await pool.close()

    # ------------------------------------------------------------------ statements

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[asyncpg.Connection]:
        """One transaction on one pooled connection; nested use joins the outer transaction."""
        current = self._tx.get()
        if current is not None:
            yield current
            return
        conn, tx = await self._begin()
        token = self._tx.set(conn)
        try:
            yield conn
        except BaseException:
            with contextlib.suppress(*CONNECTION_LOST):  # a lost connection has rolled back already
                await tx.rollback()
            raise
        else:
            await tx.commit()
        finally:
            self._tx.reset(token)
            await self.pool.release(conn)

    async def _begin(self) -> tuple[asyncpg.Connection, Any]:
        """A pooled connection with a transaction started on it, on a fresh connection if need be.

        After a server restart or a killed backend every idle pooled connection is dead and fails
        its first statement, BEGIN: nothing has run yet, so it is safe to take a new one (once).
        """
        for attempt in (1, 2):
            conn = await self.pool.acquire()
            tx = conn.transaction()
            try:
                await tx.start()
            except CONNECTION_LOST:
                await self.pool.release(conn)  # the pool closes a connection that fails its reset
                if attempt == 2:
                    raise
                await self._connections_lost()
                continue
            return conn, tx
        raise AssertionError("unreachable")

    async def _connections_lost(self) -> None:
        """The server dropped a pooled connection: the others idle since are dead too; replace them."""
        log.info("PostgreSQL dropped a pooled connection; reconnecting the pool's connections")
        await self.pool.expire_connections()

    async def _on_pool(self, method: str, sql: str, params: Sequence[Any]) -> Any:
        """One statement on a pooled connection; once more on a fresh one if the first was dropped.

        A dropped connection fails before it sends the statement, so this repeats nothing that ran.
        """
        try:
            return await getattr(self.pool, method)(numbered(sql), *params)
        except CONNECTION_LOST:
            await self._connections_lost()
            return await getattr(self.pool, method)(numbered(sql), *params)


    async def write_retrying(self, work: Callable[[asyncpg.Connection], Awaitable[T]], attempts: int = 5) -> T:
        """Run ``work(connection)`` as one transaction, again (from scratch) if it deadlocked or raced."""
        for attempt in range(1, attempts + 1):
            try:
                async with self.transaction() as conn:
                    return await work(conn)
            except (asyncpg.DeadlockDetectedError, asyncpg.SerializationError, RetryTransaction):
                if attempt == attempts:
                    raise
                log.info("retrying a write that raced another process (attempt %d)", attempt)
        raise AssertionError("unreachable")

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        conn = self._tx.get()
        if conn is not None:
            return _rowcount(await conn.execute(numbered(sql), *params))
        return _rowcount(await self._on_pool("execute", sql, params))

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> asyncpg.Record | None:
        conn = self._tx.get()
        if conn is not None:
            return await conn.fetchrow(numbered(sql), *params)
        return await self._on_pool("fetchrow", sql, params)

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[asyncpg.Record]:
        conn = self._tx.get()
        if conn is not None:
            return list(await conn.fetch(numbered(sql), *params))
        return list(await self._on_pool("fetch", sql, params))

    # ------------------------------------------------------------------ events between processes

    async def notify(self, event: StoreEvent) -> None:
        """NOTIFY the other processes; inside a transaction it is delivered only if that commits."""
        kind, guild_id = event
        payload = json.dumps({"from": self.sender, "kind": kind, "guild": guild_id})
        await self.execute("SELECT pg_notify(?, ?)", (CHANNEL, payload))

    async def listen(self, listener: StoreListener) -> None:
        self._listeners.append(listener)
        if self._listen_conn is None:
            await self._start_listening()

    async def _start_listening(self) -> None:
        conn = await asyncpg.connect(self.url)
        await conn.add_listener(CHANNEL, self._on_notification)
        conn.add_termination_listener(self._on_listen_lost)
        self._listen_conn = conn

    def _on_notification(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        try:
            message = json.loads(payload)
        except ValueError:
            log.warning("ignoring a malformed store notification: %r", payload[:200])
            return
        if message.get("from") == self.sender:
            return
        self._dispatch((str(message.get("kind")), message.get("guild")))

    def _dispatch(self, event: StoreEvent) -> None:
        for listener in list(self._listeners):
            try:
                result = listener(event)
            except Exception:
                log.exception("a store event listener failed")
                continue
            if inspect.isawaitable(result):
                task = asyncio.ensure_future(result)
                task.add_done_callback(_log_failure)

    def _on_listen_lost(self, _conn: Any) -> None:
        self._listen_conn = None
        if self._closing:
            return
        log.warning("lost the PostgreSQL LISTEN connection; reconnecting")
        self._relisten = asyncio.ensure_future(self._reconnect_listener())

    async def _reconnect_listener(self) -> None:
        while not self._closing:
            await asyncio.sleep(RELISTEN_DELAY)
            try:
                await self._start_listening()
            except Exception as error:  # refused, reset, or a closed connection (InterfaceError)
                log.info("PostgreSQL LISTEN reconnect failed (%r); trying again", error)
                continue
            # Notifications sent while we were away are gone: everything cached is suspect.
            self._dispatch(("reset", None))
            return


# What a connection the server dropped raises on its next use (a restart, pg_terminate_backend).
# InternalClientError: the server's "terminating connection" notice arrived before the socket
# closed, and the connection refuses the next statement before sending it.
CONNECTION_LOST: tuple[type[BaseException], ...] = (
    OSError,
    asyncpg.InterfaceError,
    asyncpg.InternalClientError,
    asyncpg.PostgresConnectionError,
    asyncpg.exceptions.AdminShutdownError,
    asyncpg.exceptions.CrashShutdownError,
)


def _log_failure(task: asyncio.Future[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("a store event listener failed", exc_info=task.exception())
