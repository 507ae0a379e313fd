"""Discord errors (SimCord's ``env.inject_error``): the bot keeps running and loses no stored answer.

Quiz: a failed answer acknowledgement, a failed reveal edit, a refused question post and a refused
round summary. Timeline: a 5xx on the daily post is retried, a 403 pauses the subscription with a
reason that ``/timeline status`` shows, and other servers keep posting.
"""

from __future__ import annotations

import discord

from alliance_bot.domain.quiz import REVEAL_PAUSE
from tests.conftest import build_world

MISSING_PERMISSIONS = 50013


async def _start_quiz(world, *, questions: int = 1, seconds: int = 10):
    """Start a quiz in #general; return the first question's message."""
    result = await world.member.slash(world.general, "quiz start", questions=questions, seconds=seconds)
    assert not result.ephemeral, result.response.content
    message = world.general.last_message
    assert message.components, "the question was not posted with answer buttons"
    return message


async def _open_quiz_id(world) -> int:
    found = await world.env.bot.store.open_quiz_in(world.general.id)
    assert found is not None, "no open quiz in #general"
    return found[0].id


async def _right_label(world, quiz_id: int, number: int) -> str:
    asked = await world.env.bot.store.get_question(quiz_id, number)
    assert asked is not None
    return "ABCDE"[asked.question.answer]


def _assert_fault_fired(world) -> None:
    assert not world.env.backend.faults, "the injected error was never hit: the test exercised nothing"


async def _stored(world, quiz_id: int) -> list[tuple[int, int, bool, int]]:
    return await world.env.bot.store.question_answers(quiz_id, 1)


async def test_failed_answer_acknowledgement_keeps_the_answer(world):
    question = await _start_quiz(world)
    quiz_id = await _open_quiz_id(world)
    right = await _right_label(world, quiz_id, 1)

    world.env.inject_error("POST", "/interactions/*/callback", status=500)
    failed = await world.member.click(question, label=right)
    _assert_fault_fired(world)
    assert failed.response is not None and failed.ephemeral, "the member got silence after the failed ack"

    # The answer was committed before the acknowledgement was attempted: it is stored once.
    stored = await _stored(world, quiz_id)
    assert [(user, correct) for user, _, correct, _ in stored] == [(world.member.id, True)]
    # Clicking again is answered (the bot is alive) and changes nothing: the answer is final.
    again = await world.member.click(question, label=right)
    assert again.ephemeral
    assert len(await _stored(world, quiz_id)) == 1

    await world.env.advance_time(11)
    board = await world.member.slash(world.general, "quiz leaderboard", period="week")
    text = str(board.response.embeds[0].to_dict())
    assert world.member.name in text, "the acknowledged-but-unconfirmed answer did not count"


async def test_failed_reveal_edit_keeps_answers_and_the_round_goes_on(world):
    question = await _start_quiz(world, questions=2)
    quiz_id = await _open_quiz_id(world)
    right = await _right_label(world, quiz_id, 1)
    ack = await world.member.click(question, label=right)
    assert ack.ephemeral

    world.env.inject_error("PATCH", "/channels/*/messages/*", status=500)
    await world.env.advance_time(11 + REVEAL_PAUSE)  # question 1 closes; its reveal edit fails; question 2
    _assert_fault_fired(world)

    second = world.general.last_message
    assert second.id != question.id and second.components, "the next question was not posted"
    assert len(await _stored(world, quiz_id)) == 1
    await world.env.advance_time(11)  # question 2 closes, the round ends

    stats = await world.member.slash(world.general, "quiz stats")
    assert stats.response.embeds, stats.response.content
    assert await world.env.bot.store.count_answers(quiz_id) == 1


async def test_refused_question_post_ends_the_quiz_and_a_new_one_can_start(world):
    world.env.inject_error("POST", "/channels/*/messages", status=403, code=MISSING_PERMISSIONS,
                           message="Missing Permissions")
    result = await world.member.slash(world.general, "quiz start", questions=1, seconds=10)
    assert result.response is not None
    _assert_fault_fired(world)

    assert await world.env.bot.store.open_quiz_in(world.general.id) is None, "a failed quiz stayed open"
    # The starter is told why, privately, instead of waiting for a question that never comes.
    assert [followup.ephemeral for followup in result.followups] == [True]
    assert "not allowed to post" in result.followups[0].content
    # The bot is still running and the channel is not blocked by the failed quiz.
    question = await _start_quiz(world)
    assert question.components


async def test_refused_round_summary_keeps_every_answer(world):
    question = await _start_quiz(world)
    quiz_id = await _open_quiz_id(world)
    right = await _right_label(world, quiz_id, 1)
    await world.member.click(question, label=right)
    await world.moderator.click(question, label="A" if right != "A" else "B")

    world.env.inject_error("POST", "/channels/*/messages", status=403, code=MISSING_PERMISSIONS,
                           message="Missing Permissions")
    await world.env.advance_time(11)  # the question closes; the summary post is refused
    _assert_fault_fired(world)

    stored = await _stored(world, quiz_id)
    assert sorted(user for user, *_ in stored) == sorted([world.member.id, world.moderator.id])
    stats = await world.member.slash(world.general, "quiz stats")
    assert "1" in str(stats.response.embeds[0].to_dict())
    # A new quiz can start in the same channel.
    assert (await _start_quiz(world)).components


# --------------------------------------------------------------------------- timeline


async def _subscribe(world, channel, time: str = "12:00"):
    result = await world.moderator.slash(world.general, "manage timeline subscribe", channel=channel, time=time)
    assert result.response is not None
    return result


def _posts(channel) -> list[discord.Message]:
    return [message for message in channel.history() if message.embeds]


async def test_timeline_post_failing_with_500_is_retried_once_and_posts_once(world):
    await _subscribe(world, world.timeline)
    world.env.inject_error("POST", f"/channels/{world.timeline.id}/messages", status=500)
    await world.env.advance_time(12 * 3600 + 60)  # past 12:00: the post fails once
    _assert_fault_fired(world)
    assert _posts(world.timeline) == []

    status = await world.moderator.slash(world.general, "manage timeline status")
    assert status.response is not None  # the bot is alive and answers
    await world.env.advance_time(3600)  # the retry
    posts = _posts(world.timeline)
    assert len(posts) == 1, f"expected exactly one post after the retry, got {len(posts)}"
    await world.env.advance_time(3600)
    assert len(_posts(world.timeline)) == 1, "the day was posted twice"


async def test_timeline_forbidden_pauses_that_server_only(world):
    other = build_world(world.env, "Other Server")
    await _subscribe(world, world.timeline)
    await _subscribe(other, other.timeline)
    world.env.inject_error("POST", f"/channels/{world.timeline.id}/messages", status=403,
                           code=MISSING_PERMISSIONS, message="Missing Permissions", times=None)
    await world.env.advance_time(12 * 3600 + 60)

    assert _posts(world.timeline) == []
    assert len(_posts(other.timeline)) == 1, "the other server stopped posting"
    status = await world.moderator.slash(world.general, "manage timeline status")
    shown = (status.response.content or "") + str([e.to_dict() for e in status.response.embeds])
    assert "paus" in shown.lower(), f"/timeline status does not say the subscription is paused: {shown[:300]}"

    await world.env.advance_time(24 * 3600)  # paused: no retry storm, still nothing; the other server goes on
    assert _posts(world.timeline) == []
    assert len(_posts(other.timeline)) == 2
