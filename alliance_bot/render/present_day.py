"""How the present-day layer reads in a pair's answer (issue 20): the headline a tie or a war gives
a "No", and the fields that list the ties, the war and the 2018 alliances that no longer bind."""

from __future__ import annotations

from collections.abc import Callable

from ..domain.alliances import PairVerdict
from ..domain.facts import TIE_TYPES, PresentTie, format_as_of
from ..domain.history import AtopTie
from ..domain.present_day import AtWar, Lapse
from . import FIELD_VALUE_LIMIT, clip

DASH = "—"
# Ties whose first party gives, the second receives (a designation, a guarantee, a listing).
DIRECTED = frozenset({
    "major_non_nato_ally", "major_defense_partner", "other_designation", "security_commitment_law",
    "security_assurance", "executive_security_guarantee", "adversary_designation",
})
RELATIONSHIP_OF_LAYER = {
    "designated": "close partners without a mutual-defence treaty (a designated ally status)",
    "commitment": "a security commitment without a mutual-defence treaty",
    "partnership": "partners without a defence treaty",
}
RELATIONSHIP_OF_HOSTILITY = {
    "adversary_designation": "adversaries",
    "no_diplomatic_relations": "no diplomatic relations",
    "rivalry": "rivals",
}
DESIGNATIONS = {
    "state_sponsor_of_terrorism": "as a State Sponsor of Terrorism",
    "foreign_adversary": "as a foreign adversary",
    "unfriendly_country": "as an unfriendly country",
}
SHORT_NAME = 70  # longer official names are said by their kind in a headline, in full in the field


def _year(text: str | None) -> str:
    return text[:4] if text else ""


def lead_tie(verdict: PairVerdict) -> PresentTie | None:
    """The tie that heads a "No" (the domain's order: designation, commitment, hostility, partnership)."""
    return verdict.standing.lead


def _named(tie: PresentTie) -> str:
    """The tie's own name where it is short enough for a headline, else what kind it is."""
    if len(tie.name) <= SHORT_NAME:
        return tie.name
    return TIE_TYPES[tie.layer][tie.type]


def _sides(verdict: PairVerdict, tie: PresentTie, name_of: Callable[[str], str]) -> tuple[str, str]:
    """(the giving state, the other) for a directed tie, else the pair as asked."""
    first, second = tie.pair
    if tie.type in DIRECTED:
        return name_of(first), name_of(second)
    a, b = verdict.a, verdict.b
    return name_of(a), name_of(b)


def war_headline(verdict: PairVerdict, war: AtWar, a: str, b: str) -> str:
    if verdict.year is None:
        return f"No {DASH} {a} and {b} are at war: the {war.war.name}, since {_year(war.since)}."
    span = f"{_year(war.war.began)}–{_year(war.war.ended)}" if war.war.ended else f"since {_year(war.war.began)}"
    return f"No {DASH} in {verdict.year}, {a} and {b} were at war: the {war.war.name} ({span})."


def tie_headline(verdict: PairVerdict, tie: PresentTie, name_of: Callable[[str], str]) -> str:
    """'No treaty alliance, but Israel is a designated Major Non-NATO Ally of the United States: …'."""
    past = verdict.year is not None
    is_, are = ("was", "were") if past else ("is", "are")
    when = f"in {verdict.year}, " if past else ""
    giver, other = _sides(verdict, tie, name_of)
    since = f" (since {_year(tie.since)})" if tie.since and not past else ""
    if tie.layer == "designated":
        what = tie.name if tie.name[:1].islower() else f"a designated {tie.name}"
        return (
            f"No {DASH} {when}not treaty allies, but {other} {is_} {what} of {giver}{since}: "
            "close partners without a mutual-defence treaty."
        )
    if tie.layer == "commitment":
        if tie.type in DIRECTED:
            return (
                f"No {DASH} {when}not treaty allies, but {giver} {'had' if past else 'has'} a security commitment to "
                f"{other}: the {_named(tie)}{since}, without a mutual-defence treaty."
            )
        return (
            f"No {DASH} {when}not treaty allies, but {giver} and {other} {'had' if past else 'have'} a "
            f"{TIE_TYPES[tie.layer][tie.type]}{since}: security commitments without a mutual-defence treaty."
        )
    if tie.layer == "partnership":
        return f"No {DASH} {when}not treaty allies, but {giver} and {other} {are} partners: their {_named(tie)}{since}."
    # hostility
    if tie.type == "adversary_designation":
        listed = DESIGNATIONS.get(tie.designation or "") or (
            f"as a {tie.name}" if len(tie.name) <= SHORT_NAME and tie.name[:1].isupper() else f"({_named(tie)})"
        )
        return f"No {DASH} {when}{giver} and {other} {are} adversaries: {giver} lists {other} {listed}{since}."
    if tie.type == "no_diplomatic_relations":
        return f"No {DASH} {when}{giver} and {other} {are} not allies: they {'had' if past else 'have'} no diplomatic relations{since}."
    return f"No {DASH} {when}{giver} and {other} {are} rivals, not allies."


def relationship_text(verdict: PairVerdict) -> str | None:
    """The Relationship field when the present-day layer decides it."""
    if verdict.standing.war is not None:
        return "At war" if verdict.year is None else f"At war in {verdict.year}"
    tie = lead_tie(verdict)
    if tie is None:
        return None
    text = RELATIONSHIP_OF_HOSTILITY[tie.type] if tie.layer == "hostility" else RELATIONSHIP_OF_LAYER[tie.layer]
    return text[:1].upper() + text[1:]


def _tie_line(verdict: PairVerdict, tie: PresentTie, name_of: Callable[[str], str]) -> str:
    kind = TIE_TYPES[tie.layer][tie.type]
    dates = f"since {tie.since}" if tie.since else "date not given"
    if tie.until:
        dates += f", until {tie.until}"
    by = f"; by {name_of(tie.pair[0])}" if tie.type in DIRECTED else ""
    return f"**{tie.name}** ({kind}{by}; {dates}, as of {tie.as_of})"


def standing_fields(
    verdict: PairVerdict, name_of: Callable[[str], str], label_of: Callable[[AtopTie], str]
) -> list[tuple[str, str]]:
    """The present-day ties (or those of the year asked), a war, and what no longer binds."""
    fields: list[tuple[str, str]] = []
    lines = []
    war = verdict.standing.war
    if war is not None:
        until = war.until or "ongoing"
        lines.append(f"**At war**: the {war.war.name}, {war.since} to {until} ({war.side_a} against {war.side_b})")
    lines += [_tie_line(verdict, tie, name_of) for tie in verdict.standing.ties]
    if lines:
        title = "Ties today, below a treaty alliance" if verdict.year is None else f"Ties in {verdict.year}, below a treaty alliance"
        fields.append((title, clip("\n".join(f"• {line}" for line in lines), FIELD_VALUE_LIMIT)))
    if verdict.lapsed:
        lapsed = [f"• {label_of(tie)}: {lapse_text(lapse, name_of)}" for tie, lapse in verdict.lapsed]
        fields.append(("No longer binding (checked since 2018)", clip("\n".join(lapsed), FIELD_VALUE_LIMIT)))
    return fields


CHANGE_TEXT = {"left": "left", "suspended": "was suspended", "frozen": "froze its participation"}


def lapse_text(lapse: Lapse, name_of: Callable[[str], str]) -> str:
    when = (" on " if lapse.date and len(lapse.date) == 10 else " in ") + format_as_of(lapse.date) if lapse.date else ""
    if lapse.kind == "ended" or lapse.code is None:
        return f"ended{when}"
    return f"{name_of(lapse.code)} {CHANGE_TEXT.get(lapse.kind, lapse.kind)}{when}"


def lapsed_headline(verdict: PairVerdict, a: str, b: str, label_of: Callable[[AtopTie], str], name_of: Callable[[str], str]) -> str | None:
    """'No — Niger and Nigeria are no longer allies: ECOWAS … (Niger left on 2025-01-29).' when an
    alliance of the 2018 record bound them and no longer does, and nothing else decides."""
    if not verdict.lapsed:
        return None
    tie, lapse = max(verdict.lapsed, key=lambda pair: pair[0].allied)  # a defence pact first
    if tie.allied:
        return f"No {DASH} {a} and {b} are no longer allies: {label_of(tie)}, {lapse_text(lapse, name_of)}."
    return f"No {DASH} {a} and {b} are not allies: {label_of(tie)} no longer binds them, {lapse_text(lapse, name_of)}."


def summary(verdict: PairVerdict) -> str | None:
    """The paragraph under a headline the present-day layer gave: what the research says of it."""
    war = verdict.standing.war
    if war is not None:
        return f"Straight answer: no. {war.war.summary}"
    tie = lead_tie(verdict)
    return f"Straight answer: no, not as treaty allies. {tie.summary}" if tie is not None else None
