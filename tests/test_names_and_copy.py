"""Readable names and plain copy: what members see after a quiz, on the boards and in the facts history."""

from __future__ import annotations

from alliance_bot import create_bot
from tests.test_quiz_commands import current_question


async def test_a_question_nobody_answered_says_so_once(world):
    await world.member.slash(world.general, "quiz start", questions=1, topic="timeline")
    q1 = await current_question(world, world.general)
    await world.env.advance_time(20)

    closed = world.env.backend.get_message(world.general.id, q1.message.id).embeds[0]
    fields = {f["name"]: f["value"] for f in closed["fields"]}
    assert fields.get("Answers") == "Nobody answered this one."
    assert not any("0 of 0" in name for name in fields)
    summary = world.general.last_message.embeds[0]
    assert "All 1 question played." in summary.description


async def test_boards_show_names_and_only_period_boards_explain_their_period(world, settings):
    alice = world.guild.add_member(world.env.create_user("alice", global_name="Alice Liddell"))
    await world.member.slash(world.general, "quiz start", questions=1, topic="timeline")
    q1 = await current_question(world, world.general)
    await alice.click(q1.message, label=q1.right)
    await world.env.advance_time(20)

    all_time = (await world.member.slash(world.general, "quiz leaderboard")).response.embeds[0]
    assert all_time.description.startswith("**1.** Alice Liddell:")
    assert all_time.footer.text is None
    week = (await world.member.slash(world.general, "quiz leaderboard", period="week")).response.embeds[0]
    assert week.footer.text.startswith("Since ") and "UTC" in week.footer.text

    # Names are stored: they survive a restart, before Alice does anything again.
    await world.env.restart_bot(create_bot(settings))
    board = (await world.member.slash(world.general, "quiz leaderboard")).response.embeds[0]
    assert "Alice Liddell" in board.description and "<@" not in board.description
    stats = (await world.member.slash(world.general, "quiz stats", member=alice)).response.embeds[0]
    assert stats.title == "Quiz stats: Alice Liddell"


async def test_facts_history_and_status_name_the_moderator(world):
    shown = await world.moderator.slash(world.general, "manage facts edit", fact_id="us-ru-relationship")
    values = {c["custom_id"]: c.get("value", "") for row in shown.modal["components"] for c in row.get("components", [])}
    await world.moderator.submit_modal(shown, values | {"headline": "No — still not allies."})

    history = (await world.member.slash(world.general, "facts history", fact_id="us-ru-relationship")).response
    assert f"edited by {world.moderator.name}" in history.embeds[0].description
    show = (await world.member.slash(world.general, "facts show", fact_id="us-ru-relationship")).response
    status = next(f.value for f in show.embeds[0].fields if f.name == "In this server")
    assert world.moderator.name in status


async def test_timeline_status_names_channels(world):
    await world.moderator.slash(world.general, "manage timeline subscribe", channel=world.timeline)
    status = (await world.moderator.slash(world.general, "manage timeline status")).response.embeds[0]
    text = "\n".join(f"{f.name}\n{f.value}" for f in status.fields)
    assert "#timeline" in text and "<#" not in text


