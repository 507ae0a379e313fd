"""Timeline subscriptions and post records on both backends (contract tests), including a reopen."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from alliance_bot.storage import Store

NOW = datetime(2026, 1, 1, tzinfo=UTC)
DAY = date(2026, 1, 1)


async def test_subscriptions_survive_a_reopen_and_resubscribing_clears_a_pause(store_target):
    path = store_target
    store = await Store.open(path)
    try:
        sub = await store.timeline_subscribe(10, 20, time(8, 30), NOW, by=99)
        assert (sub.post_time, sub.since, sub.active) == (time(8, 30), NOW, True)
        await store.timeline_claim_day(10, 20, DAY, "e-1", NOW)
        await store.timeline_mark_failed(10, 20, DAY, NOW, detail="Missing Access", pause="forbidden")
    finally:
        await store.close()

    store = await Store.open(path)
    try:
        paused = await store.timeline_subscription(10, 20)
        assert paused.paused == "forbidden" and paused.paused_detail == "Missing Access"
        assert paused.last_status == "paused"

        later = NOW + timedelta(days=1)
        again = await store.timeline_subscribe(10, 20, time(9, 0), later, by=99)
        assert again.active and again.post_time == time(9, 0) and again.since == later
        assert [s.channel_id for s in await store.timeline_subscriptions(10)] == [20]
        assert await store.timeline_subscriptions(11) == []

        assert await store.timeline_unsubscribe(10, 20) is True
        assert await store.timeline_unsubscribe(10, 20) is False
        # The post record outlives the subscription: a re-subscribe can never repost that day.
        assert (await store.timeline_post(10, 20, DAY)).state == "failed"
    finally:
        await store.close()


async def test_a_day_is_claimed_once_and_sent_moves_the_walk(store_target):
    store = await Store.open(store_target)
    try:
        await store.timeline_subscribe(1, 2, time(12, 0), NOW, by=3)
        claimed = await store.timeline_claim_day(1, 2, DAY, "e-1", NOW)
        assert claimed.state == "sending" and claimed.attempts == 1
        assert await store.timeline_claim_day(1, 2, DAY, "e-1", NOW) is None

        await store.timeline_mark_sent(1, 2, DAY, 555, NOW, walk_key="1945-05-08 e-1", detail="e-1")
        record = await store.timeline_post(1, 2, DAY)
        assert (record.state, record.message_id) == ("sent", 555)
        sub = await store.timeline_subscription(1, 2)
        assert sub.walk_key == "1945-05-08 e-1" and sub.last_status == "sent"

        # An "on this day" post leaves the walk where it was.
        next_day = DAY + timedelta(days=1)
        await store.timeline_claim_day(1, 2, next_day, "e-2", NOW)
        await store.timeline_mark_sent(1, 2, next_day, 556, NOW, walk_key=None, detail="e-2")
        assert (await store.timeline_subscription(1, 2)).walk_key == "1945-05-08 e-1"
        assert [r.day for r in await store.timeline_posts(1, 2)] == [DAY, next_day]
    finally:
        await store.close()


async def test_a_failed_send_can_be_retried_but_a_crash_mid_send_is_never_resent(store_target):
    path = store_target
    store = await Store.open(path)
    try:
        await store.timeline_subscribe(1, 2, time(12, 0), NOW, by=3)
        await store.timeline_claim_day(1, 2, DAY, "e-1", NOW)
        retry_at = NOW + timedelta(minutes=5)
        await store.timeline_mark_failed(1, 2, DAY, NOW, detail="HTTP 500", retry_at=retry_at)
        failed = await store.timeline_post(1, 2, DAY)
        assert (failed.state, failed.retry_at) == ("failed", retry_at)
        assert (await store.timeline_subscription(1, 2)).active

        retried = await store.timeline_claim_day(1, 2, DAY, "e-1", retry_at)
        assert retried.state == "sending" and retried.attempts == 2
        # The bot dies here, between recording 'sending' and recording 'sent'.
    finally:
        await store.close()

    store = await Store.open(path)
    try:
        assert await store.timeline_settle_interrupted(NOW) == 1
        assert (await store.timeline_post(1, 2, DAY)).state == "unconfirmed"
        assert await store.timeline_claim_day(1, 2, DAY, "e-1", NOW) is None
        assert (await store.timeline_subscription(1, 2)).last_status == "unconfirmed"
        assert await store.timeline_settle_interrupted(NOW) == 0
    finally:
        await store.close()


async def test_a_day_with_nothing_to_post_is_skipped_once(store_target):
    store = await Store.open(store_target)
    try:
        await store.timeline_subscribe(1, 2, time(12, 0), NOW, by=3)
        await store.timeline_skip_day(1, 2, DAY, NOW, "no entries")
        assert (await store.timeline_post(1, 2, DAY)).state == "skipped"
        assert await store.timeline_claim_day(1, 2, DAY, "e-1", NOW) is None
    finally:
        await store.close()
