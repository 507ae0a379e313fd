"""Bad input, property-based: arbitrary text to the question parser, arbitrary data to the fact validator.

Nothing but the documented errors may escape (``ValueError`` from ``parse_fact``; the bot's
``UserError`` for a refused question), and every reply the bot would show, rendered through the
real render functions, fits Discord's limits.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import discord
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from alliance_bot import render
from alliance_bot.config import BUNDLED_DATA_DIR
from alliance_bot.domain.errors import UserError
from alliance_bot.domain.facts import FACT_KINDS, load_fact_base, parse_fact
from alliance_bot.domain.questions import AskEngine, FaqAnswer, HistoryAnswer, NoVerdict, PairAnswer
from alliance_bot.render import ask as render_ask
from alliance_bot.render import facts as render_facts

TODAY = date(2026, 1, 1)
FACTS = load_fact_base(BUNDLED_DATA_DIR)
ENGINE = AskEngine(FACTS)

# --------------------------------------------------------------------------- Discord's limits


def limit_problems(content: str | None, embeds: list[discord.Embed], components: list[Any] | None = None) -> list[str]:
    """Every way a message breaks Discord's limits (empty when it fits)."""
    problems = []
    if content is not None and len(content) > render.MESSAGE_LIMIT:
        problems.append(f"content {len(content)} > {render.MESSAGE_LIMIT}")
    if len(embeds) > 10:
        problems.append(f"{len(embeds)} embeds > 10")
    if sum(len(embed) for embed in embeds) > render.EMBED_TOTAL_LIMIT:
        problems.append(f"embeds total {sum(len(e) for e in embeds)} > {render.EMBED_TOTAL_LIMIT}")
    for embed in embeds:
        if len(embed.title or "") > render.TITLE_LIMIT:
            problems.append(f"title {len(embed.title or '')} > {render.TITLE_LIMIT}")
        if len(embed.description or "") > render.DESCRIPTION_LIMIT:
            problems.append(f"description {len(embed.description or '')} > {render.DESCRIPTION_LIMIT}")
        if len(embed.fields) > render.FIELD_COUNT_LIMIT:
            problems.append(f"{len(embed.fields)} fields > {render.FIELD_COUNT_LIMIT}")
        for field in embed.fields:
            if len(field.name or "") > render.FIELD_NAME_LIMIT or len(field.value or "") > render.FIELD_VALUE_LIMIT:
                problems.append(f"field {field.name!r:.40} too long")
        if len(embed.footer.text or "") > render.FOOTER_LIMIT:
            problems.append("footer too long")
    rows = components or []
    if len(rows) > 5:
        problems.append(f"{len(rows)} component rows > 5")
    for row in rows:
        children = getattr(row, "children", None) or (row.get("components", []) if isinstance(row, dict) else [])
        if len(children) > 5:
            problems.append(f"{len(children)} components in a row > 5")
        for child in children:
            label = getattr(child, "label", None) if not isinstance(child, dict) else child.get("label")
            if label is not None and len(label) > render.BUTTON_LABEL_LIMIT:
                problems.append(f"button label {len(label)} > {render.BUTTON_LABEL_LIMIT}")
    return problems


# --------------------------------------------------------------------------- question text

# Words that matter to the parser: aliases, traps, years, FAQ vocabulary, mentions and markdown.
VOCAB = [
    "is", "are", "the", "us", "US", "u.s.", "U.S.A.", "america", "the States", "russia", "Rusia", "Untied States",
    "allies", "allied", "with", "and", "in", "no", "ever", "against", "china", "korea", "North Korea", "DPRK",
    "Türkiye", "turkey", "UK", "Britain", "holland", "burma", "ivory coast", "germany", "france", "japan",
    "poland", "iran", "1995", "1945", "2024", "2999", "0", "99999999999999999999", "were", "could", "they",
    "become", "sanctioned", "trade", "dead", "why", "cut ties", "tell", "about", "?", "!", "...", "—", "@everyone",
    "@here", "<@123456789012345678>", "<@&42>", "**", "`", "||", "https://example.com", "\n", "\u200b", "🇺🇸",
    "ＵＳＡ", "ß", "İ", "x" * 120,
]
word_salad = st.lists(st.sampled_from(VOCAB), min_size=1, max_size=14).map(" ".join)
any_text = st.text(min_size=1, max_size=300)
questions = st.one_of(word_salad, any_text).map(lambda text: text[:300])


def _check_answer(answer: Any) -> None:
    assert isinstance(answer, PairAnswer | HistoryAnswer | FaqAnswer | NoVerdict), (
        f"unexpected answer type {type(answer)}"
    )
    if isinstance(answer, PairAnswer):
        assert answer.verdict is not None
    if isinstance(answer, HistoryAnswer):
        assert len(render_ask.history_embed(answer, ENGINE.resolver)) <= render.EMBED_TOTAL_LIMIT


@given(question=questions)
@settings(max_examples=400, deadline=None)
def test_question_parser_returns_an_answer_for_any_text(question: str):
    try:
        answer = ENGINE.ask(question, current_year=TODAY.year)
    except UserError as error:  # the bot's documented refusal path
        assert 0 < len(render.error_text(error.message)) <= render.MESSAGE_LIMIT
        return
    _check_answer(answer)


@given(a=questions, b=questions, year=st.one_of(st.none(), st.integers(1000, 2100)))
@settings(max_examples=200, deadline=None)
def test_pair_parser_returns_an_answer_for_any_two_names(a: str, b: str, year: int | None):
    try:
        answer = ENGINE.ask_pair(a[:100], b[:100], year=year, current_year=TODAY.year)
    except UserError as error:
        assert 0 < len(render.error_text(error.message)) <= render.MESSAGE_LIMIT
        return
    _check_answer(answer)


@given(question=questions)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
async def test_ask_reply_for_any_text_fits_discord(world, question: str):
    """Through the real bot: every /ask gets a reply (never silence), within Discord's limits."""
    if not question.strip():
        question = "?" + question
    result = await world.member.slash(world.general, "ask", question=question)
    response = result.response
    assert response is not None, "no reply"
    assert response.content or response.embeds, "an empty reply"
    problems = limit_problems(response.content, list(response.embeds), list(response.components or []))
    assert not problems, f"{question!r}: {problems}"
    # Text the database cannot hold (a lone surrogate) is refused by the one error path, on purpose.
    for error in world.env.errors:
        assert isinstance(getattr(error, "original", error), UserError | discord.app_commands.CheckFailure), repr(error)


# --------------------------------------------------------------------------- fact data

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=6),
    max_leaves=30,
)
FIELD_NAMES = sorted(
    {key for fact in FACTS for key in fact.model_dump(mode="json")} | {"kind", "id", "sources", "as_of", "unknown"}
)
fact_shaped = st.fixed_dictionaries(
    {"kind": st.sampled_from([*FACT_KINDS, "nonsense", ""]), "id": st.one_of(st.text(max_size=70), json_values)},
    optional={name: json_values for name in FIELD_NAMES if name not in ("kind", "id")},
)


def _rendered_fact_problems(fact: Any) -> list[str]:
    embeds = [render_facts.fact_embed(fact, render_facts.status_text(None, "bench.yaml"), TODAY)]
    if fact.kind == "faq":
        from alliance_bot.render import ask as render_ask

        embeds.append(render_ask.faq_embed(fact, TODAY))
    if fact.kind == "timeline":
        from alliance_bot.render import timeline as render_timeline

        embeds.append(render_timeline.post_embed(fact, on_this_day=False, day=TODAY))
    return [problem for embed in embeds for problem in limit_problems(None, [embed])]


def _validate(raw: Any, *, in_hypothesis: bool = True) -> Any:
    """parse_fact, allowing only its documented ValueError (whose message the bot shows)."""
    try:
        fact = parse_fact(raw)
    except ValueError as error:
        message = str(error)
        assert message, "a ValueError without a reason"
        assert len(render.error_text(message)) <= render.MESSAGE_LIMIT
        if in_hypothesis:
            event("refused")
        return None
    if in_hypothesis:
        event(f"valid {fact.kind}")
    problems = _rendered_fact_problems(fact)
    assert not problems, f"{fact.id}: {problems}"
    return fact


@given(raw=json_values)
@settings(max_examples=300, deadline=None)
def test_fact_validator_on_arbitrary_values(raw: Any):
    _validate(raw)


@given(raw=fact_shaped)
@settings(max_examples=300, deadline=None)
def test_fact_validator_on_fact_shaped_mappings(raw: dict[str, Any]):
    _validate(raw)


BUNDLED = [fact.model_dump(mode="json", exclude_none=True) for fact in FACTS]
LONG_TEXT = st.text(st.characters(codec="utf-8"), min_size=1, max_size=1200)


@st.composite
def mutated_facts(draw: st.DrawFn) -> dict[str, Any]:
    """A bundled entry with some fields replaced (often by maximal text), dropped, or added."""
    raw = copy.deepcopy(draw(st.sampled_from(BUNDLED)))
    for key in draw(st.lists(st.sampled_from(sorted(raw)), max_size=4, unique=True)):
        action = draw(st.sampled_from(["long", "value", "drop"]))
        if action == "drop":
            raw.pop(key)
        elif action == "long" and isinstance(raw[key], str):
            raw[key] = draw(LONG_TEXT)
        else:
            raw[key] = draw(json_values)
    if draw(st.booleans()):
        raw["sources"] = [
            {"name": draw(st.text(min_size=1, max_size=256)), "url": "https://example.org/" + "a" * 470}
            for _ in range(draw(st.integers(1, 10)))
        ]
    if draw(st.booleans()):
        raw[draw(st.sampled_from(FIELD_NAMES))] = draw(json_values)
    return raw


@given(raw=mutated_facts())
@settings(max_examples=400, deadline=None)
def test_fact_validator_on_mutated_bundled_entries(raw: dict[str, Any]):
    """Valid or not, a changed entry is either refused with a reason or renders within Discord's limits."""
    _validate(raw)


@pytest.mark.parametrize("raw", BUNDLED, ids=[str(raw["id"]) for raw in BUNDLED])
def test_every_bundled_entry_renders_within_limits(raw: dict[str, Any]):
    assert _validate(raw, in_hypothesis=False) is not None
