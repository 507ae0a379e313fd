"""The present-day layer (issue 20): what binds or divides a pair beyond a treaty alliance.

Built from the bundled ``tie``, ``war`` and ``atop_check`` entries of one fact-base view:
- ties at four layers below a treaty alliance (designated ally status, security commitments,
  named partnerships, hostility), each with its dates and sources;
- wars between states, by COW code, with the pairs on opposite sides who were not at war;
- what became of the ATOP alliances in force in 2018 (ended, members who left or froze).
Discord-free; the grading in alliances.py asks it about one pair at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .facts import AtopCheck, FactBase, MemberChange, PresentTie, War

# Which present-day tie heads an answer when no treaty alliance binds the pair: a legal status
# first, then a commitment; a hostility before a partnership (a rivalry is the news for "allies?").
HEADLINE_ORDER = ("designated", "commitment", "hostility", "partnership")
# The sharpest hostility first; among designations, the best known list first.
HOSTILITY_ORDER = ("adversary_designation", "no_diplomatic_relations", "rivalry")
DESIGNATION_ORDER = ("state_sponsor_of_terrorism", "foreign_adversary", "unfriendly_country")
# Among commitments, what binds in law or by signed agreement before assurances and declarations.
COMMITMENT_ORDER = (
    "security_commitment_law", "bilateral_security_agreement", "executive_security_guarantee",
    "security_assurance", "other_commitment",
)
# Changes after 2018 that take a member out of an alliance's obligations.
OUT = frozenset({"left", "suspended", "frozen"})


def _in_year(since: str | None, until: str | None, year: int) -> bool:
    return (since is None or int(since[:4]) <= year) and (until is None or int(until[:4]) >= year)


def _today(since: str | None, until: str | None, today: date) -> bool:
    return (since is None or since <= today.isoformat()) and (until is None or until > today.isoformat())


def _headline_key(tie: PresentTie) -> tuple[object, ...]:
    sharpness = 0
    if tie.layer == "commitment":
        sharpness = COMMITMENT_ORDER.index(tie.type)
    if tie.layer == "hostility":
        listed = DESIGNATION_ORDER.index(tie.designation) if tie.designation in DESIGNATION_ORDER else len(DESIGNATION_ORDER)
        sharpness = HOSTILITY_ORDER.index(tie.type) * 10 + listed
    newest_first = tuple(-int(part) for part in tie.since.split("-")) if tie.since else (0,)
    return (HEADLINE_ORDER.index(tie.layer), sharpness, newest_first, tie.id)


@dataclass(frozen=True)
class Lapse:
    """Why an ATOP alliance in force in 2018 no longer binds a pair: it ended, or one of them left."""

    kind: str  # "ended", or the member change: left, suspended, frozen
    code: str | None  # the member concerned
    date: str | None


@dataclass(frozen=True)
class AtWar:
    """Two states on opposite sides of a war in the year asked (or today)."""

    war: War
    side_a: str
    side_b: str
    since: str
    until: str | None


@dataclass(frozen=True)
class Standing:
    """A pair's present-day ties in force then (headline order), and a war between them if any."""

    ties: tuple[PresentTie, ...] = ()
    war: AtWar | None = None

    @property
    def lead(self) -> PresentTie | None:
        """The tie that heads the answer, if no treaty alliance does."""
        return self.ties[0] if self.ties else None

    @property
    def known(self) -> bool:
        return bool(self.ties) or self.war is not None

    def as_of(self) -> list[str]:
        dates = [tie.as_of for tie in self.ties]
        if self.war is not None:
            dates.append(self.war.war.as_of)
        return dates


class PresentDay:
    """The present-day entries of one fact-base view, indexed for pair questions."""

    def __init__(self, facts: FactBase) -> None:
        self._ties: dict[frozenset[str], list[PresentTie]] = {}
        for tie in facts.of_kind("tie"):
            self._ties.setdefault(frozenset(tie.pair), []).append(tie)
        self.wars: list[War] = facts.of_kind("war")
        # The wars each state fought in (by COW code): a pair question looks at its states' wars only.
        self._wars_of: dict[int, list[War]] = {}
        for war in self.wars:
            for code in dict.fromkeys(p.cow for p in war.participants):
                self._wars_of.setdefault(code, []).append(war)
        self.checks: dict[int, AtopCheck] = {check.atopid: check for check in facts.of_kind("atop_check")}

    def ties(self, a: str, b: str) -> list[PresentTie]:
        return self._ties.get(frozenset((a, b)), [])

    def standing(
        self, a: str | None, b: str | None, ccode_a: int | None, ccode_b: int | None, year: int | None, today: date
    ) -> Standing:
        held = []
        if a is not None and b is not None:
            for tie in self.ties(a, b):
                # An undated tie holds from when its sources confirm it, never further back.
                since = tie.since or tie.as_of
                if (_today(since, tie.until, today) if year is None else _in_year(since, tie.until, year)):
                    held.append(tie)
        # Within a layer the newest first: what the pair agreed last is what holds now.
        held.sort(key=_headline_key)
        war = self.at_war(ccode_a, ccode_b, year, today) if ccode_a is not None and ccode_b is not None else None
        return Standing(tuple(held), war)

    def at_war(self, ccode_a: int, ccode_b: int, year: int | None, today: date) -> AtWar | None:
        """The war ``ccode_a`` and ``ccode_b`` fought on opposite sides in ``year`` (None: today)."""
        for war in self._wars_of.get(ccode_a, ()):
            rows_a = [p for p in war.participants if p.cow == ccode_a]
            rows_b = [p for p in war.participants if p.cow == ccode_b]
            for pa in rows_a:
                for pb in rows_b:
                    if pa.side == pb.side:
                        continue
                    since = max(pa.entered, pb.entered)
                    ends = [d for d in (pa.left or war.ended, pb.left or war.ended) if d is not None]
                    until = min(ends) if ends else None
                    if until is not None and until < since:
                        continue  # on opposite sides, but never in the war at the same time
                    for exempt in war.pairs_not_at_war:
                        if {exempt.a, exempt.b} == {ccode_a, ccode_b}:
                            if exempt.until is None:
                                break
                            since = max(since, exempt.until)
                    else:
                        held = _today(since, until, today) if year is None else _in_year(since, until, year)
                        if held and (until is None or since <= until):
                            return AtWar(war, pa.side, pb.side, since, until)
        return None

    def members_out(self, atopid: int) -> dict[str, MemberChange]:
        """ISO code -> the change that took it out of this ATOP alliance after 2018 (left, suspended,
        frozen), unless it was readmitted since."""
        check = self.checks.get(atopid)
        if check is None:
            return {}
        out: dict[str, MemberChange] = {}
        for change in check.changes:
            if change.change in OUT:
                out[change.code] = change
            elif change.change == "readmitted":
                out.pop(change.code, None)
        return out

    def ended(self, atopid: int) -> str | None:
        check = self.checks.get(atopid)
        return check.ended if check is not None and check.status == "ended" else None

    def checked(self, atopid: int) -> AtopCheck | None:
        return self.checks.get(atopid)
