"""Embeds and buttons for /ask and /ally: verdicts, the US–Russia sections, FAQ and no-verdict replies.

The buttons (sections, suggestions) are lean dynamic items: their custom_id carries what a click
needs, so replies are sent with a ready payload and nothing is kept per message.
"""

from __future__ import annotations

import functools
import logging
import re
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol, TypeVar

import discord

from ..domain.alliances import PairException, PairVerdict, Period, SharedTreaty, is_framework
from ..domain.countries import CountryResolver
from ..domain.facts import (
    RELATIONSHIP_LABELS,
    TREATY_KINDS,
    EconomicMeasure,
    FactBase,
    Faq,
    Figure,
    Perspective,
    Point,
    Source,
    TimelineEntry,
    fill_computed,
    format_as_of,
)
from ..domain.history import (
    ATOP_FIRST_YEAR,
    ATOP_LAST_YEAR,
    ATOP_SOURCE,
    WAR_NAMES,
    AtopAlliance,
    AtopTie,
    HistoricalRecord,
    date_text,
    tie_start_text,
)
from ..domain.languages import NOTES as LANGUAGE_NOTES
from ..domain.places import PLACES_BY_CODE
from ..domain.questions import HistoryAnswer, NoVerdict, When
from . import (
    BUTTON_LABEL_LIMIT,
    COLOUR_INFO,
    COLOUR_NO,
    COLOUR_WARN,
    COLOUR_YES,
    DESCRIPTION_LIMIT,
    FIELD_COUNT_LIMIT,
    FIELD_VALUE_LIMIT,
    SharedEmbed,
    clip,
    footer_for,
    loaded_cog,
    make_embed,
    owner_may_use,
    source_domain,
    source_text,
)
from . import present_day as render_present

log = logging.getLogger(__name__)

DASH = "—"

# ------------------------------------------------------------------------- small helpers


def safe(text: str, limit: int = 100) -> str:
    """User-written text made inert for display: no mentions, no markdown, clipped."""
    text = discord.utils.escape_markdown(" ".join(text.split()))
    # A zero-width space after every "@" defuses @everyone, @here and <@id> alike.
    text = text.replace("@", "@\u200b")
    return clip(text, limit)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sources_of(facts: Iterable[Any]) -> list[Source]:
    seen: dict[tuple[str, str | None, str | None], Source] = {}
    for fact in facts:
        for source in fact.sources:
            seen.setdefault((source.name, source.url, source.cites), source)
    return list(seen.values())


def _oldest_as_of(facts: Iterable[Any]) -> str | None:
    """The oldest "as of" among the facts an answer shows: the answer is no fresher than that."""
    return min((fact.as_of for fact in facts), default=None)


# ------------------------------------------------------------------------- pair verdicts


def _name_of(resolver: CountryResolver, verdict: PairVerdict) -> Callable[[str], str]:
    """A country of a present-day tie as the answer names it (the pair as asked, or another state)."""

    def name(code: str) -> str:
        if code == verdict.a:
            return place_text(resolver, verdict, "a")
        if code == verdict.b:
            return place_text(resolver, verdict, "b")
        return resolver.get(code).in_sentence

    return name


def headline(verdict: PairVerdict, resolver: CountryResolver) -> str:
    """The embed title: the verdict word first, then the plain sentence."""
    relationship = verdict.relationship
    word = "Yes" if verdict.allied else "No"
    if not verdict.allied and verdict.standing.war is not None:  # a war is said first, whatever else holds
        return render_present.war_headline(verdict, verdict.standing.war, *_places(resolver, verdict))
    if relationship is not None and relationship.headline.startswith(f"{word} {DASH}"):
        return relationship.headline
    lead = render_present.lead_tie(verdict) if not verdict.allied else None
    if lead is not None:
        return render_present.tie_headline(verdict, lead, _name_of(resolver, verdict))
    if not verdict.allied and verdict.year is None and (verdict.tie_basis is None or not verdict.tie_basis.allied):
        lapsed = render_present.lapsed_headline(verdict, *_places(resolver, verdict), tie_label, _name_of(resolver, verdict))
        if lapsed is not None:
            return lapsed
    if verdict.tie_basis is not None:
        return tie_headline(verdict, verdict.tie_basis, resolver)
    a, b = _places(resolver, verdict)
    when = f"in {verdict.year}, " if verdict.year is not None else ""
    past = verdict.year is not None
    are = "were" if past else "are"
    if verdict.allied:
        return f"Yes {DASH} {when}{a} and {b} {are} treaty allies."
    if verdict.grade == "close_partners":
        return f"No {DASH} {when}{a} and {b} {are} close partners, not treaty allies."
    if verdict.grade == "partners":
        return f"No {DASH} {when}{a} and {b} {are} partners without a defence treaty, not allies."
    if verdict.not_binding:
        return f"No {DASH} {when}{a} and {b} {are} not allies: no alliance between them {'was' if past else 'is'} in force."
    return f"No {DASH} {when}{a} and {b} {are} not allies: no alliance between them in my data."


def _kind_text(treaty: SharedTreaty) -> str:
    alliance = treaty.alliance
    text = TREATY_KINDS[alliance.treaty_kind]
    return f"{text}, {alliance.article}" if alliance.article else text


def _joined_text(resolver: CountryResolver, code: str, joined: int | None) -> str:
    name = resolver.get(code).name
    return f"{name} since {joined}" if joined is not None else f"{name} (year joined unknown in our data)"


def treaty_line(treaty: SharedTreaty, resolver: CountryResolver) -> str:
    """One shared treaty: name, kind, article, year signed and each side's year of joining."""
    alliance = treaty.alliance
    sides = " · ".join(_joined_text(resolver, s.code, s.joined) for s in (treaty.a, treaty.b))
    dates = f"signed {alliance.signed}"
    if alliance.in_force is not None and alliance.in_force != alliance.signed:
        dates += f", in force {alliance.in_force}"
    return f"**{alliance.short_name}** ({_kind_text(treaty)}; {dates}): {sides}"


def exception_line(
    treaty: SharedTreaty, exception: PairException, resolver: CountryResolver, year: int | None
) -> str:
    """Why one shared treaty does not bind the pair."""
    short = treaty.alliance.short_name
    name = resolver.get(exception.code).name if exception.code else ""
    note = f" ({exception.note})" if exception.note else ""
    match exception.kind:
        case "suspended":
            text = f"{short}: {name} suspended (froze) its participation in {exception.since}{note}."
        case "pair_suspended":
            a, b = (resolver.get(s.code).name for s in (treaty.a, treaty.b))
            text = f"{short}: obligations between {a} and {b} suspended since {exception.since}{note}."
        case "disputed":
            since = f" since {exception.since}" if exception.since else ""
            text = f"{short}: {name}'s membership is disputed{since}{note}."
        case "left":
            text = f"{short}: {name} left in {exception.since}{note}."
        case "not_yet" if exception.code:
            text = f"{short}: {name} joined only in {exception.since}."
        case "not_yet":
            text = f"{short}: the treaty took effect only in {exception.since}."
        case "year_unknown":
            text = f"{short}: the year {name} joined is unknown in our data, so I can't say it applied in {year}{note}."
        case _:  # pragma: no cover - every kind is handled above
            text = short
    return text


def summary_text(verdict: PairVerdict, resolver: CountryResolver, treaty_count: int) -> str:
    """A short paragraph in plain words under the headline."""
    if verdict.relationship is not None and verdict.standing.war is None:
        return verdict.relationship.summary
    present = render_present.summary(verdict) if not verdict.allied else None
    if present is not None:
        return present
    a, b = _places(resolver, verdict)
    note = renamed_note(verdict, resolver)
    note = f"\n\n{note}" if note else ""
    basis = verdict.basis
    tie = verdict.tie_basis
    if tie is not None:
        word = "yes" if tie.allied else "no, not as allies"
        period = (
            f"Together in it: {tie_years(tie)}. Signed {date_text(tie.alliance.begin, 'day')} "
            "(ATOP dates each membership from signature)."
        )
        return f"Straight answer: {word}. {promises_text(tie, a, b)} {period}{note}"
    if verdict.allied and basis is not None:
        article = f" ({basis.alliance.article})" if basis.alliance.article else ""
        return (
            f"Straight answer: yes. {_capital(a)} and {b} are both bound by the {basis.alliance.name}{article}, "
            f"a {TREATY_KINDS[basis.alliance.treaty_kind]}. {basis.alliance.description}{note}"
        )
    if basis is not None:
        return (
            f"Straight answer: no, not as treaty allies. What ties {a} and {b} is the {basis.alliance.name}, "
            f"a {TREATY_KINDS[basis.alliance.treaty_kind]}. {basis.alliance.description}{note}"
        )
    if verdict.not_binding and verdict.year is not None:
        return (
            f"Straight answer: no. In {verdict.year}, no treaty in my data bound {a} and {b}; "
            f"the exceptions below say what changed and when.{note}"
        )
    if verdict.not_binding:
        return (
            f"Straight answer: no. {_capital(a)} and {b} share a treaty on paper, but it does not bind them "
            f"now; see the exceptions below.{note}"
        )
    when = f" in {verdict.year}" if verdict.year is not None else ""
    return (
        f"Straight answer: no. Searched: {coverage_text(verdict)}: no alliance between {a} and {b}{when}. "
        f"That is not a claim that they are hostile: only that no alliance between them is on record.{note}"
    )


GRADE_LABELS = {
    "non_aggression": "not allies: bound by a non-aggression or neutrality pact",
    "consultation": "not allies: bound only by a consultation agreement",
    "none": "no alliance in my data",
}


def pair_embed(
    verdict: PairVerdict, resolver: CountryResolver, treaty_count: int, record: HistoricalRecord | None = None
) -> discord.Embed:
    """The answer to "are A and B allies?": verdict, paragraph, evidence, exceptions, sources."""
    if verdict.missing is not None:
        return missing_embed(verdict, resolver, record)
    fields: list[tuple[str, str]] = []
    if verdict.in_force:
        fields.append(
            ("Shared treaties in force", _fit_lines([treaty_line(t, resolver) for t in verdict.in_force], FIELD_VALUE_LIMIT + 40))
        )
    tie_field = ties_field(verdict, resolver)
    if tie_field is not None:
        fields.append(tie_field)
    fields += render_present.standing_fields(verdict, _name_of(resolver, verdict), tie_label)
    if verdict.not_binding:
        lines = [
            exception_line(t, e, resolver, verdict.year) for t in verdict.not_binding for e in t.exceptions
        ]
        fields.append(("Exceptions", "\n".join(lines)))
    label = verdict.relationship.label if verdict.relationship is not None else verdict.grade
    label_text = GRADE_LABELS.get(label) or RELATIONSHIP_LABELS.get(label, "no alliance in my data")
    present_label = render_present.relationship_text(verdict) if not verdict.allied else None
    if present_label is not None and (verdict.relationship is None or verdict.standing.war is not None):
        label_text = present_label
    fields.append(("Relationship", _capital(label_text)))
    if verdict.year is not None:
        fields.append(("Year asked about", f"{verdict.year}, judged from the treaties' dates"))
    if not verdict.allied and verdict.basis is None and verdict.tie_basis is None:
        fields.append(("Searched", f"{_capital(coverage_text(verdict))}: no alliance between them."))
    fields.append(("Sources", source_text(verdict.sources or (ATOP_SOURCE,))))
    colour = COLOUR_YES if verdict.allied else COLOUR_NO
    return make_embed(
        headline(verdict, resolver),
        summary_text(verdict, resolver, treaty_count),
        colour=colour,
        fields=fields,
        footer=footer_for(verdict.as_of) if verdict.as_of else None,
    )


# ------------------------------------------------------------------------- the US–Russia sections


EMPTY_QUESTION = "Your question is empty. Try something like “is the U.S. allies with Russia?”."
FACT_CHECK_MENU = "Check alliances in this message"  # the message menu's name (32 characters at most)
NOTHING_TO_CHECK = "That message has no text I can check: try the menu on a message with a claim in words."
FACT_CHECK_LENGTH = 300  # as much of one claim as /ask reads
FACT_CHECK_SCAN = 2000  # as much of a message as the menu looks through for claims (a message's own limit)
FACT_CHECK_CLAIMS = 3  # claims answered at most, each briefly
POST_PUBLICLY = "Post publicly"


BUNDLED_NOTE = "bundled facts (no server's own edits)"


def bundled_footer(footer: str | None) -> str:
    """A footer outside a server: the answer rests on the bundled facts only."""
    return f"{footer} · {BUNDLED_NOTE}" if footer else BUNDLED_NOTE[:1].upper() + BUNDLED_NOTE[1:]


def english_note(language: str) -> str | None:
    """One line in the asker's language: the answers are in English for now (None for English)."""
    note = LANGUAGE_NOTES.get(language)
    return f"-# {note}" if note else None


def checked_line(claim: str) -> str:
    """The line above a fact-check answer: which words were checked."""
    shown = clip(" ".join(claim.split()), 150)
    return f"Checked: “{discord.utils.escape_markdown(shown)}”"


def checked_many_line(count: int) -> str:
    return f"Checked {count} claims in that message:"


def shared_line(content: str | None, user_name: str) -> str:
    """The public copy's first line: what was checked, and who shared it (a name, never a mention)."""
    who = discord.utils.escape_mentions(discord.utils.escape_markdown(user_name))
    head = content or "Fact-check"
    return clip(f"{head}\n-# shared by {who}", 2000)


BRIEF_DESCRIPTION = 600
BRIEF_SOURCES = 400


def brief_embed(embed: discord.Embed) -> discord.Embed:
    """One claim's answer, short: its headline, the start of its evidence, its sources and date."""
    brief = discord.Embed(title=embed.title, description=clip(embed.description or "", BRIEF_DESCRIPTION) or None)
    brief.colour = embed.colour
    for field in embed.fields:
        if field.name == "Sources":
            brief.add_field(name=field.name, value=clip(field.value or "", BRIEF_SOURCES), inline=False)
    if embed.footer.text:
        brief.set_footer(text=embed.footer.text)
    return brief


def public_copy(embeds: Sequence[discord.Embed]) -> list[discord.Embed]:
    """A private answer's embeds for a public post: pictures attached to the private reply are not carried over."""
    copies = []
    for embed in embeds:
        copy = embed.copy()
        if copy.image and (copy.image.url or "").startswith("attachment://"):
            copy.set_image(url=None)
        copies.append(copy)
    return copies


class PostHandler(Protocol):
    async def post_publicly(self, interaction: discord.Interaction, owner_id: int) -> None: ...


class PostPubliclyButton(
    discord.ui.DynamicItem[discord.ui.Button], template=r"ask:post:(?P<owner>[0-9]{1,20})"
):
    """On a private fact-check: post the same answer in the channel, for everyone to read."""

    def __init__(self, owner_id: int) -> None:
        super().__init__(
            discord.ui.Button(label=POST_PUBLICLY, style=discord.ButtonStyle.primary, custom_id=f"ask:post:{owner_id}")
        )
        self.owner_id = owner_id

    def is_dispatchable(self) -> bool:
        return False  # clicks reach it through AllianceBot.add_lean_dynamic_items

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /
    ) -> PostPubliclyButton:
        return cls(int(match["owner"]))

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return await owner_may_use(interaction, self.owner_id)

    async def callback(self, interaction: discord.Interaction) -> None:
        handler: PostHandler = loaded_cog(interaction, "Ask")
        await handler.post_publicly(interaction, self.owner_id)


def post_row(owner_id: int) -> dict[str, Any]:
    """The row with the Post publicly button, as Discord's component payload."""
    return {"type": 1, "components": [PostPubliclyButton(owner_id).item.to_component_dict()]}


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    title: str


ROOTS_SINCE = 1991  # the flagship's timeline section: from the Soviet collapse on

SECTIONS: tuple[Section, ...] = (
    Section("verdict", "Verdict", "Verdict and headline figures"),
    Section("timeline", "Timeline", "The roots of the rivalry: timeline"),
    Section("military", "Military", "Military tensions"),
    Section("economy", "Economy", "The economic cold war"),
    Section("cooperation", "Cooperation", "When cooperation (barely) happens"),
    Section("confusion", "Why confused", "Why people get confused"),
    Section("experts", "Experts", "What experts think"),
    Section("faq", "FAQ", "Your questions answered"),
    Section("outlook", "What to watch", "What comes next: what to watch"),
    # Dated news: the explainer's 2024 items, then what changed since (the key is a data key).
    Section("this_week", "In the news", "In the news, 2024, and what changed since"),
)
SECTION_KEYS = tuple(s.key for s in SECTIONS)
_MISSING = "Our data has nothing for this section right now."


def _points(facts: FactBase, section: str) -> list[Point]:
    return sorted((p for p in facts.of_kind("point") if p.section == section), key=lambda p: p.order)


def _point_fields(points: Sequence[Point], today: date, dated: bool = False) -> list[tuple[str, str]]:
    fields = []
    for point in points:
        value = fill_computed(point.text, today)
        if dated:
            value += f"\n*as of {format_as_of(point.as_of)}*"
        fields.append((point.title, value))
    return fields


def _section_parts(
    key: str, facts: FactBase, verdict: PairVerdict, resolver: CountryResolver, today: date
) -> tuple[str, str, list[tuple[str, str]], list[Any]]:
    """(title, description, fields, facts shown) for one section."""
    if key == "verdict":
        # One screen: the verdict, the explainer's voice, the strongest figures a source confirms
        # (each with its own source), and the shared-treaty evidence; the rest is in the sections.
        figures = flagship_figures(facts.of_kind("figure"))
        description = _first_sentence(summary_text(verdict, resolver, 0))
        fields = [(f"{f.value} {DASH} {f.label}", _figure_brief(f)) for f in figures]
        if not verdict.in_force:
            fields.append(("Shared defence treaties", "None in our treaty data."))
        shown: list[Any] = [*figures]
        if verdict.relationship is not None:
            shown.append(verdict.relationship)
        return headline(verdict, resolver), description, fields, shown
    title = next(s.title for s in SECTIONS if s.key == key)
    if key == "timeline":
        # The roots of today's rivalry start with the Soviet collapse (the whole timeline since
        # 1809 is /timeline browse): the explainer's own table (its rows carry a year only), then
        # the most recent dated events that fit, shown in date order. Only what is shown is cited.
        roots = _points(facts, "roots")
        intro = " ".join(fill_computed(p.text, today) for p in roots)
        budget, more = DESCRIPTION_LIMIT - len(intro) - 4, "in `/timeline browse`"
        since = [e for e in facts.of_kind("timeline") if e.year >= ROOTS_SINCE]
        table = [e for e in since if e.month is None]
        dated = sorted((e for e in since if e.month is not None), key=_entry_order, reverse=True)
        chosen = table[:]
        for entry in dated:
            if _lines_fitting([_timeline_line(e) for e in [*chosen, entry]], budget, more) <= len(chosen):
                break
            chosen.append(entry)
        shown = sorted(chosen, key=_entry_order)
        rest = len(since) - len(shown)
        body = "\n".join(_timeline_line(e) for e in shown)
        if rest:
            body += f"\n…and {rest} more {'entry' if rest == 1 else 'entries'} {more}."
        description = f"{intro}\n\n{body}" if intro else body
        return title, description or _MISSING, [], [*shown, *roots]
    if key == "economy":
        rows: list[EconomicMeasure] = facts.of_kind("economic")
        fields = [
            (
                f"US action: {r.us_action}",
                f"Russian response: {r.russian_response}\nReal-world impact: {r.impact}",
            )
            for r in rows
        ]
        return title, "" if rows else _MISSING, fields, rows
    if key == "experts":
        views: list[Perspective] = facts.of_kind("perspective")
        fields = [(f"{v.perspective}: “{v.view}”", f"“{v.quote}” {DASH} {v.quote_source}") for v in views]
        return title, "" if views else _MISSING, fields, views
    if key == "faq":
        faqs: list[Faq] = [f for f in facts.of_kind("faq") if f.topic == "us-russia"]
        fields = [(f.question, fill_computed(f.answer, today)) for f in faqs]
        return title, "" if faqs else _MISSING, fields, faqs
    section = {
        "cooperation": "cooperation",
        "confusion": "confusion",
        "outlook": "outlook",
        "this_week": "this_week",
    }
    points = _points(facts, section.get(key, key))
    fields = _point_fields(points, today, dated=key == "this_week")
    return title, "" if points else _MISSING, fields, points


FLAGSHIP_FIGURES = 3


def _confirming(sources: Sequence[Source]) -> list[Source]:
    """The sources that can be checked (a link to the publisher's page), in their order."""
    return [source for source in sources if source.url]


def flagship_figures(figures: Sequence[Figure], limit: int = FLAGSHIP_FIGURES) -> list[Figure]:
    """The US–Russia figures the first answer shows: headline ones first, only those a source confirms."""
    confirmed = [f for f in figures if f.topic == "us-russia" and _confirming(f.sources)]
    return sorted(confirmed, key=lambda f: not f.headline)[:limit]


def _first_sentence(text: str) -> str:
    """The first sentence of ``text`` (up to its first full stop followed by a space)."""
    match = re.search(r"(?<=[.!?])\s", text)
    return text[: match.start()] if match else text


def _figure_brief(figure: Figure) -> str:
    """A flagship figure in one sentence, linked to the first source that confirms it.

    The whole detail and every source are in the Key figures section; the first screen keeps one
    sentence and one link per figure so the verdict reads in a single screen.
    """
    source = _confirming(figure.sources)[0]
    publisher = (source.publisher or source_domain(source.url) or source.name).replace("[", "(").replace("]", ")")
    return f"{_first_sentence(figure.detail)}\nSource: [{publisher}](<{source.url}>)"


def _timeline_line(entry: TimelineEntry) -> str:
    return f"**{entry.year}** · {entry.title} → {entry.impact}"


def _entry_order(entry: TimelineEntry) -> tuple[int, int, int]:
    return (entry.year, entry.month or 0, entry.day or 0)


def _lines_fitting(lines: Sequence[str], budget: int, more: str = "") -> int:
    """How many of ``lines``, from the first, fit ``budget`` with room for a "…and N more" line."""
    used = 0
    for index, line in enumerate(lines):
        if used + len(line) + 1 > budget - 40 - len(more):
            return index
        used += len(line) + 1
    return len(lines)


def _fit_lines(lines: Sequence[str], budget: int, more: str = "") -> str:
    fitting = _lines_fitting(lines, budget, more)
    out = list(lines[:fitting])
    rest = len(lines) - fitting
    if rest:
        out.append(f"…and {rest} more {'entry' if rest == 1 else 'entries'}{' ' + more if more else ''}.")
    return "\n".join(out)


def section_embed(
    key: str, facts: FactBase, verdict: PairVerdict, resolver: CountryResolver, today: date
) -> discord.Embed:
    """One section of the US–Russia answer, within Discord's limits, with its sources and date."""
    title, description, fields, shown = _section_parts(key, facts, verdict, resolver, today)
    fields = fields[: FIELD_COUNT_LIMIT - 1]
    # The verdict's figures cite their sources beside them; its Sources field is the verdict's own.
    cited = [f for f in shown if not isinstance(f, Figure)] if key == "verdict" else shown
    sources = _sources_of(cited) or list(verdict.sources)
    if sources:
        fields.append(("Sources", source_text(sources, FIELD_VALUE_LIMIT)))
    as_of = _oldest_as_of(shown) or verdict.as_of
    position = SECTION_KEYS.index(key) + 1
    footer = footer_for(as_of, f"section {position} of {len(SECTIONS)}") if as_of else None
    colour = COLOUR_NO if key == "verdict" else COLOUR_INFO
    return make_embed(title, description, colour=colour, fields=fields, footer=footer)


class SectionHandler(Protocol):
    async def show_section(self, interaction: discord.Interaction, key: str, owner_id: int, a: str, b: str) -> None: ...


class SectionButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"ask:section:(?P<key>" + "|".join(SECTION_KEYS) + r"):(?P<owner>[0-9]{1,20}):"
    r"(?P<a>[A-Za-z0-9_-]{1,16}):(?P<b>[A-Za-z0-9_-]{1,16})",
):
    """A button that switches the US–Russia answer to one section, for the person who asked.

    Its custom_id carries the section, the asker and the pair, so a click needs no View kept per
    reply (nor its timeout task), and the buttons keep working after a restart. A click shows the
    section from the server's facts as they are then.
    """

    def __init__(
        self, key: str, owner_id: int, a: str, b: str, *, current: str = "verdict"
    ) -> None:
        chosen = key == current
        position = SECTION_KEYS.index(key)
        super().__init__(
            discord.ui.Button(
                label=SECTIONS[position].label,
                custom_id=f"ask:section:{key}:{owner_id}:{a}:{b}",
                style=discord.ButtonStyle.primary if chosen else discord.ButtonStyle.secondary,
                disabled=chosen,
                row=position // 5,
            )
        )
        self.key, self.owner_id, self.a, self.b = key, owner_id, a, b

    def is_dispatchable(self) -> bool:
        # Clicks reach it through AllianceBot.add_lean_dynamic_items; see ReadyComponents.
        return False

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /
    ) -> SectionButton:
        return cls(match["key"], int(match["owner"]), match["a"], match["b"])

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return await owner_may_use(interaction, self.owner_id)

    async def callback(self, interaction: discord.Interaction) -> None:
        handler: SectionHandler = loaded_cog(interaction, "Ask")
        await handler.show_section(interaction, self.key, self.owner_id, self.a, self.b)


@functools.cache
def _section_rows(current: str) -> tuple[tuple[dict[str, Any], ...], ...]:
    """The section buttons' payload with ``current`` chosen, each custom_id still to be completed."""
    rows: list[list[dict[str, Any]]] = []
    for index, section in enumerate(SECTIONS):
        button = SectionButton(section.key, 0, "A", "B", current=current).item.to_component_dict()
        button["custom_id"] = f"ask:section:{section.key}"
        if index % 5 == 0:
            rows.append([])
        rows[-1].append(button)
    return tuple(tuple(row) for row in rows)


def section_components(owner_id: int, a: str, b: str, current: str = "verdict") -> list[dict[str, Any]]:
    """The section buttons as Discord's component payload, for ``owner_id`` and the pair (a, b).

    The same payload a View of ``SectionButton`` items gives, without building one per reply.
    """
    suffix = f":{owner_id}:{a}:{b}"
    return [
        {"type": 1, "components": [{**button, "custom_id": button["custom_id"] + suffix} for button in row]}
        for row in _section_rows(current)
    ]


# ------------------------------------------------------------------------- rendered replies

RENDERED_REPLIES = 512  # per fact-base view, like the engine's remembered answers; 0 turns it off


Rendered = TypeVar("Rendered")


def _shared(rendered: Rendered) -> Rendered:
    if isinstance(rendered, discord.Embed):
        return SharedEmbed.of(rendered)  # type: ignore[return-value]
    if isinstance(rendered, tuple):
        return tuple(_shared(part) for part in rendered)  # type: ignore[return-value]
    return rendered


class RenderedReplies:
    """Replies already rendered for one fact-base view, by answer and day.

    The ask engine remembers its recent answers (the same object for the same question), and
    rendering a verdict costs more than answering it from memory (a pair embed about 55 µs, the
    US–Russia answer about 120 µs): popular questions reuse the embed (or, for a no-verdict
    reply, the embed and its suggestion buttons). What comes from here is shared by every reply
    that shows it: send it, never change it.
    """

    def __init__(self, size: int | None = None) -> None:
        self.size = RENDERED_REPLIES if size is None else size
        self._replies: OrderedDict[tuple[int, date], tuple[object, Any]] = OrderedDict()

    def get(self, answer: object, today: date, render: Callable[[], Rendered]) -> Rendered:
        """The reply rendered for ``answer`` today, rendering (and keeping) it on a miss."""
        found = self.find(answer, today)
        return self.keep(answer, today, render()) if found is None else found  # type: ignore[no-any-return]

    def find(self, answer: object, today: date) -> Any | None:
        """The reply kept for ``answer`` today, or None (for renders that must await something)."""
        key = (id(answer), today)
        cached = self._replies.get(key)
        if cached is not None and cached[0] is answer:  # the answer itself is kept, so its id is not reused
            self._replies.move_to_end(key)
            return cached[1]
        return None

    def keep(self, answer: object, today: date, rendered: Rendered) -> Rendered:
        """Keep ``rendered`` as the reply for ``answer`` today (unless keeping is turned off); return it.

        Its embeds are kept as ``SharedEmbed``: their payload is built once for every send.
        """
        if self.size > 0:
            rendered = _shared(rendered)
            self._replies[(id(answer), today)] = (answer, rendered)
            if len(self._replies) > self.size:
                self._replies.popitem(last=False)
        return rendered


# ------------------------------------------------------------------------- FAQ and no verdict


def faq_embed(faq: Faq, today: date) -> discord.Embed:
    """A FAQ answer with its source and date."""
    return make_embed(
        faq.question,
        fill_computed(faq.answer, today),
        fields=[("Sources", source_text(faq.sources))],
        footer=footer_for(faq.as_of),
    )


def no_verdict_embed(answer: NoVerdict, resolver: CountryResolver) -> discord.Embed:
    """Say what could not be resolved, without a Yes/No headline, and what to try instead."""
    names = ", ".join(resolver.get(code).name for code in answer.candidates)
    match answer.reason:
        case "unknown_place":
            title = f"I don't know a country called “{safe(answer.unresolved, 80)}”"
            text = "So I can't give a verdict on that pair."
            if names:
                text += f" Closest names I know: {names}."
        case "ambiguous":
            title = f"“{safe(answer.unresolved, 80)}” could mean more than one country"
            text = f"I won't guess which one you meant: {names}? Pick one below."
        case "same_country":
            title = "That's the same country twice"
            name = resolver.get(answer.candidates[0]).name if answer.candidates else "That country"
            text = f"{name} is named on both sides, so there is no pair to compare. Ask about two different countries."
        case "future_year":
            title = f"I can't answer for {answer.year}"
            text = "My data describes treaties up to today; I don't predict future alliances."
        case "needs_pair":
            title = "Which two countries do you mean?"
            text = (
                "I won't guess. Ask with both names, e.g. “are France and Germany allies?”, or pick a pair "
                "below; then “what about China?” or “and in 1944?” follow on from it."
            )
        case _:
            title = "I couldn't match that question confidently"
            text = (
                "I won't present a guess as an answer. I answer questions like “are France and Germany allies?” "
                "(optionally “in 1995”) and the questions below."
            )
    if answer.closest and answer.reason in ("no_match", "unknown_place"):
        text += "\n\nClosest questions I can answer:\n" + "\n".join(f"• {f.question}" for f in answer.closest)
    return make_embed(title, text, colour=COLOUR_WARN)


def unknown_alliance_text(typed: str, closest: Sequence[str]) -> str:
    """The refusal for an alliance name the data does not know, with the closest names."""
    text = f"I don't know an alliance called “{safe(typed, 80)}”."
    if closest:
        text += " Closest names I know: " + "; ".join(closest) + "."
    return text + " Start typing in the name option to pick from the list."


@dataclass(frozen=True)
class Choice:
    """A suggested follow-up: re-ask a pair (``codes``) or show a FAQ entry (``faq_id``)."""

    label: str
    codes: tuple[str, str] | None = None
    faq_id: str | None = None
    year: int | None = None


def no_verdict_choices(answer: NoVerdict, resolver: CountryResolver) -> list[Choice]:
    """The buttons offered with a no-verdict reply: candidate pairs first, then the closest questions."""
    choices: list[Choice] = []
    if answer.reason in ("ambiguous", "unknown_place") and answer.other:
        other = resolver.get(answer.other).name
        for code in answer.candidates:
            if code != answer.other:
                label = f"{resolver.get(code).name} & {other}"
                choices.append(
                    Choice(clip(label, BUTTON_LABEL_LIMIT), codes=(code, answer.other), year=answer.year)
                )
    if answer.reason in ("no_match", "unknown_place"):
        for faq in answer.closest:
            choices.append(Choice(clip(faq.question, BUTTON_LABEL_LIMIT), faq_id=faq.id))
    if answer.reason == "needs_pair":
        for a, b in ASKED_PAIRS:
            label = f"{resolver.get(a).name} & {resolver.get(b).name}"
            choices.append(Choice(clip(label, BUTTON_LABEL_LIMIT), codes=(a, b), year=answer.year))
    return choices[:10]


# The pairs offered when a question names none: the ones people ask about most (the US and Russia
# first, the question this bot grew from).
ASKED_PAIRS = (("US", "RU"), ("US", "CN"), ("RU", "CN"), ("US", "IL"), ("RU", "UA"))


class ChoiceHandler(Protocol):
    async def show_choice(self, interaction: discord.Interaction, choice: Choice) -> None: ...


class SuggestionButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"ask:pick:(?P<owner>[0-9]{1,20}):(?P<index>[0-9]):(?:"
    r"p:(?P<a>[A-Za-z0-9_-]{1,16}):(?P<b>[A-Za-z0-9_-]{1,16}):(?P<year>[0-9]{0,4})"
    r"|f:(?P<faq>[a-z0-9][a-z0-9_-]{1,63}))",
):
    """A button that re-asks with a suggested pair or FAQ question, for the person who asked.

    Its custom_id carries the choice and the asker (at most 99 characters), so no View is kept
    per reply, as with ``SectionButton``.
    """

    def __init__(self, index: int, owner_id: int, choice: Choice) -> None:
        if choice.codes is not None:
            what = f"p:{choice.codes[0]}:{choice.codes[1]}:{choice.year if choice.year is not None else ''}"
        else:
            what = f"f:{choice.faq_id}"
        super().__init__(
            discord.ui.Button(
                label=choice.label,
                style=discord.ButtonStyle.secondary,
                custom_id=f"ask:pick:{owner_id}:{index}:{what}",
                row=index // 5,
            )
        )
        self.owner_id, self.choice = owner_id, choice

    def is_dispatchable(self) -> bool:
        # Clicks reach it through AllianceBot.add_lean_dynamic_items; see ReadyComponents.
        return False

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /
    ) -> SuggestionButton:
        if match["faq"] is not None:
            choice = Choice("", faq_id=match["faq"])
        else:
            choice = Choice("", codes=(match["a"], match["b"]), year=int(match["year"]) if match["year"] else None)
        return cls(int(match["index"]), int(match["owner"]), choice)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return await owner_may_use(interaction, self.owner_id)

    async def callback(self, interaction: discord.Interaction) -> None:
        handler: ChoiceHandler = loaded_cog(interaction, "Ask")
        await handler.show_choice(interaction, self.choice)


SuggestionRows = tuple[tuple[dict[str, Any], ...], ...]


def suggestion_rows(choices: Sequence[Choice]) -> SuggestionRows:
    """The suggestion buttons' payload in rows of five, each custom_id without its ``ask:pick:<owner>``."""
    rows: list[list[dict[str, Any]]] = []
    for index, choice in enumerate(choices):
        button = SuggestionButton(index, 0, choice).item.to_component_dict()
        button["custom_id"] = button["custom_id"].removeprefix("ask:pick:0")
        if index % 5 == 0:
            rows.append([])
        rows[-1].append(button)
    return tuple(tuple(row) for row in rows)


def suggestion_components(owner_id: int, rows: SuggestionRows) -> list[dict[str, Any]]:
    """Rows from ``suggestion_rows`` as Discord's component payload, for ``owner_id``.

    The same payload a View of ``SuggestionButton`` items gives, without building one per reply.
    """
    head = f"ask:pick:{owner_id}"
    return [
        {"type": 1, "components": [{**button, "custom_id": head + button["custom_id"]} for button in row]}
        for row in rows
    ]


# ------------------------------------------------------------------------- the historical record

_PROMISES = {
    "D": "to defend {o}",
    "O": "to join {o} in offensive action",
    "A": "not to attack {o}",
    "N": "to stay neutral if {o} is at war",
    "C": "to consult {o} in a crisis",
}
_LEVEL_TEXT = {
    "defense": "defence pact",
    "wartime": "wartime alliance (no separate peace)",
    "neutrality": "neutrality pact",
    "non_aggression": "non-aggression pact",
    "consultation": "consultation agreement",
}


def place_text(resolver: CountryResolver, verdict: PairVerdict, side: str) -> str:
    """A side of the pair as the state it was in the year asked ('the Soviet Union' in 1944)."""
    polity = verdict.polity_a if side == "a" else verdict.polity_b
    if polity is not None and polity.renamed:
        return polity.in_sentence
    return resolver.get(verdict.a if side == "a" else verdict.b).in_sentence


def _places(resolver: CountryResolver, verdict: PairVerdict) -> tuple[str, str]:
    return place_text(resolver, verdict, "a"), place_text(resolver, verdict, "b")


def tie_label(tie: AtopTie) -> str:
    """The alliance's checked name with its ATOP id, or a truthful description from its data."""
    return alliance_label(tie.alliance, _LEVEL_TEXT[tie.level])


def alliance_label(alliance: AtopAlliance, kind: str = "alliance") -> str:
    """'Warsaw Pact (ATOP 3285)', or 'a bilateral defence pact signed on 12 July 1941 (ATOP 2535)'."""
    if alliance.name is not None:  # the short name people know ("Warsaw Pact") where there is one
        short, full = alliance.name.short_name, alliance.name.name
        if short and short.isupper() and len(short) <= 6 and len(full) <= 80:  # an acronym: say what it stands for
            return f"{full} ({short}, ATOP {alliance.atopid})"
        return f"{short or full} (ATOP {alliance.atopid})"
    scope = "bilateral" if alliance.bilateral else "multilateral"
    signed = date_text(alliance.begin, "day" if not alliance.begin_text.endswith("00") else "month")
    return f"a {scope} {kind} signed on {signed} (ATOP {alliance.atopid})"


def tie_years(tie: AtopTie) -> str:
    """'1942–1945', or 'since 1960 (still in force at the end of the ATOP data, 2018)'."""
    if tie.end is None:
        return f"since {tie.start.year} (still so when the ATOP data end, {ATOP_LAST_YEAR})"
    if tie.end.year == tie.start.year:
        return str(tie.start.year)
    return f"{tie.start.year}–{tie.end.year}"


def _promise_text(obligations: str, other: str) -> str:
    parts = [_PROMISES[letter].format(o=other) for letter in "DOANC" if letter in obligations]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def promises_text(tie: AtopTie, a: str, b: str) -> str:
    """Who promises what: 'The United States promises to defend Japan; Japan has no matching obligation.'"""
    if tie.a_obligations == tie.b_obligations and tie.a_obligations:
        text = f"Each promises {_promise_text(tie.a_obligations, 'the other')}."
    else:
        sentences = []
        for name, other, obligations in ((a, b, tie.a_obligations), (b, a, tie.b_obligations)):
            if obligations:
                sentences.append(f"{_capital(name)} promises {_promise_text(obligations, other)}.")
            else:
                sentences.append(f"{_capital(name)} has no matching obligation.")
        text = " ".join(sentences)
    if tie.level == "wartime":
        text += " Each pledged not to make a separate peace."
    if tie.varies:
        text += " (Obligations differ among the alliance's members; ATOP codes each member's own.)"
    return text


def _partial_year(tie: AtopTie, year: int | None) -> str:
    """' (from 5 September 1914)' or ' (until 15 June 1866)' when the tie covers only part of the year."""
    if year is None:
        return ""
    if tie.start.year == year and (tie.start.month, tie.start.day) != (1, 1):
        return f" (from {tie_start_text(tie)})"
    if tie.end is not None and tie.end.year == year:
        return f" (until {date_text(tie.end)})"
    return ""


def _war_text(tie: AtopTie) -> str:
    war = WAR_NAMES.get(tie.war)
    return f"wartime allies in {war}" if war else "wartime allies"


def tie_headline(verdict: PairVerdict, tie: AtopTie, resolver: CountryResolver) -> str:
    """The verdict line when the historical record decides it."""
    a, b = _places(resolver, verdict)
    are = "were"
    if verdict.year is not None and verdict.year <= ATOP_LAST_YEAR:
        when = f"in {verdict.year}{_partial_year(tie, verdict.year)}, "
    elif verdict.tie_check is not None:  # checked for 2019 to now: present tense, the check dates it
        when, are = "", "are"
    else:  # today, or a year after the record, unchecked since: say how old the evidence is
        when = f"on the ATOP record of {ATOP_LAST_YEAR} (not checked since), "
    label = tie_label(tie)
    if tie.level == "defense":
        return f"Yes {DASH} {when}{a} and {b} {are} allies: {label}."
    if tie.level == "wartime":
        return f"Yes {DASH} {when}{a} and {b} {are} {_war_text(tie)}: {label}."
    if is_framework(tie):
        the = "" if label.startswith(("a ", "an ", "the ")) else "the "
        return (
            f"No {DASH} {when}{a} and {b} {are} not allies: both {are} parties to {the}{label}, "
            "a multilateral framework without a defence promise."
        )
    return f"No {DASH} {when}{a} and {b} {are} not allies, but bound by a {_LEVEL_TEXT[tie.level]}: {label}, {tie_years(tie)}."


def coverage_text(verdict: PairVerdict) -> str:
    """What the data covers, for a "No": 'ATOP 1815–2018 and researched updates to September 2025'."""
    research = f" and researched updates to {format_as_of(verdict.research_as_of)}" if verdict.research_as_of else ""
    return f"treaty data {ATOP_FIRST_YEAR}–{ATOP_LAST_YEAR} from ATOP 5.1{research}"


def renamed_note(verdict: PairVerdict, resolver: CountryResolver) -> str:
    """'Asked about Russia in 1944: that state was the Soviet Union.' (and the other German state)."""
    notes = []
    for side, code in (("a", verdict.a), ("b", verdict.b)):
        polity = verdict.polity_a if side == "a" else verdict.polity_b
        if polity is not None and polity.renamed and verdict.year is not None:
            asked = resolver.get(code).name
            notes.append(f"Asked about {asked} in {verdict.year}: that state was {polity.in_sentence}.")
            if polity.ccode == 260:
                east = "East Germany was a separate state then (1954–1990 in the COW list)"
                if verdict.sibling_treaties:
                    labels = [alliance_label(a) for a in verdict.sibling_treaties]
                    east += f"; its alliances that year: {', '.join(labels)}"
                notes.append(east + ".")
    return " ".join(notes)


def missing_embed(verdict: PairVerdict, resolver: CountryResolver, record: HistoricalRecord | None) -> discord.Embed:
    """No Yes/No where the truth is "no data": say what is missing and what the data covers."""
    missing = verdict.missing
    assert missing is not None
    a, b = resolver.get(verdict.a).in_sentence, resolver.get(verdict.b).in_sentence
    year = verdict.year
    fields: list[tuple[str, str]] = []
    if missing.reason == "before_data":
        title = f"No data for {year}"
        text = (
            f"My treaty data starts in {ATOP_FIRST_YEAR} (ATOP 5.1), and my researched entries hold no treaty "
            f"between {a} and {b} in force in {year}. So I can't say whether they were allies then."
        )
    elif missing.reason == "same_state":
        title = "That's the same state twice"
        text = f"In {year if year is not None else 'the year asked'}, {a} and {b} were one and the same state, so there is no pair to compare."
    else:
        place = resolver.get(missing.place or verdict.a)
        state = record.state(missing.ccode) if record is not None and missing.ccode is not None else None
        when = f"for {year}" if year is not None else "for today"
        title = f"No data on {place.in_sentence} {when}"
        historical = PLACES_BY_CODE.get(place.code)
        if historical is not None and (year is None or not historical.first <= year <= historical.last):
            span = f"{historical.first}–{historical.last}" if historical.last < 9999 else f"since {historical.first}"
            text = f"Here, {place.in_sentence} stands for the years {span}."
            if historical.today is not None:
                today = resolver.get(historical.today).in_sentence
                text += f" For other years, ask about {today}."
        elif state is not None:
            text = (
                f"My data covers {place.in_sentence} only while it is a member of the state system: "
                f"{state.years_text()} (COW state list, {state.name})."
            )
        else:
            text = f"{_capital(place.in_sentence)} is not a state in my data (the COW state list) in that year."
        text += " So I can't say whether they were allies then."
    fields.append(("What my data covers", f"{_capital(coverage_text(verdict))}; states from the COW list 1816–2016."))
    fields.append(("Sources", source_text(verdict.sources or (ATOP_SOURCE,))))
    return make_embed(title, text, colour=COLOUR_WARN, fields=fields, footer=footer_for(verdict.as_of) if verdict.as_of else None)


def ties_field(verdict: PairVerdict, resolver: CountryResolver) -> tuple[str, str] | None:
    """Every ATOP alliance of the pair in force in the year, with its years and obligations."""
    if not verdict.ties:
        return None
    a, b = _places(resolver, verdict)
    lines = [
        f"**{tie_label(tie)}** ({_LEVEL_TEXT[tie.level]}, {tie_years(tie)}): {promises_text(tie, a, b)}"
        for tie in verdict.ties
    ]
    title = f"Alliances in force in {verdict.year}" if verdict.year is not None else "Alliances in the ATOP record (to 2018)"
    return title, _fit_lines(lines, FIELD_VALUE_LIMIT + 40)


def history_embed(answer: HistoryAnswer, resolver: CountryResolver) -> discord.Embed:
    """A pair over a span of years: the answer first, then each period with its treaty."""
    a, b = resolver.get(answer.a).in_sentence, resolver.get(answer.b).in_sentence
    when = answer.when
    span = when.label or f"from {when.first} to {when.last}"
    allied = answer.allied_periods
    known = [p for p in answer.periods if p.known]
    if allied:
        joined = ", ".join(_period_span(p) for p in allied)
        main = allied[0].verdict
        basis = _basis_label(main)
        title = f"Yes {DASH} {a} and {b} were allies {joined}" + (f" ({span})" if when.label else "")
        description = f"Straight answer: yes, {joined}: {basis}." if len(allied) == 1 else f"Straight answer: yes, at times: {joined}."
    elif known:
        title = f"No {DASH} {a} and {b} were not allies at any time {_span_phrase(when)}"
        nuance = max((p for p in known if p.verdict.grade in ("non_aggression", "consultation", "close_partners", "partners")),
                     key=lambda p: p.last - p.first, default=None)
        description = "Straight answer: no."
        if nuance is not None:
            description += f" The closest tie: {_basis_label(nuance.verdict)} ({_period_span(nuance)})."
        description += f" Searched: {coverage_text(known[0].verdict)}."
    else:
        title = f"No data on {a} and {b} {_span_phrase(when)}"
        description = "My data does not cover this pair in those years, so I can't give a verdict."
    rows: list[list[Any]] = []  # [first, last, text]: periods that read the same are joined
    for period in answer.periods:
        text = _period_text(period, resolver)
        if rows and rows[-1][2] == text and rows[-1][1] == period.first - 1:
            rows[-1][1] = period.last
        else:
            rows.append([period.first, period.last, text])
    lines = [f"**{first if first == last else f'{first}–{last}'}** · {text}" for first, last, text in rows]
    fields = [("The record, period by period", _fit_lines(lines, FIELD_VALUE_LIMIT))]
    names = _names_over_time(answer, resolver)
    if names:
        fields.append(("Names", clip(names, FIELD_VALUE_LIMIT)))
    sources: dict[tuple[str, str | None], Source] = {}
    for period in answer.periods:
        for source in period.verdict.sources:
            sources.setdefault((source.name, source.url), source)
    if sources:
        fields.append(("Sources", source_text(list(sources.values()))))
    as_of = min((p.verdict.as_of for p in answer.periods if p.verdict.as_of), default="")
    colour = COLOUR_YES if allied else COLOUR_NO if known else COLOUR_WARN
    return make_embed(title, description, colour=colour, fields=fields, footer=footer_for(as_of) if as_of else None)


def _names_over_time(answer: HistoryAnswer, resolver: CountryResolver) -> str:
    """'Russia was the Russian Empire in 1815–1917 and the Soviet Union in 1923–1991.'"""
    sentences = []
    for side, code in (("a", answer.a), ("b", answer.b)):
        spans: list[list[Any]] = []
        for period in answer.periods:
            polity = period.verdict.polity_a if side == "a" else period.verdict.polity_b
            if polity is None or not polity.renamed:
                continue
            if spans and spans[-1][0] == polity.in_sentence and spans[-1][2] == period.first - 1:
                spans[-1][2] = period.last
            else:
                spans.append([polity.in_sentence, period.first, period.last])
        if spans:
            parts = [f"{name} in {first}–{last}" if first != last else f"{name} in {first}" for name, first, last in spans]
            joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
            sentences.append(f"{resolver.get(code).name} was {joined}.")
    return " ".join(sentences)


def _span_phrase(when: When) -> str:
    if when.label:
        return f"during {when.label} ({when.first}–{when.last})"
    return f"from {when.first} to {when.last}"


def _years(period: Period) -> str:
    return str(period.first) if period.first == period.last else f"{period.first}–{period.last}"


def _period_span(period: Period) -> str:
    return f"in {period.first}" if period.first == period.last else f"from {period.first} to {period.last}"


def _basis_label(verdict: PairVerdict) -> str:
    if verdict.tie_basis is not None:
        return tie_label(verdict.tie_basis)
    if verdict.basis is not None:
        return f"the {verdict.basis.alliance.name}"
    return "no alliance"


def _period_text(period: Period, resolver: CountryResolver) -> str:
    verdict = period.verdict
    if verdict.missing is not None:
        reason = {
            "before_data": "no data (before 1815)",
            "same_state": "one and the same state",
        }.get(verdict.missing.reason)
        if reason is None:
            place = resolver.get(verdict.missing.place or verdict.a).name
            reason = f"no data: {place} is not a state in my data then (COW list)"
        return reason
    if verdict.tie_basis is not None:
        tie = verdict.tie_basis
        word = "allies" if tie.level == "defense" else _war_text(tie) if tie.level == "wartime" else f"not allies; {_LEVEL_TEXT[tie.level]}"
        return f"{_capital(word)}: {tie_label(tie)}"
    if verdict.basis is not None:
        word = "allies" if verdict.allied else "not allies"
        return f"{_capital(word)}: {verdict.basis.alliance.name}"
    return "No alliance"
