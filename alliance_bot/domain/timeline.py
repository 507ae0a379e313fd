"""The timeline: ordering, lookup by year and decade, and the daily-post schedule.

Pure Python: no Discord, no SQL. Times are aware UTC datetimes passed in by the caller
(the scheduler takes "now" from ``discord.utils.utcnow()``), so every rule here is testable
with plain values.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from .alliance_timeline import TOPIC as ALLIANCE_TOPIC
from .alliance_timeline import cached_atop_entries, researched_entries
from .errors import UserError
from .facts import FactBase, TimelineEntry

DEFAULT_POST_TIME = time(12, 0)
_POST_TIME = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*(?:utc|z)?\s*$", re.IGNORECASE)

# A failed send (Discord 5xx, network) is retried after this delay, doubling up to the cap.
RETRY_FIRST = timedelta(minutes=5)
RETRY_CAP = timedelta(hours=1)

PostState = Literal["sending", "sent", "failed", "unconfirmed", "skipped"]
# Post states after which the day counts as done: never post that day again.
DONE_STATES: frozenset[str] = frozenset({"sending", "sent", "unconfirmed", "skipped"})

PauseKind = Literal["channel_missing", "forbidden", "rejected"]

# What a subscription posts: the US–Russia story, alliance history, or both. "us-russia" is what
# every subscription posted before topics existed, so it is the default.
Series = Literal["us-russia", "alliances", "both"]
SERIES: tuple[str, ...] = ("us-russia", "alliances", "both")
DEFAULT_SERIES: Series = "us-russia"
# An "on this day" entry posted this recently is not posted again on its day (a year later it may be).
ANNIVERSARY_GAP = timedelta(days=300)


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Subscription:
    """One channel of one server that gets a timeline entry every day at ``post_time`` UTC."""

    guild_id: int
    channel_id: int
    post_time: time
    since: datetime  # no slot before this instant is due (set when subscribing)
    walk_key: str | None = None  # sort key of the last entry the in-order walk posted
    topic: Series = DEFAULT_SERIES
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


def timeline_entries(facts: FactBase) -> list[TimelineEntry]:
    """Every timeline entry of a fact view: the researched ones and alliance history from the record."""
    entries: list[TimelineEntry] = list(facts.of_kind("timeline"))
    if facts.record is not None:
        entries.extend(cached_atop_entries(facts.record))
    known = {entry.id for entry in entries}
    entries.extend(e for e in researched_entries(facts.of_kind("alliance")) if e.id not in known)
    return entries


def in_series(entry: TimelineEntry, series: Series) -> bool:
    if series == "both":
        return True
    return (entry.topic == ALLIANCE_TOPIC) == (series == "alliances")


def of_series(entries: Iterable[TimelineEntry], series: Series) -> list[TimelineEntry]:
    return [entry for entry in entries if in_series(entry, series)]


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


def days_without_an_event(entries: Iterable[TimelineEntry]) -> list[str]:
    """The days of the year ('29 February', '3 March') on which no entry happened, in calendar order."""
    days = {(entry.month, entry.day) for entry in entries if entry.day is not None}
    calendar = [date(2024, 1, 1) + timedelta(days=n) for n in range(366)]  # 2024: a leap year
    return [f"{d.day} {d.strftime('%B')}" for d in calendar if (d.month, d.day) not in days]


def choose_entry(
    entries: Sequence[TimelineEntry],
    day: date,
    walk_key: str | None,
    seen: Mapping[str, date] | None = None,
) -> Choice | None:
    """Pick the post for ``day``: an "on this day" entry if one is due, else the longest unseen.

    ``seen`` maps an entry id to the last day the channel got it. Of the entries on ``day``'s
    date, the one the channel has gone longest without wins (several on one date take turns
    year by year), unless it had it within ``ANNIVERSARY_GAP``. Otherwise the post is the entry
    the channel has gone longest without; entries it never had come first, in timeline order
    from the walk's position. The walk's position is a sort key, not an index, so entries added
    or hidden in between (a server's own entries) never make it skip or repeat. An "on this
    day" post does not move the walk.
    """
    entries = ordered(entries)
    if not entries:
        return None
    seen = seen or {}
    never = date.min

    def last_seen(entry: TimelineEntry) -> date:
        return seen.get(entry.id, never)

    anniversaries = on_this_day(entries, day)
    if anniversaries:
        turn = day.year % len(anniversaries)
        rotated = anniversaries[turn:] + anniversaries[:turn]
        fresh = [e for e in rotated if last_seen(e) == never or day - last_seen(e) >= ANNIVERSARY_GAP]
        if fresh:
            return Choice(min(fresh, key=last_seen), on_this_day=True, walk_key=None)
    keys = [sort_key(entry) for entry in entries]
    start = 0 if walk_key is None else bisect.bisect_right(keys, walk_key)
    walk = list(range(start, len(entries))) + list(range(start))
    index = min(walk, key=lambda i: last_seen(entries[i]))
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


def parse_series(value: str | None) -> Series:
    """A subscription's topic (None: the default); anything else is refused."""
    if value is None:
        return DEFAULT_SERIES
    if value in SERIES:
        return value  # type: ignore[return-value]
    raise UserError(f"{value[:20]!r} is not a topic. Choose US–Russia, alliance history or both.")


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
