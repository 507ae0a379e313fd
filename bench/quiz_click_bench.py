"""Fire 1,000 concurrent answer clicks at one open quiz question through the real interaction path.

Usage: ``.venv/bin/python bench/quiz_click_bench.py [--clicks 1000] [--runs 3]``

How the clicks are driven: SimCord guards its actor operations (``Env._begin_operation`` refuses an
operation from a second task while one is active), so ``asyncio.gather(member.click(...) ...)``
raises ``SetupError: operation overlaps active click`` (the script shows this first). Instead, for
each of N members the script builds the very INTERACTION_CREATE payload ``member.click`` builds
(``simcord.interactions.base_payload`` plus the message, as in ``simcord.actors._component_click``)
and emits all N on the gateway before letting the loop run, then settles once. Every click then goes
through discord.py's gateway parsing, the DynamicItem dispatch, ``Quiz.handle_answer``, the
group-commit writer (``Store.record_answer``) and the ephemeral "Locked in" callback over SimCord's
HTTP layer, concurrently.

Reported: acknowledgements per second (N / time from the first emit to the last acknowledgement),
p50/p99 time from emit to acknowledgement (wall clock), the number of write transactions, and that
exactly N answers were stored (and a second identical burst stores none).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import simcord
from simcord import interactions as sim_interactions
from simcord.backend import serializers
from simcord.enums import ComponentType, InteractionType

from alliance_bot import Settings, create_bot
from alliance_bot.config import BUNDLED_DATA_DIR

log = logging.getLogger("quiz_click_bench")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


async def show_gather_is_refused(env: simcord.Env, members: list[Any], message: Any) -> str:
    """Try the obvious way (gather of member.click) on two members and report what SimCord says."""
    results = await asyncio.gather(
        *(m.click(message, label="A") for m in members[:2]), return_exceptions=True
    )
    refused = [r for r in results if isinstance(r, BaseException)]
    if refused:
        return f"{len(refused)} of 2 refused: {type(refused[0]).__name__}: {refused[0]}"
    return "both allowed"


async def burst(
    env: simcord.Env, members: list[Any], channel: Any, message: Any, custom_ids: list[str]
) -> dict:
    """Emit one click per member at once; return per-click emit and acknowledgement times."""
    backend = env.backend
    stored = backend.get_message(channel.id, message.id)
    message_payload = dict(serializers.message_payload(backend, stored))
    emitted: dict[int, float] = {}
    acked: dict[int, float] = {}
    records = []
    payloads = []
    for index, member in enumerate(members):
        data = {"custom_id": custom_ids[index % len(custom_ids)], "component_type": ComponentType.BUTTON}
        record, payload = sim_interactions.base_payload(
            backend,
            type=InteractionType.MESSAGE_COMPONENT,
            channel_id=channel.id,
            guild_id=channel.guild.id,
            user_id=member.id,
            data=data,
        )
        payload["message"] = message_payload
        record.source_message_id = message.id
        original = record.respond_with_message

        def on_ack(message_id: int, *, ephemeral: bool, _record=record, _original=original) -> None:
            acked[_record.id] = time.perf_counter()
            _original(message_id, ephemeral=ephemeral)

        record.respond_with_message = on_ack  # measure when the bot's callback reaches "Discord"
        records.append(record)
        payloads.append(payload)
    start = time.perf_counter()
    for record, payload in zip(records, payloads, strict=True):
        emitted[record.id] = time.perf_counter()
        backend.emit("INTERACTION_CREATE", payload)
    # A settle deadline shorter than the question (120 s) keeps its close timer parked.
    await env.settle(timeout=30)
    end = max(acked.values(), default=time.perf_counter())
    latencies = [(acked[r.id] - emitted[r.id]) * 1000 for r in records if r.id in acked]
    contents = []
    for record in records:
        if record.message_id is not None:
            contents.append(backend.get_message(channel.id, record.message_id).content)
    return {"elapsed": end - start, "latencies": latencies, "contents": contents, "acked": len(acked)}


async def run_once(clicks: int, database: Path) -> dict:
    settings = Settings(token=None, database=database, data_dir=BUNDLED_DATA_DIR)
    bot = create_bot(settings)
    async with simcord.run(bot) as env:
        guild = env.create_guild(name="Bench Server")
        channel = guild.create_text_channel("quiz")
        members = [guild.add_member(env.create_user(f"player-{i}")) for i in range(clicks)]
        await members[0].slash(channel, "quiz start", questions=1, seconds=120, topic="us-russia")
        message = channel.last_message
        custom_ids = [button.custom_id for row in message.components for button in row.children]
        quiz_id = int(custom_ids[0].split(":")[1])
        gather_result = await show_gather_is_refused(env, members, message)
        env.errors  # noqa: B018 - acknowledge nothing was raised by the bot so far (reading acknowledges)
        # The probe may have stored up to one answer; start the burst from the members who have not clicked.
        already = await bot.store.count_answers(quiz_id, 1)
        store = bot.store
        batches_before = store.answer_writer.batches
        fresh = members[already:] + [guild.add_member(env.create_user(f"extra-{i}")) for i in range(already)]
        first = await burst(env, fresh, channel, message, custom_ids)
        batches = store.answer_writer.batches - batches_before
        stored_after_first = await store.count_answers(quiz_id, 1) - already
        second = await burst(env, fresh, channel, message, custom_ids)
        stored_after_second = await store.count_answers(quiz_id, 1) - already
        asked = await store.get_question(quiz_id, 1)
        still_open = asked is not None and not asked.closed
        await env.advance_time(120)
    return {
        "gather": gather_result,
        "first": first,
        "second": second,
        "batches": batches,
        "stored": stored_after_first,
        "stored_after_duplicates": stored_after_second,
        "still_open": still_open,
    }


def report(clicks: int, index: int, result: dict) -> list[str]:
    first, second = result["first"], result["second"]
    lat = first["latencies"]
    locked = sum(1 for c in first["contents"] if c.startswith("Locked in:"))
    dupes = sum(1 for c in second["contents"] if "already answered" in c)
    log.debug("second burst replies: %s", collections.Counter(second["contents"]).most_common(3))
    return [
        f"run {index}: {first['acked']}/{clicks} acknowledged in {first['elapsed'] * 1000:.0f} ms "
        f"-> {first['acked'] / first['elapsed']:.0f} acks/s; ack latency p50 {statistics.median(lat):.0f} ms, "
        f"p99 {percentile(lat, 99):.0f} ms, max {max(lat):.0f} ms; {result['batches']} write transactions",
        f"       stored {result['stored']} answers (expected {clicks}: {'OK' if result['stored'] == clicks else 'MISMATCH'}); "
        f"'Locked in' acks {locked}; second identical burst: {dupes} 'already answered', "
        f"stored still {result['stored_after_duplicates']} "
        f"({'OK' if result['stored_after_duplicates'] == clicks else 'MISMATCH'}); "
        f"second burst p99 {percentile(second['latencies'], 99):.0f} ms; "
        f"question still open after both bursts: {result['still_open']}",
    ]


async def main_async(clicks: int, runs: int) -> int:
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for index in range(1, runs + 1):
            result = await run_once(clicks, Path(tmp) / f"bench-{index}.sqlite3")
            if index == 1:
                log.info("asyncio.gather(member.click(...), member.click(...)): %s", result["gather"])
            for line in report(clicks, index, result):
                log.info(line)
            ok = (
                ok
                and result["stored"] == clicks
                and result["stored_after_duplicates"] == clicks
                and result["still_open"]
            )
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clicks", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stdout, format="%(message)s")
    log.setLevel(logging.INFO)
    logging.getLogger("discord").setLevel(logging.ERROR)
    return asyncio.run(main_async(args.clicks, args.runs))


if __name__ == "__main__":
    sys.exit(main())
