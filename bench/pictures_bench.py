"""Time drawing the answer pictures: the alliance map and the pair history strip, cold and cached.

Usage: ``python bench/pictures_bench.py [--runs 7]``

"Cold" clears the picture cache before each run (the drawing itself: pygal, resvg, Pillow); the
first cold run also pays for importing pygal and resvg, which is reported on its own. "Cached" draws
the same picture again. Prints medians in milliseconds and the PNG sizes.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from alliance_bot.config import BUNDLED_DATA_DIR  # noqa: E402
from alliance_bot.domain.facts import load_fact_base  # noqa: E402
from alliance_bot.domain.questions import engine_for  # noqa: E402
from alliance_bot.render import allies as render_allies  # noqa: E402
from alliance_bot.render import pictures  # noqa: E402


def _draw(picture: render_allies.Picture) -> bytes:
    if picture.kind == "map":
        return pictures.alliance_map_png(picture.title, picture.caption, dict(picture.groups))
    return pictures.history_strip_png(picture.title, picture.caption, picture.bands)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    engine = engine_for(load_fact_base(BUNDLED_DATA_DIR))
    allies = engine.ask("who are russia's allies", current_year=2026)
    history = engine.ask("were the us and russia ever allies", current_year=2026)
    cases = {
        "alliance map (/allies Russia)": render_allies.allies_picture(allies, engine.resolver),
        "history strip (US and Russia)": render_allies.strip_picture(history, engine.resolver),
    }
    for label, picture in cases.items():
        assert picture is not None
        pictures._CACHE.clear()
        t0 = time.perf_counter()
        png = _draw(picture)
        first = (time.perf_counter() - t0) * 1000
        cold, warm = [], []
        for _ in range(args.runs):
            pictures._CACHE.clear()
            t0 = time.perf_counter()
            _draw(picture)
            cold.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            _draw(picture)
            warm.append((time.perf_counter() - t0) * 1000)
        print(
            f"{label}: first draw {first:.0f} ms (with imports), cold median {statistics.median(cold):.0f} ms, "
            f"cached median {statistics.median(warm) * 1000:.1f} µs, PNG {len(png) / 1000:.0f} KB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
