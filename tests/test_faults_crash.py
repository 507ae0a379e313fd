"""Crash: a process storing quiz answers is SIGKILLed mid-burst; nothing it acknowledged is lost.

Run on both backends: a SQLite file, and a PostgreSQL database the killed process shared.

The child (``bench/crash_child.py``) writes answers through the bot's real store
(``Store.record_answer``, the group-commit path the answer button uses) and prints each click's
user id only after ``record_answer`` returns, i.e. after COMMIT, the moment the bot would say
"Locked in". We kill it with SIGKILL while clicks are in flight, reopen the database and check it.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

import pytest

from alliance_bot.storage import Store

CHILD = Path(__file__).resolve().parent.parent / "bench" / "crash_child.py"


async def _run_and_kill(database: Path | str, *, kill_after: int, concurrency: int) -> set[int]:
    """Start the child, SIGKILL it after ``kill_after`` acknowledgements; return every acknowledged id."""
    child = await asyncio.create_subprocess_exec(
        sys.executable, str(CHILD), str(database), "--concurrency", str(concurrency),
        stdout=asyncio.subprocess.PIPE,
    )
    assert child.stdout is not None
    acknowledged: set[int] = set()
    try:
        async with asyncio.timeout(60):
            while len(acknowledged) < kill_after:
                line = (await child.stdout.readline()).decode().strip()
                assert line, "the child exited before it was killed"
                if line.isdigit():
                    acknowledged.add(int(line))
    finally:
        if child.returncode is None:
            child.send_signal(signal.SIGKILL)
    # Anything printed before the signal landed was acknowledged as well.
    acknowledged |= {int(word) for word in (await child.stdout.read()).decode().split() if word.isdigit()}
    assert await child.wait() == -signal.SIGKILL, "the child finished its burst before the kill"
    return acknowledged


@pytest.mark.parametrize(("kill_after", "concurrency"), [(1, 1), (137, 50), (700, 200)])
async def test_sigkill_mid_burst_loses_no_acknowledged_answer(store_target, kill_after: int, concurrency: int):
    database = store_target
    acknowledged = await _run_and_kill(database, kill_after=kill_after, concurrency=concurrency)
    assert len(acknowledged) >= kill_after

    store = await Store.open(database)
    try:
        assert await store.integrity_ok(), "the integrity check failed after the crash"
        stored = {int(row[0]) for row in await store.fetchall("SELECT user_id FROM quiz_answers")}
        players = await store.fetchone("SELECT COALESCE(SUM(answered), 0) FROM quiz_players")
        answers = await store.fetchone("SELECT COUNT(*) FROM quiz_answers")
    finally:
        await store.close()

    missing = acknowledged - stored
    assert not missing, f"{len(missing)} acknowledged answers were lost, e.g. {sorted(missing)[:5]}"
    # Each batch commits its answers and the players' totals together: no half-written batch.
    assert players is not None and answers is not None
    assert int(players[0]) == int(answers[0])


async def test_database_is_usable_after_a_crash(store_target):
    """After the kill, the bot's store reopens, keeps the answers and accepts new writes."""
    database = store_target
    acknowledged = await _run_and_kill(database, kill_after=50, concurrency=20)

    store = await Store.open(database)
    try:
        before = await store.fetchone("SELECT COUNT(*) FROM quiz_answers")
        await store.set_meta("after_crash", "written")
        assert await store.get_meta("after_crash") == "written"
        assert before is not None and int(before[0]) >= len(acknowledged)
    finally:
        await store.close()
