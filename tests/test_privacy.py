"""Privacy (issue 26): what the bot keeps about a member, and deleting it on request."""

from __future__ import annotations

from bot.domain.quiz import REVEAL_PAUSE
from tests.test_quiz_commands import add_member, current_question


async def _play_one(world, player) -> int:
    await world.member.slash(world.general, "quiz start", questions=1, topic="us-russia", seconds=10)
    q = await current_question(world, world.general)
    await player.click(q.message, label=q.right)
    await world.env.advance_time(10 + REVEAL_PAUSE)
    return q.quiz_id


async def test_the_privacy_statement_says_what_is_kept_and_how_to_delete_it(world):
    result = await world.member.slash(world.general, "privacy about")
    assert result.ephemeral
    text = result.response.embeds[0].description
    for kept in ("display name", "quiz answers", "fact", "/privacy forget-me"):
        assert kept in text, kept


async def test_forget_me_asks_first_then_deletes_answers_scores_and_names_everywhere(world):
    alice, bob = add_member(world, "alice"), add_member(world, "bob")
    quiz_id = await _play_one(world, alice)
    store = world.env.bot.store
    assert await store.count_answers(quiz_id) == 1
    assert await store.display_names(world.guild.id, [alice.id]) == {alice.id: alice.name}

    asked = await alice.slash(world.general, "privacy forget-me")
    assert asked.ephemeral and "confirm: True" in asked.response.content
    assert await store.count_answers(quiz_id) == 1  # nothing deleted without the confirmation

    done = await alice.slash(world.general, "privacy forget-me", confirm=True)
    assert done.ephemeral and "deleted" in done.response.content.lower()
    assert await store.count_answers(quiz_id) == 0
    assert await store.display_names(world.guild.id, [alice.id]) == {}
    board = await bob.slash(world.general, "quiz leaderboard")
    assert alice.name not in (board.response.embeds[0].description or "")
    stats = await alice.slash(world.general, "quiz stats")
    assert "hasn't answered" in stats.response.embeds[0].description


async def test_forget_me_keeps_the_facts_a_member_edited_but_not_their_name_on_them(world):
    from tests.test_facts_commands import edit

    await edit(world.moderator, world.general, "fig-sanctioned-entities", value="3,100")
    done = await world.moderator.slash(world.general, "privacy forget-me", confirm=True)
    assert done.ephemeral
    view = await world.env.bot.facts_for(world.guild.id)
    assert view.get("fig-sanctioned-entities").value == "3,100"  # the server's facts are not lost
    versions = await world.env.bot.store.fact_history(world.guild.id, "fig-sanctioned-entities")
    assert versions and all(v.author_id != world.moderator.id for v in versions)


async def test_forget_user_works_on_both_backends_and_touches_only_that_user(store_target):
    from datetime import UTC, datetime

    from bot.storage import Store

    store = await Store.open(store_target)
    try:
        now = datetime(2026, 12, 7, tzinfo=UTC)
        await store.remember_names(1, {10: "alice", 11: "bob"}, now)
        await store.remember_names(2, {10: "alice-elsewhere"}, now)
        assert (await store.kept_about(10)).names == 2
        forgotten = await store.forget_user(10)
        assert forgotten.names == 2
        assert (await store.kept_about(10)).total == 0
        assert await store.display_names(1, [10, 11]) == {11: "bob"}  # bob untouched
        assert (await store.forget_user(10)).total == 0  # a second request finds nothing
    finally:
        await store.close()
