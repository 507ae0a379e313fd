"""Write data/names/demonyms.tsv: what people call a country's people, from the countryinfo library.

    python scripts/import_names.py

countryinfo (MIT) ships one English demonym per country ("American", "Chinese"); this adds the
plural people type ("Americans"; "Chinese" and "French" stay as they are). A demonym the library
gives several places is kept for the one with by far the most people ("American": the United
States, not its outlying islands; "French": France, not its overseas territories) and dropped when
two are comparable ("Congolese"), since it then names neither. Deterministic: the same library version gives
the same file byte for byte (a test compares). The bot never imports countryinfo at run time.
"""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path

import pycountry

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "names" / "demonyms.tsv"
# Demonyms whose plural is the same word: -ese (Chinese), -sh/-ch (British, French, Dutch), -ss (Swiss).
SAME_PLURAL = ("ese", "sh", "ch", "ss")


def plural(demonym: str) -> str:
    return demonym if demonym.lower().endswith(SAME_PLURAL) else demonym + "s"


def main(argv: list[str] | None = None) -> int:
    out = Path(argv[0]) if argv else OUT
    rows: dict[str, dict[str, int]] = {}
    data = resources.files("countryinfo") / "data"
    for entry in sorted(data.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json"):
            continue
        info = json.loads(entry.read_text(encoding="utf-8"))
        iso = (info.get("ISO") or {}).get("alpha2")
        demonym = (info.get("demonym") or "").strip()
        if not iso or not demonym or pycountry.countries.get(alpha_2=iso) is None:
            continue
        people = int(info.get("population") or 0)
        for word in {demonym, plural(demonym)}:
            rows.setdefault(word.lower(), {})[iso] = people
    lines = ["# demonym\tiso (from countryinfo's demonyms and their plurals; see scripts/import_names.py)"]
    for word, codes in sorted(rows.items()):
        ranked = sorted(codes.items(), key=lambda item: (-item[1], item[0]))
        # One place, or one with ten times the people of the next: the word names that country.
        if len(ranked) == 1 or ranked[0][1] >= 10 * max(ranked[1][1], 1):
            lines.append(f"{word}\t{ranked[0][0]}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines) - 1} demonyms to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
