"""Write the README's example pictures: docs/allies-map.png and docs/history-strip.png.

Usage: python scripts/readme_pictures.py

They are drawn by the same code and from the same bundled data as the bot's answers
("who are russia's allies" and "were the us and russia ever allies").
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from alliance_bot.config import BUNDLED_DATA_DIR  # noqa: E402
from alliance_bot.domain.facts import load_fact_base  # noqa: E402
from alliance_bot.domain.questions import engine_for  # noqa: E402
from alliance_bot.render import allies as render_allies  # noqa: E402
from alliance_bot.render import pictures  # noqa: E402


def main() -> int:
    engine = engine_for(load_fact_base(BUNDLED_DATA_DIR))
    allies = render_allies.allies_picture(engine.ask("who are russia's allies", current_year=2026), engine.resolver)
    strip = render_allies.strip_picture(engine.ask("were the us and russia ever allies", current_year=2026), engine.resolver)
    assert allies is not None and strip is not None
    docs = ROOT / "docs"
    (docs / "allies-map.png").write_bytes(pictures.alliance_map_png(allies.title, allies.caption, dict(allies.groups)))
    (docs / "history-strip.png").write_bytes(pictures.history_strip_png(strip.title, strip.caption, strip.bands))
    print(f"wrote {docs / 'allies-map.png'} and {docs / 'history-strip.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
