"""The fault budget: every Discord call the bot makes for a user fails once with 500, 403, 404 (10062) and 429.

For each call site the test asserts what a user or operator would notice: the feature's state stays
consistent (no stuck quiz, no half-saved change, no double post) and the user gets a clear message
wherever one can still reach them. Faults are injected with SimCord's ``env.inject_error``.
"""

from __future__ import annotations

import discord
import pytest

from bot.domain.errors import UserError

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
