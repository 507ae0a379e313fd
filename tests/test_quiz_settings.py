"""Per-server quiz settings and members' reports of questions (issue 25)."""

from __future__ import annotations

from datetime import UTC, datetime

from alliance_bot.domain.quiz import REVEAL_PAUSE
from tests.conftest import build_world
from tests.test_quiz_commands import current_question


async def test_defaults_apply_to_quiz_start_and_an_edit_keeps_what_it_did_not_change(world):
    done = await world.moderator.slash(world.general, "manage quiz defaults", topic="cold-war", questions=3, reveal_pause=2)
    assert done.ephemeral and "Cold War" in done.response.embeds[0].description
    again = await world.moderator.slash(world.general, "manage quiz defaults", seconds=15)
    text = again.response.embeds[0].description
    assert "Cold War" in text and "**Questions**: 3" in text and "**Seconds per question**: 15" in text
    shown = await world.moderator.slash(world.general, "manage quiz settings")
    assert "**Pause after each reveal (s)**: 2" in shown.response.embeds[0].description

    start = await world.member.slash(world.general, "quiz start")
    assert not start.ephemeral
    session = await world.env.bot.store.get_quiz((await current_question(world, world.general)).quiz_id)
    assert (session.topic, session.total, session.seconds) == ("cold-war", 3, 15)


async def test_a_member_reports_a_question_moderators_see_it_and_retire_it_in_their_server_only(simcord_env):
    world = build_world(simcord_env)
    other = build_world(simcord_env, "Other Server")
    await world.member.slash(world.general, "quiz start", questions=1, topic="us-russia", seconds=10)
    q = await current_question(world, world.general)
    asked = await world.env.bot.store.get_question(q.quiz_id, q.number)
    await world.env.advance_time(10)
    closed = world.general.last_message if world.general.last_message.id == q.message.id else q.message
    form = await world.member.click(q.message, label="Report this question")
    assert form.modal is not None
    field = form.modal["components"][0]["components"][0]["custom_id"]
    thanks = await world.member.submit_modal(form, {field: "Two of the years are right."})
    assert thanks.ephemeral and "moderators will see" in thanks.response.content
    del closed

    reports = await world.moderator.slash(world.general, "manage quiz reports")
    fields = reports.response.embeds[0].fields
    assert fields and "Two of the years are right." in fields[0].value and asked.question.key in fields[0].value
    elsewhere = await other.moderator.slash(other.general, "manage quiz reports")
    assert "No question has been reported" in elsewhere.response.embeds[0].description

    retired = await world.moderator.slash(world.general, "manage quiz retire", question=asked.question.key)
    assert retired.ephemeral and "will not be asked here again" in retired.response.content
    store = world.env.bot.store
    assert asked.question.key in await store.retired_questions(world.guild.id)
    assert asked.question.key not in await store.retired_questions(other.guild.id)
    await world.env.advance_time(REVEAL_PAUSE)

    from alliance_bot.cogs.quiz import _usable
    from alliance_bot.domain.quiz import question_pool

    pool = question_pool(await world.env.bot.services.facts.view(world.guild.id), "us-russia")
    assert asked.question.key in pool
    assert asked.question.key not in _usable(pool, None, await store.retired_questions(world.guild.id))


async def test_settings_reports_and_retirements_survive_a_reopen_on_both_backends(store_target):
    from alliance_bot.storage import Store

    now = datetime(2026, 12, 7, tzinfo=UTC)
    store = await Store.open(store_target)
    try:
        await store.change_quiz_settings(1, {"topic": "world-wars", "reveal_pause": 3})
        await store.change_quiz_settings(1, {"questions": 7})
        await store.report_question(1, "gen:x", "alliances", "A prompt?", "wrong date", 10, now)
        await store.report_question(1, "gen:x", "alliances", "A prompt?", "also wrong", 11, now)
        await store.report_question(2, "gen:y", "alliances", "Other prompt?", "meh", 12, now)
        assert await store.retire_question(1, "gen:z", 99, now)
        assert not await store.retire_question(1, "gen:z", 99, now)
    finally:
        await store.close()
    reopened = await Store.open(store_target)
    try:
        settings = await reopened.quiz_settings(1)
        assert (settings.topic, settings.questions, settings.reveal_pause, settings.seconds) == ("world-wars", 7, 3, None)
        reports = await reopened.question_reports(1)
        assert [(r.key, len(r.reasons)) for r in reports] == [("gen:x", 2)]
        assert await reopened.retired_questions(1) == {"gen:z"} and await reopened.retired_questions(2) == set()
        assert (await reopened.quiz_settings(2)).topic is None
    finally:
        await reopened.close()
