"""The US–Russia timeline, table by table: every decade since relations began, and the turning points.

Each turning point is looked up by its date and a word of its title; each must carry a linked
source. The dates are the ones every history of the relationship gives.
"""

from __future__ import annotations

from datetime import date

import pytest

from alliance_bot.config import BUNDLED_DATA_DIR
from alliance_bot.domain import timeline as tl
from alliance_bot.domain.facts import load_fact_base

FACTS = load_fact_base(BUNDLED_DATA_DIR)
US_RUSSIA = tl.of_series(tl.timeline_entries(FACTS), "us-russia")
FIRST_DECADE = 1800  # relations began in 1803 (recognition) and 1809 (envoys exchanged)

TURNING_POINTS = [
    (date(1809, 7, 14), "Diplomatic relations"),
    (date(1824, 4, 17), "Convention"),
    (date(1867, 3, 30), "Alaska"),
    (date(1905, 9, 5), "Portsmouth"),
    (date(1917, 3, 22), "Provisional Government"),
    (date(1918, 8, 3), "Siberia"),
    (date(1933, 11, 16), "recognizes the Soviet Union"),
    (date(1941, 10, 1), "Protocol"),
    (date(1945, 2, 4), "Yalta"),
    (date(1945, 4, 25), "Elbe"),
    (date(1946, 2, 22), "Long Telegram"),
    (date(1947, 3, 12), "Truman Doctrine"),
    (date(1948, 6, 24), "Berlin blockade"),
    (date(1949, 8, 29), "atomic"),
    (date(1957, 10, 4), "Sputnik"),
    (date(1960, 5, 1), "U-2"),
    (date(1961, 8, 13), "Berlin"),
    (date(1962, 10, 16), "missiles in Cuba"),
    (date(1962, 10, 28), "dismantled"),
    (date(1963, 6, 20), "Hotline"),
    (date(1963, 8, 5), "Limited Test Ban Treaty"),
    (date(1968, 7, 1), "Non-Proliferation"),
    (date(1972, 5, 26), "ABM Treaty"),
    (date(1975, 8, 1), "Helsinki Final Act"),
    (date(1979, 6, 18), "SALT II"),
    (date(1979, 12, 24), "Afghanistan"),
    (date(1983, 9, 1), "Korean Air Lines"),
    (date(1986, 10, 11), "Reykjavik"),
    (date(1987, 12, 8), "INF Treaty"),
    (date(1989, 11, 9), "Berlin Wall"),
    (date(1991, 7, 31), "START I"),
    (date(1991, 12, 25), "Soviet Union dissolves"),
    (date(1997, 5, 27), "Founding Act"),
    (date(2002, 6, 13), "ABM Treaty"),
    (date(2008, 8, 8), "Georgia"),
    (date(2009, 3, 6), "reset"),
    (date(2010, 4, 8), "New START"),
    (date(2014, 3, 18), "Crimea"),
    (date(2016, 12, 29), "35 Russian diplomats"),
    (date(2018, 7, 16), "Helsinki"),
    (date(2019, 8, 2), "INF Treaty"),
    (date(2022, 2, 26), "SWIFT"),
    (date(2023, 2, 21), "New START"),
    (date(2025, 8, 15), "Anchorage"),
    (date(2026, 2, 5), "New START expires"),
]


def _linked(entry) -> bool:
    return any(source.url for source in entry.sources)


@pytest.mark.parametrize("decade", range(FIRST_DECADE, 2030, 10))
def test_every_decade_since_relations_began_has_an_entry_with_a_linked_source(decade):
    in_decade = [e for e in US_RUSSIA if decade <= e.year < decade + 10]
    assert in_decade, f"no US–Russia timeline entry in the {decade}s"
    assert any(_linked(e) and e.day is not None for e in in_decade), f"no dated, linked entry in the {decade}s"


@pytest.mark.parametrize(("when", "word"), TURNING_POINTS, ids=[f"{d.isoformat()}" for d, _ in TURNING_POINTS])
def test_each_turning_point_is_dated_and_sourced(when, word):
    on_day = [e for e in US_RUSSIA if (e.year, e.month, e.day) == (when.year, when.month, when.day)]
    matching = [e for e in on_day if word.casefold() in e.title.casefold()]
    assert matching, f"no entry on {when} about {word!r}; that day has {[e.title for e in on_day]}"
    for entry in matching:
        assert _linked(entry), f"{entry.id} has no linked source"
        assert entry.impact.strip()


def test_the_timeline_is_large_enough_to_post_for_months_and_every_entry_is_sourced():
    assert len(US_RUSSIA) >= 150
    assert all(entry.sources for entry in US_RUSSIA)
    assert sum(1 for entry in US_RUSSIA if entry.day is not None) >= 150
