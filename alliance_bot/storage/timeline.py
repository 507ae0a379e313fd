"""Tables and queries for the timeline feature: subscriptions and the per-day post records.

A post is recorded as 'sending' (in its own committed transaction) before the message is sent
and as 'sent' after, keyed by (guild, channel, day), so no day is ever posted twice. The claim is
one conditional upsert, atomic in the database itself, so two processes that wake for the same day
cannot both win it; each claim names the process that made it (``claimed_by``).
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from ..domain.timeline import DEFAULT_SERIES, DONE_STATES, PauseKind, PostRecord, Subscription
from .base import StoreBase

SCHEMA = """
CREATE TABLE timeline_subscriptions (
    guild_id       INTEGER NOT NULL,
    channel_id     INTEGER NOT NULL,
    post_time      TEXT NOT NULL,
    since          TEXT NOT NULL,
    walk_key       TEXT,
    paused         TEXT CHECK (paused IN ('channel_missing', 'forbidden', 'rejected')),
    paused_detail  TEXT,
    last_status    TEXT,
    last_detail    TEXT,
    last_at        TEXT,
    created_by     INTEGER NOT NULL,
    PRIMARY KEY (guild_id, channel_id)
) STRICT;

CREATE TABLE timeline_posts (
    guild_id    INTEGER NOT NULL,
    channel_id  INTEGER NOT NULL,
    day         TEXT NOT NULL,
    entry_id    TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'failed', 'unconfirmed', 'skipped')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    message_id  INTEGER,
    retry_at    TEXT,
    detail      TEXT,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (guild_id, channel_id, day)
) STRICT;

CREATE INDEX timeline_posts_state ON timeline_posts (state);
"""

PG_SCHEMA = """
CREATE TABLE timeline_subscriptions (
    guild_id       BIGINT NOT NULL,
    channel_id     BIGINT NOT NULL,
    post_time      TEXT NOT NULL,
    since          TEXT NOT NULL,
    walk_key       TEXT,
    paused         TEXT CHECK (paused IN ('channel_missing', 'forbidden', 'rejected')),
    paused_detail  TEXT,
    last_status    TEXT,
    last_detail    TEXT,
    last_at        TEXT,
    created_by     BIGINT NOT NULL,
    PRIMARY KEY (guild_id, channel_id)
);

CREATE TABLE timeline_posts (
    guild_id    BIGINT NOT NULL,
    channel_id  BIGINT NOT NULL,
    day         TEXT NOT NULL,
    entry_id    TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'failed', 'unconfirmed', 'skipped')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    message_id  BIGINT,
    retry_at    TEXT,
    detail      TEXT,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (guild_id, channel_id, day)
);

CREATE INDEX timeline_posts_state ON timeline_posts (state);
"""

# Migration #5 (both backends): which process claimed a post, so that after a crash a process
# settles its own interrupted sends and never another live process's. NULL: claimed before this
# migration, by the single process there was.
CLAIMS = """
ALTER TABLE timeline_posts ADD COLUMN claimed_by TEXT;
"""

# Migration #8 (both backends): what a subscription posts (domain.timeline.SERIES); existing
# subscriptions keep posting the US–Russia timeline they had.
TOPICS = """
ALTER TABLE timeline_subscriptions ADD COLUMN topic TEXT NOT NULL DEFAULT 'us-russia'
    CHECK (topic IN ('us-russia', 'alliances', 'both'));
"""

_SUBSCRIPTION_COLUMNS = (
    "guild_id, channel_id, post_time, since, walk_key, paused, paused_detail, last_status, last_detail, last_at, topic"
)
_POST_COLUMNS = "guild_id, channel_id, day, entry_id, state, attempts, message_id, retry_at, detail"


def _dt(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _subscription(row: Any) -> Subscription:
    hour, minute = (int(part) for part in row["post_time"].split(":"))
    return Subscription(
        guild_id=row["guild_id"],
        channel_id=row["channel_id"],
        post_time=time(hour, minute),
        since=datetime.fromisoformat(row["since"]),
        walk_key=row["walk_key"],
        paused=row["paused"],
        paused_detail=row["paused_detail"],
        last_status=row["last_status"],
        last_detail=row["last_detail"],
        last_at=_dt(row["last_at"]),
        topic=row["topic"],
    )


def _post(row: Any) -> PostRecord:
    return PostRecord(
        guild_id=row["guild_id"],
        channel_id=row["channel_id"],
        day=date.fromisoformat(row["day"]),
        entry_id=row["entry_id"],
        state=row["state"],
        attempts=row["attempts"],
        message_id=row["message_id"],
        retry_at=_dt(row["retry_at"]),
        detail=row["detail"],
    )


class TimelineQueries(StoreBase):
    # ------------------------------------------------------------------ subscriptions

    async def timeline_subscribe(
        self,
        guild_id: int,
        channel_id: int,
        post_time: time,
        now: datetime,
        by: int,
        topic: str = DEFAULT_SERIES,
    ) -> Subscription:
        """Create or update a channel's subscription; re-subscribing clears a pause, keeps the walk."""
        async with self.transaction():
            await self.execute(
                "INSERT INTO timeline_subscriptions (guild_id, channel_id, post_time, since, created_by, topic) "
                "VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (guild_id, channel_id) DO UPDATE SET post_time = excluded.post_time, "
                "since = excluded.since, paused = NULL, paused_detail = NULL, topic = excluded.topic",
                (guild_id, channel_id, f"{post_time.hour:02d}:{post_time.minute:02d}", now.isoformat(), by, topic),
            )
        subscription = await self.timeline_subscription(guild_id, channel_id)
        assert subscription is not None
        return subscription

    async def timeline_unsubscribe(self, guild_id: int, channel_id: int) -> bool:
        """Remove a subscription (its post records stay, so a re-subscribe never reposts a day)."""
        async with self.transaction():
            changed = await self.execute(
                "DELETE FROM timeline_subscriptions WHERE guild_id = ? AND channel_id = ?", (guild_id, channel_id)
            )
        return changed > 0

    async def timeline_subscription(self, guild_id: int, channel_id: int) -> Subscription | None:
        row = await self.fetchone(
            f"SELECT {_SUBSCRIPTION_COLUMNS} FROM timeline_subscriptions WHERE guild_id = ? AND channel_id = ?",
            (guild_id, channel_id),
        )
        return None if row is None else _subscription(row)

    async def timeline_subscriptions(self, guild_id: int | None = None) -> list[Subscription]:
        """Every subscription of one server, or (``guild_id`` None) of every server this process serves."""
        if guild_id is None:
            owned, params = self.ownership.guild_filter()
            rows = await self.fetchall(
                f"SELECT {_SUBSCRIPTION_COLUMNS} FROM timeline_subscriptions WHERE {owned} "
                "ORDER BY guild_id, channel_id",
                params,
            )
        else:
            rows = await self.fetchall(
                f"SELECT {_SUBSCRIPTION_COLUMNS} FROM timeline_subscriptions WHERE guild_id = ? ORDER BY channel_id",
                (guild_id,),
            )
        return [_subscription(row) for row in rows]

    # ------------------------------------------------------------------ post records

    async def timeline_post(self, guild_id: int, channel_id: int, day: date) -> PostRecord | None:
        row = await self.fetchone(
            f"SELECT {_POST_COLUMNS} FROM timeline_posts WHERE guild_id = ? AND channel_id = ? AND day = ?",
            (guild_id, channel_id, day.isoformat()),
        )
        return None if row is None else _post(row)

    async def timeline_seen(self, guild_id: int, channel_id: int, before: date) -> dict[str, date]:
        """Each entry the channel got (or may have got) before ``before``, with the last day it did."""
        rows = await self.fetchall(
            "SELECT entry_id, MAX(day) AS last_day FROM timeline_posts "
            "WHERE guild_id = ? AND channel_id = ? AND day < ? AND state IN ('sending', 'sent', 'unconfirmed') "
            "GROUP BY entry_id",
            (guild_id, channel_id, before.isoformat()),
        )
        return {row["entry_id"]: date.fromisoformat(row["last_day"]) for row in rows}

    async def timeline_posts(self, guild_id: int, channel_id: int) -> list[PostRecord]:
        rows = await self.fetchall(
            f"SELECT {_POST_COLUMNS} FROM timeline_posts WHERE guild_id = ? AND channel_id = ? ORDER BY day",
            (guild_id, channel_id),
        )
        return [_post(row) for row in rows]

    async def timeline_claim_day(
        self, guild_id: int, channel_id: int, day: date, entry_id: str, now: datetime
    ) -> PostRecord | None:
        """Record the day's post as 'sending' before sending; None if that day is already taken.

        One statement: insert the claim, or take over a retryable 'failed' record, and return the
        row only if this call won it. The database's row lock on the conflicting key makes the
        check and the write atomic, so of two processes claiming the same day only one gets a row.
        Committed on return, so a crash after this point can never lead to a second post.
        """
        done = sorted(DONE_STATES)
        marks = ", ".join("?" for _ in done)
        async with self.transaction():
            row = await self.fetchone(
                "INSERT INTO timeline_posts "
                "(guild_id, channel_id, day, entry_id, state, attempts, updated_at, claimed_by) "
                "VALUES (?, ?, ?, ?, 'sending', 1, ?, ?) "
                "ON CONFLICT (guild_id, channel_id, day) DO UPDATE SET entry_id = excluded.entry_id, "
                "state = 'sending', attempts = timeline_posts.attempts + 1, retry_at = NULL, detail = NULL, "
                "updated_at = excluded.updated_at, claimed_by = excluded.claimed_by "
                f"WHERE timeline_posts.state NOT IN ({marks}) "
                f"RETURNING {_POST_COLUMNS}",
                (guild_id, channel_id, day.isoformat(), entry_id, now.isoformat(), self.ownership.instance, *done),
            )
        return None if row is None else _post(row)

    async def timeline_skip_day(self, guild_id: int, channel_id: int, day: date, now: datetime, detail: str) -> None:
        """Record that there was nothing to post that day (no entries), so it is not tried again."""
        async with self.transaction():
            await self.execute(
                "INSERT INTO timeline_posts (guild_id, channel_id, day, entry_id, state, detail, updated_at) "
                "VALUES (?, ?, ?, '', 'skipped', ?, ?) ON CONFLICT DO NOTHING",
                (guild_id, channel_id, day.isoformat(), detail, now.isoformat()),
            )
            await self._set_last(guild_id, channel_id, "skipped", detail, now)

    async def timeline_mark_sent(
        self,
        guild_id: int,
        channel_id: int,
        day: date,
        message_id: int,
        now: datetime,
        *,
        walk_key: str | None,
        detail: str,
    ) -> None:
        """Record a delivered post; move the walk (unless ``walk_key`` is None) and the last result."""
        async with self.transaction():
            await self.execute(
                "UPDATE timeline_posts SET state = 'sent', message_id = ?, retry_at = NULL, updated_at = ? "
                "WHERE guild_id = ? AND channel_id = ? AND day = ?",
                (message_id, now.isoformat(), guild_id, channel_id, day.isoformat()),
            )
            await self.execute(
                "UPDATE timeline_subscriptions SET walk_key = COALESCE(?, walk_key) "
                "WHERE guild_id = ? AND channel_id = ?",
                (walk_key, guild_id, channel_id),
            )
            await self._set_last(guild_id, channel_id, "sent", detail, now)

    async def timeline_mark_failed(
        self,
        guild_id: int,
        channel_id: int,
        day: date,
        now: datetime,
        *,
        detail: str,
        retry_at: datetime | None = None,
        pause: PauseKind | None = None,
    ) -> None:
        """Record a send Discord refused: retry it at ``retry_at``, or pause the subscription."""
        async with self.transaction():
            await self.execute(
                "UPDATE timeline_posts SET state = 'failed', retry_at = ?, detail = ?, updated_at = ? "
                "WHERE guild_id = ? AND channel_id = ? AND day = ?",
                (
                    None if retry_at is None else retry_at.isoformat(),
                    detail,
                    now.isoformat(),
                    guild_id,
                    channel_id,
                    day.isoformat(),
                ),
            )
            if pause is not None:
                await self.execute(
                    "UPDATE timeline_subscriptions SET paused = ?, paused_detail = ? "
                    "WHERE guild_id = ? AND channel_id = ?",
                    (pause, detail, guild_id, channel_id),
                )
            await self._set_last(guild_id, channel_id, "paused" if pause else "retrying", detail, now)

    async def timeline_settle_interrupted(self, now: datetime) -> int:
        """Mark this process's posts left 'sending' by a crash as 'unconfirmed'; they are not sent again.

        The bot cannot tell whether Discord received the message before the crash, and
        "never the same day twice" wins over "never miss a day": at-most-once. Only claims made by
        this process (``Ownership.instance``, or unnamed ones from before claims were named) are
        touched: another live process's 'sending' post is in flight, not interrupted.
        """
        mine = "state = 'sending' AND (claimed_by = ? OR claimed_by IS NULL)"
        async with self.transaction():
            rows = await self.fetchall(
                f"SELECT guild_id, channel_id FROM timeline_posts WHERE {mine}", (self.ownership.instance,)
            )
            await self.execute(
                f"UPDATE timeline_posts SET state = 'unconfirmed', updated_at = ? WHERE {mine}",
                (now.isoformat(), self.ownership.instance),
            )
            for row in rows:
                await self._set_last(row["guild_id"], row["channel_id"], "unconfirmed", None, now)
        return len(rows)

    async def _set_last(self, guild_id: int, channel_id: int, status: str, detail: str | None, now: datetime) -> None:
        await self.execute(
            "UPDATE timeline_subscriptions SET last_status = ?, last_detail = ?, last_at = ? "
            "WHERE guild_id = ? AND channel_id = ?",
            (status, detail, now.isoformat(), guild_id, channel_id),
        )
