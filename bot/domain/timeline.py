"""The timeline: ordering, lookup by year and decade, and the daily-post schedule.

Pure Python: no Discord, no SQL. Times are aware UTC datetimes passed in by the caller
(the scheduler takes "now" from ``discord.utils.utcnow()``), so every rule here is testable
with plain values.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from .errors import UserError
from .facts import TimelineEntry

DEFAULT_POST_TIME = time(12, 0)
_POST_TIME = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*(?:utc|z)?\s*$", re.IGNORECASE)

# A failed send (Discord 5xx, network) is retried after this delay, doubling up to the cap.
RETRY_FIRST = timedelta(minutes=5)
RETRY_CAP = timedelta(hours=1)

PostState = Literal["sending", "sent", "failed", "unconfirmed", "skipped"]
# Post states after which the day counts as done: never post that day again.
DONE_STATES: frozenset[str] = frozenset({"sending", "sent", "unconfirmed", "skipped"})

PauseKind = Literal["channel_missing", "forbidden", "rejected"]


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Subscription:
    """One channel of one server that gets a timeline entry every day at ``post_time`` UTC."""

    guild_id: int
    channel_id: int
    post_time: time
    since: datetime  # no slot before this instant is due (set when subscribing)
    walk_key: str | None = None  # sort key of the last entry the in-order walk posted
    paused: PauseKind | None = None
    paused_detail: str | None = None
    last_status: str | None = None
    last_detail: str | None = None
    last_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.paused is None


@dataclass(frozen=True)
class PostRecord:
    """What happened to one (server, channel, day) post; written before and after sending."""

    guild_id: int
    channel_id: int
    day: date
    entry_id: str
    state: PostState
    attempts: int = 0
    message_id: int | None = None
    retry_at: datetime | None = None
    detail: str | None = None

    @property
    def done(self) -> bool:
        return self.state in DONE_STATES


# --------------------------------------------------------------------------- ordering and lookup


def sort_key(entry: TimelineEntry) -> str:
    """A string that sorts entries by date (undated parts first), then id."""
    return f"{entry.year:04d}-{entry.month or 0:02d}-{entry.day or 0:02d} {entry.id}"


def ordered(entries: Iterable[TimelineEntry]) -> list[TimelineEntry]:
    """Entries in timeline order."""
    return sorted(entries, key=sort_key)


def with_topic(entries: Iterable[TimelineEntry], topic: str | None) -> list[TimelineEntry]:
    """Only the entries of ``topic`` (all of them when ``topic`` is None), in timeline order."""
    return ordered(entry for entry in entries if topic is None or entry.topic == topic)


def nearest_index(entries: Sequence[TimelineEntry], year: int) -> int:
    """Index of the first entry of ``year``, or of the entry closest to it (earlier on a tie)."""
    if not entries:
        raise ValueError("no entries")
    return min(range(len(entries)), key=lambda i: (abs(entries[i].year - year), entries[i].year, i))


def decade_of(year: int) -> int:
    return year - year % 10


def decades(entries: Iterable[TimelineEntry]) -> list[int]:
    """The decades that have entries, oldest first."""
    return sorted({decade_of(entry.year) for entry in entries})


def first_index_of_decade(entries: Sequence[TimelineEntry], decade: int) -> int:
    """Index of the first entry in ``decade``, or of the nearest entry if the decade is empty."""
    for index, entry in enumerate(entries):
        if decade_of(entry.year) == decade:
            return index
    return nearest_index(entries, decade)


# --------------------------------------------------------------------------- which entry on which day


@dataclass(frozen=True)
class Choice:
    """The entry to post on a day; ``walk_key`` is the walk's new position (None: unchanged)."""

    entry: TimelineEntry
    on_this_day: bool
    walk_key: str | None


def on_this_day(entries: Iterable[TimelineEntry], day: date) -> list[TimelineEntry]:
    """Entries whose month and day are ``day``'s, in timeline order."""
    return ordered(e for e in entries if e.month == day.month and e.day == day.day)


def choose_entry(entries: Sequence[TimelineEntry], day: date, walk_key: str | None) -> Choice | None:
    """Pick the post for ``day``: an "on this day" entry if one matches, else the next in the walk.

    The walk goes through the timeline in order and starts over after the last entry. Its
    position is a sort key, not an index, so entries added or hidden in between (a server's own
    entries) never make it skip or repeat. An "on this day" post does not move the walk.
    """
    entries = ordered(entries)
    if not entries:
        return None
    anniversaries = on_this_day(entries, day)
    if anniversaries:
        # Several events on one date: a different one each year.
        return Choice(anniversaries[day.year % len(anniversaries)], on_this_day=True, walk_key=None)
    keys = [sort_key(entry) for entry in entries]
    index = 0 if walk_key is None else bisect.bisect_right(keys, walk_key)
    if index >= len(entries):
        index = 0
    return Choice(entries[index], on_this_day=False, walk_key=keys[index])


# --------------------------------------------------------------------------- schedule


def parse_post_time(text: str | None) -> time:
    """Parse "HH:MM" (24-hour, UTC; a trailing "UTC" is allowed) or raise UserError."""
    if text is None or not text.strip():
        return DEFAULT_POST_TIME
    match = _POST_TIME.match(text)
    if match:
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise UserError(f"{text.strip()[:20]!r} is not a time. Use 24-hour HH:MM in UTC, for example 08:30 or 18:00.")


def format_post_time(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def _slot(day: date, post_time: time) -> datetime:
    return datetime.combine(day, post_time, tzinfo=UTC)


def latest_due(now: datetime, post_time: time, since: datetime) -> datetime | None:
    """The most recent slot at or before ``now`` that is not before ``since`` (None if none yet).

    Only the latest slot counts: slots missed while the bot was down are not posted one by one,
    so a long downtime yields a single catch-up post, never a flood.
    """
    slot = _slot(now.date(), post_time)
    if slot > now:
        slot -= timedelta(days=1)
    return slot if slot >= since else None


def next_slot(now: datetime, post_time: time) -> datetime:
    """The first slot strictly after ``now``."""
    slot = _slot(now.date(), post_time)
    return slot if slot > now else slot + timedelta(days=1)


def retry_delay(attempts: int) -> timedelta:
    """How long to wait before trying a failed send again (``attempts`` made so far)."""
    return min(RETRY_FIRST * 2 ** max(attempts - 1, 0), RETRY_CAP)


@dataclass(frozen=True)
class Plan:
    """What a subscription needs now: ``post_day`` to post for (if any) and when to look again."""

    post_day: date | None
    wake_at: datetime | None


def plan(now: datetime, subscription: Subscription, record: PostRecord | None) -> Plan:
    """Decide whether ``subscription`` must post now, given the record of its latest due day.

    ``record`` must be the post record for the day of ``latest_due(...)`` (None if there is none).
    """
    if not subscription.active:
        return Plan(None, None)
    upcoming = next_slot(now, subscription.post_time)
    due = latest_due(now, subscription.post_time, subscription.since)
    if due is None:
        return Plan(None, upcoming)
    if record is None:
        return Plan(due.date(), now)
    if record.done:
        return Plan(None, upcoming)
    # A failed send that may be retried: until the next slot, when that day takes over.
    if record.retry_at is None:
        return Plan(None, upcoming)
    if record.retry_at <= now:
        return Plan(due.date(), now)
    return Plan(None, min(record.retry_at, upcoming))


def next_post_at(now: datetime, subscription: Subscription, record: PostRecord | None) -> datetime | None:
    """When the next post is expected (``now`` if one is due), or None while paused."""
    result = plan(now, subscription, record)
    if result.post_day is not None:
        return now
    return result.wake_at
