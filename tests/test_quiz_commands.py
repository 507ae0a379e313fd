"""Quizzes driven through SimCord: rounds, late and double clicks, boards, stats, restarts, stop."""

from __future__ import annotations

from dataclasses import dataclass

from alliance_bot import create_bot
from alliance_bot.domain.errors import UserError
from alliance_bot.domain.quiz import LETTERS, REVEAL_PAUSE
from alliance_bot.render import quiz as text
from alliance_bot.render import source_text
from tests.conftest import build_world, stale_click


@dataclass
class Open:
    """The question currently shown in a channel, with what the database knows is right."""

    message: object
    quiz_id: int
    number: int
    right: str
    wrong: str
    explanation: str
    source: str


async def current_question(world, channel) -> Open:
    message = channel.last_message
    custom_id = message.components[0].children[0].custom_id
    _, quiz_id, number, _ = custom_id.split(":")
    asked = await world.env.bot.store.get_question(int(quiz_id), int(number))
    right = asked.question.answer
    return Open(
        message,
        int(quiz_id),
        int(number),
        LETTERS[right],
        LETTERS[(right + 1) % len(asked.question.choices)],
        asked.question.explanation,
        source_text(asked.question.sources),
    )


def add_member(world, name: str):
    return world.guild.add_member(world.env.create_user(name))


def acknowledge_user_errors(world, count: int) -> None:
    """The refusals went through the one error path as UserErrors (and nothing else failed)."""
    errors = world.env.errors
    assert [type(e.__cause__ or e) for e in errors] == [UserError] * count


def stats_fields(result) -> dict[str, str]:
    return {field.name: field.value for field in result.response.embeds[0].fields}


async def test_full_round_with_right_wrong_double_and_late_players(world):
    alice, bob, carol, dave = (add_member(world, n) for n in ("alice", "bob", "carol", "dave"))
    start = await world.member.slash(world.general, "quiz start", questions=2, topic="us-russia")
    assert not start.ephemeral and "2 questions" in start.response.content

    q1 = await current_question(world, world.general)
    assert q1.message.embeds[0].title.startswith("Question 1/2")
    assert [b.label for b in q1.message.components[0].children][:2] == ["A", "B"]

    ack = await alice.click(q1.message, label=q1.right)
    assert ack.ephemeral and ack.response.content == f"Locked in: {q1.right}"
    ack = await bob.click(q1.message, label=q1.wrong)
    assert ack.ephemeral and ack.response.content == f"Locked in: {q1.wrong}"
    first = await carol.click(q1.message, label=q1.wrong)
    second = await carol.click(q1.message, label=q1.right)  # trying to change to the right answer
    assert first.response.content == f"Locked in: {q1.wrong}"
    assert second.ephemeral and "already answered" in second.response.content

    await world.env.advance_time(20)
    closed = world.env.backend.get_message(world.general.id, q1.message.id)
    embed = closed.embeds[0]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert embed["title"].endswith("closed")
    assert any(name.startswith(f"Answer: {q1.right}.") for name in fields)
    assert q1.explanation[:40] in " ".join(fields.values())
    assert fields["Source"] == q1.source and q1.source
    who = fields["Right: 1 of 3"]
    assert who == alice.name  # a name anyone can read, not a mention their client must resolve
    answers = [b for row in closed.components for b in row["components"] if b["label"] in "ABCDE"]
    assert answers and all(button["disabled"] for button in answers)
    # Only the report button stays live under a reveal (issue 25).
    live = [b["label"] for row in closed.components for b in row["components"] if not b.get("disabled")]
    assert live == ["Report this question"]

    await world.env.advance_time(REVEAL_PAUSE)  # the reveal stays up a moment, then question 2
    late = await stale_click(world, dave, world.general, q1.message, f"quiz:{q1.quiz_id}:1:0")
    assert late.ephemeral and late.response.content == text.CLOSED

    q2 = await current_question(world, world.general)
    assert q2.number == 2 and q2.message.id != q1.message.id
    await alice.click(q2.message, label=q2.right)
    await world.env.advance_time(20)
    summary = world.general.last_message.embeds[0]
    assert summary.title.startswith("Quiz over")
    assert summary.description.index(alice.name) < summary.description.index(bob.name)
    assert "<@" not in summary.description

    stats = stats_fields(await world.member.slash(world.general, "quiz stats", member=alice))
    assert (
        stats["Answered"],
        stats["Correct"],
        stats["Accuracy"],
        stats["Current streak"],
        stats["Rank"],
    ) == ("2", "2", "100%", "2", "#1")
    carol_stats = stats_fields(await carol.slash(world.general, "quiz stats"))
    assert (carol_stats["Answered"], carol_stats["Correct"], carol_stats["Best streak"]) == ("1", "0", "0")
    dave_stats = await dave.slash(world.general, "quiz stats")
    assert "hasn't answered" in dave_stats.response.embeds[0].description

    for period in ("all-time", "month", "week"):
        board = await bob.slash(world.general, "quiz leaderboard", period=period)
        lines = board.response.embeds[0].description.splitlines()
        assert lines[0].startswith("**1.** " + alice.name) and "<@" not in board.response.embeds[0].description
        assert len([line for line in lines if line.startswith("**")]) == 3  # alice, bob, carol; dave was late


async def test_scores_are_identical_after_a_restart(world, settings):
    alice = add_member(world, "alice")
    await world.member.slash(world.general, "quiz start", questions=1, topic="timeline")
    q1 = await current_question(world, world.general)
    await alice.click(q1.message, label=q1.right)
    await world.member.click(q1.message, label=q1.wrong)
    await world.env.advance_time(20)

    before_stats = (await alice.slash(world.general, "quiz stats")).response.embeds[0].to_dict()
    before_board = (
        (await alice.slash(world.general, "quiz leaderboard", period="week")).response.embeds[0].to_dict()
    )
    await world.env.restart_bot(create_bot(settings))
    after_stats = (await alice.slash(world.general, "quiz stats")).response.embeds[0].to_dict()
    after_board = (
        (await alice.slash(world.general, "quiz leaderboard", period="week")).response.embeds[0].to_dict()
    )
    assert after_stats == before_stats and after_board == before_board
    assert "#1" in str(after_stats)


async def test_restart_mid_quiz_closes_it_and_keeps_answers(world, settings):
    alice = add_member(world, "alice")
    await world.member.slash(world.general, "quiz start", questions=3, topic="alliances")
    q1 = await current_question(world, world.general)
    await alice.click(q1.message, label=q1.right)

    await world.env.restart_bot(create_bot(settings))

    edited = world.env.backend.get_message(world.general.id, q1.message.id)
    assert "interrupted by a bot restart" in edited.embeds[0]["description"]
    answers = [b for row in edited.components for b in row["components"] if b["label"] in "ABCDE"]
    assert answers and all(button["disabled"] for button in answers)
    after = await stale_click(world, world.member, world.general, q1.message, f"quiz:{q1.quiz_id}:1:0")
    assert after.ephemeral and after.response.content == text.QUIZ_OVER
    stats = stats_fields(await alice.slash(world.general, "quiz stats"))
    assert (stats["Answered"], stats["Correct"]) == ("1", "1")
    again = await world.member.slash(world.general, "quiz start", questions=1)
    assert not again.ephemeral  # the channel is free again


async def test_two_channels_run_independent_quizzes(world):
    alice, bob = add_member(world, "alice"), add_member(world, "bob")
    await alice.slash(world.general, "quiz start", questions=1, topic="timeline", seconds=20)
    await world.env.advance_time(5)
    await bob.slash(world.timeline, "quiz start", questions=1, topic="us-russia", seconds=30)
    g = await current_question(world, world.general)
    t = await current_question(world, world.timeline)
    assert g.quiz_id != t.quiz_id
    await alice.click(g.message, label=g.right)
    await bob.click(t.message, label=t.right)

    await world.env.advance_time(15)  # general's question closes; timeline's is still open
    assert world.general.last_message.embeds[0].title.startswith("Quiz over")
    assert world.timeline.last_message.id == t.message.id
    late_for_general = await bob.click(t.message, label=t.wrong)
    assert "already answered" in late_for_general.response.content
    await world.env.advance_time(15)
    general_summary = world.general.last_message.embeds[0].description
    timeline_summary = world.timeline.last_message.embeds[0].description
    assert alice.name in general_summary and bob.name not in general_summary
    assert bob.name in timeline_summary and alice.name not in timeline_summary


async def test_second_start_in_a_channel_is_refused_with_a_link(world):
    await world.member.slash(world.general, "quiz start", questions=2)
    q1 = await current_question(world, world.general)
    refused = await world.moderator.slash(world.general, "quiz start")
    assert refused.ephemeral
    assert "already running" in refused.response.content
    assert f"/{world.general.id}/{q1.message.id}" in refused.response.content
    acknowledge_user_errors(world, 1)


async def test_stop_is_for_the_starter_or_a_moderator(world):
    alice = add_member(world, "alice")
    await world.member.slash(world.general, "quiz start", questions=5)
    q1 = await current_question(world, world.general)
    await alice.click(q1.message, label=q1.right)

    refused = await alice.slash(world.general, "quiz stop")
    assert refused.ephemeral and refused.response.content.endswith(text.STOP_REFUSED)
    assert world.general.last_message.id == q1.message.id  # still running
    acknowledge_user_errors(world, 1)

    stopped = await world.moderator.slash(world.general, "quiz stop")
    assert stopped.ephemeral and stopped.response.content == text.STOPPED_ACK
    summary = world.general.last_message.embeds[0]
    assert summary.title.startswith("Quiz over") and world.moderator.name in summary.description
    assert "1 of 5 questions" in summary.description and alice.name in summary.description
    revealed = world.env.backend.get_message(world.general.id, q1.message.id)
    assert revealed.embeds[0]["title"].endswith("closed")
    assert stats_fields(await alice.slash(world.general, "quiz stats"))["Correct"] == "1"  # kept

    nothing = await world.member.slash(world.general, "quiz stop")
    assert nothing.ephemeral and text.NO_QUIZ_HERE in nothing.response.content
    acknowledge_user_errors(world, 2)


async def test_starter_can_stop_and_quizzes_rotate_without_repeats(world):
    seen: list[str] = []
    for _ in range(3):
        await world.member.slash(world.general, "quiz start", questions=4, topic="us-russia")
        for _ in range(4):
            q = await current_question(world, world.general)
            asked = await world.env.bot.store.get_question(q.quiz_id, q.number)
            seen.append(asked.question.key)
            await world.member.click(q.message, label=q.right)  # answered: the quiz does not stop itself
            await world.env.advance_time(20 + REVEAL_PAUSE)
    assert len(seen) == len(set(seen)) == 12  # the pool is larger than 12: nothing repeats yet

    await world.member.slash(world.general, "quiz start", questions=3)
    stopped = await world.member.slash(world.general, "quiz stop")
    assert stopped.response.content == text.STOPPED_ACK


async def test_a_second_server_has_its_own_board(world):
    other = build_world(world.env, "Other Server")
    await world.member.slash(world.general, "quiz start", questions=1)
    q = await current_question(world, world.general)
    await world.member.click(q.message, label=q.right)
    await world.env.advance_time(20)
    board = await other.member.slash(other.general, "quiz leaderboard")
    assert "No answers" in board.response.embeds[0].description


# --------------------------------------------------------------------------- pacing and stopping (issue 25)


async def test_the_reveal_stays_up_for_a_pause_before_the_next_question(world):
    from alliance_bot.domain.quiz import REVEAL_PAUSE

    alice = add_member(world, "alice")
    await world.member.slash(world.general, "quiz start", questions=2, topic="us-russia", seconds=10)
    q1 = await current_question(world, world.general)
    await alice.click(q1.message, label=q1.right)
    await world.env.advance_time(10)
    assert world.env.backend.get_message(world.general.id, q1.message.id).embeds[0]["title"].endswith("closed")
    assert world.general.last_message.id == q1.message.id  # the reveal is the last thing shown
    await world.env.advance_time(REVEAL_PAUSE - 1)
    assert world.general.last_message.id == q1.message.id  # still pausing
    await world.env.advance_time(1)
    q2 = await current_question(world, world.general)
    assert q2.number == 2


async def test_a_quiz_nobody_answers_stops_after_three_questions_and_says_so(world):
    from alliance_bot.domain.quiz import REVEAL_PAUSE, UNANSWERED_LIMIT

    await world.member.slash(world.general, "quiz start", questions=10, topic="us-russia", seconds=10)
    for _ in range(UNANSWERED_LIMIT):
        await current_question(world, world.general)
        await world.env.advance_time(10 + REVEAL_PAUSE)
    summary = world.general.last_message.embeds[0]
    assert summary.title.startswith("Quiz over")
    assert f"{UNANSWERED_LIMIT} questions in a row" in summary.description
    assert f"{UNANSWERED_LIMIT} of 10 questions were asked" in summary.description
    await world.env.advance_time(120)
    assert world.general.last_message.embeds[0].title.startswith("Quiz over")  # nothing more was posted
    again = await world.member.slash(world.general, "quiz start", questions=2)  # the channel is free
    assert not again.ephemeral


async def test_an_answer_resets_the_unanswered_count_and_the_summary_names_the_winner(world):
    from alliance_bot.domain.quiz import REVEAL_PAUSE

    alice = add_member(world, "alice")
    await world.member.slash(world.general, "quiz start", questions=5, topic="us-russia", seconds=10)
    for number in range(1, 6):
        q = await current_question(world, world.general)
        assert q.number == number
        if number == 3:  # two unanswered, one answered, two unanswered: never three in a row
            await alice.click(q.message, label=q.right)
        await world.env.advance_time(10 + REVEAL_PAUSE)
    summary = world.general.last_message.embeds[0]
    assert "All 5 questions played" in summary.description
    assert f"Winner: {alice.name}" in summary.description


async def test_a_cold_war_quiz_asks_about_the_cold_war_years(world):
    await world.member.slash(world.general, "quiz start", questions=2, topic="cold-war", seconds=10)
    q = await current_question(world, world.general)
    assert q.message.embeds[0].title == "Question 1/2 · Cold War"
    asked = await world.env.bot.store.get_question(q.quiz_id, q.number)
    assert 1946 <= asked.question.year <= 1991


async def test_a_quiz_of_one_difficulty_asks_only_those_and_the_reveal_says_how_hard(world):
    from alliance_bot.domain.quiz import REVEAL_PAUSE

    start = await world.member.slash(
        world.general, "quiz start", questions=2, topic="alliances", seconds=10, difficulty="hard"
    )
    assert not start.ephemeral, start.response.content
    for _ in range(2):
        q = await current_question(world, world.general)
        asked = await world.env.bot.store.get_question(q.quiz_id, q.number)
        assert asked.question.difficulty == "hard"
        await world.member.click(q.message, label=q.right)
        await world.env.advance_time(10)
        revealed = world.env.backend.get_message(world.general.id, q.message.id)
        assert "Difficulty: hard" in revealed.embeds[0]["description"]
        await world.env.advance_time(REVEAL_PAUSE)


def test_difficulty_is_computed_from_the_data():
    import random

    from alliance_bot.config import BUNDLED_DATA_DIR
    from alliance_bot.domain.facts import load_fact_base
    from alliance_bot.domain.quiz import generate_questions

    pool = generate_questions(load_fact_base(BUNDLED_DATA_DIR), "alliances", random.Random(0))
    by = {level: [q for q in pool.values() if q.difficulty == level] for level in ("easy", "medium", "hard")}
    assert all(len(questions) >= 100 for questions in by.values()), {k: len(v) for k, v in by.items()}
    for question in pool.values():
        if question.key.startswith(("gen:atop-year:", "gen:tl-year:")):
            right = int(question.right_choice)
            gap = min(abs(int(c) - right) for c in question.choices if c != question.right_choice)
            assert question.difficulty == ("easy" if gap >= 8 else "medium" if gap >= 3 else "hard")


async def test_ten_rounds_of_ten_in_one_server_repeat_at_most_five_and_a_twenty_question_quiz_never(world):
    """Issue 25's measure through the real stack: what a server sees over ten 10-question rounds."""
    from alliance_bot.domain.quiz import REVEAL_PAUSE

    asked: list[str] = []

    async def play(questions: int) -> list[str]:
        keys = []
        start = await world.member.slash(world.general, "quiz start", questions=questions, topic="us-russia", seconds=10)
        assert not start.ephemeral, start.response.content
        for _ in range(questions):
            q = await current_question(world, world.general)
            keys.append((await world.env.bot.store.get_question(q.quiz_id, q.number)).question.key)
            await world.member.click(q.message, label=q.right)
            await world.env.advance_time(10 + REVEAL_PAUSE)
        return keys

    for _ in range(10):
        asked += await play(10)
    assert len(asked) == 100 and len(asked) - len(set(asked)) <= 5
    twenty = await play(20)
    assert len(set(twenty)) == 20
