"""The sandbox runs the real bot in real time: a quiz question stays open for its full time."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.config import Settings
from bot.sandbox import SandboxWorld, run_sandbox


async def test_sandbox_runs_on_todays_clock_and_does_not_rush_a_quiz(tmp_path):
    stop = asyncio.Event()
    seen: dict[str, object] = {}

    async def play(world: SandboxWorld) -> None:
        try:
            seen["clock_gap"] = abs(world.env.now() - datetime.now(UTC))
            await world.member.slash(world.general, "quiz start", questions=1, seconds=10)
            await asyncio.sleep(1)  # real time: the question is posted, and must still be open
            question = world.general.last_message
            seen["title"] = question.embeds[0].title
            click = await world.member.click(question, label="A")
            seen["ack"] = click.response.content
        finally:
            stop.set()

    await run_sandbox(Settings(database=tmp_path / "bot.sqlite3"), stop=stop, when_ready=play)

    assert seen["clock_gap"] < timedelta(minutes=5)
    assert seen["title"] == "Question 1/1 · US–Russia"
    assert seen["ack"] == "Locked in: A"
    assert (tmp_path / "bot-sandbox.sqlite3").exists()
