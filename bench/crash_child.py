"""Child process for the crash test: store a burst of answers, printing each one once it is acknowledged.

Usage: ``python bench/crash_child.py DATABASE [--answers N] [--concurrency C]``, where DATABASE is a
SQLite path or a ``postgresql://`` URL (the same two kinds of target as ``BOT_DATABASE``).

It opens the bot's real store, starts a quiz with one open question, prints ``ready`` and then
fires clicks ``C`` at a time through ``store.record_answer`` (the quiz feature's group-commit
path). ``record_answer`` returns only after the answer's transaction has committed; this is the
moment the bot acknowledges a click, and the moment this child writes the click's user id to
stdout. The parent (``tests/test_faults_crash.py``, ``bench/run.py``) SIGKILLs it mid-burst, then
reopens the database and checks that every printed id is stored.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from alliance_bot.storage import Store  # noqa: E402
from bench._answers import bundled_question, open_question  # noqa: E402

FIRST_USER = 1_000_000


async def burst(database: Path | str, answers: int, concurrency: int) -> None:
    """Store ``answers`` clicks from distinct users, ``concurrency`` in flight at a time."""
    store = await Store.open(database)
    asked = await open_question(store, bundled_question())
    out = sys.stdout
    out.write("ready\n")
    out.flush()

    async def click(user_id: int) -> None:
        outcome = await store.record_answer(asked.answer(user_id))
        if outcome.status == "recorded":
            out.write(f"{user_id}\n")
            out.flush()

    # Keep ``concurrency`` clicks in flight at all times, like a crowd clicking one button.
    slots = asyncio.Semaphore(concurrency)
    running: set[asyncio.Task[None]] = set()
    for user in range(FIRST_USER, FIRST_USER + answers):
        await slots.acquire()
        task = asyncio.create_task(click(user))
        running.add(task)
        task.add_done_callback(lambda done: (running.discard(done), slots.release()))
    await asyncio.gather(*running)
    out.write("done\n")
    out.flush()
    await store.close()


@dataclass(frozen=True)
class CrashReport:
    """What a reopen found after the child was killed."""

    acknowledged: int
    stored: int
    lost: int
    integrity: str
    players_consistent: bool


async def kill_mid_burst(database: Path | str, *, kill_after: int, concurrency: int = 50,
                         timeout: float = 60.0) -> CrashReport:
    """Run the child, SIGKILL it once ``kill_after`` clicks are acknowledged, reopen and count losses."""
    child = await asyncio.create_subprocess_exec(
        sys.executable, str(Path(__file__).resolve()), str(database), "--concurrency", str(concurrency),
        stdout=asyncio.subprocess.PIPE,
    )
    assert child.stdout is not None
    acknowledged: set[int] = set()
    try:
        async with asyncio.timeout(timeout):
            while len(acknowledged) < kill_after:
                line = (await child.stdout.readline()).decode().strip()
                if not line:
                    raise RuntimeError("the crash child exited before it was killed")
                if line.isdigit():
                    acknowledged.add(int(line))
    finally:
        if child.returncode is None:
            child.send_signal(signal.SIGKILL)
    # Lines printed before the kill landed were acknowledged too: drain them.
    rest = await child.stdout.read()
    acknowledged |= {int(line) for line in rest.decode().split() if line.isdigit()}
    await child.wait()

    store = await Store.open(database)
    try:
        integrity = "ok" if await store.integrity_ok() else "FAILED"
        rows = await store.fetchall("SELECT user_id FROM quiz_answers")
        players = await store.fetchone("SELECT COALESCE(SUM(answered), 0) FROM quiz_players")
    finally:
        await store.close()
    stored = {int(row[0]) for row in rows}
    return CrashReport(
        acknowledged=len(acknowledged),
        stored=len(stored),
        lost=len(acknowledged - stored),
        integrity=integrity,
        players_consistent=players is not None and int(players[0]) == len(rows),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database", help="a SQLite path or a postgresql:// URL")
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--concurrency", type=int, default=50)
    args = parser.parse_args()
    asyncio.run(burst(args.database, args.answers, args.concurrency))


if __name__ == "__main__":
    main()
