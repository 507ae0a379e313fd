"""Alliance history as timeline entries: each signature, accession and exit on its own day.

Every entry is described from the data alone, and cites it: the ATOP 5.1 record gives the day
each alliance was signed, the day each state joined or left it, and the day ATOP dates its end;
an alliance is named only where ``data/atop/names.yaml`` holds a checked name (with that name's
source cited too), otherwise it is described by what its members promised ("a defence pact").
The researched entries of ``alliances.yaml`` add the accessions, withdrawals and suspensions
after the ATOP data end (2018); they give years, so those entries have no day.

Pure Python and deterministic: the same record gives the same entries, with stable ids.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from .countries import CountryResolver, default_resolver
from .facts import Alliance, Source, TimelineEntry
from .history import ATOP_AS_OF, ATOP_LAST_YEAR, ATOP_SOURCE, AtopAlliance, HistoricalRecord, date_text
from .places import PLACES_BY_CODE, era_place, iso_for

TOPIC = "alliances"
# Names listed in an entry before "and N others" (an impact line holds at most 1,000 characters).
MAX_NAMED = 12

_KIND = {
    "D": "defence pact",
    "O": "offensive alliance",
    "N": "neutrality pact",
    "A": "non-aggression pact",
    "C": "consultation pact",
}
_PROMISE = {"D": "defence", "O": "offence", "N": "neutrality", "A": "non-aggression", "C": "consultation"}
_NUMBERS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
]


def _count(n: int) -> str:
    return _NUMBERS[n] if n < len(_NUMBERS) else str(n)


def _join(names: Sequence[str]) -> str:
    if len(names) > MAX_NAMED:
        rest = len(names) - (MAX_NAMED - 1)
        names = [*names[: MAX_NAMED - 1], f"{rest} others"]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def _with_article(name: str) -> str:
    """'the Élysée Treaty', but 'NATO' and 'The Hague Convention' as they are."""
    first = name.split()[0] if name.split() else name
    if first.lower() == "the" or first.isupper():
        return name
    return f"the {name}"


def capital(text: str) -> str:
    """``text`` with its first letter upper-cased ('the Soviet Union' -> 'The Soviet Union')."""
    return text[:1].upper() + text[1:]


def _when(text: str) -> tuple[int | None, int | None]:
    """(month, day) of an ATOP 'YYYY-MM-DD' text, None for a part written 00."""
    _, month, day = (int(part) for part in text.split("-"))
    return (month or None, (day or None) if month else None)


def _date_text(value: date, text: str) -> str:
    month, day = _when(text)
    return date_text(value, "day" if day else "month" if month else "year")


class _Namer:
    """Names a COW state as it was called in a given year ('the Soviet Union' in 1955)."""

    def __init__(self, record: HistoricalRecord, resolver: CountryResolver) -> None:
        self.record = record
        self.resolver = resolver

    def __call__(self, ccode: int, year: int) -> str:
        era = era_place(ccode, year)
        if era is not None:
            return era.in_sentence
        iso = iso_for(ccode, year, self.record)
        if iso is not None:
            try:
                return self.resolver.get(iso).in_sentence
            except KeyError:
                pass
        for place in PLACES_BY_CODE.values():
            if place.ccode == ccode and place.first <= year <= place.last:
                return place.in_sentence
        state = self.record.state(ccode)
        return state.name if state is not None else f"COW state {ccode}"


def _kind(alliance: AtopAlliance) -> str:
    for letter in "DONAC":
        if letter in alliance.obligations:
            return _KIND[letter]
    return "alliance"


def _promises(alliance: AtopAlliance) -> str:
    words = [_PROMISE[letter] for letter in "DONAC" if letter in alliance.obligations]
    if not words:
        return ""
    return f" Its members promised {_join(words)}."


def _sources(alliance: AtopAlliance) -> list[Source]:
    return [ATOP_SOURCE] if alliance.name is None else [ATOP_SOURCE, alliance.name.source]


class _Describer:
    def __init__(self, record: HistoricalRecord, namer: _Namer) -> None:
        self.record = record
        self.name = namer
        self.rows: dict[int, list] = defaultdict(list)
        for row in record.members:
            self.rows[row.atopid].append(row)

    def founders(self, alliance: AtopAlliance) -> list[int]:
        first: dict[int, date] = {}
        for row in self.rows[alliance.atopid]:
            first[row.ccode] = min(first.get(row.ccode, row.entry), row.entry)
        return [ccode for ccode, entry in first.items() if entry == alliance.begin]

    def called(self, alliance: AtopAlliance, *, article: bool = True) -> str:
        """'the North Atlantic Treaty', or 'the defence pact of France and Russia signed in 1894'."""
        if alliance.name is not None:
            name = alliance.name.name
            return f"the {name}" if article and not name.lower().startswith("the ") else name
        year = alliance.begin.year
        names = _join([self.name(c, year) for c in self.founders(alliance)])
        return f"the {_kind(alliance)} of {names} signed in {year}"

    def short(self, alliance: AtopAlliance) -> str:
        """'NATO', 'the Élysée Treaty' or 'a defence pact signed in 1894', for titles."""
        if alliance.name is not None:
            return _with_article(alliance.name.short_name or alliance.name.name)
        return f"a {_kind(alliance)} signed in {alliance.begin.year}"

    def lasted(self, alliance: AtopAlliance) -> str:
        if alliance.end is None:
            return f" It was still in force when the ATOP data end ({ATOP_LAST_YEAR})."
        return f" ATOP dates its end to {_date_text(alliance.end, alliance.end_text)}."

    # -------------------------------------------------------------- the entries

    def signed(self, alliance: AtopAlliance) -> TimelineEntry:
        year = alliance.begin.year
        month, day = _when(alliance.begin_text)
        founders = [self.name(c, year) for c in self.founders(alliance)]
        if alliance.name is not None:
            title = f"{capital(self.short(alliance))} signed"
            what = self.called(alliance)
        else:
            title = (
                f"{capital(_kind(alliance))} signed by {_join(founders)}"
                if len(founders) <= 3
                else (f"{capital(_kind(alliance))} of {_count(len(founders))} states signed")
            )
            what = f"a {_kind(alliance)}"
        wartime = " in wartime" if alliance.wartime else ""
        impact = (
            f"{capital(_join(founders))} signed {what}{wartime} (ATOP {alliance.atopid})."
            if len(founders) <= 3
            else f"{capital(_count(len(founders)))} states signed {what}{wartime} (ATOP {alliance.atopid}): "
            f"{_join(founders)}."
        )
        impact += _promises(alliance) + self.lasted(alliance)
        return self._entry(f"atop-{alliance.atopid}-signed", year, month, day, title, impact, alliance)

    def joined(self, alliance: AtopAlliance, when: date, text: str, ccodes: list[int]) -> TimelineEntry:
        month, day = _when(text)
        joiners = [self.name(c, when.year) for c in ccodes]
        verb = "joins" if len(joiners) == 1 else "join"
        title = f"{capital(_join(joiners))} {verb} {self.short(alliance)}"
        impact = (
            f"{capital(_join(joiners))} joined {self.called(alliance)}"
            f" (ATOP {alliance.atopid}), signed on {_date_text(alliance.begin, alliance.begin_text)}."
            " ATOP dates a member's entry by the day it signed."
        )
        entry_id = f"atop-{alliance.atopid}-joined-{when.isoformat()}"
        return self._entry(entry_id, when.year, month, day, title, impact, alliance)

    def left(self, alliance: AtopAlliance, when: date, text: str, ccodes: list[int]) -> TimelineEntry:
        month, day = _when(text)
        leavers = [self.name(c, when.year) for c in ccodes]
        # "Leaves" would say more than the data do: an exit is also coded when a state ends.
        title = f"End of the membership of {_join(leavers)} in {self.short(alliance)}"
        went_on = (
            f"the alliance itself was still in force when the ATOP data end ({ATOP_LAST_YEAR})"
            if alliance.end is None
            else f"the alliance itself went on until {alliance.end.year}"
        )
        impact = (
            f"ATOP records the membership of {_join(leavers)} in {self.called(alliance)}"
            f" (ATOP {alliance.atopid}) as ending on this date; {went_on}."
        )
        entry_id = f"atop-{alliance.atopid}-left-{when.isoformat()}"
        return self._entry(entry_id, when.year, month, day, title, impact, alliance)

    def ended(self, alliance: AtopAlliance, when: date, text: str) -> TimelineEntry:
        month, day = _when(text)
        signed = _date_text(alliance.begin, alliance.begin_text)
        if alliance.name is not None:
            title = f"End of {self.called(alliance)}"
        else:
            founders = [self.name(c, alliance.begin.year) for c in self.founders(alliance)]
            title = (
                f"End of the {_kind(alliance)} of {_join(founders)}"
                if len(founders) <= 3
                else f"End of a {_kind(alliance)} of {_count(len(founders))} states"
            )
        years = when.year - alliance.begin.year
        span = f", after {years} year{'s' if years != 1 else ''}" if years >= 1 else ""
        impact = (
            f"ATOP dates the end of {self.called(alliance)} (ATOP {alliance.atopid}), signed on {signed},"
            f" to this date{span}."
        )
        return self._entry(f"atop-{alliance.atopid}-ended", when.year, month, day, title, impact, alliance)

    def _entry(
        self,
        entry_id: str,
        year: int,
        month: int | None,
        day: int | None,
        title: str,
        impact: str,
        alliance: AtopAlliance,
    ) -> TimelineEntry:
        if len(title) > 256:
            title = title[:255].rstrip() + "…"
        return TimelineEntry(
            id=entry_id,
            kind="timeline",
            year=year,
            month=month,
            day=day,
            title=title,
            impact=impact[:1000],
            topic=TOPIC,
            sources=_sources(alliance),
            as_of=ATOP_AS_OF,
        )


def atop_entries(record: HistoricalRecord, resolver: CountryResolver | None = None) -> list[TimelineEntry]:
    """Every signature, accession, exit and end the ATOP record dates, as timeline entries."""
    describe = _Describer(record, _Namer(record, resolver or default_resolver()))
    out: list[TimelineEntry] = []
    for alliance in record.alliances.values():
        out.append(describe.signed(alliance))
        first: dict[int, tuple[date, str]] = {}
        last: dict[int, tuple[date, str] | None] = {}  # None: still a member when the data end
        for row in sorted(describe.rows[alliance.atopid], key=lambda r: r.entry):
            if row.ccode not in first:
                first[row.ccode] = (row.entry, row.entry_text)
            if row.exit is None:
                last[row.ccode] = None
            elif row.ccode not in last or (last[row.ccode] is not None and row.exit > last[row.ccode][0]):  # type: ignore[index]
                last[row.ccode] = (row.exit, row.exit_text)
        joins: dict[tuple[date, str], list[int]] = defaultdict(list)
        for ccode, when in first.items():
            if when[0] > alliance.begin:
                joins[when].append(ccode)
        for (when, text), ccodes in sorted(joins.items()):
            out.append(describe.joined(alliance, when, text, ccodes))
        leaves: dict[tuple[date, str], list[int]] = defaultdict(list)
        for ccode, gone in last.items():
            if gone is not None and (alliance.end is None or gone[0] < alliance.end):
                leaves[gone].append(ccode)
        for (when, text), ccodes in sorted(leaves.items()):
            out.append(describe.left(alliance, when, text, ccodes))
        if alliance.end is not None:
            out.append(describe.ended(alliance, alliance.end, alliance.end_text))
    return out


_CACHE: dict[int, tuple[HistoricalRecord, tuple[TimelineEntry, ...]]] = {}


def cached_atop_entries(record: HistoricalRecord) -> tuple[TimelineEntry, ...]:
    """:func:`atop_entries` of a record, built once (the record is static for the process)."""
    held = _CACHE.get(id(record))
    if held is None or held[0] is not record:
        held = _CACHE[id(record)] = (record, tuple(atop_entries(record)))
    return held[1]


@dataclass(frozen=True)
class Signing:
    """Who made an alliance: its first-day members, and every state that was ever a member, by name.

    Names are as the states were called in the year of signing ('the Soviet Union' in 1955).
    """

    atopid: int
    year: int
    founders: tuple[str, ...]
    founder_codes: frozenset[int]
    member_codes: frozenset[int]


_SIGNINGS: dict[int, tuple[HistoricalRecord, dict[int, Signing], Any]] = {}


def signings(record: HistoricalRecord) -> tuple[dict[int, Signing], Callable[[int, int], str]]:
    """Every alliance's :class:`Signing`, and the namer used (ccode, year -> name); built once per record."""
    held = _SIGNINGS.get(id(record))
    if held is None or held[0] is not record:
        namer = _Namer(record, default_resolver())
        describe = _Describer(record, namer)
        out: dict[int, Signing] = {}
        for alliance in record.alliances.values():
            year = alliance.begin.year
            codes = describe.founders(alliance)
            out[alliance.atopid] = Signing(
                atopid=alliance.atopid,
                year=year,
                founders=tuple(namer(c, year) for c in codes),
                founder_codes=frozenset(codes),
                member_codes=frozenset(row.ccode for row in describe.rows[alliance.atopid]),
            )
        held = _SIGNINGS[id(record)] = (record, out, namer)
    return held[1], held[2]


def researched_entries(
    alliances: Iterable[Alliance], resolver: CountryResolver | None = None
) -> list[TimelineEntry]:
    """Accessions, withdrawals and suspensions the ATOP record cannot hold (after 2018, or untracked treaties).

    The researched data give years, so these entries have a year and no day.
    """
    resolver = resolver or default_resolver()
    out: list[TimelineEntry] = []
    for alliance in alliances:
        tracked = bool(alliance.atop_ids)

        def name(code: str) -> str:
            try:
                return capital(resolver.get(code).in_sentence)
            except KeyError:
                return code

        events: list[tuple[str, int, str, str]] = []
        if not tracked:
            events.append(
                (
                    "signed",
                    alliance.signed,
                    f"{alliance.short_name} signed",
                    f"{capital(_with_article(alliance.name))} was signed.",
                )
            )
        for member in (*alliance.members, *alliance.former_members):
            if (
                member.joined is not None
                and (not tracked or member.joined > ATOP_LAST_YEAR)
                and member.joined != alliance.signed
            ):
                events.append(
                    (
                        f"joined-{member.code.lower()}",
                        member.joined,
                        f"{name(member.code)} joins {_with_article(alliance.short_name)}",
                        f"{name(member.code)} joined {_with_article(alliance.name)}.",
                    )
                )
            if member.left is not None and (not tracked or member.left > ATOP_LAST_YEAR):
                events.append(
                    (
                        f"left-{member.code.lower()}",
                        member.left,
                        f"{name(member.code)} leaves {_with_article(alliance.short_name)}",
                        f"{name(member.code)} left {_with_article(alliance.name)}.",
                    )
                )
            if member.suspended is not None and (not tracked or member.suspended > ATOP_LAST_YEAR):
                events.append(
                    (
                        f"suspended-{member.code.lower()}",
                        member.suspended,
                        f"{name(member.code)}'s part in {_with_article(alliance.short_name)} suspended",
                        f"{name(member.code)}'s participation in {_with_article(alliance.name)} was suspended.",
                    )
                )
        for suffix, year, title, impact in events:
            entry_id = f"{alliance.id[:40]}-{suffix}-{year}"
            out.append(
                TimelineEntry(
                    id=entry_id,
                    kind="timeline",
                    year=year,
                    title=title[:256],
                    impact=impact[:1000],
                    topic=TOPIC,
                    sources=list(alliance.sources),
                    as_of=alliance.as_of,
                )
            )
    return out
