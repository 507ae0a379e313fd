"""The alliance engine: grade a pair of countries from the treaty data, now or as of a year.

A pair is graded by the strongest shared entry in force: a defence pact, mutual-assistance
treaty or strategic partnership with a defence clause makes them treaty allies (Yes); a
security or intelligence partnership only makes them close partners (No); a partnership
treaty without a defence obligation makes them partners (No); nothing is "no formal alliance
in our data" (No). Suspended obligations, frozen participation and disputed memberships are
reported as exceptions and never count towards Yes.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from typing import Any, Literal

from .countries import default_resolver
from .errors import UserError
from .facts import ALLIANCE_GRADE_KINDS, Alliance, AtopCheck, FactBase, Membership, Relationship, Source
from .history import (
    ATOP_AS_OF,
    ATOP_FIRST_YEAR,
    ATOP_LAST_YEAR,
    ATOP_SOURCE,
    COW_AS_OF,
    COW_LAST_YEAR,
    COW_SOURCE,
    AtopAlliance,
    AtopTie,
    HistoricalRecord,
)
from .places import ERA_ONLY, ISO_SPANS, PLACES_BY_CODE, Polity, ccode_of, era_place, iso_for
from .present_day import Lapse, PresentDay, Standing

log = logging.getLogger(__name__)

Grade = Literal["treaty_allies", "close_partners", "partners", "non_aggression", "consultation", "none"]

# Strength of each kind of treaty, strongest first (used to pick the basis of a verdict).
KIND_STRENGTH: dict[str, int] = {
    "defense_pact": 6,
    "mutual_assistance": 5,
    "strategic_partnership_with_defense_clause": 4,
    "security_partnership": 3,
    "intelligence_sharing": 2,
    "no_defense_obligation": 1,
}
_GRADE_OF_KIND: dict[str, Grade] = {
    "defense_pact": "treaty_allies",
    "mutual_assistance": "treaty_allies",
    "strategic_partnership_with_defense_clause": "treaty_allies",
    "security_partnership": "close_partners",
    "intelligence_sharing": "close_partners",
    "no_defense_obligation": "partners",
}

ExceptionKind = Literal["suspended", "pair_suspended", "disputed", "not_yet", "left", "year_unknown"]


@dataclass(frozen=True)
class MemberStatus:
    """One country's standing in one treaty (now, or in the year asked about)."""

    code: str
    joined: int | None
    active: bool
    exception: ExceptionKind | None = None
    since: int | None = None  # the year the exception began (suspension, departure, dispute)
    note: str | None = None


@dataclass(frozen=True)
class PairException:
    """Why a treaty both countries belong to does not bind them (or is uncertain) for this pair."""

    kind: ExceptionKind
    code: str | None
    since: int | None
    note: str | None = None


@dataclass(frozen=True)
class SharedTreaty:
    """A treaty both countries are (or were) party to, and whether it binds the pair."""

    alliance: Alliance
    a: MemberStatus
    b: MemberStatus
    in_force: bool
    exceptions: tuple[PairException, ...] = ()

    @property
    def since(self) -> int | None:
        """The year the pair first shared the treaty, if both years are known."""
        if self.a.joined is None or self.b.joined is None:
            return None
        return max(self.a.joined, self.b.joined)

    @property
    def strength(self) -> int:
        return KIND_STRENGTH[self.alliance.treaty_kind]


@dataclass(frozen=True)
class PairVerdict:
    """Everything needed to answer "are A and B allies?" honestly."""

    a: str
    b: str
    year: int | None
    grade: Grade
    basis: SharedTreaty | None
    in_force: tuple[SharedTreaty, ...]
    not_binding: tuple[SharedTreaty, ...]
    relationship: Relationship | None
    as_of: str
    sources: tuple[Source, ...] = field(default_factory=tuple)
    # The historical record: ATOP alliances in force, the deciding one if ATOP decides, and the
    # states the places were in that year (None without the record).
    ties: tuple[AtopTie, ...] = ()
    tie_basis: AtopTie | None = None
    polity_a: Polity | None = None
    polity_b: Polity | None = None
    missing: Missing | None = None
    research_as_of: str = ""
    # For Germany in 1955-1989 (West Germany): the ATOP alliances East Germany was in that year.
    sibling_treaties: tuple[AtopAlliance, ...] = ()
    # The present-day layer (issue 20): ties below a treaty alliance, and a war between them.
    standing: Standing = field(default_factory=Standing)
    # ATOP alliances of 2018 that no longer bind the pair, with why; the check of the deciding one.
    lapsed: tuple[tuple[AtopTie, Lapse], ...] = ()
    tie_check: AtopCheck | None = None

    @property
    def allied(self) -> bool:
        return self.grade == "treaty_allies" and self.missing is None


def _intervals(alliance: Alliance, code: str) -> list[tuple[Membership, str]]:
    rows: list[tuple[Membership, str]] = []
    for group, memberships in (
        ("member", alliance.members),
        ("former", alliance.former_members),
        ("disputed", alliance.disputed_members),
    ):
        rows.extend((m, group) for m in memberships if m.code == code)
    return rows


def memberships_by_country(alliance: Alliance) -> dict[str, list[tuple[Membership, str]]]:
    """A treaty's membership rows by country, each with its group, in the order _intervals gives them."""
    rows: dict[str, list[tuple[Membership, str]]] = {}
    for group, memberships in (
        ("member", alliance.members),
        ("former", alliance.former_members),
        ("disputed", alliance.disputed_members),
    ):
        for membership in memberships:
            rows.setdefault(membership.code, []).append((membership, group))
    return rows


def member_status(
    alliance: Alliance, code: str, year: int | None, rows: list[tuple[Membership, str]] | None = None
) -> MemberStatus | None:
    """A country's standing in a treaty in ``year`` (None: today); None if it never belonged.

    ``rows``: the country's membership rows in the treaty, if already looked up.
    """
    rows = _intervals(alliance, code) if rows is None else rows
    if not rows:
        return None
    best: MemberStatus | None = None
    for membership, group in rows:
        status = _status_of(membership, group, year)
        # Equal standing (left twice, as Uzbekistan left the CSTO twice): the latest period wins.
        if best is None or (_rank(status), status.joined or 0) > (_rank(best), best.joined or 0):
            best = status
    return best


_EXCEPTION_RANK = {"suspended": 4, "disputed": 3, "year_unknown": 3, "left": 2, "not_yet": 1}


def _rank(status: MemberStatus) -> int:
    if status.active:
        return 5
    return _EXCEPTION_RANK.get(status.exception or "", 0)


def _status_of(membership: Membership, group: str, year: int | None) -> MemberStatus:
    code, joined, left = membership.code, membership.joined, membership.left
    note = membership.note
    if year is not None and joined is not None and year < joined:
        return MemberStatus(code, joined, False, "not_yet", joined, note)
    if year is not None and joined is None:
        return MemberStatus(code, None, False, "year_unknown", None, note)
    if left is not None and (year is None or year >= left):
        kind: ExceptionKind = "disputed" if group == "disputed" else "left"
        return MemberStatus(code, joined, False, kind, left, note)
    if group == "disputed" and left is None:
        return MemberStatus(code, joined, False, "disputed", None, note)
    if membership.suspended is not None and (year is None or year >= membership.suspended):
        return MemberStatus(code, joined, False, "suspended", membership.suspended, note)
    return MemberStatus(code, joined, True, None, None, note)


def shared_treaty(
    alliance: Alliance,
    a: str,
    b: str,
    year: int | None,
    memberships: dict[str, list[tuple[Membership, str]]] | None = None,
) -> SharedTreaty | None:
    """How ``alliance`` binds the pair in ``year`` (None: today), or None if they never shared it.

    ``memberships``: the treaty's :func:`memberships_by_country`, if already built (else each
    country's rows are found by scanning the treaty's lists).
    """
    rows_a = rows_b = None
    if memberships is not None:
        rows_a, rows_b = memberships.get(a, []), memberships.get(b, [])
    status_a = member_status(alliance, a, year, rows_a)
    status_b = member_status(alliance, b, year, rows_b)
    if status_a is None or status_b is None:
        return None
    exceptions: list[PairException] = []
    for status in (status_a, status_b):
        if status.exception is not None:
            exceptions.append(PairException(status.exception, status.code, status.since, status.note))
    for pair_exception in alliance.pair_exceptions:
        if set(pair_exception.pair) == {a, b} and (year is None or year >= pair_exception.since):
            exceptions.append(
                PairException("pair_suspended", None, pair_exception.since, pair_exception.note)
            )
    started = alliance.in_force or alliance.signed
    if year is not None and year < started and not exceptions:
        exceptions.append(PairException("not_yet", None, started, None))
    in_force = not exceptions and status_a.active and status_b.active
    return SharedTreaty(alliance, status_a, status_b, in_force, tuple(exceptions))


MissingReason = Literal["before_data", "not_a_state", "not_in_system", "same_state"]


@dataclass(frozen=True)
class Missing:
    """Why no Yes/No can honestly be given for this pair and year."""

    reason: MissingReason
    place: str | None = None  # the place concerned (a country or former state code)
    ccode: int | None = None  # its COW state, where it has one


@dataclass(frozen=True)
class Basis:
    """The deciding agreement of a verdict: a researched treaty or an ATOP alliance."""

    treaty: SharedTreaty | None = None
    tie: AtopTie | None = None

    @property
    def strength(self) -> int:
        if self.treaty is not None:
            kind = self.treaty.alliance.treaty_kind
            return 20 + KIND_STRENGTH[kind] if kind in ALLIANCE_GRADE_KINDS else 5 + KIND_STRENGTH[kind]
        assert self.tie is not None
        return {"defense": 15, "wartime": 14, "neutrality": 6, "non_aggression": 5, "consultation": 4}[
            self.tie.level
        ]

    @property
    def grade(self) -> Grade:
        if self.treaty is not None:
            return _GRADE_OF_KIND[self.treaty.alliance.treaty_kind]
        assert self.tie is not None
        if self.tie.allied:
            return "treaty_allies"
        return "consultation" if self.tie.level == "consultation" else "non_aggression"


def _days_in(tie: AtopTie, year: int | None) -> int:
    """How many days of ``year`` the tie was in force (to prefer the treaty that held most of it)."""
    if year is None:
        return 0
    first = max(tie.start, date(year, 1, 1))
    last = min(tie.end or date(year, 12, 31), date(year, 12, 31))
    return (last - first).days


def _data_year(year: int | None, current_year: int | None) -> int:
    return year if year is not None else max(current_year or date.today().year, ATOP_LAST_YEAR)


class AllianceIndex:
    """Treaties and pair relationships of one fact-base view, indexed by country for fast grading."""

    def __init__(self, facts: FactBase) -> None:
        self.record: HistoricalRecord | None = facts.record
        self.present = PresentDay(facts)
        self._by_country: dict[str, list[Alliance]] = {}
        alliances: list[Alliance] = facts.of_kind("alliance")
        # Each treaty's membership rows by country: grading reads them for two countries every year asked.
        self._memberships: dict[str, dict[str, list[tuple[Membership, str]]]] = {}
        for alliance in alliances:
            self._memberships[alliance.id] = memberships_by_country(alliance)
            for code in self._memberships[alliance.id]:
                self._by_country.setdefault(code, []).append(alliance)
        self._relationships: dict[frozenset[str], Relationship] = {}
        for relationship in facts.of_kind("relationship"):
            self._relationships.setdefault(frozenset(relationship.pair), relationship)
        self.research_as_of: str = _newest(a.as_of for a in alliances) or ""

    def relationship(self, a: str, b: str) -> Relationship | None:
        return self._relationships.get(frozenset((a, b)))

    def treaties_of(self, code: str) -> list[Alliance]:
        return list(self._by_country.get(code, ()))

    # ------------------------------------------------------------------ places and states

    def polity(self, place: str, year: int) -> Polity | None:
        """The state ``place`` was in ``year``, named as it was then; None if it maps to none."""
        if self.record is None:
            return None
        ccode = ccode_of(place, year, self.record)
        if ccode is None:
            return None
        era = era_place(ccode, year)
        historical = PLACES_BY_CODE.get(place)
        if era is not None and era.code != place:
            return Polity(place, ccode, era.name, era.in_sentence, True)
        if historical is None and ccode in (260,):  # today's Germany in 1955-1989: West Germany
            west = PLACES_BY_CODE["FRG"]
            return Polity(place, ccode, west.name, west.in_sentence, True)
        return Polity(place, ccode, "", "", False)

    def _researched(self, a: str, b: str, year: int | None) -> list[SharedTreaty]:
        b_treaties = {id(t) for t in self._by_country.get(b, ())}
        shared: list[SharedTreaty] = []
        for alliance in self._by_country.get(a, ()):
            if id(alliance) in b_treaties:
                found = shared_treaty(alliance, a, b, year, self._memberships[alliance.id])
                if found is not None:
                    shared.append(found)
        shared.sort(key=lambda s: (-s.strength, s.since or 0, s.alliance.short_name))
        return shared

    def atop_ties(
        self, ccode_a: int, ccode_b: int, year: int | None, linked: frozenset[int] = frozenset()
    ) -> list[AtopTie]:
        """ATOP alliances of the two states in force in ``year`` (None: at the end of the data).

        ``linked`` are the ATOP ids of researched entries the pair shares: those decide instead.
        """
        if self.record is None:
            return []
        if year is None or year > ATOP_LAST_YEAR:
            first = last = date(ATOP_LAST_YEAR, 12, 31)
            ties = [t for t in self.record.ties(ccode_a, ccode_b, first, last) if t.end is None]
        else:
            ties = self.record.ties(ccode_a, ccode_b, date(year, 1, 1), date(year, 12, 31))
        ties = [t for t in ties if t.atopid not in linked]
        # Strongest first; then the one in force longest that year, a named one, a bilateral one.
        ties.sort(
            key=lambda t: (-t.strength, -_days_in(t, year), t.alliance.name is None, not t.alliance.bilateral, t.start)
        )
        return ties

    # ------------------------------------------------------------------ grading

    def _lapsed(self, tie: AtopTie, iso_a: str | None, iso_b: str | None, year: int | None) -> Lapse | None:
        """Why an ATOP alliance in force in 2018 no longer binds the pair in ``year`` (None: today)."""
        if year is not None and year <= ATOP_LAST_YEAR:
            return None
        ended = self.present.ended(tie.atopid)
        if ended is not None and (year is None or int(ended[:4]) <= year):
            return Lapse("ended", None, ended)
        out = self.present.members_out(tie.atopid)
        for code in (iso_a, iso_b):
            change = out.get(code) if code is not None else None
            if change is not None and (year is None or change.date is None or int(change.date[:4]) <= year):
                return Lapse(change.change, code, change.date)
        return None

    def grade(
        self, a: str, b: str, *, year: int | None = None, current_year: int | None = None, today: date | None = None
    ) -> PairVerdict:
        """Grade the pair ``a``, ``b`` (ISO codes or former states' ids), as of ``year`` or today."""
        if a == b:
            raise UserError("Pick two different countries.")
        if year is not None and current_year is not None and year > current_year:
            raise UserError(f"I can only answer for years up to {current_year}, not the future.")
        when = _data_year(year, current_year)
        polity_a = polity_b = None
        iso_a, iso_b = (a if a not in PLACES_BY_CODE else None), (b if b not in PLACES_BY_CODE else None)
        missing: Missing | None = None
        ties: list[AtopTie] = []
        if self.record is not None and year is not None and year < ATOP_FIRST_YEAR:
            missing = Missing("before_data")
        elif self.record is not None:
            polity_a, polity_b = self.polity(a, when), self.polity(b, when)
            for place, polity in ((a, polity_a), (b, polity_b)):
                if polity is None:
                    missing = missing or Missing("not_a_state", place, self._ccode_any(place))
                elif not self.record.in_system(polity.ccode, min(when, COW_LAST_YEAR) if year is None else when):
                    missing = missing or Missing("not_in_system", place, polity.ccode)
            if missing is None and polity_a is not None and polity_b is not None:
                if polity_a.ccode == polity_b.ccode:
                    missing = Missing("same_state", a, polity_a.ccode)
                else:
                    iso_a = iso_for(polity_a.ccode, when, self.record)
                    iso_b = iso_for(polity_b.ccode, when, self.record)
        shared = self._researched(iso_a, iso_b, year) if iso_a and iso_b else []
        # A treaty signed after the year asked is no part of that year's answer.
        shared = [s for s in shared if year is None or year >= s.alliance.signed]
        after_record = year is None or year > ATOP_LAST_YEAR
        if missing is None and polity_a is not None and polity_b is not None and not (after_record and shared):
            # After 2018 the researched entries are authoritative for the pairs they cover.
            linked = frozenset(i for s in shared for i in s.alliance.atop_ids)
            ties = self.atop_ties(polity_a.ccode, polity_b.ccode, year, linked)
        lapsed = []
        for tie in list(ties):
            why = self._lapsed(tie, iso_a, iso_b, year)
            if why is not None:
                ties.remove(tie)
                lapsed.append((tie, why))
        in_force = tuple(s for s in shared if s.in_force)
        not_binding = tuple(s for s in shared if not s.in_force)
        if missing is not None and missing.reason == "before_data" and in_force:
            missing = None  # a researched treaty older than the record decides it
        if missing is not None:
            in_force, not_binding, ties, lapsed = (), (), [], []
        standing = Standing()
        if missing is None:
            standing = self.present.standing(
                iso_a, iso_b, polity_a.ccode if polity_a else None, polity_b.ccode if polity_b else None,
                year, today or date.today(),
            )
        candidates = [Basis(treaty=t) for t in in_force] + [Basis(tie=t) for t in ties]
        basis = max(candidates, key=lambda c: c.strength, default=None)
        grade: Grade = basis.grade if basis is not None else "none"
        relationship = self.relationship(a, b) if year is None else None
        # Treaties in force first, so an answer's sources open with what decides it.
        used = [s.alliance for s in sorted(shared, key=lambda s: not s.in_force)]
        used_facts: list[Alliance | Relationship] = [relationship, *used] if relationship else list(used)
        sources = list(_unique_sources(used_facts))
        # A treaty the pair left long ago (the 1778 Franco-American alliance) is shown, but does not
        # date the answer: the footer's "as of" comes from the facts still in play.
        ended = {id(t.alliance) for t in shared if t.exceptions and all(e.kind == "left" for e in t.exceptions)}
        as_of = [f.as_of for f in used_facts if id(f) not in ended] or [f.as_of for f in used_facts]
        if ties or (missing is None and not in_force and self.record is not None):
            sources.append(ATOP_SOURCE)
            as_of.append(ATOP_AS_OF)
        if missing is not None and missing.reason in ("not_a_state", "not_in_system"):
            sources.append(COW_SOURCE)
            as_of.append(COW_AS_OF)
        if standing.known and grade != "treaty_allies":
            # What decides a "No" beyond the treaties: its sources first, its date in the footer.
            deciding: list[Any] = [standing.war.war] if standing.war else list(standing.ties[:1])
            others = [tie for tie in standing.ties if tie not in deciding]
            sources = [s for fact in (*deciding, *others) for s in fact.sources[:2]] + sources
            as_of = [fact.as_of for fact in deciding]
        elif lapsed and grade != "treaty_allies":
            checks = [self.present.checked(tie.atopid) for tie, _ in lapsed]
            sources = [s for check in checks if check is not None for s in check.sources[:2]] + sources
            as_of = [check.as_of for check in checks if check is not None] or as_of
        return PairVerdict(
            a=a,
            b=b,
            year=year,
            grade=grade,
            basis=basis.treaty if basis is not None else None,
            in_force=in_force,
            not_binding=not_binding,
            relationship=relationship,
            as_of=min(as_of, default=""),  # the footer shows the oldest date among the facts used
            sources=tuple(sources),
            ties=tuple(ties),
            tie_basis=basis.tie if basis is not None else None,
            polity_a=polity_a,
            polity_b=polity_b,
            missing=missing,
            research_as_of=self.research_as_of,
            sibling_treaties=self._east_german_treaties(year) if polity_a and polity_b and 260 in (
                polity_a.ccode, polity_b.ccode
            ) else (),
            standing=standing,
            lapsed=tuple(lapsed),
            tie_check=self.present.checked(basis.tie.atopid) if basis is not None and basis.tie is not None else None,
        )

    def _east_german_treaties(self, year: int | None) -> tuple[AtopAlliance, ...]:
        """East Germany's ATOP alliances in ``year``, for the note on West Germany."""
        if self.record is None or year is None:
            return ()
        first, last = date(year, 1, 1), date(year, 12, 31)
        rows_by_alliance = self.record.by_state.get(265, {})
        found = [
            self.record.alliances[atopid]
            for atopid, rows in rows_by_alliance.items()
            if any(row.overlaps(first, last) for row in rows)
        ]
        return tuple(sorted(found, key=lambda a: (a.name is None, a.atopid)))

    def _ccode_any(self, place: str) -> int | None:
        historical = PLACES_BY_CODE.get(place)
        if historical is not None:
            return historical.ccode
        if self.record is None:
            return None
        spans = ISO_SPANS.get(place)
        return spans[-1][2] if spans else self.record.by_iso.get(place)

    def place_for(self, ccode: int, year: int) -> str:
        """The place code a user would name for COW state ``ccode`` in ``year``."""
        assert self.record is not None
        iso = iso_for(ccode, year, self.record)
        if iso is not None and ccode_of(iso, year, self.record) == ccode:
            return iso
        for place in PLACES_BY_CODE.values():
            if place.ccode == ccode and place.first <= year <= place.last and place.code not in ERA_ONLY:
                return place.code
        for place in PLACES_BY_CODE.values():
            if place.ccode == ccode:
                return place.code
        return iso or f"COW{ccode}"

    def places_in(self, year: int | None, current_year: int) -> list[str]:
        """Every place that was a state in ``year`` (None: today), for 'who are X's allies'."""
        if self.record is None:
            return sorted(self._by_country)
        when = _data_year(year, current_year)
        check = min(when, COW_LAST_YEAR) if year is None else when
        out = []
        for state in self.record.states.values():
            if self.record.in_system(state.ccode, check):
                out.append(self.place_for(state.ccode, when))
        return sorted(set(out))

    def allies_of(self, place: str, *, year: int | None = None, current_year: int) -> CountryAllies:
        """The country's allies and weaker partners in ``year`` (None: today), each pair graded."""
        when = _data_year(year, current_year)
        polity = self.polity(place, when)
        allies: list[Partner] = []
        weaker: list[Partner] = []
        partners: list[Partner] = []
        rivals: list[Partner] = []
        no_relations: list[Partner] = []
        for other in self.places_in(year, current_year):
            if other == place:
                continue
            other_polity = self.polity(other, when)
            if polity is not None and other_polity is not None and other_polity.ccode == polity.ccode:
                continue
            verdict = self.grade(place, other, year=year, current_year=current_year)
            if verdict.missing is not None:
                if verdict.missing.place == place:
                    return CountryAllies(place, year, polity, (), (), verdict.missing)
                continue
            lead = verdict.standing.lead
            if verdict.allied:
                allies.append(Partner(other, verdict))
            elif lead is not None and lead.type == "no_diplomatic_relations" and verdict.standing.war is None:
                no_relations.append(Partner(other, verdict))
            elif verdict.standing.war is not None or (lead is not None and lead.layer == "hostility"):
                rivals.append(Partner(other, verdict))
            elif lead is not None:
                partners.append(Partner(other, verdict))
            elif verdict.grade != "none" and not (verdict.basis is None and verdict.tie_basis is not None
                                                 and is_framework(verdict.tie_basis)):
                # A multilateral framework (the TAC, the Helsinki Final Act) is no tie between two of
                # its parties: they are not listed for it.
                weaker.append(Partner(other, verdict))
        return CountryAllies(
            place, year, polity, tuple(allies), tuple(weaker),
            partners=tuple(partners), rivals=tuple(rivals), no_relations=tuple(no_relations),
        )

    def allies_during(self, place: str, first: int, last: int, *, current_year: int) -> CountryAllies:
        """Everyone allied with ``place`` at some time from ``first`` to ``last`` (each partner once)."""
        allies: dict[str, Partner] = {}
        weaker: dict[str, Partner] = {}
        partners: dict[str, Partner] = {}
        rivals: dict[str, Partner] = {}
        no_relations: dict[str, Partner] = {}
        polity = None
        missing_every_year: Missing | None = None
        for year in range(first, last + 1):
            found = self.allies_of(place, year=year, current_year=current_year)
            if found.missing is not None:
                missing_every_year = missing_every_year or found.missing
                continue
            polity = polity or found.polity
            for partner in found.allies:
                allies.setdefault(partner.place, partner)
            for partner in found.weaker:
                weaker.setdefault(partner.place, partner)
            for partner in found.partners:
                partners.setdefault(partner.place, partner)
            for partner in found.rivals:
                rivals.setdefault(partner.place, partner)
            for partner in found.no_relations:
                no_relations.setdefault(partner.place, partner)
        if not allies and not weaker and polity is None and missing_every_year is not None:
            return CountryAllies(place, None, None, (), (), missing_every_year, (first, last))
        weaker_only = tuple(p for code, p in weaker.items() if code not in allies)
        return CountryAllies(
            place, None, polity, tuple(allies.values()), weaker_only, None, (first, last),
            partners=tuple(p for code, p in partners.items() if code not in allies),
            rivals=tuple(p for code, p in rivals.items() if code not in allies),
            no_relations=tuple(p for code, p in no_relations.items() if code not in allies),
        )

    def history(
        self, a: str, b: str, first: int, last: int, *, current_year: int | None = None
    ) -> list[Period]:
        """The pair's record year by year from ``first`` to ``last``, as periods of one standing."""
        graded = [(year, self.grade(a, b, year=year, current_year=current_year)) for year in range(first, last + 1)]
        periods: list[Period] = []
        for key, group in groupby(graded, key=lambda row: _period_key(row[1])):
            run = list(group)
            periods.append(Period(run[0][0], run[-1][0], key, run[0][1]))
        return periods


@dataclass(frozen=True)
class Period:
    """Consecutive years with the same standing (the verdict of the first year stands for all)."""

    first: int
    last: int
    key: tuple[str, ...]
    verdict: PairVerdict

    @property
    def allied(self) -> bool:
        return self.verdict.allied

    @property
    def known(self) -> bool:
        return self.verdict.missing is None


def _period_key(verdict: PairVerdict) -> tuple[str, ...]:
    """What makes a year the same as the one before: the standing, its treaty, the present-day tie
    or war that heads it, whether its alliance was checked, and both states' names."""
    names = tuple(p.name if p is not None else "" for p in (verdict.polity_a, verdict.polity_b))
    standing = verdict.standing
    lead = standing.war.war.id if standing.war is not None else (standing.lead.id if standing.lead else "")
    if verdict.missing is not None:
        return ("missing", verdict.missing.reason, *names)
    checked = "checked" if verdict.tie_check is not None else ""
    if verdict.tie_basis is not None:
        return (verdict.grade, f"atop:{verdict.tie_basis.atopid}", lead, checked, *names)
    if verdict.basis is not None:
        return (verdict.grade, f"fact:{verdict.basis.alliance.id}", lead, *names)
    return (verdict.grade, "", lead, *names)


def is_framework(tie: AtopTie) -> bool:
    """A multilateral pact with no defence promise (the TAC, the Helsinki Final Act...): shown as what
    it is, never as a bilateral pact between two of its parties, nor as a tie on a map."""
    return not tie.alliance.bilateral and tie.level in ("non_aggression", "consultation", "neutrality")


def is_alliance_grade(kind: str) -> bool:
    return kind in ALLIANCE_GRADE_KINDS


def _newest(values: Iterable[str]) -> str | None:
    return max(values, default=None)


def _unique_sources(facts: Iterable[Alliance | Relationship]) -> tuple[Source, ...]:
    seen: dict[tuple[str, str | None], Source] = {}
    for fact in facts:
        for source in fact.sources:
            seen.setdefault((source.name, source.url), source)
    return tuple(seen.values())


# --------------------------------------------------------------------------- one country, one alliance


@dataclass(frozen=True)
class Partner:
    """Another state and how the country is bound to it in the year asked."""

    place: str
    verdict: PairVerdict

    @property
    def treaty_key(self) -> str:
        return _period_key(self.verdict)[1]


@dataclass(frozen=True)
class CountryAllies:
    """A country's partners in one year (or today), strongest tie first."""

    place: str
    year: int | None
    polity: Polity | None
    allies: tuple[Partner, ...]  # bound by a defence promise or a wartime alliance
    weaker: tuple[Partner, ...]  # only neutrality, non-aggression, consultation or partnership
    missing: Missing | None = None
    span: tuple[int, int] | None = None  # a span of years asked about ("during WW2"); then year is None
    # The present-day layer (issue 20): designated allies, commitments and named partners; and
    # rivals, adversaries and states at war with it.
    partners: tuple[Partner, ...] = ()
    rivals: tuple[Partner, ...] = ()
    no_relations: tuple[Partner, ...] = ()  # no diplomatic relations, and nothing sharper

    def groups(self, partners: tuple[Partner, ...]) -> list[tuple[str, list[Partner]]]:
        """Partners grouped by the treaty that decides each pair, largest group first."""
        grouped: dict[str, list[Partner]] = {}
        for partner in partners:
            grouped.setdefault(partner.treaty_key, []).append(partner)
        return sorted(grouped.items(), key=lambda item: (-len(item[1]), item[0]))


@dataclass(frozen=True)
class AllianceMember:
    """A member of an alliance: the place, and when it joined and left (years; None: unknown/ongoing)."""

    place: str
    joined: int | None
    left: int | None
    note: str | None = None


@dataclass(frozen=True)
class AllianceSummary:
    """What an alliance is, its dates and obligations, and its members in the year asked."""

    key: str  # "fact:<id>" or "atop:<id>"
    name: str
    short_name: str
    signed: int
    ended: int | None
    ongoing_note: str  # "", or "still in force when the ATOP data end (2018)"
    obligations: str  # D/O/N/A/C letters, or a researched treaty kind
    description: str | None
    members: tuple[AllianceMember, ...]  # in the year asked (or today)
    everyone: tuple[AllianceMember, ...]  # every member it ever had
    year: int | None
    sources: tuple[Source, ...]
    as_of: str


_NOT_ALNUM = re.compile(r"[\W_]")  # \w less the underscore is exactly str.isalnum


def _alias(text: str) -> str:
    return " ".join(_NOT_ALNUM.sub(" ", text.casefold()).split())


# Organisations people name for the treaty they grew from (kept by hand: the record names treaties,
# not organisations): the OSCE's participating states are the Helsinki Final Act's.
ORGANISATION_NAMES = {"osce": "atop:3740", "csce": "atop:3740"}


class AllianceCatalogue:
    """Every alliance a user can name: the researched entries and the named ATOP alliances."""

    def __init__(self, index: AllianceIndex, facts: FactBase) -> None:
        self.index = index
        self.entries: dict[str, tuple[str, str]] = {}  # key -> (name, short name)
        alliances: list[Alliance] = facts.of_kind("alliance")
        self._facts = {a.id: a for a in alliances}
        linked = {i for a in alliances for i in a.atop_ids}
        for alliance in alliances:
            self.entries[f"fact:{alliance.id}"] = (alliance.name, alliance.short_name)
        record = index.record
        if record is not None:
            for atop in record.alliances.values():
                if atop.name is not None and atop.atopid not in linked:
                    self.entries[f"atop:{atop.atopid}"] = (atop.name.name, atop.name.short_name or atop.name.name)
        self._aliases: dict[str, str] = {}
        for key, (name, short) in self.entries.items():
            # The names, without and within their brackets: "Alliance of Sahel States (AES)" is
            # also "Alliance of Sahel States" and "AES".
            inner = [
                bracketed for text in (short, name) for part in text.split("(")[1:]
                if len(bracketed := part.split(")")[0].strip()) >= 3 and not any(ch.isdigit() for ch in bracketed)
                and not default_resolver().lookup(bracketed)  # "(USSR)" names a country, not the treaty
            ]
            for text in (short, name, name.split(" (")[0], short.split(" (")[0], *inner):
                if len(_alias(text)) >= 2:
                    self._aliases.setdefault(_alias(text), key)
        for alias, key in ORGANISATION_NAMES.items():
            if key in self.entries:
                self._aliases.setdefault(alias, key)
        # find() looks up only the runs of words that start like some name and are as long as it,
        # instead of trying every name on every question; a tie in length goes to the name listed first.
        self._alias_order = {alias: position for position, alias in enumerate(self._aliases)}
        self._alias_lengths: dict[str, set[int]] = {}  # first word -> lengths in words of the names it starts
        for alias in self._aliases:
            if len(alias) >= 3:
                words = alias.split()
                self._alias_lengths.setdefault(words[0], set()).add(len(words))

    def find(self, text: str) -> str | None:
        """The alliance a piece of text names (longest name first), or None."""
        words = _alias(text).split()
        named = [
            phrase
            for i, word in enumerate(words)
            for n in self._alias_lengths.get(word, ())
            if i + n <= len(words) and (phrase := " ".join(words[i : i + n])) in self._aliases
        ]
        if not named:
            return None
        return self._aliases[max(named, key=lambda alias: (len(alias), -self._alias_order[alias]))]

    def suggest(self, typed: str, limit: int = 25) -> list[tuple[str, str]]:
        """Autocomplete: (label, key) for alliances whose names contain ``typed``, short names first."""
        folded = _alias(typed)
        rows = []
        for key, (name, short) in self.entries.items():
            label = name if short == name else f"{short}: {name}"
            hay = _alias(label)
            if not folded or folded in hay:
                rows.append((0 if _alias(short).startswith(folded) else 1, label.casefold(), label, key))
        rows.sort()
        return [(label, key) for _, _, label, key in rows[:limit]]

    def summary(self, key: str, year: int | None, current_year: int) -> AllianceSummary:
        """What the alliance ``key`` is and who was in it in ``year`` (None: today)."""
        if key.startswith("fact:"):
            return self._researched(self._facts[key[5:]], year)
        record = self.index.record
        assert record is not None
        return self._atop(int(key[5:]), year, current_year)

    def _researched(self, alliance: Alliance, year: int | None) -> AllianceSummary:
        everyone: list[AllianceMember] = []
        for group in (alliance.members, alliance.former_members, alliance.disputed_members):
            everyone.extend(AllianceMember(m.code, m.joined, m.left, m.note) for m in group)
        members = []
        seen: set[str] = set()
        for member in alliance.members + alliance.former_members:
            status = member_status(alliance, member.code, year)
            if status is not None and status.active and member.code not in seen:
                seen.add(member.code)
                members.append(AllianceMember(member.code, member.joined, member.left, member.note))
        return AllianceSummary(
            key=f"fact:{alliance.id}",
            name=alliance.name,
            short_name=alliance.short_name,
            signed=alliance.signed,
            ended=None,
            ongoing_note="",
            obligations=alliance.treaty_kind,
            description=alliance.description,
            members=tuple(members),
            everyone=tuple(everyone),
            year=year,
            sources=tuple(alliance.sources),
            as_of=alliance.as_of,
        )

    def _atop(self, atopid: int, year: int | None, current_year: int) -> AllianceSummary:
        record = self.index.record
        assert record is not None
        atop = record.alliances[atopid]
        rows = record.alliance_members(atopid)
        everyone: dict[int, AllianceMember] = {}
        members: dict[int, AllianceMember] = {}
        def named_then(ccode: int, when: int) -> str:
            """The member as it was in ``when`` ("USSR" in the Warsaw Pact of 1970, not "RU")."""
            era = era_place(ccode, when)
            return era.code if era is not None else self.index.place_for(ccode, when)

        for row in rows:
            place = named_then(row.ccode, row.entry.year)
            left = row.exit.year if row.exit is not None else None
            known = everyone.get(row.ccode)
            joined = min(row.entry.year, known.joined or row.entry.year) if known else row.entry.year
            everyone[row.ccode] = AllianceMember(place, joined, left if (known is None or known.left) else None)
            in_year = (
                row.exit is None
                if year is None or year > ATOP_LAST_YEAR
                else row.entry.year <= year and (row.exit is None or row.exit.year >= year)
            )
            if in_year:
                members[row.ccode] = AllianceMember(named_then(row.ccode, year or current_year), joined, left)
        assert atop.name is not None
        return AllianceSummary(
            key=f"atop:{atopid}",
            name=atop.name.name,
            short_name=atop.name.short_name or atop.name.name,
            signed=atop.begin.year,
            ended=atop.end.year if atop.end is not None else None,
            ongoing_note="" if atop.end is not None else f"still in force when the ATOP data end ({ATOP_LAST_YEAR})",
            obligations=atop.obligations,
            description=None,
            members=tuple(members.values()),
            everyone=tuple(everyone.values()),
            year=year,
            sources=(ATOP_SOURCE, atop.name.source),
            as_of=ATOP_AS_OF,
        )
