"""The benchmarks, each run in a fresh process by ``bench/run.py`` (``--child NAME ARGS_JSON``).

Every function here returns a JSON-able dict; interaction benchmarks return ``samples`` (ns per
interaction, from the raw gateway frame to the last task its handling started finishing; see
``bench/_gateway.py``). A floor and our bot never share a process, so objects, tasks and caches
one leaves behind cannot slow the other.
"""

from __future__ import annotations

import asyncio
import gc
import random
import re
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bench import _stub
from bench._gateway import Gateway, LoopStalls
from bench._stub import GuildSpec, StubTransport, component_payload, connect_offline, slash_payload

WARMUP = 0.1  # the first tenth of every sample set warms caches and code paths and is dropped

# The questions people ask most (the seed's phrasings): /ask with its caches on answers these.
POPULAR = (
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
_PAIR_TEMPLATES = (
    "are {a} and {b} allies",
    "is {a} allied with {b}?",
    "were {a} and {b} allies in {year}?",
    "is {a} an ally of {b}",
    "{a} and {b} allies?",
    "was {a} allied with {b} in {year}",
)
_NAMES = (
    "the US", "america", "Russia", "France", "Germany", "Poland", "the UK", "Japan", "South Korea",
    "North Korea", "China", "Iran", "Türkiye", "Turkey", "Brazil", "Canada", "Australia", "New Zealand",
    "Armenia", "Saudi Arabia", "Pakistan", "Holland", "Czech Republic", "Ivory Coast", "Burma", "Mexico",
    "Sweden", "Finland", "Italy", "Spain", "India", "Israel", "Egypt", "Greece", "Norway", "Ukraine",
    "Belarus", "Hungary", "Vietnam", "Cuba",
)
_UNKNOWN = ("Narnia", "Mordor", "Wakanda", "Atlantis", "Genovia", "Latveria", "Ruritania", "Freedonia")


def miss_questions(count: int, seed: int = 3) -> list[str]:
    """``count`` distinct realistic questions: pairs now and in past years, FAQ phrasings, unknown names."""
    from alliance_bot.config import BUNDLED_DATA_DIR
    from alliance_bot.domain.facts import load_fact_base

    faqs = [text for faq in load_fact_base(BUNDLED_DATA_DIR).of_kind("faq") for text in (faq.question, *faq.paraphrases)]
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < count:
        roll = rng.random()
        if roll < 0.15 and faqs:
            question = rng.choice(faqs)
            if question.lower() in seen:  # each FAQ phrasing once as typed, then in other words
                question = rng.choice(("so ", "but ", "ok ", "hey ", "")) + question.lower().rstrip("?") + rng.choice(("?", "", " ??"))
        elif roll < 0.25:
            question = rng.choice(_PAIR_TEMPLATES).format(a=rng.choice(_UNKNOWN), b=rng.choice(_NAMES), year=rng.randint(1900, 2025))
        else:
            a, b = rng.sample(_NAMES, 2)
            question = rng.choice(_PAIR_TEMPLATES).format(a=a, b=b, year=rng.randint(1816, 2025))
        if question.lower() not in seen:
            seen.add(question.lower())
            out.append(question)
    return out


def _trim(samples: list[int]) -> list[int]:
    return samples[int(len(samples) * WARMUP):]


def client_options() -> dict[str, Any]:
    from alliance_bot.client import client_options as ours

    return ours()


# --------------------------------------------------------------------------- slash: floor and /ask


async def floor_slash(runs: int) -> dict[str, Any]:
    """A bare discord.py bot answering /ask with static text: the floor of both /ask figures."""
    floor = commands.Bot(**client_options())

    @floor.tree.command(name="ask", description="Reply with static text")
    @app_commands.describe(question="Anything")
    async def ask(interaction: discord.Interaction, question: str) -> None:
        await interaction.response.send_message("The United States and Russia are not allies.")

    stub = StubTransport()
    stub.record = False
    spec = GuildSpec.new()
    await connect_offline(floor, stub, [spec])
    gateway = Gateway(floor)
    questions = miss_questions(runs)
    samples = []
    for index, question in enumerate(questions):
        frame = gateway.frame(slash_payload(spec, spec.channels[0], 10_000 + index, "ask", {"question": question}))
        samples.append(await gateway.handle(frame))
    await floor.close()
    return {"samples": _trim(samples)}


async def _our_bot(tmp: Path, stub: StubTransport, guilds: list[GuildSpec], synchronous: str = "NORMAL"):
    from alliance_bot import Settings, create_bot

    settings = Settings(token=None, database=tmp / "bench.sqlite3", auto_sync=False, sqlite_synchronous=synchronous)
    ours = create_bot(settings)
    await connect_offline(ours, stub, guilds)
    await ours.setup_hook()
    return ours


async def ask(runs: int, mode: str) -> dict[str, Any]:
    """/ask through our bot: ``hit`` asks the popular phrasings (caches on), ``miss`` distinct questions, caches off."""
    from alliance_bot.domain import questions as questions_module

    if mode == "miss":
        from alliance_bot.render import ask as render_ask
        from alliance_bot.render import pictures as render_pictures

        questions_module._RECENT_ANSWERS = 0  # the answer cache keeps nothing
        render_ask.RENDERED_REPLIES = 0  # nor the rendered replies
        render_pictures._CACHE_SIZE = 0  # nor the drawn pictures
        asked = miss_questions(runs)
    else:
        rng = random.Random(2)
        asked = [rng.choice(POPULAR) for _ in range(runs)]
    with tempfile.TemporaryDirectory() as tmpdir:
        stub = StubTransport()
        stub.record = False
        spec = GuildSpec.new()
        ours = await _our_bot(Path(tmpdir), stub, [spec])
        gateway = Gateway(ours)
        samples = []
        replies: dict[str, int] = {}
        try:
            for index, question in enumerate(asked):
                payload = slash_payload(spec, spec.channels[0], 20_000 + index, "ask", {"question": question})
                reply = stub.expect_interaction_reply(payload["id"])
                samples.append(await gateway.handle(gateway.frame(payload)))
                data = ((await reply).body or {}).get("data") or {}
                kind = "embed" if data.get("embeds") else "text"
                kind += "+buttons" if data.get("components") else ""
                replies[kind] = replies.get(kind, 0) + 1
        finally:
            await ours.close()
    return {"samples": _trim(samples), "replies": replies, "distinct": len(set(asked)),
            "view_timeouts": gateway.long_lived}


# --------------------------------------------------------------------------- clicks: floor and our bot


def _answer_message(channel: int, quiz_id: int, number: int) -> dict[str, Any]:
    """A question message with four answer buttons, as our bot posts it."""
    buttons = [
        {"type": 2, "style": 2, "label": "ABCD"[choice], "custom_id": f"quiz:{quiz_id}:{number}:{choice}"}
        for choice in range(4)
    ]
    return {
        "id": str(_stub.snowflake()), "channel_id": str(channel), "author": _stub.BOT_USER, "content": "",
        "timestamp": "2026-01-01T00:00:00.000000+00:00", "edited_timestamp": None, "tts": False,
        "mention_everyone": False, "mentions": [], "mention_roles": [], "attachments": [], "embeds": [],
        "components": [{"type": 1, "components": buttons}], "pinned": False, "type": 0, "flags": 0,
    }


def _floor_db(path: Path, synchronous: str) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(f"PRAGMA synchronous={synchronous}")
    db.execute("CREATE TABLE answers (quiz INTEGER, number INTEGER, user INTEGER, choice INTEGER, "
               "UNIQUE (quiz, number, user)) STRICT")
    return db


async def floor_click(runs: int, synchronous: str = "NORMAL") -> dict[str, Any]:
    """Bare discord.py acknowledging the same click after one committed SQLite row, two ways.

    ``dynamic``: a DynamicItem (what our answer buttons are); ``listener``: an ``on_interaction``
    listener matching the custom_id itself, discord.py's cheapest dispatch. Both commit inline with
    sqlite3 in WAL mode at the same ``synchronous`` setting as our store.
    """
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmpdir:
        for way in ("dynamic", "listener"):
            db = _floor_db(Path(tmpdir) / f"{way}.sqlite3", synchronous)

            async def store_and_ack(interaction: discord.Interaction, quiz: int, number: int, choice: int,
                                    db: sqlite3.Connection = db) -> None:
                with db:
                    db.execute("INSERT INTO answers VALUES (?, ?, ?, ?)", (quiz, number, interaction.user.id, choice))
                await interaction.response.send_message("Locked in", ephemeral=True)

            floor = commands.Bot(**client_options())
            if way == "dynamic":
                class Answer(discord.ui.DynamicItem[discord.ui.Button], template=r"quiz:(?P<q>[0-9]+):(?P<n>[0-9]+):(?P<c>[0-4])"):
                    def __init__(self, q: int, n: int, c: int) -> None:
                        super().__init__(discord.ui.Button(label="ABCD"[c], custom_id=f"quiz:{q}:{n}:{c}"))
                        self.q, self.n, self.c = q, n, c

                    @classmethod
                    async def from_custom_id(cls, interaction, item, match, /):  # type: ignore[override]
                        return cls(int(match["q"]), int(match["n"]), int(match["c"]))

                    async def callback(self, interaction: discord.Interaction) -> None:
                        await store_and_ack(interaction, self.q, self.n, self.c)

                floor.add_dynamic_items(Answer)
            else:
                pattern = re.compile(r"quiz:([0-9]+):([0-9]+):([0-4])")

                async def on_interaction(interaction: discord.Interaction, pattern: re.Pattern[str] = pattern) -> None:
                    match = pattern.fullmatch(str((interaction.data or {}).get("custom_id", "")))
                    if match is not None:
                        await store_and_ack(interaction, int(match[1]), int(match[2]), int(match[3]))

                floor.add_listener(on_interaction)
            stub = StubTransport()
            stub.record = False
            spec = GuildSpec.new()
            await connect_offline(floor, stub, [spec])
            gateway = Gateway(floor)
            message = _answer_message(spec.channels[0], 1, 1)
            samples = []
            for index in range(runs):
                payload = component_payload(spec, spec.channels[0], 30_000 + index, message, f"quiz:1:1:{index % 4}")
                samples.append(await gateway.handle(gateway.frame(payload)))
            stored = db.execute("SELECT COUNT(*) FROM answers").fetchone()[0]
            await floor.close()
            db.close()
            asyncio.get_running_loop().set_task_factory(None)
            out[way] = _trim(samples)
            out[f"{way}_stored"] = stored
    cheaper = min(("dynamic", "listener"), key=lambda way: statistics.median(out[way]))
    out["samples"] = out[cheaper]
    out["cheapest"] = cheaper
    out["medians_us"] = {way: statistics.median(out[way]) / 1000 for way in ("dynamic", "listener")}
    del out["dynamic"], out["listener"]
    return out


async def _started_quiz(tmp: Path, stub: StubTransport, spec: GuildSpec,
                        synchronous: str = "NORMAL") -> tuple[Any, Gateway, dict[str, Any], list[str]]:
    """Our bot with a quiz started through /quiz start: (bot, gateway, question message, its custom_ids)."""
    from alliance_bot.domain.quiz import MAX_SECONDS
    from bench._stub import custom_ids

    channel = spec.channels[0]
    ours = await _our_bot(tmp, stub, [spec], synchronous)
    gateway = Gateway(ours)
    posted = stub.expect(
        lambda call: call.method == "POST" and call.path == f"/channels/{channel}/messages"
        and bool((call.body or {}).get("components"))
    )
    start = slash_payload(spec, channel, 5, "quiz", {"questions": 1, "seconds": MAX_SECONDS}, sub="start")
    await gateway.feed(gateway.frame(start))  # not handle(): the quiz it starts runs on
    question = await asyncio.wait_for(posted, 10)
    for _ in range(100):  # the cog records the message id and opens the question after the post
        await asyncio.sleep(0.01)
        run = next(iter(ours.get_cog("Quiz").runs.values()))
        if run.accepting:
            break
    message_id = next(mid for mid, msg in stub.messages.items() if msg["components"] == question.body["components"])
    message = stub.messages[message_id] | {"channel_id": str(channel)}
    return ours, gateway, message, custom_ids(message)


async def click(runs: int, synchronous: str = "NORMAL") -> dict[str, Any]:
    """Answer clicks by distinct members on one open question of our bot, one at a time."""
    with tempfile.TemporaryDirectory() as tmpdir:
        stub = StubTransport()
        spec = GuildSpec.new()
        ours, gateway, message, buttons = await _started_quiz(Path(tmpdir), stub, spec, synchronous)
        stub.record = False
        samples = []
        acks: dict[str, int] = {}
        try:
            for index in range(runs):
                payload = component_payload(spec, spec.channels[0], 30_000 + index, message, buttons[index % len(buttons)])
                reply = stub.expect_interaction_reply(payload["id"])
                samples.append(await gateway.handle(gateway.frame(payload)))
                text = str((((await reply).body or {}).get("data") or {}).get("content", ""))[:9]
                acks[text] = acks.get(text, 0) + 1
            stored = await ours.store.fetchone("SELECT COUNT(*) FROM quiz_answers")
        finally:
            await ours.close()
    return {"samples": _trim(samples), "acks": acks, "stored": int(stored[0]) if stored else -1}


async def burst(clicks: int) -> dict[str, Any]:
    """``clicks`` members click one question at once: time to each acknowledgement, acks/s, loop stalls."""
    with tempfile.TemporaryDirectory() as tmpdir:
        stub = StubTransport()
        spec = GuildSpec.new()
        ours, gateway, message, buttons = await _started_quiz(Path(tmpdir), stub, spec)
        stub.record = False
        payloads = [
            component_payload(spec, spec.channels[0], 40_000 + index, message, buttons[index % len(buttons)])
            for index in range(clicks)
        ]
        frames = [gateway.frame(payload) for payload in payloads]
        replies = [stub.expect_interaction_reply(payload["id"]) for payload in payloads]
        fed_at: list[int] = []
        try:
            gc.collect()
            with LoopStalls() as stalls:
                started = time.perf_counter_ns()
                for frame in frames:  # one websocket message per loop turn, as the gateway reads them
                    fed_at.append(time.perf_counter_ns())
                    await gateway.feed(frame)
                    await asyncio.sleep(0)
                calls = await asyncio.wait_for(asyncio.gather(*replies), 60)
                await ours.store.flush_answers()
            stored = await ours.store.fetchone("SELECT COUNT(*) FROM quiz_answers")
        finally:
            await ours.close()
    latencies = sorted(call.at_ns - fed for call, fed in zip(calls, fed_at, strict=True))
    last = max(call.at_ns for call in calls)
    locked = sum(1 for call in calls if "Locked in" in str(((call.body or {}).get("data") or {}).get("content", "")))
    ordered = sorted(stalls.samples)
    return {
        "samples": latencies,
        "acks_per_s": clicks / ((last - started) / 1e9),
        "locked_in": locked,
        "stored": int(stored[0]) if stored else -1,
        "stall_p999_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.999))] / 1e6,
        "stall_max_ms": ordered[-1] / 1e6,
        "callbacks": len(ordered),
    }


# --------------------------------------------------------------------------- durable vs raw


async def durable(answers: int, in_flight: int, synchronous: str = "NORMAL") -> dict[str, Any]:
    """A burst of clicks through the quiz store, each acknowledged only after its COMMIT."""
    from alliance_bot.storage import Store
    from bench._answers import bundled_question, open_question

    with tempfile.TemporaryDirectory() as tmpdir:
        store = await Store.open(Path(tmpdir) / "durable.sqlite3", synchronous=synchronous)
        try:
            asked = await open_question(store, bundled_question())
            acknowledged = 0
            # The same clicks raw() starts from, built before the window as raw() builds them.
            clicks = iter([asked.answer(user_id) for user_id in range(100_000, 100_000 + answers)])

            # ``in_flight`` clickers, each waiting for its acknowledgement before its next click.
            async def clicker() -> None:
                nonlocal acknowledged
                for answer in clicks:
                    outcome = await store.record_answer(answer)
                    acknowledged += outcome.status == "recorded"

            gc.collect()
            gc.freeze()  # as the bot does once started (alliance_bot/client.py): the GC skips what start-up loaded
            started = time.perf_counter()
            await asyncio.gather(*(clicker() for _ in range(in_flight)))
            elapsed = time.perf_counter() - started
            stored = await store.fetchone("SELECT COUNT(*) FROM quiz_answers")
            batches = store.answer_writer.batches
        finally:
            await store.close()
    return {"per_s": acknowledged / elapsed, "acknowledged": acknowledged, "stored": int(stored[0]) if stored else -1,
            "commits": batches}


async def raw(answers: int, synchronous: str = "NORMAL") -> dict[str, Any]:
    """Plain sqlite3, same schema and pragmas: the rows the store writes per answer, built and written in one transaction."""
    from alliance_bot.storage import Store
    from alliance_bot.storage.quiz import UPSERT_PLAYERS, _periods_of_day, to_ms
    from bench._answers import OpenQuestion, bundled_question

    asked = OpenQuestion(1, 2, 1, 1, bundled_question(), datetime.now(UTC))
    clicks = [asked.answer(100_000 + i) for i in range(answers)]
    with tempfile.TemporaryDirectory() as tmpdir:
        path = Path(tmpdir) / "raw.sqlite3"
        await (await Store.open(path)).close()  # the real schema, created by the real migrations
        db = sqlite3.connect(path, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(f"PRAGMA synchronous={synchronous}")
        gc.collect()
        started = time.perf_counter()
        rows = []
        players = []
        for a in clicks:
            correct = int(a.correct)
            points = 100 * correct
            answered_ms = to_ms(a.answered_at)
            rows.append((a.guild_id, a.channel_id, a.quiz_id, a.question, a.user_id, a.choice, correct, points,
                         answered_ms))
            week, month = _periods_of_day(answered_ms // 86_400_000)  # the store's own cached lookup
            players.append((a.guild_id, a.user_id, 1, correct, points, correct, correct,
                            week, 1, correct, points, month, 1, correct, points))
        db.execute("BEGIN IMMEDIATE")
        db.executemany(
            "INSERT INTO quiz_answers(guild_id, channel_id, quiz_id, question, user_id, choice, correct, points, "
            "answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        db.executemany(UPSERT_PLAYERS, players)  # the store's own statement: answer and period totals
        db.execute("COMMIT")
        elapsed = time.perf_counter() - started
        db.close()
    return {"per_s": answers / elapsed}


async def pg_durable(url: str, answers: int, in_flight: int) -> dict[str, Any]:
    from alliance_bot.storage import Store
    from bench._answers import bundled_question, open_question
    from bench._pg import pg_schema

    async with pg_schema(url) as target:
        store = await Store.open(target)
        try:
            asked = await open_question(store, bundled_question())
            users = iter(range(100_000, 100_000 + answers))
            acknowledged = 0

            async def clicker() -> None:
                nonlocal acknowledged
                for user_id in users:
                    outcome = await store.record_answer(asked.answer(user_id))
                    acknowledged += outcome.status == "recorded"  # read after the await, not before

            started = time.perf_counter()
            await asyncio.gather(*(clicker() for _ in range(in_flight)))
            elapsed = time.perf_counter() - started
            batches = store.answer_writer.batches
        finally:
            await store.close()
    return {"per_s": acknowledged / elapsed, "acknowledged": acknowledged, "commits": batches}


# --------------------------------------------------------------------------- boards


def _fill_one_server(path: Path, total: int, now: datetime) -> tuple[int, int]:
    """``total`` answers in one server over the last year, 5,000 players; return (guild, a mid-table caller)."""
    from alliance_bot.storage.quiz import BACKFILL_PERIOD_TOTALS

    rng = random.Random(7)
    guild_id = 10_001
    players = 5000
    answerers = 20  # per question
    questions_per_quiz = 10
    quizzes = max(total // (answerers * questions_per_quiz), 1)
    span_ms = 365 * 24 * 3600 * 1000
    now_ms = int(now.timestamp() * 1000)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("BEGIN")
    rows = []
    for quiz_id in range(1, quizzes + 1):
        started = now_ms - int(span_ms * (quizzes - quiz_id + rng.random()) / quizzes)
        for number in range(1, questions_per_quiz + 1):
            for user in rng.sample(range(players), answerers):
                correct = rng.random() < 0.45
                points = (100 + rng.randrange(50)) if correct else 0
                rows.append((guild_id, 1, quiz_id, number, 1_000_000 + user, rng.randrange(4), int(correct),
                             points, started + number * 20_000 + rng.randrange(20_000)))
        if len(rows) >= 100_000:
            db.executemany("INSERT INTO quiz_answers(guild_id, channel_id, quiz_id, question, user_id, choice, correct, "
                           "points, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            rows = []
    db.executemany("INSERT INTO quiz_answers(guild_id, channel_id, quiz_id, question, user_id, choice, correct, points, "
                   "answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    db.execute(
        "INSERT INTO quiz_players(guild_id, user_id, answered, correct, points, streak, best_streak) "
        "SELECT guild_id, user_id, COUNT(*), SUM(correct), SUM(points), 0, 0 FROM quiz_answers GROUP BY guild_id, user_id"
    )
    for statement in BACKFILL_PERIOD_TOTALS.split(";"):  # each player's latest week and month, as the bot counts them
        db.execute(statement)
    db.execute("COMMIT")
    db.execute("ANALYZE")
    board = [row[0] for row in db.execute(
        "SELECT user_id FROM quiz_players WHERE guild_id = ? ORDER BY points DESC", (guild_id,))]
    db.close()
    return guild_id, int(board[len(board) // 2])


async def _time_boards(store: Any, guild_id: int, caller: int, now: datetime, repeats: int) -> tuple[list[int], Any]:
    samples = []
    boards = None
    for _ in range(repeats):
        t0 = time.perf_counter_ns()
        boards = [await store.leaderboard(guild_id, period=period, now=now, user_id=caller)
                  for period in ("week", "month", "all-time")]
        samples.append(time.perf_counter_ns() - t0)
    return samples, boards


async def boards(total: int, repeats: int, pg_url: str | None = None) -> dict[str, Any]:
    """Week + month + all-time boards with the caller's rank, one server holding ``total`` answers."""
    from alliance_bot.storage import Store

    now = datetime.now(UTC)
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmpdir:
        path = Path(tmpdir) / "boards.sqlite3"
        await (await Store.open(path)).close()
        started = time.perf_counter()
        guild_id, caller = _fill_one_server(path, total, now)
        out["load_s"] = time.perf_counter() - started
        store = await Store.open(path)
        try:
            samples, sqlite_boards = await _time_boards(store, guild_id, caller, now, repeats)
        finally:
            await store.close()
        out["samples"] = samples
        out["rows"] = [len(board.rows) for board in sqlite_boards]
        out["caller_ranks"] = [board.caller.rank if board.caller else None for board in sqlite_boards]
        if pg_url:
            from alliance_bot.storage.moving import move_sqlite_to_postgres
            from bench._pg import pg_schema

            async with pg_schema(pg_url) as target:
                await move_sqlite_to_postgres(path, target)
                store = await Store.open(target)
                try:
                    await store.execute("ANALYZE")
                    pg_samples, pg_boards = await _time_boards(store, guild_id, caller, now, repeats)
                finally:
                    await store.close()
            out["pg_samples"] = pg_samples
            out["pg_same"] = pg_boards == sqlite_boards
    return out


# --------------------------------------------------------------------------- start-up and memory


async def startup(which: str, database: str) -> dict[str, Any]:
    """Imports done by now (the parent times the whole process): build the bot and run setup to ready."""
    stub = StubTransport()
    stub.record = False
    if which == "floor":
        bot = commands.Bot(**client_options())

        @bot.tree.command(name="ask", description="Reply with static text")
        async def ask(interaction: discord.Interaction, question: str) -> None:
            await interaction.response.send_message("static")

        await connect_offline(bot, stub, [])
        await bot.setup_hook()
    else:
        from alliance_bot import Settings, create_bot

        bot = create_bot(Settings(token=None, database=Path(database), auto_sync=False))
        await connect_offline(bot, stub, [])
        await bot.setup_hook()
    print("ready", flush=True)
    await bot.close()
    return {}


def _rss_mb() -> float:
    status = Path("/proc/self/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS"))) / 1024


async def rss(which: str, guilds: int, database: str) -> dict[str, Any]:
    """``guilds`` GUILD_CREATE payloads (20 channels, 15 roles) through discord.py's parser."""
    stub = StubTransport()
    stub.record = False
    if which == "floor":
        bot = commands.Bot(**client_options())
        await connect_offline(bot, stub, [])
    else:
        from alliance_bot import Settings, create_bot

        bot = create_bot(Settings(token=None, database=Path(database), auto_sync=False))
        await connect_offline(bot, stub, [])
        await bot.setup_hook()
    gc.collect()
    before = _rss_mb()
    parse = bot._connection.parsers["GUILD_CREATE"]
    for index in range(guilds):
        parse(_stub.guild_create_payload(GuildSpec.new(channels=20, roles=15), name=f"Server {index}"))
        if index % 500 == 0:
            await asyncio.sleep(0)
    for _ in range(5):
        await asyncio.sleep(0)
    gc.collect()
    after = _rss_mb()
    cached = len(bot.guilds)
    await bot.close()
    return {"rss_mb": after, "before_mb": before, "guilds": cached}


# --------------------------------------------------------------------------- crash


async def lost(kill_after: int, target: str | None = None) -> dict[str, Any]:
    from bench.crash_child import kill_mid_burst

    if target:
        from bench._pg import pg_schema

        async with pg_schema(target) as database:
            report = await kill_mid_burst(database, kill_after=kill_after, concurrency=100)
    else:
        with tempfile.TemporaryDirectory() as tmpdir:
            report = await kill_mid_burst(Path(tmpdir) / "crash.sqlite3", kill_after=kill_after, concurrency=100)
    return {"lost": report.lost, "acknowledged": report.acknowledged, "stored": report.stored,
            "integrity": report.integrity, "players_consistent": report.players_consistent}


CHILDREN = {
    "floor_slash": floor_slash,
    "ask": ask,
    "floor_click": floor_click,
    "click": click,
    "burst": burst,
    "durable": durable,
    "raw": raw,
    "pg_durable": pg_durable,
    "boards": boards,
    "startup": startup,
    "rss": rss,
    "lost": lost,
}

__all__ = ["CHILDREN", "miss_questions"]
