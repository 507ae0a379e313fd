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
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from .errors import UserError
from .facts import ALLIANCE_GRADE_KINDS, Alliance, FactBase, Membership, Relationship, Source

log = logging.getLogger(__name__)

Grade = Literal["treaty_allies", "close_partners", "partners", "none"]

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

    @property
    def allied(self) -> bool:
        return self.grade == "treaty_allies"


def _intervals(alliance: Alliance, code: str) -> list[tuple[Membership, str]]:
    rows: list[tuple[Membership, str]] = []
    for group, memberships in (
        ("member", alliance.members),
        ("former", alliance.former_members),
        ("disputed", alliance.disputed_members),
    ):
        rows.extend((m, group) for m in memberships if m.code == code)
    return rows


def member_status(alliance: Alliance, code: str, year: int | None) -> MemberStatus | None:
    """A country's standing in a treaty in ``year`` (None: today); None if it never belonged."""
    rows = _intervals(alliance, code)
    if not rows:
        return None
    best: MemberStatus | None = None
    for membership, group in rows:
        status = _status_of(membership, group, year)
        if best is None or _rank(status) > _rank(best):
            best = status
    return best


def _rank(status: MemberStatus) -> int:
    if status.active:
        return 5
    return {"suspended": 4, "disputed": 3, "year_unknown": 3, "left": 2, "not_yet": 1}.get(
        status.exception or "", 0
    )


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


def shared_treaty(alliance: Alliance, a: str, b: str, year: int | None) -> SharedTreaty | None:
    """How ``alliance`` binds the pair in ``year`` (None: today), or None if they never shared it."""
    status_a = member_status(alliance, a, year)
    status_b = member_status(alliance, b, year)
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


class AllianceIndex:
    """Treaties and pair relationships of one fact-base view, indexed by country for fast grading."""

    def __init__(self, facts: FactBase) -> None:
        self._by_country: dict[str, list[Alliance]] = {}
        for alliance in facts.of_kind("alliance"):
            codes = {
                m.code for m in (*alliance.members, *alliance.former_members, *alliance.disputed_members)
            }
            for code in codes:
                self._by_country.setdefault(code, []).append(alliance)
        self._relationships: dict[frozenset[str], Relationship] = {}
        for relationship in facts.of_kind("relationship"):
            self._relationships.setdefault(frozenset(relationship.pair), relationship)

    def relationship(self, a: str, b: str) -> Relationship | None:
        return self._relationships.get(frozenset((a, b)))

    def treaties_of(self, code: str) -> list[Alliance]:
        return list(self._by_country.get(code, ()))

    def grade(
        self, a: str, b: str, *, year: int | None = None, current_year: int | None = None
    ) -> PairVerdict:
        """Grade the pair ``a``, ``b`` (ISO alpha-2 codes), as of ``year`` or today."""
        if a == b:
            raise UserError("Pick two different countries.")
        if year is not None and current_year is not None and year > current_year:
            raise UserError(f"I can only answer for years up to {current_year}, not the future.")
        b_treaties = {id(t) for t in self._by_country.get(b, ())}
        shared: list[SharedTreaty] = []
        for alliance in self._by_country.get(a, ()):
            if id(alliance) in b_treaties:
                found = shared_treaty(alliance, a, b, year)
                if found is not None:
                    shared.append(found)
        shared.sort(key=lambda s: (-s.strength, s.since or 0, s.alliance.short_name))
        in_force = tuple(s for s in shared if s.in_force)
        not_binding = tuple(s for s in shared if not s.in_force)
        basis = in_force[0] if in_force else None
        grade: Grade = _GRADE_OF_KIND[basis.alliance.treaty_kind] if basis else "none"
        relationship = self.relationship(a, b)
        used = [s.alliance for s in shared]
        if relationship is not None and year is None:
            used_facts: list[Alliance | Relationship] = [relationship, *used]
        else:
            used_facts = list(used)
        return PairVerdict(
            a=a,
            b=b,
            year=year,
            grade=grade,
            basis=basis,
            in_force=in_force,
            not_binding=not_binding,
            relationship=relationship if year is None else None,
            as_of=_newest(f.as_of for f in used_facts)
            or _newest(t.as_of for ts in self._by_country.values() for t in ts)
            or "",
            sources=_unique_sources(used_facts),
        )


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
