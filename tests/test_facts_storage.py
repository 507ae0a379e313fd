"""Fact versions on both backends (contract tests): append-only history, latest per fact, conflicts, reopen."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from alliance_bot.config import BUNDLED_DATA_DIR
from alliance_bot.domain.facts import load_fact_base
from alliance_bot.domain.overlay import NewVersion, compute_overlay
from alliance_bot.storage import Store
from alliance_bot.storage.facts import VersionConflict

BUNDLED = load_fact_base(BUNDLED_DATA_DIR)
GUILD_A, GUILD_B, MOD = 111, 222, 42
WHEN = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)


def _edited(headline: str):
    return BUNDLED.get("us-ru-relationship").model_copy(update={"headline": headline})


async def test_versions_are_appended_never_overwritten_and_survive_a_reopen(store_target):
    path = store_target
    store = await Store.open(path)
    try:
        await store.record_fact_versions(GUILD_A, MOD, [NewVersion("us-ru-relationship", "edit", _edited("One."))], now=WHEN)
        await store.record_fact_versions(GUILD_A, MOD, [NewVersion("us-ru-relationship", "edit", _edited("Two."))], now=WHEN)
        await store.record_fact_versions(
            GUILD_A, MOD, [NewVersion("us-ru-relationship", "revert", None, reverted_to=0)], now=WHEN
        )
    finally:
        await store.close()

    store = await Store.open(path)
    try:
        history = await store.fact_history(GUILD_A, "us-ru-relationship")
        assert [(v.version, v.action, v.state) for v in history] == [
            (1, "edit", "custom"),
            (2, "edit", "custom"),
            (3, "revert", "bundled"),
        ]
        assert history[0].body["headline"] == "One." and history[1].body["headline"] == "Two."
        assert history[2].reverted_to == 0
        assert history[0].author_id == MOD and history[0].created_at == WHEN
        assert await store.fact_history(GUILD_B, "us-ru-relationship") == []
    finally:
        await store.close()


async def test_latest_versions_form_each_servers_own_overlay(store_target):
    store = await Store.open(store_target)
    try:
        await store.record_fact_versions(
            GUILD_A,
            MOD,
            [
                NewVersion("us-ru-relationship", "edit", _edited("A's verdict.")),
                NewVersion("fig-trade-decline", "hide", None, hidden=True),
            ],
        )
        await store.record_fact_versions(GUILD_A, MOD, [NewVersion("us-ru-relationship", "edit", _edited("A again."))])
        await store.record_fact_versions(GUILD_B, MOD, [NewVersion("us-ru-relationship", "edit", _edited("B's."))])

        latest_a = await store.latest_fact_versions(GUILD_A)
        assert [(v.fact_id, v.version) for v in latest_a] == [("us-ru-relationship", 2), ("fig-trade-decline", 1)]
        overlay_a, problems = compute_overlay(latest_a)
        assert problems == []
        assert overlay_a["us-ru-relationship"].headline == "A again."
        assert overlay_a["fig-trade-decline"] is None
        overlay_b, _ = compute_overlay(await store.latest_fact_versions(GUILD_B))
        assert overlay_b == {"us-ru-relationship": _edited("B's.")}
        assert await store.latest_fact_versions(333) == []
    finally:
        await store.close()


async def test_a_stale_expected_version_stores_nothing(store_target):
    store = await Store.open(store_target)
    try:
        await store.record_fact_versions(GUILD_A, MOD, [NewVersion("us-ru-relationship", "edit", _edited("First."))])
        batch = [
            NewVersion("fig-trade-decline", "import", None, hidden=True),
            NewVersion("us-ru-relationship", "import", _edited("Stale.")),
        ]
        with pytest.raises(VersionConflict) as conflict:
            await store.record_fact_versions(
                GUILD_A, MOD, batch, expected={"fig-trade-decline": 0, "us-ru-relationship": 0}
            )
        assert (conflict.value.fact_id, conflict.value.actual) == ("us-ru-relationship", 1)
        # All or nothing: the first change of the batch was rolled back too.
        assert await store.fact_history(GUILD_A, "fig-trade-decline") == []
        assert len(await store.fact_history(GUILD_A, "us-ru-relationship")) == 1
    finally:
        await store.close()


async def test_audit_channel_is_per_server_and_can_be_cleared(store_target):
    store = await Store.open(store_target)
    try:
        assert await store.get_audit_channel(GUILD_A) is None
        await store.set_audit_channel(GUILD_A, 999)
        assert await store.get_audit_channel(GUILD_A) == 999
        assert await store.get_audit_channel(GUILD_B) is None
        await store.set_audit_channel(GUILD_A, None)
        assert await store.get_audit_channel(GUILD_A) is None
    finally:
        await store.close()
