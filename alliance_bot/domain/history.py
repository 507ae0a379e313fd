"""The historical record: ATOP 5.1 alliances (1815–2018) and the COW state list, by state and year.

Loaded once from the bundled ``data/atop/`` files (written by ``scripts/import_atop.py``) and shared
by every fact-base view. Countries are COW state codes here; :mod:`.places` maps what people type
("Russia", "the Soviet Union", "West Germany") to those codes year by year.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Literal

from .facts import Source, safe_load

log = logging.getLogger(__name__)

ATOP_FIRST_YEAR = 1815
ATOP_LAST_YEAR = 2018
COW_LAST_YEAR = 2016
ATOP_AS_OF = "2018-12-31"
COW_AS_OF = "2016-12-31"

ATOP_SOURCE = Source(
    name="ATOP 5.1 (Leeds et al. 2002; codebook Leeds 2022)",
    url="http://www.atopdata.org",
    cites="Alliance Treaty Obligations and Provisions, 1815–2018",
)
COW_SOURCE = Source(
    name="Correlates of War: State System Membership List v2016",
    url="http://correlatesofwar.org",
)
CITATION = (
    "Leeds, Brett Ashley, Jeffrey M. Ritter, Sara McLaughlin Mitchell, and Andrew G. Long. 2002. "
    "“Alliance Treaty Obligations and Provisions, 1815-1944.” International Interactions 28: 237-60. "
    "ATOP version 5.1 codebook (Leeds 2022), http://www.atopdata.org. Correlates of War Project. 2017. "
    "“State System Membership List, v2016.” http://correlatesofwar.org"
)

# Obligation letters as written by the import script, strongest first.
OBLIGATIONS: dict[str, str] = {
    "D": "defence",
    "O": "offence",
    "N": "neutrality",
    "A": "non-aggression",
    "C": "consultation",
}
# COW interstate war numbers (ATOP's COWWAR) of the wars the bot names.
WAR_NAMES: dict[int, str] = {106: "the First World War", 139: "the Second World War"}
TieLevel = Literal["defense", "wartime", "neutrality", "non_aggression", "consultation"]
LEVEL_STRENGTH: dict[str, int] = {
    "defense": 5,
    "wartime": 4,
    "neutrality": 3,
    "non_aggression": 2,
    "consultation": 1,
}


def _parse_date(text: str) -> date | None:
    """ATOP's YYYY-MM-DD with 00 for an unknown month or day (read as the first)."""
    if not text:
        return None
    year, month, day = (int(part) for part in text.split("-"))
    return date(year, month or 1, day or 1)


def _precision(text: str) -> str:
    """How much of an ATOP date is known: 'day', 'month' or 'year'."""
    _, month, day = text.split("-")
    return "year" if month == "00" else "month" if day == "00" else "day"


@dataclass(frozen=True)
class CowState:
    """A state of the COW list with its years of membership in the state system."""

    ccode: int
    abbr: str
    name: str
    iso: str
    periods: tuple[tuple[int, int], ...]

    def member_in(self, year: int) -> bool:
        """True if the state is in the system in ``year`` (the list's last year counts as open)."""
        for start, end in self.periods:
            last = 9999 if end >= COW_LAST_YEAR else end
            # The list starts in 1816; ATOP's first treaties are of 1815, when the same states stood.
            first = ATOP_FIRST_YEAR if start == 1816 else start
            if first <= year <= last:
                return True
        return False

    def years_text(self) -> str:
        """'1954–1990' or '1918–1940 and since 1991'."""
        parts = [
            f"since {start}" if end >= COW_LAST_YEAR else f"{start}–{end}" for start, end in self.periods
        ]
        return " and ".join(parts) if parts else "in no year of the list"


@dataclass(frozen=True)
class AllianceName:
    """A checked name for an ATOP alliance, with the source that gives it."""

    name: str
    short_name: str | None
    source: Source


@dataclass(frozen=True)
class AtopAlliance:
    """One ATOP alliance (all phases)."""

    atopid: int
    begin: date
    begin_text: str
    end: date | None
    bilateral: bool
    wartime: bool
    asymmetric: bool
    obligations: str
    name: AllianceName | None = None
    end_text: str = ""  # as written in the data: 00 for an unknown month or day; empty while in force

    @property
    def ongoing(self) -> bool:
        return self.end is None


@dataclass(frozen=True)
class AtopMember:
    """One member row: a state in one phase of an alliance, with its own obligations."""

    atopid: int
    ccode: int
    phase: int
    entry: date
    exit: date | None  # None: still a member on 31 December 2018
    entry_text: str  # as written in the data: 00 for an unknown month or day
    obligations: str
    separate_peace: bool
    varies: bool
    war: int  # COW war number it was fighting when it joined; 0 for none
    exit_text: str = ""  # as written in the data; empty while still a member

    def overlaps(self, first: date, last: date) -> bool:
        return self.entry <= last and (self.exit is None or self.exit >= first)


@dataclass(frozen=True)
class AtopTie:
    """Two states sharing one phase of an ATOP alliance, with what each of them promised."""

    alliance: AtopAlliance
    start: date
    end: date | None
    start_text: str
    a_obligations: str
    b_obligations: str
    separate_peace: bool
    varies: bool
    war: int = 0

    @property
    def level(self) -> TieLevel:
        both = self.a_obligations + self.b_obligations
        if "D" in both or "O" in both:
            return "defense"
        if self.alliance.wartime and self.separate_peace:
            return "wartime"
        if "N" in both:
            return "neutrality"
        if "A" in both:
            return "non_aggression"
        return "consultation"

    @property
    def strength(self) -> int:
        return LEVEL_STRENGTH[self.level]

    @property
    def allied(self) -> bool:
        return self.level in ("defense", "wartime")

    @property
    def atopid(self) -> int:
        return self.alliance.atopid


@dataclass
class HistoricalRecord:
    """ATOP alliances and COW states, indexed by state for pair look-ups."""

    states: Mapping[int, CowState]
    alliances: Mapping[int, AtopAlliance]
    members: tuple[AtopMember, ...]
    by_state: dict[int, dict[int, list[AtopMember]]] = field(default_factory=dict)
    by_iso: dict[str, int] = field(default_factory=dict)
    # The years each state's ATOP rows cover, as merged (first, last) spans: in_system reads a few
    # spans instead of every row the state has.
    atop_years: dict[int, tuple[tuple[int, int], ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for member in self.members:
            self.by_state.setdefault(member.ccode, {}).setdefault(member.atopid, []).append(member)
        for state in self.states.values():
            if state.iso:
                self.by_iso.setdefault(state.iso, state.ccode)
        for ccode, rows_by_alliance in self.by_state.items():
            self.atop_years[ccode] = _covered_years(m for rows in rows_by_alliance.values() for m in rows)

    def state(self, ccode: int) -> CowState | None:
        return self.states.get(ccode)

    def in_system(self, ccode: int, year: int) -> bool:
        """True if the state is covered in ``year``: in the COW list or in an ATOP alliance then."""
        state = self.states.get(ccode)
        if state is not None and state.member_in(year):
            return True
        return any(first <= year <= last for first, last in self.atop_years.get(ccode, ()))

    def ties(self, a: int, b: int, first: date, last: date) -> list[AtopTie]:
        """Every alliance phase the two states shared at some time between ``first`` and ``last``."""
        rows_a, rows_b = self.by_state.get(a, {}), self.by_state.get(b, {})
        if len(rows_b) < len(rows_a):
            shared = [atopid for atopid in rows_b if atopid in rows_a]
        else:
            shared = [atopid for atopid in rows_a if atopid in rows_b]
        out: list[AtopTie] = []
        for atopid in shared:
            for ma in rows_a[atopid]:
                for mb in rows_b[atopid]:
                    if ma.phase != mb.phase:
                        continue
                    later = ma if ma.entry >= mb.entry else mb
                    start = later.entry
                    end = _earliest(ma.exit, mb.exit)
                    if end is not None and end < start:
                        continue
                    if start > last or (end is not None and end < first):
                        continue
                    out.append(
                        AtopTie(
                            self.alliances[atopid],
                            start,
                            end,
                            later.entry_text,
                            ma.obligations,
                            mb.obligations,
                            ma.separate_peace or mb.separate_peace,
                            ma.varies or mb.varies,
                            ma.war or mb.war,
                        )
                    )
        return merge_phases(out)

    def alliance_members(self, atopid: int) -> list[AtopMember]:
        return [m for m in self.members if m.atopid == atopid]


def _covered_years(rows: Iterable[AtopMember]) -> tuple[tuple[int, int], ...]:
    """The years some row overlaps (entry year to exit year; a row still open runs on), as merged spans."""
    spans = sorted((m.entry.year, m.exit.year if m.exit is not None else 9999) for m in rows)
    merged: list[tuple[int, int]] = []
    for first, last in spans:
        if first > last:  # an exit recorded before its entry year covers no year
            continue
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return tuple(merged)


def _earliest(x: date | None, y: date | None) -> date | None:
    if x is None:
        return y
    if y is None:
        return x
    return min(x, y)


def merge_phases(ties: Iterable[AtopTie]) -> list[AtopTie]:
    """Join consecutive phases of one alliance with the same obligations into one tie."""
    ordered = sorted(ties, key=lambda t: (t.atopid, t.start))
    merged: list[AtopTie] = []
    for tie in ordered:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.atopid == tie.atopid
            and last.level == tie.level
            and last.end is not None
            and (tie.start - last.end).days <= 31
        ):
            merged[-1] = replace(
                last,
                end=None if tie.end is None else max(tie.end, last.end),
                separate_peace=last.separate_peace or tie.separate_peace,
                varies=last.varies or tie.varies,
                war=last.war or tie.war,
            )
        else:
            merged.append(tie)
    return merged


# --------------------------------------------------------------------------- loading


def _read_tsv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def load_names(path: Path) -> dict[int, AllianceName]:
    """Checked treaty names for ATOP ids (``names.yaml``), each with its source."""
    if not path.exists():
        return {}
    document = safe_load(path.read_text(encoding="utf-8")) or {}
    names: dict[int, AllianceName] = {}
    for entry in document.get("names", []):
        source = Source(name=entry["source_name"], url=entry.get("source_url"))
        names[int(entry["atopid"])] = AllianceName(entry["name"], entry.get("short_name"), source)
    return names


def load_record(folder: Path) -> HistoricalRecord | None:
    """Read ``alliances.tsv``, ``members.tsv``, ``states.tsv`` and ``names.yaml``; None if absent."""
    if not (folder / "members.tsv").exists():
        return None
    names = load_names(folder / "names.yaml")
    alliances: dict[int, AtopAlliance] = {}
    for row in _read_tsv(folder / "alliances.tsv"):
        atopid = int(row["atopid"])
        begin = _parse_date(row["begin"])
        assert begin is not None, f"ATOP {atopid} has no begin date"
        alliances[atopid] = AtopAlliance(
            atopid,
            begin,
            row["begin"],
            _parse_date(row["end"]),
            row["bilat"] == "1",
            row["wartime"] == "1",
            row["asymm"] == "1",
            row["obligations"],
            names.get(atopid),
            row["end"],
        )
    members = []
    for row in _read_tsv(folder / "members.tsv"):
        entry = _parse_date(row["entry"])
        assert entry is not None, f"ATOP {row['atopid']} member {row['member']} has no entry date"
        members.append(
            AtopMember(
                int(row["atopid"]),
                int(row["member"]),
                int(row["phase"]),
                entry,
                _parse_date(row["exit"]),
                row["entry"],
                row["obligations"],
                row["seppeace"] == "1",
                row["obvary"] == "1",
                int(row["cowwar"] or 0),
                row["exit"],
            )
        )
    states = {}
    for row in _read_tsv(folder / "states.tsv"):
        periods = tuple(
            (int(start), int(end))
            for start, end in (part.split("-") for part in row["periods"].split(";") if part)
        )
        states[int(row["ccode"])] = CowState(int(row["ccode"]), row["abbr"], row["name"], row["iso"], periods)
    log.debug("loaded %d ATOP alliances, %d member rows, %d states", len(alliances), len(members), len(states))
    return HistoricalRecord(states, alliances, tuple(members))


def date_text(value: date, precision: str = "day") -> str:
    """'5 September 1914', 'September 1914' or '1914'."""
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return f"{value.strftime('%B')} {value.year}"
    return f"{value.day} {value.strftime('%B')} {value.year}"


def tie_start_text(tie: AtopTie) -> str:
    """When the pair's tie began, as precisely as the data knows it ('5 September 1914')."""
    return date_text(tie.start, _precision(tie.start_text))
