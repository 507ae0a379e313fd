"""Moving up: copy a SQLite database into an empty PostgreSQL database, then verify the counts.

The SQLite file is never written: it is copied with SQLite's online backup (a reader, safe while a
bot runs on it) into a scratch file, that copy is migrated to the current schema, and rows are
read from the copy. The target is migrated, must hold no rows, and receives every table in one
transaction (COPY), so a failure leaves it empty. Identity sequences continue after the copied ids.
"""

from __future__ import annotations

import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import PostgresStore, SqliteStore, Store, StoreError, is_postgres_url, redact

# Every table, parents before children; fact_versions in rowid order (its first-change order).
TABLES: tuple[str, ...] = (
    "meta",
    "quiz_sessions",
    "quiz_questions",
    "quiz_answers",
    "quiz_players",
    "quiz_seen",
    "timeline_subscriptions",
    "timeline_posts",
    "fact_versions",
    "fact_settings",
    "member_names",
    "quiz_settings",
    "quiz_reports",
    "quiz_retired",
)
# Identity columns whose sequences must continue after the copied values.
IDENTITIES: tuple[tuple[str, str], ...] = (("quiz_sessions", "id"), ("quiz_answers", "id"), ("fact_versions", "seq"))


class MoveError(StoreError):
    """The copy was refused (non-empty target, not a SQLite source...) or did not verify."""


@dataclass(frozen=True)
class MoveReport:
    counts: dict[str, int]  # rows per table, equal in source and target

    @property
    def total(self) -> int:
        return sum(self.counts.values())


async def move_sqlite_to_postgres(source: Path, url: str) -> MoveReport:
    """Copy every table of the SQLite database at ``source`` into the empty PostgreSQL database ``url``."""
    if not is_postgres_url(url):
        raise MoveError(f"--migrate-to needs a postgresql:// URL, got {redact(url)!r}")
    if not Path(source).is_file():
        raise MoveError(f"there is no SQLite database at {source}")
    with tempfile.TemporaryDirectory(prefix="alliance-bot-move-") as scratch:
        snapshot = Path(scratch) / "snapshot.sqlite3"
        _snapshot(Path(source), snapshot)
        reader = await Store.open(snapshot)
        assert isinstance(reader, SqliteStore)
        try:
            target = await Store.open(url)
            assert isinstance(target, PostgresStore)
            try:
                return await _copy(reader, target)
            finally:
                await target.close()
        finally:
            await reader.close()


def _snapshot(source: Path, copy: Path) -> None:
    """A consistent copy of ``source`` (read-only open; SQLite's backup API reads, never writes)."""
    reading = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        writing = sqlite3.connect(copy)
        try:
            reading.backup(writing)
        finally:
            writing.close()
    finally:
        reading.close()


async def _copy(reader: SqliteStore, target: PostgresStore) -> MoveReport:
    for table in TABLES:
        row = await target.fetchone(f"SELECT EXISTS (SELECT 1 FROM {table})")
        if row is not None and row[0]:
            raise MoveError(
                f"{target.describe()} is not empty ({table} has rows); --migrate-to only fills an empty database"
            )
    counts: dict[str, int] = {}
    async with target.transaction() as conn:
        for table in TABLES:
            rows = await reader.fetchall(f"SELECT * FROM {table} ORDER BY rowid")
            columns = list(rows[0].keys()) if rows else []
            if rows:
                await conn.copy_records_to_table(table, records=[tuple(r) for r in rows], columns=columns)
            counts[table] = len(rows)
        for table, column in IDENTITIES:
            await conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                f"COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false)"
            )
        for table in TABLES:  # verified inside the transaction: a mismatch leaves the target empty
            copied = await conn.fetchval(f"SELECT COUNT(*) FROM {table}")
            if copied != counts[table]:
                raise MoveError(f"{table}: {counts[table]} rows in SQLite but {copied} in PostgreSQL")
    return MoveReport(counts)
