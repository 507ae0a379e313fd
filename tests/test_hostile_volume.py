"""Hostile volume: a server at the per-server maximum of every kind of entry stalls nobody.

The cap (``MAX_ENTRIES_PER_KIND`` per kind per server, bundled entries included) is enforced
by /facts import and /facts add with a refusal that names it. Question generation runs off
the event loop, once per quiz (again only if the server's facts change mid-quiz).
"""

from __future__ import annotations

import asyncio
import threading

import pytest

from alliance_bot.domain import overlay
from alliance_bot.domain.errors import UserError
from alliance_bot.domain.facts import FACT_KINDS
from alliance_bot.domain.quiz import REVEAL_PAUSE
from tests.conftest import build_world
from tests.load_entries import import_file


def _text(result) -> str:
    replies = [reply for reply in [result.response, *result.followups] if reply is not None]
    return "\n".join((reply.content or "") + " ".join(str(e.to_dict()) for e in reply.embeds) for reply in replies)


def _only_refusals(world) -> None:
    """Everything that went through the error path was a refusal to the user, not a bug."""
    errors = world.env.errors
    assert errors and all(isinstance(getattr(e, "original", e), UserError) for e in errors), errors


async def _import(world, kind: str, count: int, start: int = 0):
    return await world.moderator.slash(
        world.general, "manage facts import", file=(f"load-{kind}.yaml", import_file(kind, count, start))
    )


async def _fill(world, kind: str) -> None:
    """Bring the server to exactly the cap of ``kind``, in one confirmed import."""
    have = world.env.bot.facts.counts().get(kind, 0)
    summary = await _import(world, kind, overlay.MAX_ENTRIES_PER_KIND - have)
    assert summary.response.embeds, _text(summary)
    await world.moderator.click(summary.response.message, label="Confirm")
    view = await world.env.bot.services.facts.view(world.guild.id)
    assert view.counts()[kind] == overlay.MAX_ENTRIES_PER_KIND


def test_the_cap_is_500_per_kind():
    assert overlay.MAX_ENTRIES_PER_KIND == 500


async def test_import_beyond_the_per_server_cap_is_refused_naming_it(world):
    have = world.env.bot.facts.counts()["timeline"]
    result = await _import(world, "timeline", overlay.MAX_ENTRIES_PER_KIND - have + 1)

    text = _text(result)
    assert "Nothing was imported" in text and "`load-timeline.yaml`" in text, text
    assert "500 timeline entries" in text, text
    assert await world.env.bot.store.latest_fact_versions(world.guild.id) == []


async def test_a_server_at_the_cap_can_add_no_more_of_that_kind(world):
    opened_before = await world.moderator.slash(world.general, "manage facts add", kind="faq")
    assert opened_before.modal is not None
    await _fill(world, "faq")

    submitted = await world.moderator.submit_modal(
        opened_before,
        {"question": "One more?", "answer": "No.", "paraphrases": "", "source": "Load test", "as_of": "2025"},
    )
    text = _text(submitted)
    assert "500 faq entries" in text and submitted.ephemeral, text
    again = await world.moderator.slash(world.general, "manage facts add", kind="faq")
    assert again.modal is None and "500 faq entries" in _text(again) and again.ephemeral
    _only_refusals(world)
    assert (await world.env.bot.services.facts.view(world.guild.id)).counts()["faq"] == overlay.MAX_ENTRIES_PER_KIND


async def test_quiz_questions_are_generated_off_the_loop_once_per_quiz(world, monkeypatch):
    from alliance_bot.cogs import quiz as quiz_cog

    calls: list[bool] = []
    real = quiz_cog.question_pool

    def recording(*args, **kwargs):
        try:
            asyncio.get_running_loop()
            on_loop = True
        except RuntimeError:
            on_loop = False
        calls.append(on_loop and threading.current_thread() is threading.main_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(quiz_cog, "question_pool", recording)
    start = await world.member.slash(world.general, "quiz start", questions=3, seconds=10, topic="timeline")
    assert not start.ephemeral, start.response.content
    for _ in range(3):
        await world.env.advance_time(11 + REVEAL_PAUSE)

    assert calls == [False], f"generation calls (True = on the event loop): {calls}"
    summary = world.general.last_message
    assert summary.embeds and not summary.components, "the quiz did not run to its summary"


async def test_every_kind_at_the_cap_and_other_servers_still_get_answers(world):
    other = build_world(world.env, "Other Server")
    await other.moderator.slash(other.general, "manage timeline subscribe", channel=other.timeline)
    await world.moderator.slash(world.general, "manage timeline subscribe", channel=world.timeline)
    for kind in FACT_KINDS:
        await _fill(world, kind)

    for server in (other, world):
        ask = await server.member.slash(server.general, "ask", question="is the us allied with russia")
        assert ask.response.embeds and "not allies" in ask.response.embeds[0].title
        browse = await server.member.slash(server.general, "timeline browse", year=1995)
        assert browse.response.embeds and browse.response.embeds[0].title
        quiz = await server.member.slash(server.general, "quiz start", questions=1, seconds=10, topic="timeline")
        assert not quiz.ephemeral, quiz.response.content
        assert server.general.last_message.components, "no question was posted"
    await world.env.advance_time(12 * 3600 + 60)  # past 12:00 UTC: both daily posts are due
    for server in (other, world):
        posts = [message for message in server.timeline.history() if message.embeds]
        assert len(posts) == 1, f"{server.guild.name}: {len(posts)} daily posts"


def _recording(real, calls: list[bool]):
    """Wrap ``real`` to record, per call, whether it ran on the event loop's thread."""

    def wrapper(*args, **kwargs):
        try:
            asyncio.get_running_loop()
            calls.append(True)
        except RuntimeError:
            calls.append(False)
        return real(*args, **kwargs)

    return wrapper


@pytest.mark.parametrize(
    ("module", "name", "command", "run"),
    [
        ("alliance_bot.cogs.ask", "engine_for", "ask", "slash"),
        ("alliance_bot.cogs.facts", "search_facts", "facts show", "autocomplete"),
        ("alliance_bot.services.facts", "compute_overlay", "facts show", "autocomplete"),
    ],
)
async def test_work_that_grows_with_a_servers_entries_runs_off_the_loop(world, monkeypatch, module, name, command, run):
    import importlib

    target = importlib.import_module(module)
    calls: list[bool] = []
    monkeypatch.setattr(target, name, _recording(getattr(target, name), calls))
    await _fill(world, "faq")  # the server's own entries: its view must be merged, its engine built

    if run == "slash":
        result = await world.member.slash(world.general, command, question="is the us allied with russia")
        assert result.response.embeds
    else:
        choices = await world.member.autocomplete(world.general, command, "fact_id", "load")
        assert choices and all(choice["value"].startswith("load-faq-") for choice in choices)

    assert calls and not any(calls), f"{name} ran on the event loop: {calls}"


async def test_a_large_import_posts_one_audit_line_and_answers_the_click(world):
    audit = world.guild.create_text_channel("fact-log")
    await world.moderator.slash(world.general, "manage facts audit", channel=audit)
    summary = await _import(world, "timeline", 200)

    confirmed = await world.moderator.click(summary.response.message, label="Confirm")

    assert "Imported: 200 added" in (confirmed.response.content or ""), confirmed.response
    logged = [message.content for message in audit.history()]
    assert len(logged) == 1, f"{len(logged)} audit posts for one import"
    assert "imported 200 entries" in logged[0] and "load-timeline-0" in logged[0], logged[0]
    assert len(logged[0]) <= 2000
