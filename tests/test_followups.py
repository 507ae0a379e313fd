"""Follow-ups in a channel (issue 23): read against the member's last pair question there, for a
few minutes; a question with no pair and nothing to follow is asked back."""

from __future__ import annotations

import pytest

from alliance_bot.config import BUNDLED_DATA_DIR
from alliance_bot.domain.countries import default_resolver
from alliance_bot.domain.facts import load_fact_base
from alliance_bot.domain.followups import FOLLOW_UP_SECONDS, Context, Contexts, follow_up, names_no_pair
from alliance_bot.domain.questions import PairAnswer, engine_for, read_question

YEAR = 2026
US_RU = Context("US", "RU", None, 0.0)
US_RU_1944 = Context("US", "RU", 1944, 0.0)
FR_DE = Context("FR", "DE", None, 0.0)


@pytest.fixture(scope="module")
def engine():
    return engine_for(load_fact_base(BUNDLED_DATA_DIR))


# (previous pair, what the member types next, the pair and year the answer must be about)
FOLLOW_UPS = [
    (US_RU, "what about china?", {"US", "CN"}, None),
    (US_RU, "and china?", {"US", "CN"}, None),
    (US_RU, "how about china", {"US", "CN"}, None),
    (US_RU, "what about japan?", {"US", "JP"}, None),
    (US_RU, "and the uk?", {"US", "GB"}, None),
    (US_RU, "what about the french?", {"US", "FR"}, None),
    (US_RU, "and in 1944?", {"US", "RU"}, 1944),
    (US_RU, "in 1944?", {"US", "RU"}, 1944),
    (US_RU, "what about in 1990?", {"US", "RU"}, 1990),
    (US_RU, "and 2010?", {"US", "RU"}, 2010),
    (US_RU, "why not?", {"US", "RU"}, None),
    (US_RU, "why?", {"US", "RU"}, None),
    (US_RU, "really?", {"US", "RU"}, None),
    (US_RU, "are you sure?", {"US", "RU"}, None),
    (US_RU, "are they allies?", {"US", "RU"}, None),
    (US_RU, "allies?", {"US", "RU"}, None),
    (US_RU, "what about china in 1950?", {"US", "CN"}, 1950),
    (US_RU, "and germany and france?", {"DE", "FR"}, None),
    (US_RU, "what about north korea?", {"US", "KP"}, None),
    (US_RU_1944, "what about japan?", {"US", "JP"}, 1944),
    (US_RU_1944, "and the uk?", {"US", "GB"}, 1944),
    (US_RU_1944, "why?", {"US", "RU"}, 1944),
    (US_RU_1944, "and in 1946?", {"US", "RU"}, 1946),
    (FR_DE, "what about italy?", {"FR", "IT"}, None),
    (FR_DE, "and in 1914?", {"FR", "DE"}, 1914),
    (FR_DE, "how about spain?", {"FR", "ES"}, None),
    (FR_DE, "why not?", {"FR", "DE"}, None),
    (FR_DE, "and poland?", {"FR", "PL"}, None),
    (FR_DE, "are they still allies?", {"FR", "DE"}, None),
    (FR_DE, "ok what about the uk?", {"FR", "GB"}, None),
]


@pytest.mark.parametrize(("context", "typed", "pair", "year"), FOLLOW_UPS)
def test_a_follow_up_is_read_against_the_previous_pair(engine, context, typed, pair, year):
    question = follow_up(typed, context, default_resolver())
    assert question is not None, typed
    answer = engine.answer(read_question(question, YEAR))
    assert isinstance(answer, PairAnswer), (typed, question, answer)
    assert {answer.verdict.a, answer.verdict.b} == pair and answer.verdict.year == year, (typed, question)


@pytest.mark.parametrize("typed", ["are france and germany allies", "who are russia's allies", "what is nato"])
def test_a_full_question_is_not_a_follow_up(typed):
    assert follow_up(typed, US_RU, default_resolver()) is None


def test_a_question_with_no_pair_is_recognised():
    for typed in ("are they allies?", "allies?", "are those two allied", "are they still allies?"):
        assert names_no_pair(typed), typed
    assert not names_no_pair("are france and germany allies")
    assert not names_no_pair("were they ever allies")  # the FAQ about the US and Russia


def test_contexts_last_a_few_minutes_per_member_and_channel():
    contexts = Contexts()
    contexts.remember(1, 10, Context("US", "RU", None, 100.0))
    assert contexts.recent(1, 10, 100.0 + FOLLOW_UP_SECONDS) is not None
    assert contexts.recent(1, 10, 101.0 + FOLLOW_UP_SECONDS) is None
    assert contexts.recent(2, 10, 100.0) is None and contexts.recent(1, 11, 100.0) is None


async def test_in_a_channel_a_member_follows_up_and_another_member_does_not_inherit_it(world):
    from tests.test_quiz_commands import add_member

    first = await world.member.slash(world.general, "ask", question="are the us and russia allies?")
    assert "Russia" in first.response.embeds[0].title
    followed = await world.member.slash(world.general, "ask", question="what about china?")
    title = followed.response.embeds[0].title
    assert "China" in title and "United States" in title, title
    year = await world.member.slash(world.general, "ask", question="and in 1944?")
    assert "1944" in year.response.embeds[0].title

    other = add_member(world, "other")
    asked_back = await other.slash(world.general, "ask", question="are they allies?")
    assert asked_back.ephemeral
    assert asked_back.response.embeds[0].title == "Which two countries do you mean?"
    labels = [c["label"] for row in asked_back.response.components for c in row["components"]]
    assert "United States & Russia" in labels


async def test_a_follow_up_after_a_few_minutes_is_asked_back(world):
    await world.member.slash(world.general, "ask", question="are france and germany allies?")
    await world.env.advance_time(FOLLOW_UP_SECONDS + 5)
    late = await world.member.slash(world.general, "ask", question="are they allies?")
    assert late.response.embeds[0].title == "Which two countries do you mean?"
