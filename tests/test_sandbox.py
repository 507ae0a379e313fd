"""The sandbox runs the real bot in real time: a quiz question stays open for its full time."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from alliance_bot.config import Settings
from alliance_bot.sandbox import SandboxWorld, run_sandbox


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

    await run_sandbox(Settings(database=tmp_path / "bot.sqlite3"), stop=stop, when_ready=play, port=0)

    assert seen["clock_gap"] < timedelta(minutes=5)
    assert seen["title"] == "Question 1/1 · US–Russia"
    assert seen["ack"] == "Locked in: A"
    assert (tmp_path / "bot-sandbox.sqlite3").exists()


async def test_the_sandbox_keeps_its_server_people_address_and_scores_across_restarts(tmp_path):
    settings = Settings(database=tmp_path / "bot.sqlite3")
    runs: list[dict[str, object]] = []

    async def look(world: SandboxWorld, stop: asyncio.Event) -> None:
        try:
            ids = (world.guild.id, world.general.id, world.timeline.id, world.member.id, world.moderator.id)
            board = await world.member.slash(world.general, "quiz leaderboard")
            runs.append({"ids": ids, "url": world.preview.url, "board": board.response.embeds[0].description})
            if len(runs) == 1:  # the first run: the moderator answers one question
                await world.member.slash(world.general, "quiz start", questions=1, seconds=10)
                await world.moderator.click(world.general.last_message, label="A")
                await world.env.advance_time(11)
        finally:
            stop.set()

    for _ in range(2):
        stop = asyncio.Event()
        await run_sandbox(settings, stop=stop, when_ready=lambda world, stop=stop: look(world, stop), port=0)

    first, second = runs
    assert first["ids"] == second["ids"]
    assert first["url"].split("#")[1] == second["url"].split("#")[1]  # the page key is kept
    assert "You (moderator)" in str(second["board"])  # the score, and the name, survived the restart


async def test_a_newcomer_can_make_a_daily_post_appear_and_the_page_shows_it(tmp_path):
    seen: dict[str, object] = {}

    async def play(world: SandboxWorld) -> None:
        stop = seen.pop("stop")
        try:
            await world.moderator.slash(world.general, "manage timeline subscribe", channel=world.general)
            reply = await world.moderator.slash(world.general, "sandbox next-post")
            seen["reply"] = reply.response.content
            before = world.preview._python.revision  # SimCord has no public revision number
            assert world.tick is not None
            await world.tick()  # what the live page does every half second
            seen["post"] = world.general.last_message.embeds[0].to_dict()
            seen["published"] = (before, world.preview._python.revision)
        finally:
            stop.set()  # type: ignore[attr-defined]

    seen["stop"] = asyncio.Event()
    await run_sandbox(Settings(database=tmp_path / "bot.sqlite3"), stop=seen["stop"], when_ready=play, port=0)  # type: ignore[arg-type]

    assert "Moving the sandbox's clock forward" in str(seen["reply"])
    assert "Daily timeline post" in seen["post"]["footer"]["text"]  # type: ignore[index]
    before, after = seen["published"]  # type: ignore[misc]
    assert after > before, "the ticker did not publish the page after the bot posted"


def test_the_sandbox_control_is_never_part_of_a_real_deployment():
    from alliance_bot.client import EXTENSIONS

    assert not any("sandbox" in extension for extension in EXTENSIONS)


async def test_a_taken_default_port_falls_back_to_a_free_one_and_says_so(tmp_path, monkeypatch, capsys):
    import socket

    import alliance_bot.sandbox as sandbox

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        monkeypatch.setattr(sandbox, "DEFAULT_PORT", busy)
        seen: dict[str, str] = {}
        stop = asyncio.Event()

        async def look(world: SandboxWorld) -> None:
            seen["url"] = world.preview.url
            stop.set()

        await run_sandbox(Settings(database=tmp_path / "bot.sqlite3"), stop=stop, when_ready=look)

    printed = capsys.readouterr().out
    assert f"Port {busy} is taken, so the sandbox uses port" in printed
    assert f":{busy}/" not in seen["url"] and seen["url"] in printed  # the address printed is the one served


async def test_the_sandbox_log_never_reads_as_if_it_had_contacted_discord(tmp_path, caplog):
    import logging

    stop = asyncio.Event()

    async def leave(world: SandboxWorld) -> None:
        stop.set()

    with caplog.at_level(logging.INFO, logger="alliance_bot.client"):
        await run_sandbox(Settings(database=tmp_path / "bot.sqlite3"), stop=stop, when_ready=leave, port=0)
    synced = [r.getMessage() for r in caplog.records if r.getMessage().startswith("synced ")]
    assert synced, [r.getMessage() for r in caplog.records]
    assert all("globally" not in m and "local sandbox" in m for m in synced), synced
