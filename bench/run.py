"""Run every benchmark, print one table and write ``bench/results.json``.

Usage: ``python bench/run.py [--quick] [--rounds N] [--postgres URL]``.

Every figure is a ratio against a floor measured in the same run on the same machine (or, where
no floor applies, an absolute bound). Each benchmark runs in a fresh process
(``bench/_children.py``), so nothing one leaves alive (objects, view-timeout tasks, caches) slows
the next; a bot benchmark and its floor alternate, round after round (at least 3), and the
samples of all rounds are pooled. Medians and p99 are reported; a ratio is the bot's median
over the floor's, with the range of the per-round ratios in the notes.

- ``ask_hit_vs_floor``: /ask on the popular phrasings with the answer cache on, against a bare
  discord.py bot answering a slash command with static text. Both timed from the raw gateway
  frame (zlib inflate + JSON decode, discord.py's own receive path) to the reply handled (the
  stubbed HTTP response read and the callback returned; ``bench/_gateway.py``).
- ``ask_miss_vs_floor``: the same floor; /ask with its caches off over at least 1,000 distinct
  questions (pairs now and in past years, FAQ phrasings, unknown names).
- ``click_vs_floor``: a quiz answer click against a bare discord.py bot acknowledging the same
  click after committing one SQLite row (WAL, same ``synchronous``), through the cheaper of a
  DynamicItem and an ``on_interaction`` listener.
- ``durable_vs_raw``: a burst of clicks through the quiz store (each acknowledged after COMMIT) vs
  raw sqlite3 building and writing the same rows (answer + player totals) in one transaction.
  With ``BOT_SQLITE_SYNCHRONOUS=FULL`` too: ``durable_full_vs_normal`` (throughput, where group
  commit shares each fsync) and ``click_full_vs_normal`` (one click's latency) are its measured cost.
- ``burst_p99_ms``: 1,000 simultaneous clicks on one question: p99 time to acknowledgement, acks/s,
  and the event loop's worst stalls (p99.9 and max callback duration) during the burst.
- ``boards_ms_1m_one_server``: week + month + all-time boards and the caller's rank, one server
  holding 1,000,000 answers (``--quick`` uses fewer and says so).
- ``startup_vs_floor``: a fresh process to ready (imports included), against a bare discord.py bot;
  the bot's modules byte-compiled first, as discord.py's are by pip and the bot's by scripts/venv.sh.
- ``rss_vs_floor_10k_guilds``: 10,000 GUILD_CREATE payloads of 20 channels and 15 roles, against a
  bare discord.py client with the same intents and cache flags.
- ``lost_answers``: a child storing answers is SIGKILLed mid-burst; acknowledged answers missing
  after reopen (``bench/crash_child.py``, also used by ``tests/test_faults_crash.py``).
- ``pg_…``: durable answers/s, boards and lost answers on PostgreSQL beside SQLite's (on
  ``--postgres URL``, ``BOT_TEST_POSTGRES_URL``, or a throwaway cluster from ``scripts/pg_cluster.sh``).
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from a fresh clone: import the project from here
    sys.path.insert(0, str(ROOT))

RESULTS = Path(__file__).resolve().parent / "results.json"

# (key, comparison, bound): the printed table, in this order.
TARGETS: tuple[tuple[str, str, float | None], ...] = (
    ("ask_hit_vs_floor", "<=", 1.5),
    ("ask_miss_vs_floor", "<=", 3.0),
    ("click_vs_floor", "<=", 1.5),
    ("durable_vs_raw", ">=", 0.5),
    ("burst_p99_ms", "<=", 250.0),
    ("burst_loop_stall_p999_ms", "<=", 1.0),
    ("boards_ms_1m_one_server", "<=", 5.0),
    ("startup_vs_floor", "<=", 1.5),
    ("rss_vs_floor_10k_guilds", "<=", 1.1),
    ("lost_answers", "<=", 0),
    ("durable_full_vs_normal", "", None),
    ("click_full_vs_normal", "", None),
    ("pg_durable_vs_raw", "", None),
    ("pg_boards_ms_1m_one_server", "", None),
    ("pg_lost_answers", "<=", 0),
)


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def child(name: str, *args: Any, timeout: float = 600) -> dict[str, Any]:
    """Run one benchmark in a fresh interpreter; its JSON result."""
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", name, json.dumps(args)],
        capture_output=True, text=True, timeout=timeout, check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"child {name} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def timed_to_ready(which: str, database: str) -> float:
    """Seconds from spawning a fresh interpreter to the bot saying ready (imports included)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--child", "startup", json.dumps([which, database])],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        if line.strip() == "ready":
            elapsed = time.perf_counter() - started
            break
    else:
        raise RuntimeError(f"startup {which} never got ready: {process.stderr.read() if process.stderr else ''}")
    process.communicate(timeout=60)
    return elapsed


class Figures:
    """Results, notes, and the pooled samples behind them."""

    def __init__(self) -> None:
        self.results: dict[str, Any] = {}
        self.notes: dict[str, str] = {}

    def pair(self, key: str, bot: list[list[float]], floor: list[list[float]], unit: float = 1000) -> None:
        """``key`` = median(bot) / median(floor) over the pooled rounds; medians, p99s and per-round ratios."""
        bot_all = [s for round_ in bot for s in round_]
        floor_all = [s for round_ in floor for s in round_]
        ratio = statistics.median(bot_all) / statistics.median(floor_all)
        rounds = [statistics.median(b) / statistics.median(f) for b, f in zip(bot, floor, strict=True)]
        name = key.removesuffix("_vs_floor")
        self.results[key] = ratio
        self.results[f"{name}_median_us"] = statistics.median(bot_all) / unit
        self.results[f"{name}_p99_us"] = percentile(bot_all, 0.99) / unit
        self.results[f"{name}_floor_median_us"] = statistics.median(floor_all) / unit
        self.results[f"{name}_floor_p99_us"] = percentile(floor_all, 0.99) / unit
        self.notes[name] = (
            f"median {statistics.median(bot_all) / unit:.1f} µs (p99 {percentile(bot_all, 0.99) / unit:.1f}) vs floor "
            f"{statistics.median(floor_all) / unit:.1f} µs (p99 {percentile(floor_all, 0.99) / unit:.1f}); "
            f"p99 ratio {percentile(bot_all, 0.99) / percentile(floor_all, 0.99):.2f}; per-round ratios "
            + ", ".join(f"{r:.2f}" for r in rounds)
        )


def run_all(quick: bool, rounds: int, pg_url: str | None, pg_source: str, only: set[str] | None) -> Figures:
    size = {
        "slash": 400 if quick else 3000,
        "miss": 1100 if quick else 3000,  # distinct questions per round: at least 1,000
        "click": 400 if quick else 3000,
        "durable": 5000 if quick else 20_000,
        "burst": 1000,
        "boards": 1_000_000,
        "board_repeats": 20 if quick else 100,
        "startup": 2 if quick else 3,  # per round
        "guilds": 10_000,
        "kill_after": 500 if quick else 3000,
    }
    figures = Figures()
    log = logging.getLogger("bench")

    def step(name: str, work: Callable[[], None]) -> None:
        if only and name not in only:
            return
        started = time.perf_counter()
        try:
            work()
        except Exception as error:  # one broken benchmark must not hide the others' figures
            log.exception("%s failed", name)
            figures.notes[name] = f"FAILED: {type(error).__name__}: {str(error)[-500:]}"
            return
        print(f"  {name} done in {time.perf_counter() - started:.1f}s", file=sys.stderr)

    def ask_figures() -> None:
        floor, hit, miss = [], [], []
        extra: dict[str, Any] = {}
        for index in range(rounds):
            order = [("floor", lambda: child("floor_slash", size["slash"])),
                     ("hit", lambda: child("ask", size["slash"], "hit")),
                     ("miss", lambda: child("ask", size["miss"], "miss"))]
            if index % 2:
                order.reverse()
            for which, run in order:
                out = run()
                {"floor": floor, "hit": hit, "miss": miss}[which].append(out["samples"])
                if which != "floor":
                    extra[which] = out
        figures.pair("ask_hit_vs_floor", hit, floor)
        figures.pair("ask_miss_vs_floor", miss, floor)
        figures.notes["ask_hit"] += f"; replies {extra['hit']['replies']}, view timeout tasks {extra['hit']['view_timeouts']}"
        figures.notes["ask_miss"] += (f"; {extra['miss']['distinct']} distinct questions a round, "
                                      f"replies {extra['miss']['replies']}")

    def click_figures() -> None:
        floor, ours, full = [], [], []
        last: dict[str, Any] = {}
        for index in range(rounds):
            order = [("floor", lambda: child("floor_click", size["click"])), ("ours", lambda: child("click", size["click"])),
                     ("full", lambda: child("click", size["click"], "FULL"))]
            if index % 2:
                order.reverse()
            for which, run in order:
                out = run()
                {"floor": floor, "ours": ours, "full": full}[which].append(out["samples"])
                last[which] = out
        figures.pair("click_vs_floor", ours, floor)
        normal_us = statistics.median(s for round_ in ours for s in round_) / 1000
        full_us = statistics.median(s for round_ in full for s in round_) / 1000
        figures.results["click_full_median_us"] = full_us
        figures.results["click_full_vs_normal"] = full_us / normal_us
        figures.notes["click_full"] = (
            f"BOT_SQLITE_SYNCHRONOUS=FULL: a click {full_us:.0f} µs (p99 "
            f"{percentile([s for round_ in full for s in round_], 0.99) / 1000:.0f}) against NORMAL's {normal_us:.0f} µs: "
            "an fsync per commit, from the database thread"
        )
        figures.notes["click"] += (
            f"; floor dispatch {last['floor']['cheapest']} (medians µs "
            + ", ".join(f"{k} {v:.1f}" for k, v in last["floor"]["medians_us"].items())
            + f"); ours acks {last['ours']['acks']}, stored {last['ours']['stored']}"
        )

    def durable_figures() -> None:
        ratios, full_ratios, durable_s, raw_s, full_s = [], [], [], [], []
        for index in range(rounds):
            order = ["raw", "durable", "durable_full", "raw_full"]
            if index % 2:
                order.reverse()
            got: dict[str, dict[str, Any]] = {}
            for which in order:
                synchronous = "FULL" if which.endswith("_full") else "NORMAL"
                if which.startswith("raw"):
                    got[which] = child("raw", size["durable"], synchronous)
                else:
                    got[which] = child("durable", size["durable"], 1000, synchronous)
            ratios.append(got["durable"]["per_s"] / got["raw"]["per_s"])
            full_ratios.append(got["durable_full"]["per_s"] / got["durable"]["per_s"])
            durable_s.append(got["durable"]["per_s"])
            raw_s.append(got["raw"]["per_s"])
            full_s.append(got["durable_full"]["per_s"])
            last = got
        figures.results["durable_vs_raw"] = statistics.median(ratios)
        figures.results["durable_answers_per_s"] = statistics.median(durable_s)
        figures.results["raw_answers_per_s"] = statistics.median(raw_s)
        figures.results["durable_full_answers_per_s"] = statistics.median(full_s)
        figures.results["durable_full_vs_normal"] = statistics.median(full_ratios)
        figures.notes["durable"] = (
            f"{size['durable']:,} clicks, 1,000 in flight: {statistics.median(durable_s):,.0f}/s vs raw "
            f"{statistics.median(raw_s):,.0f}/s; per-round ratios " + ", ".join(f"{r:.2f}" for r in ratios)
            + f"; last round {last['durable']['commits']} commits, {last['durable']['stored']} stored"
        )
        figures.notes["durable_full"] = (
            f"BOT_SQLITE_SYNCHRONOUS=FULL: {statistics.median(full_s):,.0f}/s, "
            + ", ".join(f"{r:.2f}" for r in full_ratios) + " of NORMAL per round"
        )

    def burst_figures() -> None:
        p99s, rates, stalls, worst = [], [], [], []
        for _ in range(rounds):
            out = child("burst", size["burst"])
            p99s.append(percentile(out["samples"], 0.99) / 1e6)
            rates.append(out["acks_per_s"])
            stalls.append(out["stall_p999_ms"])
            worst.append(out["stall_max_ms"])
        figures.results["burst_p99_ms"] = statistics.median(p99s)
        figures.results["burst_acks_per_s"] = statistics.median(rates)
        figures.results["burst_loop_stall_p999_ms"] = statistics.median(stalls)
        figures.results["burst_loop_stall_max_ms"] = statistics.median(worst)
        figures.notes["burst"] = (
            f"{size['burst']} clicks at once: p99 " + ", ".join(f"{p:.0f}" for p in p99s) + " ms; acks/s "
            + ", ".join(f"{r:,.0f}" for r in rates) + "; loop stall p99.9 " + ", ".join(f"{s:.2f}" for s in stalls)
            + " ms, max " + ", ".join(f"{s:.2f}" for s in worst) + f" ms; {out['locked_in']} locked in, "
            f"{out['stored']} stored, {out['callbacks']} callbacks timed"
        )

    def board_figures() -> None:
        out = child("boards", size["boards"], size["board_repeats"], pg_url, timeout=1800)
        figures.results["boards_ms_1m_one_server"] = statistics.median(out["samples"]) / 1e6
        figures.results["boards_p99_ms"] = percentile(out["samples"], 0.99) / 1e6
        figures.notes["boards"] = (
            f"{size['boards']:,} answers in one server (loaded in {out['load_s']:.0f}s); median "
            f"{statistics.median(out['samples']) / 1e6:.1f} ms, p99 {percentile(out['samples'], 0.99) / 1e6:.1f} ms; "
            f"board rows {out['rows']}, caller ranks {out['caller_ranks']}"
        )
        if "pg_samples" in out:
            figures.results["pg_boards_ms_1m_one_server"] = statistics.median(out["pg_samples"]) / 1e6
            figures.notes["pg_boards"] = f"PostgreSQL: identical boards to SQLite's: {out['pg_same']}"

    def startup_figures() -> None:
        # Like discord.py (byte-compiled when pip installed it) and like scripts/venv.sh does for the bot:
        # without this, a machine with PYTHONDONTWRITEBYTECODE set compiles the bot's source on every start.
        compileall.compile_dir(ROOT / "alliance_bot", quiet=1)
        with tempfile.TemporaryDirectory() as tmpdir:
            floor, ours = [], []
            for index in range(rounds):
                for repeat in range(size["startup"]):
                    database = str(Path(tmpdir) / f"startup-{index}-{repeat}.sqlite3")
                    pair = [("floor", floor), ("ours", ours)]
                    if (index + repeat) % 2:
                        pair.reverse()
                    for which, into in pair:
                        into.append(timed_to_ready(which, database))
        figures.results["startup_vs_floor"] = statistics.median(ours) / statistics.median(floor)
        figures.results["startup_s"] = statistics.median(ours)
        figures.results["startup_floor_s"] = statistics.median(floor)
        figures.notes["startup"] = (
            "fresh process to ready: ours " + ", ".join(f"{t:.2f}" for t in ours) + " s; floor "
            + ", ".join(f"{t:.2f}" for t in floor) + " s"
        )

    def rss_figures() -> None:
        with tempfile.TemporaryDirectory() as tmpdir:
            floor, ours = [], []
            for index in range(rounds):
                pair = [("floor", floor), ("ours", ours)]
                if index % 2:
                    pair.reverse()
                for which, into in pair:
                    into.append(child("rss", which, size["guilds"], str(Path(tmpdir) / f"rss-{index}.sqlite3")))
        figures.results["rss_vs_floor_10k_guilds"] = statistics.median(o["rss_mb"] for o in ours) / statistics.median(
            f["rss_mb"] for f in floor)
        figures.results["rss_mb_10k_guilds"] = statistics.median(o["rss_mb"] for o in ours)
        figures.results["rss_floor_mb_10k_guilds"] = statistics.median(f["rss_mb"] for f in floor)
        figures.notes["rss"] = (
            f"{ours[-1]['guilds']:,} guilds of 20 channels and 15 roles: ours "
            + ", ".join(f"{o['rss_mb']:.0f}" for o in ours) + " MB (before the guilds "
            + ", ".join(f"{o['before_mb']:.0f}" for o in ours) + "); floor "
            + ", ".join(f"{f['rss_mb']:.0f}" for f in floor) + " MB (before " + ", ".join(f"{f['before_mb']:.0f}" for f in floor) + ")"
        )

    def lost_figures() -> None:
        out = child("lost", size["kill_after"])
        figures.results["lost_answers"] = out["lost"]
        figures.notes["lost"] = (f"SIGKILL after {out['acknowledged']} acknowledged; {out['stored']} stored; integrity "
                                 f"{out['integrity']}; players' totals consistent: {out['players_consistent']}")

    def pg_figures() -> None:
        if pg_url is None:
            figures.notes["postgresql"] = f"PostgreSQL figures n/a: {pg_source}"
            return
        rates = [child("pg_durable", pg_url, size["durable"], 1000)["per_s"] for _ in range(rounds)]
        raw = figures.results.get("raw_answers_per_s")
        figures.results["pg_durable_answers_per_s"] = statistics.median(rates)
        figures.results["pg_durable_vs_raw"] = statistics.median(rates) / raw if raw else None
        out = child("lost", size["kill_after"], pg_url)
        figures.results["pg_lost_answers"] = out["lost"]
        figures.notes["postgresql"] = (
            f"PostgreSQL from {pg_source}: durable " + ", ".join(f"{r:,.0f}" for r in rates)
            + "/s (vs raw SQLite in the same run); SIGKILL after "
            f"{out['acknowledged']} acknowledged, {out['stored']} stored; totals consistent {out['players_consistent']}"
        )

    step("ask", ask_figures)
    step("click", click_figures)
    step("durable", durable_figures)
    step("burst", burst_figures)
    step("boards", board_figures)
    step("startup", startup_figures)
    step("rss", rss_figures)
    step("lost", lost_figures)
    step("postgresql", pg_figures)
    return figures


# --------------------------------------------------------------------------- output


def _fmt(value: Any) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, int):
        return f"{value:,}"
    if value >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def _verdict(key: str, op: str, bound: float | None, value: Any) -> str:
    if bound is None:
        return "(reported)"
    target = f"{op} {bound:g}"
    if value is None:
        return f"{target}  n/a"
    met = value <= bound if op == "<=" else value >= bound
    return f"{target}  {'MET' if met else 'NOT MET'}"


def print_table(figures: Figures, header: str) -> None:
    print(header)
    print(f"{'figure':<30}{'value':>12}   target")
    print("-" * 64)
    for key, op, bound in TARGETS:
        value = figures.results.get(key)
        print(f"{key:<30}{_fmt(value):>12}   {_verdict(key, op, bound, value)}")
    print("-" * 64)
    for name, note in figures.notes.items():
        print(f"{name}: {note}")


@contextmanager
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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run every benchmark and write bench/results.json.")
    parser.add_argument("--quick", action="store_true", help="fewer samples per round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of bot and floor, alternating (at least 3)")
    parser.add_argument("--only", help="comma-separated steps (ask, click, durable, burst, boards, startup, rss, "
                        "lost, postgresql): for working on one figure; results.json is not written")
    parser.add_argument("--postgres", metavar="URL", help="PostgreSQL server for the pg_ figures (default: "
                        "BOT_TEST_POSTGRES_URL, else a throwaway cluster)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("discord").setLevel(logging.ERROR)
    if args.child:
        from bench._children import CHILDREN

        name, params = args.child
        print(json.dumps(asyncio.run(CHILDREN[name](*json.loads(params)))), flush=True)
        return
    if args.rounds < 3:
        parser.error("--rounds must be at least 3: a bot and its floor alternate over at least three rounds")
    only = set(args.only.split(",")) if args.only else None
    started = time.perf_counter()
    with _postgres_server(args.postgres or os.environ.get("BOT_TEST_POSTGRES_URL")) as (pg_url, pg_source):
        if only is not None and "postgresql" not in only and "boards" not in only:
            pg_url = None
        figures = run_all(args.quick, args.rounds, pg_url, pg_source, only)
    import discord

    if only is None:
        RESULTS.write_text(json.dumps(figures.results | {"_notes": figures.notes}, indent=2, ensure_ascii=False) + "\n")
    header = (
        f"bench/run.py{' --quick' if args.quick else ''}: Python {sys.version.split()[0]}, "
        f"discord.py {discord.__version__}, {os.cpu_count()} CPUs, {args.rounds} rounds, "
        f"{time.perf_counter() - started:.0f}s"
    )
    print_table(figures, header)


if __name__ == "__main__":
    main()
