"""Run every benchmark, print one table and write ``bench/results.json``.

Usage: ``python bench/run.py [--quick]`` (``--quick`` finishes in under a minute on two cores).

Each figure is measured against its floor in the same run, on the same machine:

- ``floor_us``: a bare discord.py ``commands.Bot`` with one static slash command, fed a real
  INTERACTION_CREATE payload through its own gateway parser and command tree, only the HTTP
  transport stubbed (``bench/_stub.py``); time from feeding the payload to the reply reaching HTTP.
- ``ask_us`` / ``click_us``: the same path through our bot (``create_bot`` + ``setup_hook``).
- ``durable_answers_per_s`` vs ``sqlite_raw_inserts_per_s``: a burst of answers through the quiz
  store's group commit (each acknowledged only after COMMIT) vs plain sqlite3 inserting the same
  rows in one transaction.
- ``leaderboard_ms``: week + all-time boards + the caller's rank for one server of a database
  holding 1,000,000 answers across 1,000 servers (fewer with ``--quick``, said in the output).
- ``startup_s``: ``create_bot()`` + ``setup_hook`` (load and validate the data, open and migrate).
- ``rss_mb_10k_guilds``: a child process with our intents and cache settings fed 10,000 GUILD_CREATE
  payloads through discord.py's parser.
- ``lost_answers``: a child process storing answers is SIGKILLed mid-burst; acknowledged answers
  missing after reopen (``bench/crash_child.py``, also used by ``tests/test_faults_crash.py``).
- ``pg_durable_answers_per_s``, ``pg_leaderboard_ms``, ``pg_lost_answers``: the same three on
  PostgreSQL, beside SQLite in the same run (the board data is the same SQLite load, moved with
  ``--migrate-to``'s copier, then ANALYZEd). The server: ``--postgres URL`` or
  ``BOT_TEST_POSTGRES_URL``, else a throwaway cluster from ``scripts/pg_cluster.sh``; each figure
  runs in a schema of its own, dropped afterwards. Without PostgreSQL they read n/a, with a note.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import logging
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from a fresh clone: import the project from here
    sys.path.insert(0, str(ROOT))

import discord  # noqa: E402
from discord import app_commands  # noqa: E402
from discord.ext import commands  # noqa: E402

from bench import _stub  # noqa: E402
from bench._stub import GuildSpec, StubTransport, connect_offline, feed, settle, slash_payload  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results.json"
KEYS = (
    "floor_us",
    "ask_us",
    "ask_vs_floor",
    "click_us",
    "click_vs_floor",
    "durable_answers_per_s",
    "sqlite_raw_inserts_per_s",
    "durable_vs_raw",
    "leaderboard_ms",
    "startup_s",
    "rss_mb_10k_guilds",
    "lost_answers",
    "pg_durable_answers_per_s",
    "pg_leaderboard_ms",
    "pg_lost_answers",
)
TARGETS: dict[str, tuple[str, float]] = {
    "ask_vs_floor": ("<=", 1.5),
    "click_vs_floor": ("<=", 2.0),
    "durable_vs_raw": (">=", 0.5),
    "leaderboard_ms": ("<=", 5.0),
    "startup_s": ("<=", 0.5),
    "rss_mb_10k_guilds": ("<=", 150.0),
    "lost_answers": ("<=", 0),
    "pg_lost_answers": ("<=", 0),
}

# A realistic mix for /ask: the seed's own phrasings, other pairs, FAQ-style questions, the
# resolver's traps and things the bot must decline. Weighted towards the headline question.
ASK_QUESTIONS = (
    "is the us allies with russia",
    "is u.s. allies with russia",
    "Are the US and Russia allies?",
    "are america and russia friends",
    "is the U.S. allied with Russia in 2025?",
    "are germany and france allies",
    "is turkey allied with the usa",
    "are japan and the us allies",
    "were Poland and the US allies in 1995?",
    "are russia and china allies",
    "is russia allied with iran",
    "are north korea and russia allies",
    "could they become allies against china?",
    "does russia have any us allies",
    "why haven't they cut ties",
    "is trade dead",
    "were they ever allies",
    "how many russian entities are sanctioned",
    "tell us about russia",
    "are korea and japan allies",
    "are narnia and mordor allies",
    "what is the weather like",
)


def _quiet_logging() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("discord").setLevel(logging.ERROR)


def median_us(samples_ns: list[int]) -> float:
    return statistics.median(samples_ns) / 1000


# --------------------------------------------------------------------------- floor


def _floor_bot() -> commands.Bot:
    """A bare discord.py bot: the same intents and cache settings as ours, one static command."""
    from bot.client import client_options

    floor = commands.Bot(**client_options())

    @floor.tree.command(name="ask", description="Reply with static text")
    @app_commands.describe(question="Anything")
    async def ask(interaction: discord.Interaction, question: str) -> None:
        await interaction.response.send_message("The United States and Russia are not allies.")

    return floor


async def bench_floor(runs: int) -> dict[str, Any]:
    floor = _floor_bot()
    stub = StubTransport()
    stub.record = False
    spec = GuildSpec.new()
    await connect_offline(floor, stub, [spec])
    rng = random.Random(1)
    samples = []
    for index in range(runs + runs // 10):
        payload = slash_payload(spec, spec.channels[0], 10_000 + index, "ask", {"question": rng.choice(ASK_QUESTIONS)})
        elapsed, _ = await feed(floor, stub, payload)
        await settle()
        if index >= runs // 10:  # the first tenth warms up caches and code paths
            samples.append(elapsed)
    await floor.close()
    return {"floor_us": median_us(samples)}


# --------------------------------------------------------------------------- our bot, offline


async def _our_bot(tmp: Path, stub: StubTransport, guilds: list[GuildSpec]):
    from bot import Settings, create_bot

    ours = create_bot(Settings(token=None, database=tmp / "bench.sqlite3", auto_sync=False))
    await connect_offline(ours, stub, guilds)
    await ours.setup_hook()
    return ours


async def bench_ask(runs: int, floor_us: float | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmpdir:
        stub = StubTransport()
        stub.record = False
        spec = GuildSpec.new()
        ours = await _our_bot(Path(tmpdir), stub, [spec])
        try:
            if ours.tree.get_command("ask") is None:
                return {"ask_us": None, "_ask_note": "/ask is not registered yet"}
            rng = random.Random(2)
            samples = []
            kinds: dict[str, int] = {}
            for index in range(runs + runs // 10):
                question = rng.choice(ASK_QUESTIONS)
                payload = slash_payload(spec, spec.channels[0], 20_000 + index, "ask", {"question": question})
                elapsed, call = await feed(ours, stub, payload)
                await settle()
                reply = ((call.body or {}).get("data") or {})
                kind = "embed" if reply.get("embeds") else "text"
                kinds[kind] = kinds.get(kind, 0) + 1
                if index >= runs // 10:
                    samples.append(elapsed)
        finally:
            await ours.close()
    ask_us = median_us(samples)
    return {
        "ask_us": ask_us,
        "ask_vs_floor": ask_us / floor_us if floor_us else None,
        "_ask_note": f"{len(ASK_QUESTIONS)} phrasings, replies: {kinds}",
    }


async def bench_click(runs: int, floor_us: float | None) -> dict[str, Any]:
    """Start a quiz through /quiz start, then time answer clicks by distinct members."""
    from bench._stub import component_payload, custom_ids
    from bot.domain.quiz import MAX_SECONDS

    with tempfile.TemporaryDirectory() as tmpdir:
        stub = StubTransport()
        spec = GuildSpec.new()
        channel = spec.channels[0]
        ours = await _our_bot(Path(tmpdir), stub, [spec])
        try:
            if ours.get_cog("Quiz") is None:
                return {"click_us": None, "_click_note": "the quiz cog is not loaded yet"}
            posted = stub.expect(
                lambda call: call.method == "POST" and call.path == f"/channels/{channel}/messages"
                and bool((call.body or {}).get("components"))
            )
            start = slash_payload(spec, channel, 5, "quiz", {"questions": 1, "seconds": MAX_SECONDS}, sub="start")
            await feed(ours, stub, start)
            question = await asyncio.wait_for(posted, 10)
            await asyncio.sleep(0.2)  # the cog records the message id and opens the question after the post
            message_id = next(mid for mid, msg in stub.messages.items() if msg["components"] == question.body["components"])
            message = stub.messages[message_id] | {"channel_id": str(channel)}
            buttons = custom_ids(message)
            stub.record = False
            samples = []
            acks: dict[str, int] = {}
            for index in range(runs + runs // 10):
                payload = component_payload(spec, channel, 30_000 + index, message, buttons[index % len(buttons)])
                elapsed, call = await feed(ours, stub, payload)
                await settle()
                text = str(((call.body or {}).get("data") or {}).get("content", ""))[:12]
                acks[text] = acks.get(text, 0) + 1
                if index >= runs // 10:
                    samples.append(elapsed)
            stored = await ours.store.fetchone("SELECT COUNT(*) FROM quiz_answers")
        finally:
            await ours.close()
    click_us = median_us(samples)
    return {
        "click_us": click_us,
        "click_vs_floor": click_us / floor_us if floor_us else None,
        "_click_note": f"{len(samples) + runs // 10} clicks, {stored[0] if stored else '?'} answers stored, acks {acks}",
    }


# --------------------------------------------------------------------------- durable answers vs raw SQLite


async def _durable_burst(target: Path | str, answers: int, in_flight: int) -> tuple[float, int, int, Any]:
    """Clicks through the quiz store at ``target``: (acknowledged per second, acknowledged, stored, commits)."""
    from bench._answers import bundled_question, open_question
    from bot.storage import Store

    store = await Store.open(target)
    try:
        asked = await open_question(store, bundled_question())
        acknowledged = 0
        users = iter(range(100_000, 100_000 + answers))

        # `in_flight` clickers, each waiting for its acknowledgement before its next click. (A
        # Semaphore over every click would measure asyncio's O(waiters) wake-up, not the store.)
        async def clicker() -> None:
            nonlocal acknowledged
            for user_id in users:
                outcome = await store.record_answer(asked.answer(user_id))
                acknowledged += outcome.status == "recorded"

        started = time.perf_counter()
        await asyncio.gather(*(clicker() for _ in range(in_flight)))
        elapsed = time.perf_counter() - started
        stored = await store.fetchone("SELECT COUNT(*) FROM quiz_answers")
        return acknowledged / elapsed, acknowledged, int(stored[0]) if stored else -1, store.answer_writer.batches
    finally:
        await store.close()


async def bench_durable(answers: int, in_flight: int) -> dict[str, Any]:
    """A burst of clicks through the quiz store (ack after COMMIT) vs sqlite3 executemany of the same rows."""
    from bench._answers import bundled_question
    from bot.storage import Store
    from bot.storage.quiz import to_ms

    with tempfile.TemporaryDirectory() as tmpdir:
        durable, acknowledged, stored, batches = await _durable_burst(
            Path(tmpdir) / "durable.sqlite3", answers, in_flight
        )

        # The floor: the same rows, plain sqlite3, same schema and pragmas, one transaction.
        raw_path = Path(tmpdir) / "raw.sqlite3"
        schema_store = await Store.open(raw_path)  # the real schema, created by the real migrations
        await schema_store.close()
        from bench._answers import OpenQuestion

        asked = OpenQuestion(1, 2, 1, 1, bundled_question(), datetime.now(UTC))
        rows = []
        for i in range(answers):
            a = asked.answer(100_000 + i)
            rows.append((a.guild_id, a.channel_id, a.quiz_id, a.question, a.user_id, a.choice, int(a.correct), 0,
                         to_ms(a.answered_at)))
        db = sqlite3.connect(raw_path, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        started = time.perf_counter()
        db.execute("BEGIN")
        db.executemany(
            "INSERT INTO quiz_answers(guild_id, channel_id, quiz_id, question, user_id, choice, correct, points, "
            "answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        db.execute("COMMIT")
        raw_s = time.perf_counter() - started
        db.close()
    raw = answers / raw_s
    return {
        "durable_answers_per_s": durable,
        "sqlite_raw_inserts_per_s": raw,
        "durable_vs_raw": durable / raw,
        "_durable_note": f"{answers} clicks, {in_flight} in flight, {acknowledged} acknowledged, "
                         f"{stored} stored, {batches} commits",
    }


async def bench_pg_durable(url: str, answers: int, in_flight: int) -> dict[str, Any]:
    """The same burst through the PostgreSQL store."""
    async with _pg_schema(url) as target:
        durable, acknowledged, stored, batches = await _durable_burst(target, answers, in_flight)
    return {
        "pg_durable_answers_per_s": durable,
        "_pg_durable_note": f"PostgreSQL: {answers} clicks, {in_flight} in flight, {acknowledged} acknowledged, "
                            f"{stored} stored, {batches} commits",
    }


# --------------------------------------------------------------------------- leaderboard


def _fill_answers(path: Path, total: int, guilds: int, now: datetime, week_start: datetime) -> tuple[int, int]:
    """Bulk-load ``total`` answers across ``guilds`` servers into the real schema; return (guild, caller)."""
    rng = random.Random(7)
    per_guild = total // guilds
    users_per_guild = 200
    answerers = 10  # per question
    questions_per_quiz = 10
    quizzes = max(per_guild // (answerers * questions_per_quiz), 1)
    span_ms = 30 * 24 * 3600 * 1000  # a server's quizzes spread evenly over the last 30 days
    now_ms = int(now.timestamp() * 1000)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("BEGIN")
    quiz_id = 0
    for guild in range(1, guilds + 1):
        guild_id = 10_000 + guild
        rows = []
        for index in range(quizzes):
            quiz_id += 1
            started = now_ms - int(span_ms * (index + rng.random()) / quizzes)
            for number in range(1, questions_per_quiz + 1):
                for user in rng.sample(range(users_per_guild), answerers):
                    correct = rng.random() < 0.45
                    points = (100 + rng.randrange(50)) if correct else 0
                    rows.append((guild_id, 1, quiz_id, number, guild_id * 1000 + user, rng.randrange(4), int(correct),
                                 points, started + number * 20_000 + rng.randrange(20_000)))
        db.executemany(
            "INSERT INTO quiz_answers(guild_id, channel_id, quiz_id, question, user_id, choice, correct, points, "
            "answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    # The per-player aggregate the store keeps up to date with every answer batch.
    db.execute(
        "INSERT INTO quiz_players(guild_id, user_id, answered, correct, points, streak, best_streak) "
        "SELECT guild_id, user_id, COUNT(*), SUM(correct), SUM(points), 0, 0 FROM quiz_answers GROUP BY guild_id, user_id"
    )
    db.execute("COMMIT")
    guild_id = 10_000 + guilds // 2
    # A caller who played this week but sits outside both top 10s, so the rank queries run too.
    week_ms = int(week_start.timestamp() * 1000)
    weekly = [row[0] for row in db.execute(
        "SELECT user_id FROM quiz_answers WHERE guild_id = ? AND answered_at >= ? GROUP BY user_id "
        "ORDER BY SUM(points) DESC", (guild_id, week_ms),
    )]
    db.close()
    if len(weekly) <= 10:
        raise RuntimeError(f"server {guild_id} has only {len(weekly)} players this week; the data is too thin")
    return guild_id, int(weekly[len(weekly) // 2])


async def _time_boards(store: Any, guild_id: int, caller: int, week: datetime, repeats: int) -> tuple[float, Any, Any]:
    """Median ms of week + all-time boards with the caller's rank; and the last two boards."""
    samples = []
    weekly = alltime = None
    for _ in range(repeats):
        t0 = time.perf_counter_ns()
        weekly = await store.leaderboard(guild_id, since=week, user_id=caller)
        alltime = await store.leaderboard(guild_id, since=None, user_id=caller)
        samples.append(time.perf_counter_ns() - t0)
    return statistics.median(samples) / 1e6, weekly, alltime


async def bench_leaderboard(total: int, guilds: int, repeats: int, pg_url: str | None) -> dict[str, Any]:
    from bot.domain.quiz import period_start
    from bot.storage import Store

    now = datetime(2026, 1, 15, 12, tzinfo=UTC)
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmpdir:
        path = Path(tmpdir) / "boards.sqlite3"
        store = await Store.open(path)
        await store.close()
        week = period_start("week", now)
        assert week is not None
        started = time.perf_counter()
        guild_id, caller = _fill_answers(path, total, guilds, now, week)
        load_s = time.perf_counter() - started
        store = await Store.open(path)
        try:
            median_ms, weekly, alltime = await _time_boards(store, guild_id, caller, week, repeats)
            count = await store.fetchone("SELECT COUNT(*) FROM quiz_answers")
        finally:
            await store.close()
        out["leaderboard_ms"] = median_ms
        out["_leaderboard_note"] = (
            f"{count[0] if count else '?'} answers across {guilds} servers (loaded in {load_s:.1f}s); "
            f"server {guild_id}: week board {len(weekly.rows)} rows + caller rank "
            f"{weekly.caller.rank if weekly.caller else '-'}; "
            f"all-time caller rank {alltime.caller.rank if alltime.caller else '-'}"
        )
        if pg_url is not None:
            from bot.storage.moving import move_sqlite_to_postgres

            async with _pg_schema(pg_url) as target:
                started = time.perf_counter()
                await move_sqlite_to_postgres(path, target)
                store = await Store.open(target)
                try:
                    await store.execute("ANALYZE")
                    copy_s = time.perf_counter() - started
                    pg_ms, pg_weekly, pg_alltime = await _time_boards(store, guild_id, caller, week, repeats)
                finally:
                    await store.close()
            same = (pg_weekly, pg_alltime) == (weekly, alltime)
            out["pg_leaderboard_ms"] = pg_ms
            out["_pg_leaderboard_note"] = (
                f"PostgreSQL: the same {count[0] if count else '?'} answers (copied and analyzed in {copy_s:.1f}s); "
                f"boards identical to SQLite's: {same}"
            )
    return out


# --------------------------------------------------------------------------- child processes


def _child(args: list[str], timeout: float = 120) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", *args],
        capture_output=True, text=True, timeout=timeout, check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"child {args[0]} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


async def child_startup(database: str) -> dict[str, Any]:
    """In a fresh process (imports done): create_bot() + setup_hook on a new database."""
    from bot import Settings, create_bot

    started = time.perf_counter()
    ours = create_bot(Settings(token=None, database=Path(database), auto_sync=False))
    await ours._async_setup_hook()  # what login() does before setup_hook: bind the loop
    await ours.setup_hook()
    elapsed = time.perf_counter() - started
    facts = len(ours.facts)
    await ours.close()
    return {"startup_s": elapsed, "facts": facts}


def _rss_mb() -> tuple[float, float]:
    status = Path("/proc/self/status").read_text()
    values = {line.split(":")[0]: line.split()[1] for line in status.splitlines() if line.startswith(("VmRSS", "VmHWM"))}
    return int(values["VmRSS"]) / 1024, int(values["VmHWM"]) / 1024


async def child_rss(guilds: int, database: str) -> dict[str, Any]:
    """Our bot (intents, cache flags, data, DB) fed ``guilds`` GUILD_CREATE payloads through discord.py's parser."""
    from bot import Settings, create_bot

    ours = create_bot(Settings(token=None, database=Path(database), auto_sync=False))
    stub = StubTransport()
    stub.record = False
    await connect_offline(ours, stub, [])
    await ours.setup_hook()
    gc.collect()
    before, _ = _rss_mb()
    parse = ours._connection.parsers["GUILD_CREATE"]
    for index in range(guilds):
        parse(_stub.guild_create_payload(GuildSpec.new(channels=5, roles=5), name=f"Server {index}"))
        if index % 500 == 0:
            await asyncio.sleep(0)
    await settle(5)
    gc.collect()
    after, peak = _rss_mb()
    cached = len(ours.guilds)
    await ours.close()
    return {"rss_mb": after, "rss_before_mb": before, "peak_mb": peak, "guilds": cached}


async def run_child(kind: str, args: list[str]) -> dict[str, Any]:
    if kind == "startup":
        return await child_startup(args[0])
    if kind == "rss":
        return await child_rss(int(args[0]), args[1])
    raise SystemExit(f"unknown child {kind}")


def bench_startup(runs: int) -> dict[str, Any]:
    times = []
    with tempfile.TemporaryDirectory() as tmpdir:
        for index in range(runs):
            times.append(_child(["startup", str(Path(tmpdir) / f"startup-{index}.sqlite3")])["startup_s"])
    return {"startup_s": statistics.median(times), "_startup_note": "runs: " + ", ".join(f"{t:.3f}s" for t in times)}


def bench_rss(guilds: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmpdir:
        result = _child(["rss", str(guilds), str(Path(tmpdir) / "rss.sqlite3")])
    return {
        "rss_mb_10k_guilds": result["rss_mb"],
        "_rss_note": f"{result['guilds']} guilds cached; {result['rss_before_mb']:.1f} MB before the guilds, "
                     f"peak {result['peak_mb']:.1f} MB",
    }


async def bench_lost(kill_after: int) -> dict[str, Any]:
    from bench.crash_child import kill_mid_burst

    with tempfile.TemporaryDirectory() as tmpdir:
        report = await kill_mid_burst(Path(tmpdir) / "crash.sqlite3", kill_after=kill_after, concurrency=100)
    return {
        "lost_answers": report.lost,
        "_lost_note": f"SIGKILL after {report.acknowledged} acknowledged; {report.stored} stored; "
                      f"integrity_check {report.integrity}; players totals consistent: {report.players_consistent}",
    }


async def bench_pg_lost(url: str, kill_after: int) -> dict[str, Any]:
    from bench.crash_child import kill_mid_burst

    async with _pg_schema(url) as target:
        report = await kill_mid_burst(target, kill_after=kill_after, concurrency=100)
    return {
        "pg_lost_answers": report.lost,
        "_pg_lost_note": f"PostgreSQL: SIGKILL after {report.acknowledged} acknowledged; {report.stored} stored; "
                         f"players totals consistent: {report.players_consistent}",
    }


# --------------------------------------------------------------------------- PostgreSQL


@contextlib.asynccontextmanager
async def _pg_schema(url: str) -> AsyncIterator[str]:
    """A URL of an empty database on the server at ``url``: a schema of its own, dropped afterwards."""
    import asyncpg

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(url)
    try:
        await admin.execute(f'CREATE SCHEMA "{schema}"')
        yield f"{url}{'&' if '?' in url else '?'}search_path={schema}"
    finally:
        await admin.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        await admin.close()


@contextlib.contextmanager
def _postgres_server(url: str | None) -> Iterator[tuple[str | None, str]]:
    """The PostgreSQL server to measure: the one given, else a throwaway cluster, else none (and why)."""
    if url:
        yield url, "the given server"
        return
    script = ROOT / "scripts" / "pg_cluster.sh"
    started = subprocess.run(["bash", str(script), "start"], capture_output=True, text=True)
    if started.returncode != 0:
        yield None, f"no PostgreSQL server ({started.stderr.strip().splitlines()[-1:] or ['?']})"
        return
    exports = dict(
        line.removeprefix("export ").split("=", 1) for line in started.stdout.splitlines() if line.startswith("export ")
    )
    try:
        yield exports["BOT_TEST_POSTGRES_URL"], "a throwaway cluster (scripts/pg_cluster.sh)"
    finally:
        subprocess.run(["bash", str(script), "stop", exports["PG_CLUSTER_DIR"]], capture_output=True)


# --------------------------------------------------------------------------- the run


def _verdict(key: str, value: Any) -> str:
    if key not in TARGETS:
        return ""
    op, bound = TARGETS[key]
    target = f"{op} {bound:g}"
    if value is None:
        return f"{target}  n/a"
    met = value <= bound if op == "<=" else value >= bound
    return f"{target}  {'MET' if met else 'NOT MET'}"


def _fmt(value: Any) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, int):
        return f"{value:,}"
    if value >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def print_table(results: dict[str, Any], notes: dict[str, str], header: str) -> None:
    print(header)
    print(f"{'figure':<26}{'value':>14}   target")
    print("-" * 60)
    for key in KEYS:
        print(f"{key:<26}{_fmt(results.get(key)):>14}   {_verdict(key, results.get(key))}")
    print("-" * 60)
    for name, note in notes.items():
        print(f"{name}: {note}")


async def run_all(quick: bool, pg_url: str | None = None, pg_source: str = "") -> tuple[dict[str, Any], dict[str, str]]:
    size = {
        "floor": 1000 if quick else 5000,
        "ask": 500 if quick else 3000,
        "click": 500 if quick else 3000,
        "burst": 2000 if quick else 10_000,
        "answers": 200_000 if quick else 1_000_000,
        "guilds": 200 if quick else 1000,
        "board_repeats": 30 if quick else 100,
        "startup": 3 if quick else 5,
        "kill_after": 500 if quick else 3000,
    }
    results: dict[str, Any] = dict.fromkeys(KEYS)
    notes: dict[str, str] = {}

    async def step(name: str, coro: Awaitable[dict[str, Any]] | Callable[[], dict[str, Any]]) -> None:
        started = time.perf_counter()
        try:
            out = await coro if not callable(coro) else coro()
        except Exception as error:  # one broken benchmark must not hide the others' figures
            logging.getLogger("bench").exception("%s failed", name)
            notes[name] = f"FAILED: {type(error).__name__}: {error}"
            return
        for key, value in out.items():
            if key.startswith("_"):
                notes[key[1:].removesuffix("_note")] = value
            else:
                results[key] = value
        print(f"  {name} done in {time.perf_counter() - started:.1f}s", file=sys.stderr)

    await step("floor", bench_floor(size["floor"]))
    await step("ask", bench_ask(size["ask"], results["floor_us"]))
    await step("click", bench_click(size["click"], results["floor_us"]))
    await step("durable", bench_durable(size["burst"], in_flight=1000))
    if pg_url is not None:
        await step("pg_durable", bench_pg_durable(pg_url, size["burst"], in_flight=1000))
    await step("leaderboard", bench_leaderboard(size["answers"], size["guilds"], size["board_repeats"], pg_url))
    await step("startup", lambda: bench_startup(size["startup"]))
    await step("rss", lambda: bench_rss(10_000))
    await step("lost", bench_lost(size["kill_after"]))
    if pg_url is not None:
        await step("pg_lost", bench_pg_lost(pg_url, size["kill_after"]))
        notes["postgresql"] = f"PostgreSQL figures from {pg_source}"
    else:
        notes["postgresql"] = f"PostgreSQL figures n/a: {pg_source}"
    if quick:
        notes["quick"] = (
            f"--quick: leaderboard on {size['answers']:,} answers across {size['guilds']} servers "
            "(the full run uses 1,000,000 across 1,000); fewer samples elsewhere"
        )
    return results, notes


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run every benchmark and write bench/results.json.")
    parser.add_argument("--quick", action="store_true", help="fewer samples and rows: under a minute")
    parser.add_argument("--postgres", metavar="URL", help="PostgreSQL server for the pg_ figures (default: "
                        "BOT_TEST_POSTGRES_URL, else a throwaway cluster)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    _quiet_logging()
    if args.child:
        print(json.dumps(asyncio.run(run_child(args.child[0], args.child[1:]))))
        return
    started = time.perf_counter()
    with _postgres_server(args.postgres or os.environ.get("BOT_TEST_POSTGRES_URL")) as (pg_url, pg_source):
        results, notes = asyncio.run(run_all(args.quick, pg_url, pg_source))
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    header = (
        f"bench/run.py{' --quick' if args.quick else ''}: Python {sys.version.split()[0]}, "
        f"discord.py {discord.__version__}, {os.cpu_count()} CPUs, {time.perf_counter() - started:.0f}s"
    )
    print_table(results, notes, header)


if __name__ == "__main__":
    main()
