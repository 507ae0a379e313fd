"""The alliance engine: grading pairs from the bundled treaty data, now and as of a year."""

from __future__ import annotations

import pytest

from alliance_bot.config import BUNDLED_DATA_DIR
from alliance_bot.domain.alliances import AllianceIndex, shared_treaty
from alliance_bot.domain.errors import UserError
from alliance_bot.domain.facts import load_fact_base


@pytest.fixture(scope="module")
def facts():
    return load_fact_base(BUNDLED_DATA_DIR)


@pytest.fixture(scope="module")
def index(facts):
    return AllianceIndex(facts)


GRADES = [
    # (a, b, year, grade, basis short name or None)
    # ATOP's record to 2018 adds the non-aggression commitments of the CSCE/OSCE and others.
    ("US", "RU", None, "non_aggression", None),
    ("FR", "DE", None, "treaty_allies", "NATO"),
    ("US", "GB", None, "treaty_allies", "NATO"),
    ("GB", "PT", None, "treaty_allies", "NATO"),
    ("US", "JP", None, "treaty_allies", "US–Japan treaty"),
    ("US", "KR", None, "treaty_allies", "US–ROK treaty"),
    ("RU", "KP", None, "treaty_allies", "Russia–DPRK treaty"),
    ("CN", "KP", None, "treaty_allies", "China–DPRK treaty"),
    ("RU", "BY", None, "treaty_allies", "CSTO"),
    ("SA", "PK", None, "treaty_allies", "Saudi–Pakistan SMDA"),
    # the 2010 agreement binds first; the 2021 Shusha Declaration builds on it
    ("TR", "AZ", None, "treaty_allies", "Turkey–Azerbaijan agreement (2010)"),
    ("AT", "IE", None, "treaty_allies", "EU Art. 42(7)"),
    ("AU", "GB", None, "close_partners", "AUKUS"),
    ("AU", "CA", None, "close_partners", "Five Eyes"),
    ("US", "NZ", None, "close_partners", "Five Eyes"),
    ("RU", "IR", None, "partners", "Russia–Iran treaty"),
    ("RU", "CN", None, "non_aggression", None),
    ("JP", "BR", None, "non_aggression", None),
    # the 1997 bilateral treaty, whatever Armenia's CSTO freeze
    ("AM", "RU", None, "treaty_allies", "Russia–Armenia treaty (1997)"),
    # time-aware
    ("PL", "US", 1995, "non_aggression", None),
    ("PL", "US", 2000, "treaty_allies", "NATO"),
    ("PL", "US", 1999, "treaty_allies", "NATO"),
    ("SE", "FI", 2022, "treaty_allies", "EU Art. 42(7)"),
    ("SE", "US", 2023, "none", None),
    ("SE", "US", 2024, "treaty_allies", "NATO"),
    ("AM", "RU", 2020, "treaty_allies", "CSTO"),
    ("US", "FR", 1780, "treaty_allies", "Franco-American alliance (1778)"),
    ("US", "FR", 1801, "none", None),
    ("US", "NZ", 1980, "treaty_allies", "ANZUS"),
    ("MX", "US", 2000, "treaty_allies", "Rio Treaty"),
    # Mexico left the Rio Treaty in 2004, but the OAS Charter (ATOP 3150) still bound it in 2010.
    ("MX", "US", 2010, "treaty_allies", None),
    ("GB", "FR", 2015, "treaty_allies", "NATO"),
    ("RU", "KP", 2023, "non_aggression", None),  # the 2024 treaty not yet; ATOP to 2018
]


@pytest.mark.parametrize(("a", "b", "year", "grade", "basis"), GRADES)
def test_grades_pairs(index, a, b, year, grade, basis):
    verdict = index.grade(a, b, year=year, current_year=2026)
    assert verdict.grade == grade
    assert (verdict.basis.alliance.short_name if verdict.basis else None) == basis
    assert verdict.allied is (grade == "treaty_allies")
    # Every verdict carries an "as of" date.
    assert verdict.as_of


def test_grade_is_symmetric(index):
    for a, b, year, *_ in GRADES:
        assert index.grade(a, b, year=year).grade == index.grade(b, a, year=year).grade


def test_poland_joined_nato_in_1999_is_the_reason(index):
    verdict = index.grade("PL", "US", year=1995)
    (nato,) = [t for t in verdict.not_binding if t.alliance.short_name == "NATO"]
    assert [(e.kind, e.code, e.since) for e in nato.exceptions] == [("not_yet", "PL", 1999)]


def test_suspended_obligations_are_exceptions_not_yes(index):
    anzus = next(t for t in index.grade("US", "NZ").not_binding if t.alliance.short_name == "ANZUS")
    assert [(e.kind, e.since) for e in anzus.exceptions] == [("pair_suspended", 1986)]
    csto = next(t for t in index.grade("AM", "KZ").not_binding if t.alliance.short_name == "CSTO")
    assert [(e.kind, e.code, e.since) for e in csto.exceptions] == [("suspended", "AM", 2024)]
    assert not index.grade("AM", "KZ").allied


def test_unknown_accession_year_is_said_not_guessed(index):
    five_eyes = next(t for t in index.grade("CA", "GB").in_force if t.alliance.short_name == "Five Eyes")
    assert five_eyes.a.joined is None and five_eyes.since is None
    past = index.grade("NZ", "GB", year=1950)
    assert any(e.kind == "year_unknown" for t in past.not_binding for e in t.exceptions)


def test_disputed_membership_is_reported(index):
    verdict = index.grade("VE", "US")
    assert not verdict.allied
    assert any(e.kind == "disputed" for t in verdict.not_binding for e in t.exceptions)


def test_relationship_facts_are_attached_with_sources(index):
    verdict = index.grade("US", "RU")
    assert verdict.relationship is not None and verdict.relationship.label == "rivals"
    assert verdict.relationship.headline.startswith("No —")
    china = index.grade("CN", "RU")
    assert china.relationship is not None and china.relationship.label == "close_partners"
    assert any(s.url and "newsweek" in s.url for s in china.sources)


def test_same_country_and_future_year_are_refused(index):
    with pytest.raises(UserError):
        index.grade("RU", "RU")
    with pytest.raises(UserError):
        index.grade("PL", "US", year=2030, current_year=2026)


def test_no_unconfirmed_reference_items_in_data(facts):
    ids = {a.id for a in facts.of_kind("alliance")}
    assert not ids & {"france-italy-quirinal", "france-uae", "arab-league", "gcc"}
    assert all(a.sources for a in facts.of_kind("alliance"))


def test_each_alliance_is_as_of_its_own_latest_source(facts):
    """'As of' is the latest date an entry's own sources confirm, not one batch date for all."""
    for alliance in facts.of_kind("alliance"):
        dates = [s.date for s in alliance.sources if s.date]
        assert dates, f"{alliance.id}: no source carries a date"
        assert alliance.as_of == max(dates), f"{alliance.id}: as_of {alliance.as_of}, latest source {max(dates)}"
    assert len({a.as_of for a in facts.of_kind("alliance")}) > 10


def test_uzbekistan_reports_its_latest_csto_period(index):
    """Uzbekistan left the CSTO twice (1999, and 2012 after rejoining in 2006): the latest period counts."""
    verdict = index.grade("UZ", "RU")
    csto = next(t for t in verdict.not_binding if t.alliance.id == "csto")
    assert csto.a.joined == 2006 and [(e.kind, e.since) for e in csto.exceptions] == [("left", 2012)]
    assert index.grade("UZ", "RU", year=2008).basis.alliance.id == "csto"
    assert not any(t.alliance.id == "csto" for t in index.grade("UZ", "RU", year=2003).in_force)


def test_shared_treaties_from_indexed_memberships_agree_with_scanning_each_treaty(facts, index):
    alliances = facts.of_kind("alliance")
    codes = sorted({m.code for a in alliances for m in (*a.members, *a.former_members, *a.disputed_members)})
    compared = 0
    for year in (None, 1949, 1955, 1982, 1999, 2004, 2014, 2022, 2024):
        for position, a in enumerate(codes):
            for b in codes[position + 1 :]:
                expected = [found for t in alliances if (found := shared_treaty(t, a, b, year)) is not None]
                expected.sort(key=lambda s: (-s.strength, s.since or 0, s.alliance.short_name))
                assert index._researched(a, b, year) == expected, (a, b, year)
                compared += len(expected)
    assert compared > 10_000
