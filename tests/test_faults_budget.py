"""The fault budget: every Discord call the bot makes for a user fails once with 500, 403, 404 (10062) and 429.

For each call site the test asserts what a user or operator would notice: the feature's state stays
consistent (no stuck quiz, no half-saved change, no double post) and the user gets a clear message
wherever one can still reach them. Faults are injected with SimCord's ``env.inject_error``.
"""

from __future__ import annotations

import discord
import pytest

from alliance_bot.domain.errors import UserError
from alliance_bot.domain.quiz import REVEAL_PAUSE

FAULTS = [
    pytest.param(500, 0, "Internal Server Error", id="500"),
    pytest.param(403, 50013, "Missing Permissions", id="403"),
    pytest.param(404, 10062, "Unknown interaction", id="404-10062"),
    pytest.param(429, 0, "You are being rate limited.", id="429"),
]
CALLBACK = "/interactions/*/callback"
FOLLOWUP = "/webhooks/*/*"


def inject(world, method: str, path: str, status: int, code: int, message: str) -> None:
    world.env.inject_error(method, path, status=status, code=code, message=message)


def fault_fired(world) -> None:
    assert not world.env.backend.faults, "the injected error was never hit: the test exercised nothing"


def replies(result) -> list:
    return [reply for reply in [result.response, *result.followups] if reply is not None]


def told(result, *fragments: str) -> str:
    """The user got an ephemeral message containing every fragment; returns the text."""
    shown = replies(result)
    text = "\n".join(reply.content or "" for reply in shown)
    assert shown and all(reply.ephemeral for reply in shown), text
    for fragment in fragments:
        assert fragment in text, text
    return text


def no_unexpected_errors(world) -> None:
    """Only refusals and the injected HTTP errors went through the error path: no bug behind them."""
    for error in world.env.errors:
        inner = getattr(error, "original", error)
        assert isinstance(inner, UserError | discord.HTTPException), repr(error)


# --------------------------------------------------------------------------- /quiz start


async def _quiz_messages(channel) -> list:
    return [message for message in channel.history() if message.components]


@pytest.mark.parametrize(("status", "code", "message"), FAULTS)
async def test_failed_quiz_start_reply_leaves_the_channel_free(world, status, code, message):
    inject(world, "POST", CALLBACK, status, code, message)
    failed = await world.member.slash(world.general, "quiz start", questions=1, seconds=10)
    fault_fired(world)

    # The one retry of the reply (the error path) reaches the member: the quiz did not start.
    told(failed, "did not start")
    assert await world.env.bot.store.open_quiz_in(world.general.id) is None, "a quiz stayed open"
    await world.env.advance_time(15)
    assert await _quiz_messages(world.general) == [], "a question was posted for a quiz nobody saw start"
    stop = await world.member.slash(world.general, "quiz stop")
    told(stop, "no quiz running")

    again = await world.member.slash(world.general, "quiz start", questions=1, seconds=10)
    assert not again.ephemeral, again.response.content
    assert len(await _quiz_messages(world.general)) == 1
    no_unexpected_errors(world)


# --------------------------------------------------------------------------- quiz: posts and edits in the channel


async def _start(world, questions: int = 1):
    result = await world.member.slash(world.general, "quiz start", questions=questions, seconds=10)
    assert not result.ephemeral, result.response.content
    return result


async def _open(world):
    found = await world.env.bot.store.open_quiz_in(world.general.id)
    assert found is not None, "no open quiz"
    return found[0].id, world.general.last_message


async def _right(world, quiz_id: int, number: int = 1) -> str:
    asked = await world.env.bot.store.get_question(quiz_id, number)
    return "ABCDE"[asked.question.answer]


@pytest.mark.parametrize(("status", "code", "message"), FAULTS)
async def test_failed_question_post_ends_the_quiz_tells_the_starter_and_frees_the_channel(world, status, code, message):
    inject(world, "POST", "/channels/*/messages", status, code, message)
    started = await world.member.slash(world.general, "quiz start", questions=2, seconds=10)
    fault_fired(world)

    assert [followup.ephemeral for followup in started.followups] == [True]
    assert "quiz had to stop" in started.followups[0].content
    assert await world.env.bot.store.open_quiz_in(world.general.id) is None
    assert await _quiz_messages(world.general) == []
    await _start(world)
    assert len(await _quiz_messages(world.general)) == 1, "a question was posted twice or not at all"


@pytest.mark.parametrize(("status", "code", "message"), FAULTS)
async def test_failed_reveal_edit_keeps_answers_and_goes_on(world, status, code, message):
    await _start(world, questions=2)
    quiz_id, question = await _open(world)
    await world.member.click(question, label=await _right(world, quiz_id))

    inject(world, "PATCH", "/channels/*/messages/*", status, code, message)
    await world.env.advance_time(11 + REVEAL_PAUSE)  # the reveal edit fails; after the pause, question 2
    fault_fired(world)

    assert world.general.last_message.id != question.id, "the next question was not posted"
    assert len(await _quiz_messages(world.general)) == 2
    await world.env.advance_time(11)
    assert await world.env.bot.store.open_quiz_in(world.general.id) is None, "the quiz never ended"
    assert await world.env.bot.store.count_answers(quiz_id) == 1


@pytest.mark.parametrize(("status", "code", "message"), FAULTS)
async def test_failed_round_summary_keeps_answers_and_closes_the_quiz(world, status, code, message):
    started = await _start(world)
    quiz_id, question = await _open(world)
    await world.member.click(question, label=await _right(world, quiz_id))

    inject(world, "POST", "/channels/*/messages", status, code, message)
    await world.env.advance_time(11)
    fault_fired(world)

    assert await world.env.bot.store.open_quiz_in(world.general.id) is None
    assert await world.env.bot.store.count_answers(quiz_id) == 1
    assert [f.ephemeral for f in started.followups] == [True], "the starter was not told"
    await _start(world)


@pytest.mark.parametrize(("status", "code", "message"), FAULTS)
async def test_failed_answer_ack_keeps_the_answer_once_and_says_so(world, status, code, message):
    await _start(world)
    quiz_id, question = await _open(world)
    right = await _right(world, quiz_id)

    inject(world, "POST", CALLBACK, status, code, message)
    clicked = await world.member.click(question, label=right)
    fault_fired(world)

    told(clicked, f"Locked in: {right}")
    again = await world.member.click(question, label=right)
    told(again, "already answered")
    assert await world.env.bot.store.count_answers(quiz_id) == 1
    no_unexpected_errors(world)


@pytest.mark.parametrize(("status", "code", "message"), FAULTS)
async def test_failed_stop_ack_still_stops_the_quiz_and_says_so(world, status, code, message):
    await _start(world, questions=3)
    inject(world, "POST", CALLBACK, status, code, message)
    stopped = await world.member.slash(world.general, "quiz stop")
    fault_fired(world)

    told(stopped, "Stopping the quiz")
    await world.env.advance_time(11)
    assert await world.env.bot.store.open_quiz_in(world.general.id) is None, "the quiz did not stop"
    assert len(await _quiz_messages(world.general)) == 1, "questions kept coming after /quiz stop"
    no_unexpected_errors(world)


# --------------------------------------------------------------------------- read-only replies


READ_ONLY = [
    ("ask", {"question": "is the us allied with russia"}),
    ("ally", {"country_a": "US", "country_b": "RU"}),
    ("quiz leaderboard", {}),
    ("quiz stats", {}),
    ("timeline browse", {"year": 1991}),
    ("facts show", {"fact_id": "us-ru-relationship"}),
    ("about", {}),
]


@pytest.mark.parametrize(("command", "options"), READ_ONLY, ids=[command for command, _ in READ_ONLY])
@pytest.mark.parametrize(("status", "code", "message"), FAULTS)
async def test_failed_read_only_reply_says_discord_refused_it(world, command, options, status, code, message):
    inject(world, "POST", CALLBACK, status, code, message)
    result = await world.member.slash(world.general, command, **options)
    fault_fired(world)

    text = told(result, "Discord did not accept my reply")
    assert "Something went wrong" not in text
    no_unexpected_errors(world)
    again = await world.member.slash(world.general, command, **options)
    assert again.response is not None and "Discord did not accept" not in (again.response.content or "")


# --------------------------------------------------------------------------- facts: changes saved before the reply

RELATIONSHIP = "us-ru-relationship"
NEW_HEADLINE = "No — as of 2026 the United States and Russia are still not allies."


async def _versions(world, fact_id: str = RELATIONSHIP):
    return await world.env.bot.store.fact_history(world.guild.id, fact_id)


@pytest.mark.parametrize(("status", "code", "message"), FAULTS)
async def test_failed_edit_reply_saves_once_and_says_it_was_saved(world, status, code, message):
    from tests.test_facts_commands import prefilled

    shown = await world.moderator.slash(world.general, "manage facts edit", fact_id=RELATIONSHIP)
    inject(world, "POST", CALLBACK, status, code, message)
    result = await world.moderator.submit_modal(shown, prefilled(shown) | {"headline": NEW_HEADLINE})
    fault_fired(world)

    told(result, "Saved", "version 1")
    assert [v.version for v in await _versions(world)] == [1], "the edit was not saved exactly once"
    assert (await world.env.bot.services.facts.view(world.guild.id)).get(RELATIONSHIP).headline == NEW_HEADLINE
    no_unexpected_errors(world)


@pytest.mark.parametrize(("status", "code", "message"), FAULTS)
async def test_failed_add_reply_saves_once_and_says_it_was_saved(world, status, code, message):
    shown = await world.moderator.slash(world.general, "manage facts add", kind="faq")
    inject(world, "POST", CALLBACK, status, code, message)
    values = {
        "question": "Do the US and Russia still talk?",
        "answer": "Yes, through embassies that remain open.",
        "paraphrases": "",
        "source": "US State Department | https://www.state.gov/",
        "as_of": "2026-01",
    }
    result = await world.moderator.submit_modal(shown, values)
    fault_fired(world)

    told(result, "Saved", "faq-do-the-us-and-russia-still-talk")
    assert [v.version for v in await _versions(world, "faq-do-the-us-and-russia-still-talk")] == [1]
    no_unexpected_errors(world)


@pytest.mark.parametrize(("status", "code", "message"), FAULTS)
async def test_failed_remove_confirmation_hides_once_and_says_so(world, status, code, message):
    prompt = await world.moderator.slash(world.general, "manage facts remove", fact_id="fig-trade-decline")
    inject(world, "POST", CALLBACK, status, code, message)
    clicked = await world.moderator.click(prompt.response.message, label="Hide it")
    fault_fired(world)

    told(clicked, "hidden")
    assert [v.state for v in await _versions(world, "fig-trade-decline")] == ["hidden"]
    no_unexpected_errors(world)


@pytest.mark.parametrize(("status", "code", "message"), FAULTS)
async def test_failed_revert_reply_reverts_once_and_says_so(world, status, code, message):
    from tests.test_facts_commands import edit

    await edit(world.moderator, world.general, RELATIONSHIP, headline=NEW_HEADLINE)
    inject(world, "POST", CALLBACK, status, code, message)
    result = await world.moderator.slash(world.general, "manage facts revert", fact_id=RELATIONSHIP, version=0)
    fault_fired(world)

    told(result, "Saved", "version 2")
    assert [v.action for v in await _versions(world)] == ["edit", "revert"]
    no_unexpected_errors(world)


@pytest.mark.parametrize(("status", "code", "message"), FAULTS)
async def test_failed_import_confirmation_imports_once_and_says_so(world, status, code, message):
    from tests.load_entries import import_file

    summary = await world.moderator.slash(
        world.general, "manage facts import", file=("three.yaml", import_file("faq", 3))
    )
    inject(world, "POST", CALLBACK, status, code, message)
    clicked = await world.moderator.click(summary.response.message, label="Confirm")
    fault_fired(world)

    told(clicked, "Imported: 3 added")
    versions = await world.env.bot.store.latest_fact_versions(world.guild.id)
    assert sorted(v.fact_id for v in versions) == ["load-faq-0", "load-faq-1", "load-faq-2"]
    assert {v.version for v in versions} == {1}
    no_unexpected_errors(world)


@pytest.mark.parametrize(("status", "code", "message"), FAULTS)
async def test_failed_import_summary_changes_nothing(world, status, code, message):
    from tests.load_entries import import_file

    inject(world, "POST", FOLLOWUP, status, code, message)
    result = await world.moderator.slash(world.general, "manage facts import", file=("three.yaml", import_file("faq", 3)))
    fault_fired(world)

    told(result, "Discord did not accept my reply")
    assert await world.env.bot.store.latest_fact_versions(world.guild.id) == []
    no_unexpected_errors(world)


@pytest.mark.parametrize(("status", "code", "message"), FAULTS)
async def test_failed_audit_post_still_saves_the_change(world, status, code, message):
    from tests.test_facts_commands import edit

    audit = world.guild.create_text_channel("fact-log")
    await world.moderator.slash(world.general, "manage facts audit", channel=audit)
    inject(world, "POST", f"/channels/{audit.id}/messages", status, code, message)
    result = await edit(world.moderator, world.general, RELATIONSHIP, headline=NEW_HEADLINE)
    fault_fired(world)

    assert "version 1" in result.response.embeds[0].description
    assert [v.version for v in await _versions(world)] == [1]
    assert [m for m in audit.history() if m.author.bot] == []


# --------------------------------------------------------------------------- timeline


@pytest.mark.parametrize(("status", "code", "message"), FAULTS)
async def test_failed_subscribe_reply_subscribes_once_and_says_so(world, status, code, message):
    inject(world, "POST", CALLBACK, status, code, message)
    result = await world.moderator.slash(world.general, "manage timeline subscribe", channel=world.timeline)
    fault_fired(world)

    told(result, "will get one timeline entry a day")
    subscriptions = await world.env.bot.store.timeline_subscriptions(world.guild.id)
    assert [s.channel_id for s in subscriptions] == [world.timeline.id]
    await world.env.advance_time(12 * 3600 + 60)
    assert len([m for m in world.timeline.history() if m.embeds]) == 1
    no_unexpected_errors(world)


@pytest.mark.parametrize(("status", "code", "message"), FAULTS)
async def test_failed_unsubscribe_reply_unsubscribes_and_says_so(world, status, code, message):
    await world.moderator.slash(world.general, "manage timeline subscribe", channel=world.timeline)
    inject(world, "POST", CALLBACK, status, code, message)
    result = await world.moderator.slash(world.general, "manage timeline unsubscribe", channel=world.timeline)
    fault_fired(world)

    told(result, "will no longer get daily timeline posts")
    assert await world.env.bot.store.timeline_subscriptions(world.guild.id) == []
    await world.env.advance_time(12 * 3600 + 60)
    assert [m for m in world.timeline.history() if m.embeds] == []
    no_unexpected_errors(world)


@pytest.mark.parametrize(("status", "code", "message"), FAULTS)
async def test_failed_daily_post_is_retried_or_paused_and_never_doubled(world, status, code, message):
    await world.moderator.slash(world.general, "manage timeline subscribe", channel=world.timeline)
    inject(world, "POST", f"/channels/{world.timeline.id}/messages", status, code, message)
    await world.env.advance_time(12 * 3600 + 60)
    fault_fired(world)
    await world.env.advance_time(2 * 3600)

    posts = [m for m in world.timeline.history() if m.embeds]
    (subscription,) = await world.env.bot.store.timeline_subscriptions(world.guild.id)
    if status in (500, 429):  # Discord's trouble: retried, posted once
        assert len(posts) == 1 and subscription.active
    else:  # refused for good: paused with the reason, nothing posted, nothing retried
        assert posts == [] and not subscription.active
        shown = await world.moderator.slash(world.general, "manage timeline status")
        assert "paused" in str(shown.response.embeds[0].to_dict())


# --------------------------------------------------------------------------- commands that only open something

OPENERS = [
    ("manage facts edit", {"fact_id": RELATIONSHIP}),
    ("manage facts add", {"kind": "faq"}),
    ("manage facts remove", {"fact_id": "fig-trade-decline"}),
    ("facts history", {"fact_id": RELATIONSHIP}),
    ("manage timeline status", {}),
]


@pytest.mark.parametrize(("command", "options"), OPENERS, ids=[command for command, _ in OPENERS])
@pytest.mark.parametrize(("status", "code", "message"), FAULTS)
async def test_failed_moderator_reply_changes_nothing_and_says_discord_refused_it(
    world, command, options, status, code, message
):
    inject(world, "POST", CALLBACK, status, code, message)
    result = await world.moderator.slash(world.general, command, **options)
    fault_fired(world)

    assert result.modal is None
    told(result, "Discord did not accept my reply")
    assert await world.env.bot.store.latest_fact_versions(world.guild.id) == []
    no_unexpected_errors(world)


@pytest.mark.parametrize(("status", "code", "message"), FAULTS)
async def test_failed_export_reply_says_discord_refused_it(world, status, code, message):
    from tests.test_facts_commands import edit

    await edit(world.moderator, world.general, RELATIONSHIP, headline=NEW_HEADLINE)
    inject(world, "POST", CALLBACK, status, code, message)
    result = await world.moderator.slash(world.general, "manage facts export")
    fault_fired(world)

    told(result, "Discord did not accept my reply")
    again = await world.moderator.slash(world.general, "manage facts export")
    assert again.response.attachments, "export did not work after the failure"
    no_unexpected_errors(world)


# --------------------------------------------------------------------------- fetching the reply a view belongs to

ORIGINAL = "/webhooks/*/*/messages/@original"


@pytest.mark.parametrize(("status", "code", "message"), FAULTS)
async def test_failed_fetch_of_the_browse_card_still_leaves_a_working_card(world, status, code, message):
    world.env.inject_error("GET", ORIGINAL, status=status, code=code, message=message)
    browse = await world.member.slash(world.general, "timeline browse")
    fault_fired(world)

    assert browse.response.embeds and not browse.followups, "an error was shown for a card that was shown"
    first = browse.response.embeds[0].title
    clicked = await world.member.click(browse.response.message, label="Next")
    assert clicked.response.embeds[0].title != first
    no_unexpected_errors(world)


@pytest.mark.parametrize(("status", "code", "message"), FAULTS)
async def test_failed_fetch_of_the_remove_prompt_still_leaves_working_buttons(world, status, code, message):
    world.env.inject_error("GET", ORIGINAL, status=status, code=code, message=message)
    prompt = await world.moderator.slash(world.general, "manage facts remove", fact_id="fig-trade-decline")
    fault_fired(world)

    assert "Hide" in prompt.response.content and not prompt.followups
    await world.moderator.click(prompt.response.message, label="Hide it")
    assert "fig-trade-decline" not in await world.env.bot.services.facts.view(world.guild.id)
    no_unexpected_errors(world)


# --------------------------------------------------------------------------- buttons that edit their own message


@pytest.mark.parametrize(("status", "code", "message"), FAULTS)
async def test_failed_browse_page_turn_keeps_the_card_and_the_position_in_step(world, status, code, message):
    browse = await world.member.slash(world.general, "timeline browse")
    titles = [browse.response.embeds[0].title]
    inject(world, "POST", CALLBACK, status, code, message)
    failed = await world.member.click(browse.response.message, label="Next")
    fault_fired(world)
    told(failed, "Discord did not accept my reply")

    second = await world.member.click(browse.response.message, label="Next")
    titles.append(second.response.embeds[0].title)
    from alliance_bot.domain import timeline as tl

    entries = tl.timeline_entries(await world.env.bot.services.facts.view(world.guild.id))
    expected = [entry.title for entry in tl.ordered(entries)][:2]
    assert all(want in got for want, got in zip(expected, titles, strict=True)), (
        f"the failed page turn moved the position: {titles} vs {expected}"
    )
    no_unexpected_errors(world)


@pytest.mark.parametrize(("status", "code", "message"), FAULTS)
async def test_failed_import_cancel_changes_nothing(world, status, code, message):
    from tests.load_entries import import_file

    summary = await world.moderator.slash(world.general, "manage facts import", file=("three.yaml", import_file("faq", 3)))
    inject(world, "POST", CALLBACK, status, code, message)
    clicked = await world.moderator.click(summary.response.message, label="Cancel")
    fault_fired(world)

    told(clicked, "Discord did not accept my reply")
    assert await world.env.bot.store.latest_fact_versions(world.guild.id) == []
    no_unexpected_errors(world)


@pytest.mark.parametrize(("status", "code", "message"), FAULTS)
async def test_question_post_and_the_note_to_the_starter_both_failing_still_free_the_channel(
    world, status, code, message
):
    world.env.inject_error("POST", "/channels/*/messages", status=status, code=code, message=message)
    world.env.inject_error("POST", FOLLOWUP, status=status, code=code, message=message)
    await world.member.slash(world.general, "quiz start", questions=1, seconds=10)
    fault_fired(world)

    assert await world.env.bot.store.open_quiz_in(world.general.id) is None
    await _start(world)


@pytest.mark.parametrize(("status", "code", "message"), FAULTS)
async def test_failed_answer_section_switch_says_so_and_the_next_click_works(world, status, code, message):
    result = await world.member.slash(world.general, "ask", question="is u.s. allies with russia")

    def title() -> str:
        return world.env.backend.get_message(world.general.id, result.response.message.id).embeds[0]["title"]

    verdict = title()
    inject(world, "POST", CALLBACK, status, code, message)
    failed = await world.member.click(result.response.message, label="Timeline")
    fault_fired(world)

    told(failed, "Discord did not accept my reply")
    assert title() == verdict, "the card changed although the edit failed"
    await world.member.click(result.response.message, label="Timeline")
    assert title() != verdict, "the next click did not switch the section"
    no_unexpected_errors(world)


@pytest.mark.parametrize(("status", "code", "message"), FAULTS)
async def test_failed_audit_setting_reply_keeps_the_setting_and_says_so(world, status, code, message):
    audit = world.guild.create_text_channel("fact-log")
    inject(world, "POST", CALLBACK, status, code, message)
    result = await world.moderator.slash(world.general, "manage facts audit", channel=audit)
    fault_fired(world)

    told(result, "will be posted to")
    assert await world.env.bot.store.get_audit_channel(world.guild.id) == audit.id
    no_unexpected_errors(world)


@pytest.mark.parametrize(("status", "code", "message"), FAULTS)
async def test_failed_remove_deleted_reply_removes_once_and_says_so(world, status, code, message):
    await world.moderator.slash(world.general, "manage timeline subscribe", channel=world.timeline)
    world.env.backend.delete_channel(world.timeline.id)
    await world.env.advance_time(24 * 3600)
    status_reply = await world.moderator.slash(world.general, "manage timeline status")
    inject(world, "POST", CALLBACK, status, code, message)
    clicked = await world.moderator.click(
        status_reply.response.message, label="Remove 1 subscription of deleted channels"
    )
    fault_fired(world)

    told(clicked, "Removed 1 subscription")
    assert await world.env.bot.store.timeline_subscriptions(world.guild.id) == []
    no_unexpected_errors(world)


@pytest.mark.parametrize(("status", "code", "message"), FAULTS)
async def test_failed_reload_report_says_the_facts_were_reloaded(world, status, code, message):
    world.env.bot.owner_ids = {world.moderator.id}
    inject(world, "POST", FOLLOWUP, status, code, message)
    result = await world.moderator.slash(world.general, "manage facts reload")
    fault_fired(world)

    told(result, "reloaded")
    no_unexpected_errors(world)


@pytest.mark.parametrize(("status", "code", "message"), FAULTS)
async def test_failed_import_deferral_changes_nothing_and_says_discord_refused_it(world, status, code, message):
    from tests.load_entries import import_file

    inject(world, "POST", CALLBACK, status, code, message)
    result = await world.moderator.slash(world.general, "manage facts import", file=("three.yaml", import_file("faq", 3)))
    fault_fired(world)

    told(result, "Discord did not accept my reply")
    assert await world.env.bot.store.latest_fact_versions(world.guild.id) == []
    no_unexpected_errors(world)


@pytest.mark.parametrize(("status", "code", "message"), FAULTS)
async def test_failed_remove_cancel_keeps_the_entry(world, status, code, message):
    prompt = await world.moderator.slash(world.general, "manage facts remove", fact_id="fig-trade-decline")
    inject(world, "POST", CALLBACK, status, code, message)
    clicked = await world.moderator.click(prompt.response.message, label="Cancel")
    fault_fired(world)

    told(clicked, "Discord did not accept my reply")
    assert "fig-trade-decline" in await world.env.bot.services.facts.view(world.guild.id)
    assert await world.env.bot.store.latest_fact_versions(world.guild.id) == []
    no_unexpected_errors(world)


@pytest.mark.parametrize(("status", "code", "message"), FAULTS)
async def test_failed_suggestion_pick_says_discord_refused_it_and_the_next_pick_works(world, status, code, message):
    asked = await world.member.slash(world.general, "ask", question="are korea and japan allies")
    assert asked.ephemeral and asked.response.components, "no suggestions were offered"
    label = asked.response.components[0]["components"][0]["label"]

    inject(world, "POST", CALLBACK, status, code, message)
    failed = await world.member.click(asked.response.message, label=label)
    fault_fired(world)

    told(failed, "Discord did not accept my reply")
    picked = await world.member.click(asked.response.message, label=label)
    assert picked.response.embeds, picked.response.content
    no_unexpected_errors(world)
