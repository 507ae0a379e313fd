"""Several processes on one database: claims, answers and fact edits stay correct between them.

Store-level races open two stores (two connection pools, as two processes have) on one database
and fire the same write from both at once. The bot-level tests start two real bot processes
(``tests/_mp_child.py``), each in its own SimCord world, on one PostgreSQL database.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import sys
import time as clock
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from alliance_bot.config import BUNDLED_DATA_DIR
from alliance_bot.domain.overlay import NewVersion
from alliance_bot.storage import Ownership, Store
from bench._answers import bundled_question, open_question

NOW = datetime(2026, 3, 1, 9, tzinfo=UTC)
BUNDLED_HEADLINE = "No — the United States and Russia are not allies; they are rivals."
RELOADED = "No — after the reload, the United States and Russia are still not allies."
CHILD = Path(__file__).resolve().parent / "_mp_child.py"


async def two_stores(target) -> tuple[Store, Store]:
    first = await Store.open(target, ownership=Ownership("process-a"))
    second = await Store.open(target, ownership=Ownership("process-b"))
    return first, second


# --------------------------------------------------------------------------- store-level races


async def test_two_processes_waking_for_the_same_day_post_it_once(store_target):
    a, b = await two_stores(store_target)
    try:
        days = [date(2026, 1, 1) + timedelta(days=n) for n in range(40)]
        for day in days:
            won = await asyncio.gather(
                a.timeline_claim_day(1, 2, day, "e-1", NOW), b.timeline_claim_day(1, 2, day, "e-1", NOW)
            )
            assert sum(claim is not None for claim in won) == 1, day
        # A retryable failure is taken over by exactly one of them as well.
        await a.timeline_mark_failed(1, 2, days[0], NOW, detail="503", retry_at=NOW)
        retried = await asyncio.gather(
            a.timeline_claim_day(1, 2, days[0], "e-1", NOW), b.timeline_claim_day(1, 2, days[0], "e-1", NOW)
        )
        assert sorted(claim.attempts for claim in retried if claim) == [2]
    finally:
        await a.close()
        await b.close()


async def test_a_racing_answer_is_counted_once(store_target):
    a, b = await two_stores(store_target)
    try:
        asked = await open_question(a, bundled_question())
        users = range(5000, 5300)
        outcomes = await asyncio.gather(
            *(a.record_answer(asked.answer(user)) for user in users),
            *(b.record_answer(asked.answer(user)) for user in users),
        )
        statuses = [o.status for o in outcomes]
        assert statuses.count("recorded") == len(users) and statuses.count("duplicate") == len(users)
        assert await a.count_answers(asked.quiz_id, 1) == len(users)
        totals = await b.fetchone("SELECT COALESCE(SUM(answered), 0) FROM quiz_players")
        assert int(totals[0]) == len(users)  # every player counted once, in both tables
    finally:
        await a.close()
        await b.close()


async def test_recovering_interrupted_posts_touches_only_this_processes_claims(store_target):
    a, b = await two_stores(store_target)
    try:
        await a.timeline_subscribe(1, 2, time(9, 0), NOW, by=3)
        await b.timeline_subscribe(1, 3, time(9, 0), NOW, by=3)
        await a.timeline_claim_day(1, 2, date(2026, 3, 1), "e-1", NOW)  # a is mid-send
        await b.timeline_claim_day(1, 3, date(2026, 3, 1), "e-1", NOW)  # b crashed mid-send
        assert await b.timeline_settle_interrupted(NOW) == 1
        assert (await a.timeline_post(1, 2, date(2026, 3, 1))).state == "sending"  # a's send is live
        assert (await a.timeline_post(1, 3, date(2026, 3, 1))).state == "unconfirmed"
    finally:
        await a.close()
        await b.close()


async def test_restart_cleanup_closes_only_quizzes_of_this_processes_shards(store_target):
    # Two guilds on shards 0 and 1 of 2 (Discord's formula: (guild_id >> 22) % shard_count).
    guild_0, guild_1 = 2 << 22, 3 << 22
    zero = await Store.open(store_target, ownership=Ownership("shards 0 of 2", 2, (0,)))
    one = await Store.open(store_target, ownership=Ownership("shards 1 of 2", 2, (1,)))
    try:
        for guild, channel in ((guild_0, 10), (guild_1, 11)):
            await zero.create_quiz(
                guild_id=guild, channel_id=channel, starter_id=1, topic="timeline", total=3, seconds=20, now=NOW
            )
        await zero.interrupt_open_quizzes(NOW)
        assert await zero.open_quiz_in(10) is None
        assert await zero.open_quiz_in(11) is not None  # shard 1's quiz is live in the other process
        assert [s.guild_id for s in await one.timeline_subscriptions()] == []
        await one.timeline_subscribe(guild_0, 10, time(9, 0), NOW, by=1)
        await one.timeline_subscribe(guild_1, 11, time(9, 0), NOW, by=1)
        assert [s.guild_id for s in await one.timeline_subscriptions()] == [guild_1]
        assert [s.guild_id for s in await zero.timeline_subscriptions()] == [guild_0]
    finally:
        await zero.close()
        await one.close()


async def test_a_fact_change_reaches_the_other_process_within_a_second(postgres_url):
    a, b = await two_stores(postgres_url)
    try:
        heard: asyncio.Queue = asyncio.Queue()
        await b.listen(heard.put_nowait)
        await a.listen(heard.put_nowait)  # a's own changes are not echoed back to it
        await a.record_fact_versions(42, 7, [NewVersion("us-ru-relationship", "hide", None, hidden=True)])
        assert await asyncio.wait_for(heard.get(), 1.0) == ("facts", 42)
        await b.notify(("reload", None))
        assert await asyncio.wait_for(heard.get(), 1.0) == ("reload", None)
        await asyncio.sleep(0.1)
        assert heard.empty()
    finally:
        await a.close()
        await b.close()


# --------------------------------------------------------------------------- two bot processes


class BotProcess:
    """A real bot in its own process and SimCord world (tests/_mp_child.py), driven line by line."""

    def __init__(self, child: asyncio.subprocess.Process) -> None:
        self.child = child

    @classmethod
    async def start(cls, url: str, data_dir: Path | None = None) -> BotProcess:
        extra = [str(data_dir)] if data_dir else []
        child = await asyncio.create_subprocess_exec(
            sys.executable, str(CHILD), url, *extra, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
        )
        process = cls(child)
        assert await process._read() == "ready"
        return process

    async def _read(self):
        assert self.child.stdout is not None
        async with asyncio.timeout(60):
            while True:
                line = (await self.child.stdout.readline()).decode()
                assert line, "the bot process exited"
                try:
                    return json.loads(line)
                except ValueError:
                    continue  # a log line

    async def send(self, cmd: str, **args):
        assert self.child.stdin is not None
        self.child.stdin.write((json.dumps({"cmd": cmd, **args}) + "\n").encode())
        await self.child.stdin.drain()
        return await self._read()

    async def stop(self) -> None:
        if self.child.returncode is None:
            with contextlib.suppress(AssertionError, ConnectionError, TimeoutError):
                await self.send("quit")
            try:
                async with asyncio.timeout(20):
                    await self.child.wait()
            except TimeoutError:
                self.child.kill()
                await self.child.wait()


async def test_two_bot_processes_post_a_timeline_day_once_and_see_each_others_edits(postgres_url):
    a = await BotProcess.start(postgres_url)
    b = await BotProcess.start(postgres_url)
    try:
        # The same server seen by two processes: both subscribe #timeline, both wake at 12:00.
        await asyncio.gather(a.send("subscribe"), b.send("subscribe"))
        await asyncio.gather(a.send("advance", seconds=13 * 3600), b.send("advance", seconds=13 * 3600))
        posted = await asyncio.gather(a.send("posts"), b.send("posts"))
        assert sum(posted) == 1, posted

        before = await b.send("ask")  # b now caches the server's fact view
        new_headline = "No — as of 2026 the United States and Russia are still not allies."
        await a.send("edit", headline=new_headline)
        assert await _seen_within_a_second(b, before) == new_headline
    finally:
        await asyncio.gather(a.stop(), b.stop())



async def _seen_within_a_second(process: BotProcess, before: str) -> str:
    started = clock.monotonic()
    seen = await process.send("ask")
    while seen == before and clock.monotonic() - started < 1.0:
        await asyncio.sleep(0.05)
        seen = await process.send("ask")
    assert clock.monotonic() - started < 1.0, "not seen within a second"
    return seen


async def test_two_bot_processes_count_a_racing_answer_once_and_share_a_reload(postgres_url, tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(BUNDLED_DATA_DIR, data_dir)
    a = await BotProcess.start(postgres_url, data_dir)
    b = await BotProcess.start(postgres_url, data_dir)
    try:
        quiz_id = await a.send("open_question")
        users = list(range(9000, 9150))
        first, second = await asyncio.gather(
            a.send("answer", quiz_id=quiz_id, users=users), b.send("answer", quiz_id=quiz_id, users=users)
        )
        for user, one, other in zip(users, first, second, strict=True):
            assert sorted([one, other]) == ["duplicate", "recorded"], (user, one, other)
        assert await b.send("totals", quiz_id=quiz_id, users=users) == [len(users), len(users)]

        before = await b.send("ask")
        yaml_file = data_dir / "us_russia.yaml"
        yaml_file.write_text(yaml_file.read_text(encoding="utf-8").replace(BUNDLED_HEADLINE, RELOADED), encoding="utf-8")
        assert "reloaded" in await a.send("reload")  # the owner reloads through process a only
        assert await _seen_within_a_second(b, before) == RELOADED
    finally:
        await asyncio.gather(a.stop(), b.stop())


async def test_a_lost_listening_connection_reconnects_and_forgets_every_cached_view(postgres_url):
    a, b = await two_stores(postgres_url)
    try:
        heard: asyncio.Queue = asyncio.Queue()
        await b.listen(heard.put_nowait)
        listener_pid = b._listen_conn.get_server_pid()
        await a.execute("SELECT pg_terminate_backend(?)", (listener_pid,))
        # Changes may have been missed while it was away: every cached view is dropped.
        assert await asyncio.wait_for(heard.get(), 5.0) == ("reset", None)
        await a.record_fact_versions(42, 7, [NewVersion("us-ru-relationship", "hide", None, hidden=True)])
        assert await asyncio.wait_for(heard.get(), 1.0) == ("facts", 42)
    finally:
        await a.close()
        await b.close()
