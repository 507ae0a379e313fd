"""The event loop's worst stall while one server loads the per-server maximum of every kind of entry.

Usage: ``python bench/stall_bench.py [--explain]``

The real bot runs against SimCord on a temporary database. A watchdog thread asks the event
loop every millisecond to run a tiny callback and records how late it ran: the worst lateness is
the longest time the loop could not serve anyone (a callback running, or the GIL held by a worker
thread). Phases, each measured on its own:

1. ``import``: server A's moderators import ``MAX_ENTRIES_PER_KIND`` entries of every kind (one
   file per kind, each confirmed), as ``tests/test_hostile_volume.py`` does.
2. ``commands``: in server B and in server A, ``/ask``, ``/quiz start topic:timeline`` (through its
   first question), ``/timeline browse``, then the daily timeline post of both servers.

Target: the worst stall under 50 ms. ``--explain`` also samples the loop thread's stack whenever
the loop is late, and lists where the time went.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import simcord  # noqa: E402

from alliance_bot import Settings, create_bot  # noqa: E402
from alliance_bot.config import BUNDLED_DATA_DIR  # noqa: E402
from alliance_bot.domain.facts import FACT_KINDS  # noqa: E402
from alliance_bot.domain.overlay import MAX_ENTRIES_PER_KIND  # noqa: E402
from tests.conftest import build_world  # noqa: E402
from tests.load_entries import import_file  # noqa: E402

TARGET_MS = 50.0
TICK_S = 0.001


class Watchdog:
    """Measures how late the loop runs a callback scheduled from another thread.

    With ``explain``, whenever the loop is more than ``SAMPLE_AFTER_S`` late, the loop thread's
    stack is sampled: where the time goes, by function.
    """

    SAMPLE_AFTER_S = 0.02

    def __init__(self, loop: asyncio.AbstractEventLoop, *, explain: bool = False) -> None:
        self.loop = loop
        self.loop_thread = threading.get_ident()
        self.explain = explain
        self.worst = 0.0
        self.samples: Counter[str] = Counter()
        self._outstanding: float | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="stall-watchdog", daemon=True)

    def _ran(self, sent: float) -> None:
        self.worst = max(self.worst, time.perf_counter() - sent)
        self._outstanding = None

    def _run(self) -> None:
        while not self._stop.is_set():
            now = time.perf_counter()
            if self._outstanding is None:
                self._outstanding = now
                self.loop.call_soon_threadsafe(self._ran, now)
            elif self.explain and now - self._outstanding > self.SAMPLE_AFTER_S:
                self._sample()
            time.sleep(TICK_S)

    def _sample(self) -> None:
        frame = sys._current_frames().get(self.loop_thread)
        stack = traceback.extract_stack(frame) if frame is not None else []
        ours = [f for f in stack if "/bot/" in f.filename or "/bench/" in f.filename or "/tests/" in f.filename]
        inner = stack[-1] if stack else None
        where = " > ".join(f"{Path(f.filename).stem}.{f.name}" for f in ours[-3:]) or "(outside the bot)"
        if inner is not None:
            where += f" ... {Path(inner.filename).parent.name}/{Path(inner.filename).stem}.{inner.name}"
        self.samples[where] += 1

    def start(self) -> Watchdog:
        if self.explain:
            gc.callbacks.append(self._gc)
        self._thread.start()
        return self

    def _gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_started = time.perf_counter()
        else:
            took = time.perf_counter() - getattr(self, "_gc_started", time.perf_counter())
            if took > self.SAMPLE_AFTER_S:
                thread = "loop" if threading.get_ident() == self.loop_thread else "worker"
                self.samples[f"garbage collection of generation {info['generation']} ({thread} thread)"] += round(took * 1000)

    def reset(self) -> float:
        worst, self.worst = self.worst, 0.0
        return worst

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def _payloads(bot) -> dict[str, bytes]:
    """One import file per kind, bringing a server to the cap (made before measuring: it is not the bot's work)."""
    counts = bot.facts.counts()
    return {kind: import_file(kind, MAX_ENTRIES_PER_KIND - counts.get(kind, 0)) for kind in FACT_KINDS}


async def _import_everything(world, payloads: dict[str, bytes]) -> None:
    for kind, payload in payloads.items():
        summary = await world.moderator.slash(world.general, "manage facts import", file=(f"load-{kind}.yaml", payload))
        if not summary.response or not summary.response.embeds:
            raise SystemExit(f"import of {kind} was refused: {summary.response.content if summary.response else summary}")
        await world.moderator.click(summary.response.message, label="Confirm")
    view = await world.env.bot.services.facts.view(world.guild.id)
    assert all(view.counts()[kind] == MAX_ENTRIES_PER_KIND for kind in FACT_KINDS), view.counts()


async def _commands(server) -> None:
    ask = await server.member.slash(server.general, "ask", question="is the us allied with russia")
    assert ask.response.embeds, ask.response
    quiz = await server.member.slash(server.general, "quiz start", questions=1, seconds=10, topic="timeline")
    assert not quiz.ephemeral, quiz.response.content
    browse = await server.member.slash(server.general, "timeline browse", year=1995)
    assert browse.response.embeds, browse.response


async def main(explain: bool) -> int:
    loop = asyncio.get_running_loop()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(token=None, database=Path(tmp) / "bench.sqlite3", data_dir=BUNDLED_DATA_DIR)
        bot = create_bot(settings)
        env = simcord.Env(bot, check_errors=True)
        await env.start()
        try:
            with env.time_context():
                heavy = build_world(env, "Server A")
                other = build_world(env, "Server B")
                for server in (heavy, other):
                    await server.moderator.slash(server.general, "manage timeline subscribe", channel=server.timeline)
                payloads = _payloads(bot)
                dog = Watchdog(loop, explain=explain).start()
                await asyncio.sleep(0.05)
                dog.reset()
                started = time.perf_counter()
                await _import_everything(heavy, payloads)
                results = {"import": (dog.reset(), time.perf_counter() - started)}
                started = time.perf_counter()
                for server in (other, heavy):
                    await _commands(server)
                await env.advance_time(12 * 3600 + 60)  # both daily posts fall due
                for server in (other, heavy):
                    posts = [m for m in server.timeline.history() if m.embeds]
                    assert len(posts) == 1, f"{server.guild.name}: {len(posts)} daily posts"
                results["commands"] = (dog.reset(), time.perf_counter() - started)
                dog.stop()
        finally:
            await env.shutdown()
            if bot.store_is_open:
                await bot.close()
    entries = MAX_ENTRIES_PER_KIND * len(FACT_KINDS)
    print(f"Server A at the cap: {MAX_ENTRIES_PER_KIND} entries of each of {len(FACT_KINDS)} kinds ({entries:,}).")
    print(f"{'phase':<10} {'worst stall':>12} {'wall time':>10}")
    for phase, (worst, wall) in results.items():
        print(f"{phase:<10} {worst * 1000:>9.1f} ms {wall:>8.1f} s")
    worst = max(worst for worst, _ in results.values()) * 1000
    verdict = "ok" if worst < TARGET_MS else "OVER TARGET"
    print(f"worst event-loop stall: {worst:.1f} ms (target < {TARGET_MS:.0f} ms): {verdict}")
    if explain:
        print(f"\nwhere the loop was when it was over {Watchdog.SAMPLE_AFTER_S * 1000:.0f} ms late (samples, 1 ms apart):")
        for where, count in dog.samples.most_common(15):
            print(f"  {count:>5}  {where}")
    return 0 if worst < TARGET_MS else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--explain", action="store_true", help="also list where the loop was when it was late")
    sys.exit(asyncio.run(main(parser.parse_args().explain)))
