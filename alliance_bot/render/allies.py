"""Embeds and pictures for one country's allies, one alliance, and a pair's history strip."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import discord

from ..domain.alliances import AllianceSummary, CountryAllies, PairVerdict, Partner, Period, is_framework
from ..domain.countries import CountryResolver
from ..domain.facts import TIE_TYPES, TREATY_KINDS, Source, format_as_of
from ..domain.history import ATOP_LAST_YEAR, OBLIGATIONS
from ..domain.questions import AllianceAnswer, AlliesAnswer, HistoryAnswer
from . import COLOUR_INFO, COLOUR_NO, COLOUR_YES, FIELD_VALUE_LIMIT, clip, footer_for, make_embed, source_text
from .ask import DASH, _capital, _fit_lines, coverage_text, missing_embed, tie_label
from .pictures import Band

# --------------------------------------------------------------------------- shared


@dataclass(frozen=True)
class Picture:
    """What to draw for an answer: a map (``groups``) or a strip (``bands``), with title and caption."""

    kind: str  # "map" or "strip"
    filename: str
    title: str
    caption: str
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()
    bands: tuple[Band, ...] = ()


def _when(year: int | None) -> str:
    return f"in {year}" if year is not None else "today"


def _treaty_name(verdict: PairVerdict) -> str:
    if verdict.tie_basis is not None:
        return tie_label(verdict.tie_basis)
    if verdict.basis is not None:
        return verdict.basis.alliance.short_name
    return "no treaty"


def _sources(verdicts: Iterable[PairVerdict]) -> list[Source]:
    seen: dict[tuple[str, str | None], Source] = {}
    for verdict in verdicts:
        for source in verdict.sources:
            seen.setdefault((source.name, source.url), source)
    return list(seen.values())


def _oldest(verdicts: Iterable[PairVerdict]) -> str:
    return min((v.as_of for v in verdicts if v.as_of), default="")


def _join(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# --------------------------------------------------------------------------- a country's allies


def partner_name(partner: Partner, resolver: CountryResolver) -> str:
    """A partner as the state it was in the year asked ('Austria-Hungary' in 1914)."""
    polity = partner.verdict.polity_b
    if polity is not None and polity.renamed:
        return polity.name
    return resolver.get(partner.place).name


def _group_lines(groups: list[tuple[str, list[Partner]]], resolver: CountryResolver) -> list[str]:
    lines = []
    singles: list[Partner] = []
    for _, partners in groups:
        if len(partners) == 1:
            singles.append(partners[0])
            continue
        names = sorted(partner_name(p, resolver) for p in partners)
        lines.append(f"**{_treaty_name(partners[0].verdict)}** ({len(partners)}): {', '.join(names)}")
    if singles:
        parts = [f"{partner_name(p, resolver)} ({_treaty_name(p.verdict)})" for p in singles]
        lines.append(f"**One treaty each** ({len(singles)}): " + "; ".join(sorted(parts)))
    return lines


def _answer_when(answer: AlliesAnswer) -> str:
    span = answer.allies.span
    if span is None:
        return _when(answer.allies.year)
    years = f"{span[0]}–{span[1]}"
    return f"during {answer.label} ({years})" if answer.label else f"in {years}"


def allies_embed(answer: AlliesAnswer, resolver: CountryResolver) -> discord.Embed:
    """A country's allies grouped by treaty, with counts, and who is bound only by weaker ties."""
    result = answer.allies
    name = resolver.get(result.place).name
    if result.polity is not None and result.polity.renamed:
        name = f"{resolver.get(result.place).name} ({result.polity.name} then)"
    when = _answer_when(answer)
    count = len(result.allies)
    if count:
        title = f"{name}: {count} {'ally' if count == 1 else 'allies'} {when}, bound by a defence promise"
        description = "\n".join(_group_lines(result.groups(result.allies), resolver))
        colour = COLOUR_YES
    else:
        title = f"{name} has no allies {when} in my data"
        description = (
            f"No country is bound to {resolver.get(result.place).in_sentence} by a defence promise or a wartime "
            f"alliance {when} in my data ({coverage_text_for(result)})."
        )
        colour = COLOUR_NO
    fields: list[tuple[str, str]] = []
    if result.partners:
        lines = sorted(f"{partner_name(p, resolver)} ({_lead_kind(p)})" for p in result.partners)
        fields.append(
            (f"Designated allies, commitments and partners ({len(lines)})", clip(", ".join(lines), FIELD_VALUE_LIMIT))
        )
    if result.rivals:
        lines = sorted(f"{partner_name(p, resolver)} ({_lead_kind(p)})" for p in result.rivals)
        fields.append((f"Rivals and adversaries ({len(lines)})", clip(", ".join(lines), FIELD_VALUE_LIMIT)))
    if result.no_relations:
        names = sorted(partner_name(p, resolver) for p in result.no_relations)
        fields.append((f"No diplomatic relations ({len(names)})", clip(", ".join(names), FIELD_VALUE_LIMIT)))
    if result.weaker:
        names = sorted(partner_name(p, resolver) for p in result.weaker)
        text = f"{len(names)} countries, by neutrality, non-aggression, consultation or partnership only: " + ", ".join(names)
        fields.append(("Weaker ties only", clip(text, FIELD_VALUE_LIMIT)))
    if result.year is None and result.span is None and any(
        p.verdict.tie_basis is not None for p in result.allies + result.weaker
    ):
        fields.append(
            ("How current", f"Ties from the ATOP record are as of {ATOP_LAST_YEAR}, its last year; researched entries to {format_as_of(_research(result))}.")
        )
    if answer.left_out:
        fields.append(("Not answered here", f"Your question also asked “{clip(answer.left_out, 200)}”: ask that on its own."))
    verdicts = [p.verdict for p in result.allies + result.partners + result.rivals + result.no_relations + result.weaker]
    sources = _sources(verdicts)
    if sources:
        fields.append(("Sources", source_text(sources)))
    as_of = _oldest(verdicts)
    return make_embed(title, description, colour=colour, fields=fields, footer=footer_for(as_of) if as_of else None)


def _lead_kind(partner: Partner) -> str:
    """What binds or divides the pair, in a few words: "at war", "designated Major Non-NATO Ally"..."""
    standing = partner.verdict.standing
    if standing.war is not None:
        return "at war"
    lead = standing.lead
    return TIE_TYPES[lead.layer][lead.type] if lead is not None else "no tie"


def _research(result: CountryAllies) -> str:
    for partner in result.allies + result.weaker:
        if partner.verdict.research_as_of:
            return partner.verdict.research_as_of
    return "2025"


def coverage_text_for(result: CountryAllies) -> str:
    for partner in result.allies + result.weaker:
        return coverage_text(partner.verdict)
    return "treaty data 1815–2018 from ATOP 5.1 and researched updates"


def allies_picture(answer: AlliesAnswer, resolver: CountryResolver) -> Picture | None:
    result = answer.allies
    if result.missing is not None:
        return None
    name = resolver.get(result.place).name
    when = _answer_when(answer)
    caption = (
        f"{name} (dark blue), its allies bound by a defence promise (green), designated allies, commitments "
        f"and partners without a defence treaty (light blue), rivals and adversaries (red) and countries tied "
        f"to it only by weaker agreements (yellow), {when}. Shown on today's borders. Data: ATOP 5.1 "
        f"(to {ATOP_LAST_YEAR}) and researched entries (to {format_as_of(_research(result))})."
    )
    groups = (
        ("focus", (result.place,)),
        ("defence", tuple(p.place for p in result.allies)),
        ("partner", tuple(p.place for p in result.partners)),
        ("rival", tuple(p.place for p in result.rivals)),
        ("weaker", tuple(p.place for p in result.weaker)),
    )
    return Picture("map", "allies-map.png", f"{name}'s allies {when}", caption, groups=groups)


def allies_missing_embed(answer: AlliesAnswer, resolver: CountryResolver, record: Any) -> discord.Embed:
    """When the country was no state in the year asked."""
    result = answer.allies
    assert result.missing is not None
    verdict = PairVerdict(
        a=result.place, b=result.place, year=result.year, grade="none", basis=None, in_force=(), not_binding=(),
        relationship=None, as_of="2016-12-31", missing=result.missing,
    )
    return missing_embed(verdict, resolver, record)


# --------------------------------------------------------------------------- one alliance


def obligations_text(summary: AllianceSummary) -> str:
    """The alliance's obligations in one sentence."""
    if summary.obligations in TREATY_KINDS:
        return f"A {TREATY_KINDS[summary.obligations]}."
    promises = [OBLIGATIONS[letter] for letter in "DOANC" if letter in summary.obligations]
    if not promises:
        return "Its members' obligations are not coded."
    return f"Its members promise {_join(promises)} (as ATOP codes the treaty; obligations can differ by member)."


def _member_line(resolver: CountryResolver, member: Any) -> str:
    name = resolver.get(member.place).name
    if member.left is not None:
        return f"{name} ({member.joined or '?'}–{member.left})"
    if member.joined is not None:
        return f"{name} (since {member.joined})"
    return f"{name} (year joined not in my data)"


def alliance_embed(answer: AllianceAnswer, resolver: CountryResolver) -> discord.Embed:
    """What an alliance is, and its members in the year asked; or a yes/no on one member."""
    summary = answer.summary
    when = _when(summary.year)
    dates = f"signed {summary.signed}" + (f", ended {summary.ended}" if summary.ended else "")
    if summary.ongoing_note:
        dates += f", {summary.ongoing_note}"
    members = sorted(summary.members, key=lambda m: (m.joined or 0, resolver.get(m.place).name))
    place = resolver.get(answer.place).name if answer.place else ""
    in_sentence = resolver.get(answer.place).in_sentence if answer.place else ""
    record = next((m for m in summary.everyone if m.place == answer.place), None)
    colour = COLOUR_INFO
    if answer.kind == "member_check":
        current = next((m for m in summary.members if m.place == answer.place), None)
        if current is not None:
            title = f"Yes {DASH} {_capital(in_sentence)} {'is' if summary.year is None else 'was'} in {summary.short_name} {when}"
            title += f" (since {current.joined})" if current.joined else ""
            colour = COLOUR_YES
        elif record is not None and record.left is not None:
            title = f"No {DASH} {_capital(in_sentence)} left {summary.short_name} in {record.left}"
            colour = COLOUR_NO
        else:
            title = f"No {DASH} {_capital(in_sentence)} {'is' if summary.year is None else 'was'} not in {summary.short_name} {when}"
            colour = COLOUR_NO
    elif answer.kind == "joined":
        if record is not None and record.joined is not None:
            note = f" ({record.note})" if record.note else ""
            title = f"{place} joined {summary.short_name} in {record.joined}{note}"
        elif record is not None:
            title = f"{place} is in {summary.short_name}, but my data has no year for when it joined"
        else:
            title = f"{place} has never been a member of {summary.short_name} in my data"
    elif answer.kind == "left":
        if record is not None and record.left is not None:
            title = f"{place} left {summary.short_name} in {record.left}"
        elif record is not None:
            title = f"My data records no departure of {in_sentence} from {summary.short_name}: a member since {record.joined}"
        else:
            title = f"{place} has never been a member of {summary.short_name} in my data"
    elif answer.kind == "members":
        title = f"{summary.short_name} {when}: {len(members)} members"
    else:
        title = f"{summary.short_name}: {summary.name}" if summary.short_name != summary.name else summary.name
    description = f"{summary.name}, {dates}. {obligations_text(summary)}"
    if summary.description:
        description += f"\n\n{summary.description}"
    lines = [_member_line(resolver, m) for m in members]
    fields = [(f"Members {when} ({len(members)})", _fit_lines(lines, FIELD_VALUE_LIMIT) or "None in my data.")]
    former = [m for m in summary.everyone if m.left is not None and m not in members]
    if former and summary.year is None:
        fields.append(("Former members", _fit_lines([_member_line(resolver, m) for m in former], FIELD_VALUE_LIMIT)))
    if answer.left_out:
        fields.append(("Not answered here", f"Your question also asked “{clip(answer.left_out, 200)}”: ask that on its own."))
    fields.append(("Sources", source_text(summary.sources)))
    return make_embed(title, description, colour=colour, fields=fields, footer=footer_for(summary.as_of))


def alliance_picture(answer: AllianceAnswer, resolver: CountryResolver) -> Picture:
    summary = answer.summary
    when = _when(summary.year)
    caption = (
        f"Members of {summary.short_name} {when} (green)"
        + (f", {resolver.get(answer.place).name} in dark blue" if answer.place else "")
        + f". Shown on today's borders. Data as of {format_as_of(summary.as_of)}."
    )
    groups = [("defence", tuple(m.place for m in summary.members if m.place != answer.place))]
    if answer.place:
        groups.append(("focus", (answer.place,)))
    return Picture("map", "alliance-map.png", f"{summary.short_name} {when}", caption, groups=tuple(groups))


# --------------------------------------------------------------------------- a pair's history strip


def _band_kind(period: Period) -> str:
    verdict = period.verdict
    if verdict.missing is not None:
        return "missing"
    if verdict.allied:
        return "defence"
    lead = verdict.standing.lead
    if verdict.standing.war is not None or (lead is not None and lead.layer == "hostility"
                                            and lead.type != "no_diplomatic_relations"):
        return "rival"
    if lead is not None and lead.layer != "hostility":
        return "partner"
    if verdict.basis is None and verdict.tie_basis is not None:
        if is_framework(verdict.tie_basis):
            return "none"  # a multilateral framework is no tie between two of its parties
        if period.first > ATOP_LAST_YEAR and verdict.tie_check is None:
            return "missing"  # after 2018 only what was checked is drawn
    return "none" if verdict.grade == "none" else "weaker"


def strip_picture(answer: HistoryAnswer, resolver: CountryResolver) -> Picture | None:
    """Coloured bands for each period of the pair's record, with the treaty names."""
    known = [p for p in answer.periods if p.known]
    if not known:
        return None
    bands: list[Band] = []
    for period in answer.periods:
        kind = _band_kind(period)
        label = _treaty_name(period.verdict) if kind in ("defence", "weaker") else ""
        if bands and bands[-1].kind == kind and bands[-1].label == label and bands[-1].last == period.first - 1:
            bands[-1] = Band(bands[-1].first, period.last, kind, label)
        else:
            bands.append(Band(period.first, period.last, kind, label))
    a, b = resolver.get(answer.a).name, resolver.get(answer.b).name
    first, last = bands[0].first, bands[-1].last
    as_of = min((p.verdict.as_of for p in answer.periods if p.verdict.as_of), default="")
    caption = (
        f"{a} and {b}, {first}–{last}: each band is a period of their record. Data: ATOP 5.1 (to {ATOP_LAST_YEAR}) "
        f"and researched entries; as of {format_as_of(as_of) if as_of else 'the data'}."
    )
    return Picture("strip", "history.png", f"{a} and {b}, {first}–{last}", caption, bands=tuple(bands))
