"""Issue 21: faults that left a channel stuck or a user misinformed, each reproduced first.

Storage faults are injected by making the store's own methods raise what SQLite raises on a full
disk; Discord faults with SimCord's ``env.inject_error``.
"""

from __future__ import annotations

import sqlite3

import discord
import pytest
import yaml

from alliance_bot.domain.errors import UserError
from alliance_bot.domain.facts import load_yaml_text
from alliance_bot.domain.quiz import REVEAL_PAUSE

FULL = "database or disk is full"
IMPORT_BUTTON = "Confirm"


class Disk:
    """Make some of the store's methods fail as on a full disk, while ``full`` is set."""

    def __init__(self, store, monkeypatch, *names: str) -> None:
        self.full = False
        self.hits: dict[str, int] = {}
        for name in names:
            monkeypatch.setattr(store, name, self._failing(name, getattr(store, name)))

    def _failing(self, name, method):
        async def call(*args, **kwargs):
            if self.full:
                self.hits[name] = self.hits.get(name, 0) + 1
                raise sqlite3.OperationalError(FULL)
            return await method(*args, **kwargs)

        return call


def texts(result) -> str:
    return "\n".join(reply.content or "" for reply in [result.response, *result.followups] if reply is not None)


async def quiz_messages(channel) -> list:
    return [message for message in channel.history() if message.components]


# --------------------------------------------------------------------------- 1. storage error mid-quiz


async def test_a_storage_error_during_a_quiz_does_not_block_the_channel_once_the_disk_has_room(world, monkeypatch):
    store = world.env.bot.store
    disk = Disk(store, monkeypatch, "close_question", "end_quiz")
    started = await world.member.slash(world.general, "quiz start", questions=2, seconds=10)
    assert not started.ephemeral
    disk.full = True
    await world.env.advance_time(12)  # the question closes on a full disk; so does ending the quiz
    assert disk.hits.get("close_question") and disk.hits.get("end_quiz"), disk.hits

    # Somebody is told the quiz stopped: the starter (their token is still valid) or the channel.
    told = texts(started) + "\n".join(m.content or "" for m in world.general.history())
    assert "had to stop" in told, told

    disk.full = False
    again = await world.member.slash(world.general, "quiz start", questions=1, seconds=10)
    assert not again.ephemeral, again.response.content
    # The failed quiz is ended in the database too, not left open.
    await world.env.advance_time(12)
    assert await store.open_quiz_in(world.general.id) is None


# --------------------------------------------------------------------------- 2. failed name write at start


async def test_a_failed_name_write_at_quiz_start_does_not_kill_the_quiz(world, monkeypatch):
    disk = Disk(world.env.bot.store, monkeypatch, "remember_names")
    disk.full = True
    started = await world.member.slash(world.general, "quiz start", questions=1, seconds=10)
    assert not started.ephemeral
    assert "Something went wrong" not in texts(started), texts(started)
    questions = await quiz_messages(world.general)
    assert len(questions) == 1, "no question came"
    await world.env.advance_time(12)
    assert await world.env.bot.store.open_quiz_in(world.general.id) is None


# --------------------------------------------------------------------------- 3. saved changes reported as failures


async def test_a_subscription_saved_is_reported_saved_even_if_the_name_write_fails(world, monkeypatch):
    disk = Disk(world.env.bot.store, monkeypatch, "remember_names")
    disk.full = True
    result = await world.moderator.slash(world.general, "manage timeline subscribe", channel=world.timeline)
    assert disk.hits.get("remember_names")
    assert "Something went wrong" not in texts(result), texts(result)
    assert "#timeline" in texts(result) or "timeline" in texts(result)
    subscriptions = await world.env.bot.store.timeline_subscriptions(world.guild.id)
    assert [s.channel_id for s in subscriptions] == [world.timeline.id]


async def test_an_import_saved_is_reported_saved_and_audited_even_if_the_name_write_fails(world, monkeypatch):
    audit = await world.moderator.slash(world.general, "manage facts audit", channel=world.timeline)
    assert audit.ephemeral
    raw = (await world.env.bot.services.facts.view(world.guild.id)).get("fig-sanctioned-entities")
    payload = yaml.safe_dump(
        {"entries": [raw.model_dump(mode="json", exclude_none=True) | {"detail": "A corrected figure."}]}
    ).encode()
    disk = Disk(world.env.bot.store, monkeypatch, "remember_names")
    disk.full = True
    summary = await world.moderator.slash(world.general, "manage facts import", file=("one.yaml", payload))
    result = await world.moderator.click(summary.response.message, label=IMPORT_BUTTON)
    assert "Something went wrong" not in texts(result), texts(result)
    assert disk.hits.get("remember_names"), texts(result)
    versions = await world.env.bot.store.latest_fact_versions(world.guild.id)
    assert [v.fact_id for v in versions] == ["fig-sanctioned-entities"]
    assert any("fig-sanctioned-entities" in (m.content or "") for m in world.timeline.history()), "no audit line"


# --------------------------------------------------------------------------- 4. a late failure is told in the channel


async def test_a_quiz_that_fails_after_the_starters_token_expired_says_so_in_the_channel(world):
    started = await world.member.slash(world.general, "quiz start", questions=20, seconds=60)
    assert not started.ephemeral
    # 17 answered questions of 60 s (and the pause after each reveal): past the 15 minutes an
    # interaction token lives. Answered, so the quiz does not stop itself for want of players.
    for _ in range(17):
        message = world.general.last_message
        _, quiz_id, number, _ = message.components[0].children[0].custom_id.split(":")
        asked = await world.env.bot.store.get_question(int(quiz_id), int(number))
        await world.member.click(message, label="ABCDE"[asked.question.answer])
        await world.env.advance_time(60 + REVEAL_PAUSE)
    world.env.inject_error("POST", "/channels/*/messages", status=500, code=0, message="Internal Server Error")
    await world.env.advance_time(60 + REVEAL_PAUSE)
    assert not world.env.backend.faults, "the injected error was never hit"
    channel_text = "\n".join(
        (m.content or "") + " ".join((e.description or "") + (e.title or "") for e in m.embeds)
        for m in world.general.history()
    )
    assert "had to stop" in channel_text, channel_text[-500:]
    assert await world.env.bot.store.open_quiz_in(world.general.id) is None


# --------------------------------------------------------------------------- 5/6. YAML refused, never crashed


@pytest.mark.parametrize(
    "value",
    ["0000-00-00", "2024-13-45", "9" * 5000],
    ids=["zero-date", "impossible-date", "5000-digit-int"],
)
def test_yaml_values_the_parser_cannot_build_are_refused_with_the_line(value):
    text = f"entries:\n- id: fig-x\n  kind: figure\n  as_of: {value}\n"
    facts, problems = load_yaml_text(text, "bad.yaml")
    assert facts == []
    assert problems, "nothing refused"
    assert any(p.file == "bad.yaml" and "line 4" in p.entry + p.message for p in problems), problems


def test_duplicate_keys_are_refused_naming_the_key_and_line():
    text = "entries:\n- id: fig-x\n  kind: figure\n  label: one\n  label: two\n"
    facts, problems = load_yaml_text(text, "dup.yaml")
    assert facts == []
    assert any("label" in p.message and "line 5" in p.entry + p.message for p in problems), problems


async def test_an_import_with_an_impossible_date_is_refused_not_crashed(world):
    payload = b"entries:\n- id: fig-sanctioned-entities\n  kind: figure\n  as_of: 2024-13-45\n"
    result = await world.moderator.slash(world.general, "manage facts import", file=("bad.yaml", payload))
    text = texts(result)
    assert "Nothing was imported" in text and "`bad.yaml`" in text, text
    assert "Something went wrong" not in text
    for error in world.env.errors:
        assert isinstance(getattr(error, "original", error), UserError | discord.app_commands.CheckFailure), repr(error)


async def test_an_import_with_duplicate_keys_is_refused(world):
    payload = b"entries:\n- id: fig-sanctioned-entities\n  id: tl-1945-ve-day\n  kind: figure\n"
    result = await world.moderator.slash(world.general, "manage facts import", file=("dup.yaml", payload))
    text = texts(result)
    assert "Nothing was imported" in text and "id" in text, text
    assert await world.env.bot.store.latest_fact_versions(world.guild.id) == []


# --------------------------------------------------------------------------- 7. characters storage cannot hold


@pytest.mark.parametrize("command", ["facts show", "facts history"])
async def test_a_lone_surrogate_in_a_text_option_is_refused_cleanly(world, command):
    result = await world.member.slash(world.general, command, fact_id="fig-\ud800")
    assert result.ephemeral
    assert "Something went wrong" not in texts(result), texts(result)
    assert "character" in texts(result).lower(), texts(result)
    for error in world.env.errors:
        assert isinstance(getattr(error, "original", error), UserError | discord.app_commands.CheckFailure), repr(error)


# --------------------------------------------------------------------------- SIGTERM


async def test_sigterm_during_a_quiz_exits_0_with_the_database_intact_and_answers_kept(tmp_path):
    import asyncio
    import signal
    import sys
    from pathlib import Path

    from alliance_bot.storage import Store

    database = tmp_path / "bot.sqlite3"
    child_script = Path(__file__).resolve().parent / "_sigterm_child.py"
    child = await asyncio.create_subprocess_exec(
        sys.executable, str(child_script), str(database), stdout=asyncio.subprocess.PIPE
    )
    assert child.stdout is not None
    acknowledged: set[int] = set()
    async with asyncio.timeout(60):
        while (line := (await child.stdout.readline()).decode().strip()) != "ready":
            assert line, "the child exited before it was ready"
            if line.startswith("ack "):
                acknowledged.add(int(line.split()[1]))
    assert len(acknowledged) == 5
    child.send_signal(signal.SIGTERM)
    async with asyncio.timeout(10):
        rest = (await child.stdout.read()).decode()
        assert await child.wait() == 0, rest
    assert "closed" in rest

    store = await Store.open(database)
    try:
        assert await store.integrity_ok()
        row = await store.fetchone("PRAGMA integrity_check")
        assert row[0] == "ok"
        stored = {int(r[0]) for r in await store.fetchall("SELECT user_id FROM quiz_answers")}
        assert acknowledged <= stored
    finally:
        await store.close()
