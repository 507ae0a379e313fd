"""Embeds and views for /ask and /ally: verdicts, the US–Russia sections, FAQ and no-verdict replies."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import discord

from ..domain.alliances import PairException, PairVerdict, SharedTreaty
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
from ..domain.questions import NoVerdict
from . import (
    BUTTON_LABEL_LIMIT,
    COLOUR_INFO,
    COLOUR_NO,
    COLOUR_WARN,
    COLOUR_YES,
    DESCRIPTION_LIMIT,
    FIELD_COUNT_LIMIT,
    FIELD_VALUE_LIMIT,
    BaseView,
    clip,
    footer_for,
    make_embed,
    source_text,
)

log = logging.getLogger(__name__)

DASH = "—"

# ------------------------------------------------------------------------- small helpers


def safe(text: str, limit: int = 100) -> str:
    """User-written text made inert for display: no mentions, no markdown, clipped."""
    text = discord.utils.escape_markdown(" ".join(text.split()))
    # A zero-width space after every "@" defuses @everyone, @here and <@id> alike.
    text = text.replace("@", "@\u200b")
    return clip(text, limit)


def _names(resolver: CountryResolver, verdict: PairVerdict) -> tuple[str, str]:
    return resolver.get(verdict.a).in_sentence, resolver.get(verdict.b).in_sentence


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sources_of(facts: Iterable[Any]) -> list[Source]:
    seen: dict[tuple[str, str | None, str | None], Source] = {}
    for fact in facts:
        for source in fact.sources:
            seen.setdefault((source.name, source.url, source.cites), source)
    return list(seen.values())


def _newest_as_of(facts: Iterable[Any]) -> str | None:
    return max((fact.as_of for fact in facts), default=None)


# ------------------------------------------------------------------------- pair verdicts


def headline(verdict: PairVerdict, resolver: CountryResolver) -> str:
    """The embed title: the verdict word first, then the plain sentence."""
    relationship = verdict.relationship
    word = "Yes" if verdict.allied else "No"
    if relationship is not None and relationship.headline.startswith(f"{word} {DASH}"):
        return relationship.headline
    a, b = _names(resolver, verdict)
    when = f"in {verdict.year}, " if verdict.year is not None else ""
    past = verdict.year is not None
    are, have = ("were", "had") if past else ("are", "have")
    if verdict.allied:
        return f"Yes {DASH} {when}{a} and {b} {are} treaty allies."
    if verdict.grade == "close_partners":
        return f"No {DASH} {when}{a} and {b} {are} close partners, not treaty allies."
    if verdict.grade == "partners":
        return f"No {DASH} {when}{a} and {b} {are} partners without a defence treaty, not allies."
    if verdict.not_binding:
        return f"No {DASH} {when}{a} and {b} {are} not allies: no alliance between them {'was' if past else 'is'} in force."
    return f"No {DASH} {when}{a} and {b} {have} no formal alliance in our data."


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
    return f"**{alliance.short_name}** ({_kind_text(treaty)}; signed {alliance.signed}): {sides}"


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
    if verdict.relationship is not None:
        return verdict.relationship.summary
    a, b = _names(resolver, verdict)
    basis = verdict.basis
    if verdict.allied and basis is not None:
        article = f" ({basis.alliance.article})" if basis.alliance.article else ""
        return (
            f"Straight answer: yes. {_capital(a)} and {b} are both bound by the {basis.alliance.name}{article}, "
            f"a {TREATY_KINDS[basis.alliance.treaty_kind]}. {basis.alliance.description}"
        )
    if basis is not None:
        return (
            f"Straight answer: no, not as treaty allies. What ties {a} and {b} is the {basis.alliance.name}, "
            f"a {TREATY_KINDS[basis.alliance.treaty_kind]}. {basis.alliance.description}"
        )
    if verdict.not_binding and verdict.year is not None:
        return (
            f"Straight answer: no. In {verdict.year}, no treaty in our data bound {a} and {b}; "
            "the exceptions below say what changed and when."
        )
    if verdict.not_binding:
        return (
            f"Straight answer: no. {_capital(a)} and {b} share a treaty on paper, but it does not bind them "
            "now; see the exceptions below."
        )
    return (
        f"Straight answer: no. None of the {treaty_count} treaties and security arrangements in our data binds "
        f"{a} and {b}. That is not a claim that they are hostile: only that no alliance between them is on record here."
    )


def pair_embed(verdict: PairVerdict, resolver: CountryResolver, treaty_count: int) -> discord.Embed:
    """The answer to "are A and B allies?": verdict, paragraph, evidence, exceptions, sources."""
    fields: list[tuple[str, str]] = []
    if verdict.in_force:
        fields.append(
            ("Shared treaties in force", "\n".join(treaty_line(t, resolver) for t in verdict.in_force))
        )
    if verdict.not_binding:
        lines = [
            exception_line(t, e, resolver, verdict.year) for t in verdict.not_binding for e in t.exceptions
        ]
        fields.append(("Exceptions", "\n".join(lines)))
    label = verdict.relationship.label if verdict.relationship is not None else verdict.grade
    label_text = RELATIONSHIP_LABELS.get(label, "no formal alliance in our data")
    fields.append(("Relationship", _capital(label_text)))
    if verdict.year is not None:
        fields.append(("Year asked about", f"{verdict.year}, judged from the membership years in our data"))
    if verdict.sources:
        fields.append(("Sources", source_text(verdict.sources)))
    else:
        fields.append(("Sources", "Our treaty data (no treaty links these two countries)."))
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


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    title: str


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
    Section("this_week", "This week", "This week"),
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
        us_russia: list[Figure] = [f for f in facts.of_kind("figure") if f.topic == "us-russia"]
        figures = [f for f in us_russia if f.headline] or us_russia
        bottom = _points(facts, "bottom_line")
        description = summary_text(verdict, resolver, 0)
        if bottom:
            description += "\n\n" + " ".join(fill_computed(p.text, today) for p in bottom)
        fields = [
            (f"{f.value} {DASH} {f.label}", f"{f.detail}\nSource: {source_text(f.sources, 300)}")
            for f in figures
        ]
        label = verdict.relationship.label if verdict.relationship is not None else verdict.grade
        fields.append(
            ("Relationship", _capital(RELATIONSHIP_LABELS.get(label, "no formal alliance in our data")))
        )
        if not verdict.in_force:
            fields.append(("Shared defence treaties", "None in our treaty data."))
        shown: list[Any] = [*figures, *bottom]
        if verdict.relationship is not None:
            shown.append(verdict.relationship)
        return headline(verdict, resolver), description, fields, shown
    title = next(s.title for s in SECTIONS if s.key == key)
    if key == "timeline":
        entries: list[TimelineEntry] = sorted(
            facts.of_kind("timeline"), key=lambda e: (e.year, e.month or 0, e.day or 0)
        )
        roots = _points(facts, "roots")
        intro = " ".join(fill_computed(p.text, today) for p in roots)
        lines = [f"**{e.year}** · {e.title} → {e.impact}" for e in entries]
        body = _fit_lines(lines, DESCRIPTION_LIMIT - len(intro) - 4)
        description = f"{intro}\n\n{body}" if intro else body
        return title, description or _MISSING, [], [*entries, *roots]
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


def _fit_lines(lines: Sequence[str], budget: int) -> str:
    out: list[str] = []
    used = 0
    for index, line in enumerate(lines):
        more = len(lines) - index
        if used + len(line) + 1 > budget - 40:
            out.append(f"…and {more} more {'entry' if more == 1 else 'entries'}.")
            break
        out.append(line)
        used += len(line) + 1
    return "\n".join(out)


def section_embed(
    key: str, facts: FactBase, verdict: PairVerdict, resolver: CountryResolver, today: date
) -> discord.Embed:
    """One section of the US–Russia answer, within Discord's limits, with its sources and date."""
    title, description, fields, shown = _section_parts(key, facts, verdict, resolver, today)
    fields = fields[: FIELD_COUNT_LIMIT - 1]
    sources = _sources_of(shown) or list(verdict.sources)
    if sources:
        fields.append(("Sources", source_text(sources, FIELD_VALUE_LIMIT)))
    as_of = _newest_as_of(shown) or verdict.as_of
    position = SECTION_KEYS.index(key) + 1
    footer = footer_for(as_of, f"section {position} of {len(SECTIONS)}") if as_of else None
    colour = COLOUR_NO if key == "verdict" else COLOUR_INFO
    return make_embed(title, description, colour=colour, fields=fields, footer=footer)


class SectionView(BaseView):
    """Buttons that switch the US–Russia answer between its sections (for the person who asked)."""

    def __init__(
        self,
        *,
        owner_id: int,
        facts: FactBase,
        verdict: PairVerdict,
        resolver: CountryResolver,
        today: date,
        current: str = "verdict",
    ) -> None:
        super().__init__(owner_id=owner_id, timeout=900)
        self.facts, self.verdict, self.resolver, self.today = facts, verdict, resolver, today
        self.current = current
        for index, section in enumerate(SECTIONS):
            button: discord.ui.Button[SectionView] = discord.ui.Button(
                label=section.label, custom_id=f"ask:section:{section.key}", row=index // 5
            )
            button.callback = self._make_callback(section.key)  # type: ignore[method-assign]
            self.add_item(button)
        self._restyle()

    def _restyle(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                chosen = item.custom_id == f"ask:section:{self.current}"
                item.style = discord.ButtonStyle.primary if chosen else discord.ButtonStyle.secondary
                item.disabled = chosen

    def embed(self) -> discord.Embed:
        return section_embed(self.current, self.facts, self.verdict, self.resolver, self.today)

    def _make_callback(self, key: str) -> Callable[[discord.Interaction], Awaitable[None]]:
        async def callback(interaction: discord.Interaction) -> None:
            self.current = key
            self._restyle()
            await interaction.response.edit_message(embed=self.embed(), view=self)

        return callback


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
        case _:
            title = "I couldn't match that question confidently"
            text = (
                "I won't present a guess as an answer. I answer questions like “are France and Germany allies?” "
                "(optionally “in 1995”) and the questions below."
            )
    if answer.closest and answer.reason in ("no_match", "unknown_place"):
        text += "\n\nClosest questions I can answer:\n" + "\n".join(f"• {f.question}" for f in answer.closest)
    return make_embed(title, text, colour=COLOUR_WARN)


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
    return choices[:10]


class SuggestionView(BaseView):
    """Buttons that re-ask with a suggested pair or FAQ question."""

    def __init__(
        self,
        *,
        owner_id: int,
        choices: Sequence[Choice],
        on_pick: Callable[[discord.Interaction, Choice], Awaitable[None]],
    ) -> None:
        super().__init__(owner_id=owner_id, timeout=600)
        self.on_pick = on_pick
        for index, choice in enumerate(choices):
            button: discord.ui.Button[SuggestionView] = discord.ui.Button(
                label=choice.label,
                style=discord.ButtonStyle.secondary,
                custom_id=f"ask:pick:{index}",
                row=index // 5,
            )
            button.callback = self._make_callback(choice)  # type: ignore[method-assign]
            self.add_item(button)

    def _make_callback(self, choice: Choice) -> Callable[[discord.Interaction], Awaitable[None]]:
        async def callback(interaction: discord.Interaction) -> None:
            await self.on_pick(interaction, choice)

        return callback
