from __future__ import annotations

import asyncio
import sqlite3

import pytest

from alliance_bot.storage import SCHEMA_VERSION, Store, StoreError


async def test_database_is_created_migrated_closed_and_reopened(tmp_path):
    path = tmp_path / "nested" / "bot.sqlite3"

    store = await Store.open(path)
    assert await store.schema_version() == SCHEMA_VERSION
    await store.set_meta("greeting", "hello")
    await store.close()

    assert path.exists()
    reopened = await Store.open(path)
    try:
        assert await reopened.schema_version() == SCHEMA_VERSION
        assert await reopened.get_meta("greeting") == "hello"
        assert await reopened.integrity_ok()
        journal = await reopened.fetchone("PRAGMA journal_mode")
        assert journal[0] == "wal"
    finally:
        await reopened.close()


async def test_an_old_database_is_migrated_forward(tmp_path):
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT")
        raw.execute("INSERT INTO meta VALUES ('kept', 'yes')")
        raw.execute("PRAGMA user_version = 1")

    store = await Store.open(path)
    try:
        assert await store.schema_version() == SCHEMA_VERSION
        assert await store.get_meta("kept") == "yes"
    finally:
        await store.close()


async def test_a_newer_database_is_refused_not_damaged(tmp_path):
    path = tmp_path / "future.sqlite3"
    with sqlite3.connect(path) as raw:
        raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")

    with pytest.raises(StoreError, match="newer than this bot"):
        await Store.open(path)


async def test_a_failed_transaction_leaves_nothing_behind(store_target):
    store = await Store.open(store_target)
    try:
        with pytest.raises(RuntimeError):
            async with store.transaction():
                await store.execute("INSERT INTO meta(key, value) VALUES (?, ?)", ("half", "done"))
                raise RuntimeError("boom")
        assert await store.get_meta("half") is None
    finally:
        await store.close()


async def test_sql_values_are_parameters_not_code(store_target):
    store = await Store.open(store_target)
    try:
        evil = "x'); DROP TABLE meta; --"
        await store.set_meta(evil, evil)
        assert await store.get_meta(evil) == evil
    finally:
        await store.close()


async def test_both_backends_migrate_to_the_same_version_and_reopen(store_target):
    store = await Store.open(store_target)
    try:
        assert await store.schema_version() == SCHEMA_VERSION
        assert await store.integrity_ok()
        await store.set_meta("k", "v1")
        await store.set_meta("k", "v2")
    finally:
        await store.close()
    again = await Store.open(store_target)  # a second open migrates nothing and sees the data
    try:
        assert await again.schema_version() == SCHEMA_VERSION
        assert await again.get_meta("k") == "v2"
    finally:
        await again.close()


async def test_a_newer_postgresql_database_is_refused(postgres_url):
    store = await Store.open(postgres_url)
    await store.execute("INSERT INTO schema_migrations(version) VALUES (?)", (SCHEMA_VERSION + 3,))
    await store.close()
    with pytest.raises(StoreError, match="newer than this bot"):
        await Store.open(postgres_url)


async def test_the_postgresql_url_password_is_never_shown():
    from alliance_bot.storage import redact

    assert redact("postgresql://bot:s3cret@db.example:5432/bot") == "postgresql://bot:***@db.example:5432/bot"
    assert redact("postgresql://bot@db/bot") == "postgresql://bot@db/bot"


async def test_an_unreachable_postgresql_server_is_a_store_error_naming_it_without_its_password():
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(StoreError, match=rf"cannot connect to PostgreSQL at postgresql://bot:\*\*\*@127.0.0.1:{port}/x"):
        await Store.open(f"postgresql://bot:secret@127.0.0.1:{port}/x")


async def test_processes_starting_together_on_an_empty_postgresql_database_migrate_it_once(postgres_url):
    import asyncio

    stores = await asyncio.gather(*(Store.open(postgres_url) for _ in range(4)))
    try:
        assert [await s.schema_version() for s in stores] == [SCHEMA_VERSION] * 4
        rows = await stores[0].fetchall("SELECT version FROM schema_migrations ORDER BY version")
        assert [int(r[0]) for r in rows] == list(range(1, SCHEMA_VERSION + 1))
    finally:
        for store in stores:
            await store.close()


async def test_display_names_are_upserted_and_survive_a_reopen(tmp_path):
    from datetime import UTC, datetime

    path = tmp_path / "names.sqlite3"
    store = await Store.open(path)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    await store.remember_names(1, {10: "Alice", 11: "Bob"}, now)
    await store.remember_names(1, {10: "Alice L."}, now)  # a new name replaces the old one
    await store.remember_names(2, {10: "Ally"}, now)  # names are per server
    await store.close()

    reopened = await Store.open(path)
    try:
        assert await reopened.display_names(1, [10, 11, 12]) == {10: "Alice L.", 11: "Bob"}
        assert await reopened.display_names(2, [10]) == {10: "Ally"}
        assert await reopened.display_names(1, range(1000, 2200)) == {}  # more ids than one query takes
    finally:
        await reopened.close()


async def test_a_due_checkpoint_waits_for_a_quiet_moment_unless_the_wal_grows_too_long(tmp_path, monkeypatch):
    """Checkpoints never run in the middle of a burst of commits (they stalled the event loop), but do run."""
    from alliance_bot.storage import sqlite as backend

    monkeypatch.setattr(backend, "CHECKPOINT_EVERY", 5)
    monkeypatch.setattr(backend, "CHECKPOINT_QUIET", 0.1)
    monkeypatch.setattr(backend, "CHECKPOINT_FORCE", 30)
    ran: list[int] = []
    real = backend.SqliteBackend._run_checkpoint
    monkeypatch.setattr(backend.SqliteBackend, "_run_checkpoint", lambda self: (ran.append(1), real(self)))
    store = await Store.open(tmp_path / "bot.sqlite3")
    try:
        for n in range(20):  # a burst: commits 10 ms apart, never a quiet 100 ms
            await store.set_meta(f"k{n}", "v")
            await asyncio.sleep(0.01)
        assert ran == []
        await asyncio.sleep(0.3)  # quiet: the due checkpoint runs
        assert ran == [1]
        for n in range(40):  # a longer burst: forced after CHECKPOINT_FORCE commits, before any quiet
            await store.set_meta(f"f{n}", "v")
        await asyncio.sleep(0.02)
        assert len(ran) == 2
        row = await store.fetchone("PRAGMA wal_checkpoint(PASSIVE)")
        assert row is not None and row[0] == 0  # the checkpoints left the WAL usable, nothing busy
    finally:
        await store.close()
