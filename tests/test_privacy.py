"""Privacy (issue 26): what the bot keeps about a member, and deleting it on request."""

from __future__ import annotations

from alliance_bot.domain.quiz import REVEAL_PAUSE
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
    for kept in ("display name", "quiz answers", "fact", "/privacy forget", "for how long", "/manage forget-server"):
        assert kept in text, kept


async def test_forget_asks_first_then_deletes_answers_scores_and_names_everywhere(world):
    alice, bob = add_member(world, "alice"), add_member(world, "bob")
    quiz_id = await _play_one(world, alice)
    store = world.env.bot.store
    assert await store.count_answers(quiz_id) == 1
    assert await store.display_names(world.guild.id, [alice.id]) == {alice.id: alice.name}

    asked = await alice.slash(world.general, "privacy forget")
    assert asked.ephemeral and "confirm: True" in asked.response.content
    assert await store.count_answers(quiz_id) == 1  # nothing deleted without the confirmation

    done = await alice.slash(world.general, "privacy forget", confirm=True)
    assert done.ephemeral and "deleted" in done.response.content.lower()
    assert await store.count_answers(quiz_id) == 0
    assert await store.display_names(world.guild.id, [alice.id]) == {}
    board = await bob.slash(world.general, "quiz leaderboard")
    assert alice.name not in (board.response.embeds[0].description or "")
    stats = await alice.slash(world.general, "quiz stats")
    assert "hasn't answered" in stats.response.embeds[0].description


async def test_forget_keeps_the_facts_a_member_edited_but_not_their_name_on_them(world):
    from tests.test_facts_commands import edit

    await edit(world.moderator, world.general, "fig-sanctioned-entities", value="3,100")
    done = await world.moderator.slash(world.general, "privacy forget", confirm=True)
    assert done.ephemeral
    view = await world.env.bot.services.facts.view(world.guild.id)
    assert view.get("fig-sanctioned-entities").value == "3,100"  # the server's facts are not lost
    versions = await world.env.bot.store.fact_history(world.guild.id, "fig-sanctioned-entities")
    assert versions and all(v.author_id != world.moderator.id for v in versions)
    # The history stays accountable: the edit is there, by "a former member", with no mention of anyone.
    history = await world.moderator.slash(world.general, "facts history", fact_id="fig-sanctioned-entities")
    shown = history.response.embeds[0].to_dict().__repr__()
    assert "a former member" in shown
    assert "<@0>" not in shown and str(world.moderator.id) not in shown and world.moderator.name not in shown


async def test_forget_user_works_on_both_backends_and_touches_only_that_user(store_target):
    from datetime import UTC, datetime

    from alliance_bot.storage import Store

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


async def test_forget_server_asks_first_then_deletes_that_server_only(simcord_env):
    from tests.conftest import build_world
    from tests.test_facts_commands import edit

    world = build_world(simcord_env)
    other = build_world(simcord_env, "Other Server")
    alice = add_member(world, "alice")
    await _play_one(world, alice)
    await _play_one(other, other.member)
    await edit(world.moderator, world.general, "fig-sanctioned-entities", value="3,100")
    await world.moderator.slash(world.general, "manage timeline subscribe", channel=world.timeline)
    store = world.env.bot.store

    asked = await world.moderator.slash(world.general, "manage forget-server")
    assert asked.ephemeral and "confirm: True" in asked.response.content
    assert "1 fact version" in asked.response.content and "1 daily-post channel" in asked.response.content
    assert (await store.server_data(world.guild.id)).total > 0  # nothing deleted without the confirmation

    done = await world.moderator.slash(world.general, "manage forget-server", confirm=True)
    assert done.ephemeral and done.response.content.startswith("Deleted everything")
    assert (await store.server_data(world.guild.id)).total == 0
    view = await world.env.bot.services.facts.view(world.guild.id)
    assert view.get("fig-sanctioned-entities").value == world.env.bot.facts.get("fig-sanctioned-entities").value
    board = await world.member.slash(world.general, "quiz leaderboard")
    assert alice.name not in (board.response.embeds[0].description or "")
    status = await world.moderator.slash(world.general, "manage timeline status")
    assert "#timeline" not in str(status.response.embeds[0].to_dict())

    # The other server keeps all of its own.
    kept = await store.server_data(other.guild.id)
    assert kept.answers == 1 and kept.players == 1 and kept.quizzes == 1


async def test_forget_server_is_for_moderators_and_waits_for_a_running_quiz(world):
    from alliance_bot.render import NEEDS_MANAGE_GUILD
    from tests.conftest import show_manage_to
    from tests.test_facts_commands import refused

    await _play_one(world, world.member)
    show_manage_to(world, world.member)
    result = await world.member.slash(world.general, "manage forget-server", confirm=True)
    refused(world, result, NEEDS_MANAGE_GUILD)
    assert (await world.env.bot.store.server_data(world.guild.id)).answers == 1
    world.env.errors.clear()

    await world.member.slash(world.general, "quiz start", questions=2, topic="us-russia", seconds=30)
    waiting = await world.moderator.slash(world.general, "manage forget-server", confirm=True)
    assert waiting.ephemeral and "nothing was deleted" in waiting.response.content
    assert (await world.env.bot.store.server_data(world.guild.id)).quizzes == 2
    refused(world, waiting, "nothing was deleted")
    world.env.errors.clear()


async def test_forget_server_works_on_both_backends(store_target):
    from datetime import UTC, datetime

    from alliance_bot.storage import Store

    store = await Store.open(store_target)
    try:
        now = datetime(2026, 12, 7, tzinfo=UTC)
        await store.remember_names(1, {10: "alice"}, now)
        await store.remember_names(2, {10: "alice-elsewhere"}, now)
        assert (await store.forget_server(1)).names == 1
        assert (await store.server_data(1)).total == 0
        assert await store.display_names(2, [10]) == {10: "alice-elsewhere"}
    finally:
        await store.close()
