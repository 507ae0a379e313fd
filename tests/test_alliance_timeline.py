"""Alliance history as timeline entries, and the rotation that gives a channel a new entry each day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from alliance_bot.config import BUNDLED_DATA_DIR
from alliance_bot.domain import timeline as tl
from alliance_bot.domain.alliance_timeline import TOPIC, atop_entries, researched_entries
from alliance_bot.domain.facts import TimelineEntry, load_fact_base
from alliance_bot.domain.history import ATOP_AS_OF, ATOP_SOURCE


@pytest.fixture(scope="module")
def facts():
    return load_fact_base(BUNDLED_DATA_DIR)


@pytest.fixture(scope="module")
def entries(facts):
    return atop_entries(facts.record)


def test_every_alliance_has_its_signature_on_its_day_citing_atop(facts, entries):
    signed = {e.id: e for e in entries if e.id.endswith("-signed")}
    assert len(signed) == len(facts.record.alliances) == 789
    for alliance in facts.record.alliances.values():
        entry = signed[f"atop-{alliance.atopid}-signed"]
        assert (entry.year, entry.month) == (alliance.begin.year, alliance.begin.month)
        assert entry.day == (None if alliance.begin_text.endswith("-00") else alliance.begin.day)
        assert entry.sources[0] == ATOP_SOURCE
        assert f"ATOP {alliance.atopid}" in entry.impact
        if alliance.name is None:
            assert len(entry.sources) == 1  # described from the data, never given a name
        else:
            assert entry.sources[1] == alliance.name.source


def test_the_north_atlantic_treaty_is_named_with_its_twelve_signatories(entries):
    nato = next(e for e in entries if e.id == "atop-3180-signed")
    assert (nato.year, nato.month, nato.day) == (1949, 4, 4)
    assert nato.impact.startswith("Twelve states signed the North Atlantic Treaty")
    assert "the United States" in nato.impact and "Iceland" in nato.impact
    joins = {(e.year, e.month, e.day): e.title for e in entries if e.id.startswith("atop-3180-joined")}
    assert joins[(1997, 12, 16)] == "Poland, Hungary and Czechia join NATO"


def test_an_unnamed_alliance_is_described_by_what_its_members_promised(facts, entries):
    alliance = next(a for a in facts.record.alliances.values() if a.name is None and a.bilateral and "D" in a.obligations)
    entry = next(e for e in entries if e.id == f"atop-{alliance.atopid}-signed")
    assert entry.title.startswith("Defence pact signed by ")
    assert "promised defence" in entry.impact


def test_accessions_exits_and_ends_are_dated_as_the_record_dates_them(facts, entries):
    by_kind: dict[str, list[TimelineEntry]] = {}
    for entry in entries:
        by_kind.setdefault(entry.id.split("-")[2], []).append(entry)
    assert len(by_kind["joined"]) >= 200 and len(by_kind["left"]) >= 50 and len(by_kind["ended"]) >= 400
    for entry in entries:
        assert entry.topic == TOPIC and entry.as_of == ATOP_AS_OF
        assert len(entry.title) <= 256 and len(entry.impact) <= 1000
    ended = {e.id: e for e in by_kind["ended"]}
    for alliance in facts.record.alliances.values():
        if alliance.end is not None:
            assert ended[f"atop-{alliance.atopid}-ended"].year == alliance.end.year
    # The record codes an exit when a state ends too, so no exit says a state "left" of its own will.
    assert all(e.title.startswith("End of the membership of") for e in by_kind["left"])
    assert len({e.id for e in entries}) == len(entries)


def test_researched_accessions_after_the_record_ends_come_from_the_researched_entries(facts):
    researched = researched_entries(facts.of_kind("alliance"))
    finland = next(e for e in researched if e.title == "Finland joins NATO")
    nato = facts.get("nato")
    assert finland.year == 2023 and finland.day is None
    assert finland.sources == nato.sources


def test_with_both_topics_most_days_of_the_year_have_an_event_of_their_own(facts):
    everything = tl.timeline_entries(facts)
    days = {(e.month, e.day) for e in everything if e.day}
    assert len(days) >= 330
    us_russia = tl.of_series(everything, "us-russia")
    assert {e.topic for e in us_russia} <= {"history", "military", "diplomacy", "sanctions", "nuclear", "cooperation"}
    assert tl.of_series(everything, "alliances") and all(e.topic == TOPIC for e in tl.of_series(everything, "alliances"))


def _a_year(entries, first: date, days: int = 365):
    seen: dict[str, date] = {}
    walk = None
    chosen = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        choice = tl.choose_entry(entries, day, walk, seen)
        assert choice is not None
        if choice.walk_key is not None:
            walk = choice.walk_key
        seen[choice.entry.id] = day
        chosen.append(choice)
    return chosen


def test_a_year_of_both_topics_repeats_nothing(facts):
    chosen = _a_year(tl.timeline_entries(facts), date(2027, 1, 1))
    ids = [c.entry.id for c in chosen]
    assert len(ids) == len(set(ids))
    assert sum(c.on_this_day for c in chosen) >= 300


def test_a_small_timeline_posts_the_entry_the_channel_has_gone_longest_without():
    def entry(n: int) -> TimelineEntry:
        return TimelineEntry(
            id=f"e{n}", kind="timeline", year=1900 + n, title=f"Entry {n}", impact="x",
            sources=[{"name": "s"}], as_of="2020",
        )

    small = [entry(1), entry(2), entry(3)]
    seen = {"e1": date(2026, 5, 3), "e2": date(2026, 5, 1), "e3": date(2026, 5, 2)}
    choice = tl.choose_entry(small, date(2026, 5, 4), tl.sort_key(small[2]), seen)
    assert choice is not None and choice.entry.id == "e2"
    # Never-seen entries come first, in timeline order from the walk's position.
    choice = tl.choose_entry(small, date(2026, 5, 4), tl.sort_key(small[0]), {"e1": date(2026, 5, 3)})
    assert choice is not None and choice.entry.id == "e2"


def test_several_events_on_one_date_take_turns_and_one_seen_lately_waits_a_year():
    def on(n: int, year: int) -> TimelineEntry:
        return TimelineEntry(
            id=f"d{n}", kind="timeline", year=year, month=3, day=14, title=f"Event {n}", impact="x",
            sources=[{"name": "s"}], as_of="2020",
        )

    both = [on(1, 1950), on(2, 1990)]
    first = tl.choose_entry(both, date(2026, 3, 14), None, {})
    second = tl.choose_entry(both, date(2027, 3, 14), None, {first.entry.id: date(2026, 3, 14)})
    assert first.on_this_day and second.on_this_day and first.entry.id != second.entry.id
    # Seen 100 days ago: not "on this day" again so soon; the day gets the other entry of its date.
    lately = tl.choose_entry(both, date(2026, 3, 14), None, {"d1": date(2025, 12, 4), "d2": date(2025, 3, 14)})
    assert lately.entry.id == "d2" and lately.on_this_day
