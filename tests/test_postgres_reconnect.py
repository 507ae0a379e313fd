"""PostgreSQL connection loss (issue 21): a server that dropped the bot's connections costs no action.

After a restart or a killed backend, each idle pooled connection is dead; the first action on it
used to fail with "Something went wrong", and a LISTEN reconnect that hit asyncpg's InterfaceError
gave up for good.
"""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from alliance_bot.storage import Store
from alliance_bot.storage import postgres as pg
from tests.conftest import POSTGRES_URL


async def _backends() -> set[int]:
    admin = await asyncpg.connect(POSTGRES_URL)
    try:
        rows = await admin.fetch(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return {row[0] for row in rows}
    finally:
        await admin.close()


async def _kill(pids: set[int]) -> int:
    admin = await asyncpg.connect(POSTGRES_URL)
    try:
        return await admin.fetchval("SELECT count(pg_terminate_backend(pid)) FROM unnest($1::int[]) AS pid", list(pids))
    finally:
        await admin.close()


async def test_actions_after_the_server_dropped_every_connection_succeed(postgres_url):
    before = await _backends()  # the test's own fixture connections: not the bot's
    store = await Store.open(postgres_url)
    try:
        await store.set_meta("probe", "before")
        # Fill the pool with idle connections, then have the server drop all of them.
        await asyncio.gather(*(store.fetchone("SELECT pg_sleep(0.05)") for _ in range(5)))
        assert await _kill(await _backends() - before) >= 5

        for attempt in range(8):  # more than the pool's idle connections
            await store.set_meta("probe", f"after-{attempt}")  # a transaction
            assert await store.get_meta("probe") == f"after-{attempt}"  # a statement on the pool
    finally:
        await store.close()


async def test_the_listener_reconnects_after_an_interface_error(postgres_url, monkeypatch):
    monkeypatch.setattr(pg, "RELISTEN_DELAY", 0.01)
    store = await Store.open(postgres_url)
    events: list = []
    try:
        await store.listen(events.append)
        real = store._start_listening
        failures = iter([asyncpg.InterfaceError("cannot call Connection.add_listener(): connection is closed")])

        async def flaky() -> None:
            failure = next(failures, None)
            if failure is not None:
                raise failure
            await real()

        monkeypatch.setattr(store, "_start_listening", flaky)
        lost = store._listen_conn
        assert lost is not None
        await lost.close()  # the server side is gone: the termination listener starts reconnecting
        async with asyncio.timeout(5):
            while ("reset", None) not in events:
                await asyncio.sleep(0.01)
        assert store._listen_conn is not None and store._listen_conn is not lost
    finally:
        await store.close()


@pytest.mark.parametrize("error", [OSError("reset"), asyncpg.InterfaceError("closed")])
def test_connection_losses_are_recognised(error):
    assert isinstance(error, pg.CONNECTION_LOST)
