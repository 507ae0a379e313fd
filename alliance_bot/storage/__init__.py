"""The storage module: one seam, SQLite or PostgreSQL behind it, migrations, typed query methods.

``await Store.open(target)`` opens a SQLite file when ``target`` is a path and a PostgreSQL
database when it is a ``postgresql://`` URL; both return a :class:`Store` with the same typed
methods and domain objects. Each feature keeps its SQL in its own file here (``quiz.py``,
``timeline.py``, ``facts.py``), with one schema per backend; ``sqlite.py`` and ``postgres.py``
own connecting and transactions. Migrations are applied in order (SQLite records them in
``PRAGMA user_version``, PostgreSQL in ``schema_migrations``); a released migration is never
edited, only followed by a new one.
"""

from __future__ import annotations

import logging
from pathlib import Path

from . import core, facts, names, quiz, quiz_settings, timeline
from .base import Ownership, StoreError, StoreEvent, is_storage_failure
from .core import CoreQueries
from .facts import FactsQueries
from .names import NamesQueries
from .postgres import PostgresBackend, is_postgres_url, redact
from .privacy import PrivacyQueries
from .quiz import QuizQueries
from .quiz_settings import QuizSettingsQueries
from .sqlite import SqliteBackend
from .timeline import TimelineQueries

log = logging.getLogger(__name__)

# (name, SQL) in the order they are applied; version N means the first N have been applied.
MIGRATIONS: tuple[tuple[str, str], ...] = (
    ("core", core.SCHEMA),
    ("quiz", quiz.SCHEMA),
    ("timeline", timeline.SCHEMA),
    ("facts", facts.SCHEMA),
    ("timeline claims", timeline.CLAIMS),
    ("member names", names.SCHEMA),
    ("period boards", quiz.PERIOD_TOTALS),
    ("timeline topics", timeline.TOPICS),
    ("quiz settings and reports", quiz_settings.SCHEMA),
)
# The same versions for PostgreSQL: same tables, PostgreSQL's types.
PG_MIGRATIONS: tuple[tuple[str, str], ...] = (
    ("core", core.PG_SCHEMA),
    ("quiz", quiz.PG_SCHEMA),
    ("timeline", timeline.PG_SCHEMA),
    ("facts", facts.PG_SCHEMA),
    ("timeline claims", timeline.CLAIMS),
    ("member names", names.PG_SCHEMA),
    ("period boards", quiz.PG_PERIOD_TOTALS),
    ("timeline topics", timeline.TOPICS),
    ("quiz settings and reports", quiz_settings.PG_SCHEMA),
)
SCHEMA_VERSION = len(MIGRATIONS)
assert len(PG_MIGRATIONS) == SCHEMA_VERSION


class Store(
    CoreQueries, QuizQueries, TimelineQueries, FactsQueries, NamesQueries, PrivacyQueries, QuizSettingsQueries
):
    """The bot's database. Open with ``await Store.open(path_or_url)``; close with ``close()``."""

    migrations: tuple[tuple[str, str], ...] = ()

    @classmethod
    async def open(
        cls, target: Path | str, *, ownership: Ownership | None = None, synchronous: str = "NORMAL"
    ) -> Store:
        """Open (creating and migrating as needed) a SQLite file or a ``postgresql://`` database.

        ``synchronous`` is SQLite's setting (``NORMAL`` or ``FULL``; see ``sqlite.py``); PostgreSQL ignores it.
        A SQLite file that is not a database, cannot be read, or cannot be written is refused with a
        StoreError naming it and the problem, before anything is written to it.
        """
        store: Store
        if is_postgres_url(target):
            store = PostgresStore(str(target), ownership)
        else:
            store = SqliteStore(Path(target), ownership, synchronous=synchronous)
        try:
            await store._connect()
            await store._migrate()
        except BaseException:
            await store.close()
            raise
        return store

    async def _migrate(self) -> None:
        current = await self.schema_version()
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"{self.describe()} has schema version {current}, newer than this bot's {SCHEMA_VERSION}; "
                "upgrade the bot or use another BOT_DATABASE"
            )
        for version in range(current + 1, SCHEMA_VERSION + 1):
            name, sql = self.migrations[version - 1]
            await self._apply_migration(version, sql)
            log.info("database %s migrated to version %d (%s)", self.describe(), version, name)

    # Provided by the backend (sqlite.py / postgres.py).
    def describe(self) -> str:
        raise NotImplementedError

    async def _connect(self) -> None:
        raise NotImplementedError

    async def _apply_migration(self, version: int, sql: str) -> None:
        raise NotImplementedError

    async def schema_version(self) -> int:
        raise NotImplementedError

    async def integrity_ok(self) -> bool:
        raise NotImplementedError

    async def close(self) -> None:
        raise NotImplementedError


class SqliteStore(SqliteBackend, Store):
    """The store on one SQLite file: the default, for one process."""

    migrations = MIGRATIONS


class PostgresStore(PostgresBackend, Store):
    """The store on PostgreSQL: for several processes sharing one database."""

    migrations = PG_MIGRATIONS


__all__ = [
    "MIGRATIONS",
    "PG_MIGRATIONS",
    "SCHEMA_VERSION",
    "Ownership",
    "PostgresStore",
    "SqliteStore",
    "Store",
    "StoreError",
    "StoreEvent",
    "is_postgres_url",
    "is_storage_failure",
    "redact",
]
