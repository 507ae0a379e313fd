"""The timeline's pure rules: order, lookup by year and decade, the daily walk and the schedule."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from alliance_bot.config import BUNDLED_DATA_DIR
from alliance_bot.domain import timeline as tl
from alliance_bot.domain.errors import UserError
from alliance_bot.domain.facts import TimelineEntry, load_fact_base


def entry(entry_id: str, year: int, month: int | None = None, day: int | None = None, topic: str = "history"):
    return TimelineEntry(
        id=entry_id,
        kind="timeline",
        year=year,
        month=month,
        day=day,
        title=f"Event {entry_id}",
        impact="Something changed.",
        topic=topic,
        sources=[{"name": "A test source"}],
        as_of="2024",
    )


ENTRIES = [
    entry("e-2022", 2022),
    entry("e-1945", 1945, 5, 8),
    entry("e-1999", 1999, topic="military"),
    entry("e-2023b", 2023, 3, 14, topic="military"),
    entry("e-2023a", 2023, 2, 21, topic="nuclear"),
]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_entries_are_ordered_by_date_with_undated_parts_first():
    assert [e.id for e in tl.ordered(ENTRIES)] == ["e-1945", "e-1999", "e-2022", "e-2023a", "e-2023b"]


@pytest.mark.parametrize(
    ("year", "expected"),
    [(1945, "e-1945"), (1950, "e-1945"), (1980, "e-1999"), (2010, "e-1999"), (2015, "e-2022"), (2023, "e-2023a"), (2100, "e-2023a"),
     (1000, "e-1945")],
)
def test_browsing_by_year_opens_at_that_year_or_the_nearest_entry(year, expected):
    entries = tl.ordered(ENTRIES)
    assert entries[tl.nearest_index(entries, year)].id == expected


def test_decades_and_jumping_to_a_decade():
    entries = tl.ordered(ENTRIES)
    assert tl.decades(entries) == [1940, 1990, 2020]
    assert entries[tl.first_index_of_decade(entries, 2020)].id == "e-2022"
    assert entries[tl.first_index_of_decade(entries, 1990)].id == "e-1999"


def test_topic_filter_keeps_order():
    assert [e.id for e in tl.with_topic(ENTRIES, "military")] == ["e-1999", "e-2023b"]
    assert len(tl.with_topic(ENTRIES, None)) == len(ENTRIES)


def test_the_walk_goes_in_order_then_starts_over():
    walk_key = None
    posted = []
    day = date(2026, 1, 1)
    for offset in range(7):
        choice = tl.choose_entry(ENTRIES, day + timedelta(days=offset), walk_key)
        assert choice is not None and not choice.on_this_day
        posted.append(choice.entry.id)
        walk_key = choice.walk_key
    assert posted == ["e-1945", "e-1999", "e-2022", "e-2023a", "e-2023b", "e-1945", "e-1999"]


def test_on_this_day_takes_precedence_and_does_not_move_the_walk():
    first = tl.choose_entry(ENTRIES, date(2026, 1, 1), None)
    anniversary = tl.choose_entry(ENTRIES, date(2026, 3, 14), first.walk_key)
    assert anniversary.entry.id == "e-2023b"
    assert anniversary.on_this_day and anniversary.walk_key is None
    after = tl.choose_entry(ENTRIES, date(2026, 3, 15), first.walk_key)
    assert after.entry.id == "e-1999"


def test_the_walk_survives_entries_being_added_or_removed():
    walk_key = tl.sort_key(entry("gone", 2000))  # the last posted entry no longer exists
    choice = tl.choose_entry(ENTRIES, date(2026, 1, 1), walk_key)
    assert choice.entry.id == "e-2022"
    assert tl.choose_entry([], date(2026, 1, 1), walk_key) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [(None, time(12, 0)), ("", time(12, 0)), ("08:30", time(8, 30)), ("8:05", time(8, 5)), ("23:59 UTC", time(23, 59)),
     ("00:00", time(0, 0))],
)
def test_post_times_parse(text, expected):
    assert tl.parse_post_time(text) == expected


@pytest.mark.parametrize("text", ["24:00", "12:60", "noon", "12", "12:5", "-1:00", "12:00 CET"])
def test_bad_post_times_are_a_user_error(text):
    with pytest.raises(UserError, match="HH:MM"):
        tl.parse_post_time(text)


@pytest.mark.parametrize(
    ("now", "since", "expected"),
    [
        ("2026-01-01T11:59", "2026-01-01T00:00", None),
        ("2026-01-01T12:00", "2026-01-01T00:00", "2026-01-01T12:00"),
        ("2026-01-02T11:00", "2026-01-01T00:00", "2026-01-01T12:00"),
        ("2026-01-05T13:00", "2026-01-01T00:00", "2026-01-05T12:00"),  # long downtime: only the latest slot
        ("2026-01-01T13:00", "2026-01-01T12:30", None),  # subscribed after today's slot
    ],
)
def test_latest_due_slot(now, since, expected):
    result = tl.latest_due(at(now), time(12, 0), at(since))
    assert result == (None if expected is None else at(expected))


def test_next_slot_is_strictly_after_now():
    assert tl.next_slot(at("2026-01-01T12:00"), time(12, 0)) == at("2026-01-02T12:00")
    assert tl.next_slot(at("2026-01-01T11:00"), time(12, 0)) == at("2026-01-01T12:00")


SUB = tl.Subscription(guild_id=1, channel_id=2, post_time=time(12, 0), since=at("2026-01-01T00:00"))


def record(state: str, retry_at: datetime | None = None) -> tl.PostRecord:
    return tl.PostRecord(1, 2, date(2026, 1, 1), "e-1945", state, attempts=1, retry_at=retry_at)


@pytest.mark.parametrize(
    ("now", "rec", "post_day", "wake_at"),
    [
        ("2026-01-01T06:00", None, None, "2026-01-01T12:00"),
        ("2026-01-01T12:00", None, date(2026, 1, 1), "2026-01-01T12:00"),
        ("2026-01-01T12:00", record("sent"), None, "2026-01-02T12:00"),
        ("2026-01-01T12:00", record("sending"), None, "2026-01-02T12:00"),
        ("2026-01-01T12:00", record("unconfirmed"), None, "2026-01-02T12:00"),
        ("2026-01-01T12:01", record("failed", at("2026-01-01T12:05")), None, "2026-01-01T12:05"),
        ("2026-01-01T12:05", record("failed", at("2026-01-01T12:05")), date(2026, 1, 1), "2026-01-01T12:05"),
    ],
)
def test_plan(now, rec, post_day, wake_at):
    result = tl.plan(at(now), SUB, rec)
    assert result.post_day == post_day
    assert result.wake_at == at(wake_at)


def test_a_paused_subscription_plans_nothing():
    paused = tl.Subscription(1, 2, time(12, 0), at("2026-01-01T00:00"), paused="forbidden")
    assert tl.plan(at("2026-01-03T00:00"), paused, None) == tl.Plan(None, None)
    assert tl.next_post_at(at("2026-01-03T00:00"), paused, None) is None


def test_retry_backs_off_up_to_a_cap():
    assert [tl.retry_delay(n) for n in (1, 2, 3)] == [timedelta(minutes=5), timedelta(minutes=10), timedelta(minutes=20)]
    assert tl.retry_delay(10) == timedelta(hours=1)


def test_bundled_timeline_has_the_seed_rows_and_sourced_dated_events():
    facts = load_fact_base(BUNDLED_DATA_DIR)
    entries = tl.ordered(facts.of_kind("timeline"))
    ids = [e.id for e in entries]
    for seed_row in ("tl-1999-yugoslavia", "tl-2008-georgia", "tl-2014-crimea", "tl-2022-ukraine"):
        assert seed_row in ids
    dated = [e for e in entries if e.month and e.day]
    assert {(e.year, e.month, e.day) for e in dated} >= {(2018, 7, 16), (2023, 3, 14)}
    for e in dated:
        assert any(source.url for source in e.sources), e.id
