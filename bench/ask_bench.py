"""Answer 10,000 mixed questions through the domain layer; print the median and p99 time per question.

Run: .venv/bin/python bench/ask_bench.py [--count N] [--seed S]
"""

from __future__ import annotations

import argparse
import logging
import random
import statistics
import time

from alliance_bot.config import BUNDLED_DATA_DIR
from alliance_bot.domain.facts import load_fact_base
from alliance_bot.domain.questions import engine_for

log = logging.getLogger(__name__)

TEMPLATES = (
    "are {a} and {b} allies",
    "is {a} allied with {b}?",
    "were {a} and {b} allies in {year}?",
    "is {a} an ally of {b}",
    "{a} and {b} allies?",
)
FIXED = (
    "is u.s. allies with russia",
    "are the us and russia allies",
    "are us and russia allies",
    "could they become allies against china?",
    "does russia have any us allies",
    "why haven't they cut ties",
    "is trade dead",
    "were they ever allies",
    "how many russian entities are sanctioned",
    "tell us about russia",
    "what is the weather in paris",
    "are korea and japan allies",
    "are narnia and russia allies",
    "is Rusia allied with the Untied States",
    "are frnace and germny allies",
)
NAMES = (
    "the US", "america", "Russia", "France", "Germany", "Poland", "the UK", "Japan", "South Korea",
    "North Korea", "China", "Iran", "Türkiye", "Brazil", "Canada", "Australia", "New Zealand", "Armenia",
    "Saudi Arabia", "Pakistan", "Holland", "Czech Republic", "Ivory Coast", "Burma", "Mexico", "Sweden",
)


def questions(count: int, seed: int) -> list[str]:
    """A reproducible mix: one third fixed seed/FAQ/trap questions, two thirds templated pairs."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        if rng.random() < 1 / 3:
            out.append(rng.choice(FIXED))
        else:
            a, b = rng.sample(NAMES, 2)
            out.append(rng.choice(TEMPLATES).format(a=a, b=b, year=rng.randint(1950, 2025)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()

    facts = load_fact_base(BUNDLED_DATA_DIR)
    build_start = time.perf_counter()
    engine = engine_for(facts)
    build_ms = (time.perf_counter() - build_start) * 1000
    engine.ask("warm up", current_year=2026)

    timings = []
    kinds: dict[str, int] = {}
    for question in questions(args.count, args.seed):
        start = time.perf_counter()
        answer = engine.ask(question, current_year=2026)
        timings.append(time.perf_counter() - start)
        kinds[type(answer).__name__] = kinds.get(type(answer).__name__, 0) + 1
    timings.sort()
    median = statistics.median(timings) * 1000
    p99 = timings[int(len(timings) * 0.99) - 1] * 1000
    print(f"questions: {len(timings)}  answers: {dict(sorted(kinds.items()))}")
    print(f"engine build (once per fact-base view, includes the country resolver): {build_ms:.1f} ms")
    print(f"median: {median:.3f} ms per question")
    print(f"p99:    {p99:.3f} ms per question")
    print(f"max:    {timings[-1] * 1000:.3f} ms per question")


if __name__ == "__main__":
    main()
