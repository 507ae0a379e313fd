"""Time the pair look-up (the alliance engine's ``grade``) over a mix of historical and current pairs.

Usage: ``python bench/pair_bench.py [--n 10000] [--seed 1]``

No cache sits in front of ``grade``: every call resolves both places to their states for the year,
reads the researched entries and the ATOP record, and picks the deciding treaty. The mix is half
historical pair-years (two states of the COW list in a random year from 1815 to 2018 in which both
were in the system) and half current pairs (two of today's countries, no year), all drawn with a
fixed seed. Prints the median and p99 in microseconds and the share of each kind of answer.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from alliance_bot.config import BUNDLED_DATA_DIR  # noqa: E402
from alliance_bot.domain.alliances import AllianceIndex  # noqa: E402
from alliance_bot.domain.facts import load_fact_base  # noqa: E402
from alliance_bot.domain.places import HISTORICAL_PLACES  # noqa: E402


def workload(index: AllianceIndex, n: int, seed: int) -> list[tuple[str, str, int | None]]:
    """Half historical pair-years, half current pairs, as (place, place, year or None)."""
    record = index.record
    assert record is not None, "the bundled data has no atop/ folder"
    rng = random.Random(seed)
    today = sorted({s.iso for s in record.states.values() if s.iso})
    places = today + [p.code for p in HISTORICAL_PLACES]
    pairs: list[tuple[str, str, int | None]] = []
    while len(pairs) < n // 2:
        a, b = rng.sample(places, 2)
        pairs.append((a, b, rng.randint(1815, 2018)))
    while len(pairs) < n:
        a, b = rng.sample(today, 2)
        pairs.append((a, b, None))
    rng.shuffle(pairs)
    return pairs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    facts = load_fact_base(BUNDLED_DATA_DIR)
    loaded = time.perf_counter() - started
    index = AllianceIndex(facts)
    pairs = workload(index, args.n, args.seed)
    for a, b, year in pairs[:500]:  # warm up
        index.grade(a, b, year=year, current_year=2026)
    times: list[float] = []
    outcomes: Counter[str] = Counter()
    for a, b, year in pairs:
        t0 = time.perf_counter()
        verdict = index.grade(a, b, year=year, current_year=2026)
        times.append((time.perf_counter() - t0) * 1e6)
        outcomes["no data" if verdict.missing else verdict.grade] += 1
    times.sort()
    p99 = times[int(len(times) * 0.99) - 1]
    print(f"data loaded (facts + ATOP record) in {loaded * 1000:.0f} ms")
    print(f"{len(times)} pair look-ups: median {statistics.median(times):.1f} µs, p99 {p99:.1f} µs, max {times[-1]:.0f} µs")
    print("answers: " + ", ".join(f"{kind} {count}" for kind, count in outcomes.most_common()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
