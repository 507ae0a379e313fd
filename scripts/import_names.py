"""Write data/names/: what people call countries and their people, derived from libraries.

    python scripts/import_names.py [DIR]

- demonyms.tsv, from the countryinfo library (see below);
- countries_i18n.tsv: each country's name in Spanish, French, German, Portuguese, Russian,
  Ukrainian and Chinese, from Babel's CLDR territory names (language, name, ISO code).

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
OUT = ROOT / "data" / "names"
LANGUAGES = ("es", "fr", "de", "pt", "ru", "uk", "zh")
# Demonyms whose plural is the same word: -ese (Chinese), -sh/-ch (British, French, Dutch), -ss (Swiss).
SAME_PLURAL = ("ese", "sh", "ch", "ss")


def plural(demonym: str) -> str:
    return demonym if demonym.lower().endswith(SAME_PLURAL) else demonym + "s"


def write_i18n(out: Path) -> int:
    """Country names in the seven languages, as CLDR (through Babel) gives them; a name two
    countries share in one language is left out."""
    from babel import Locale

    lines = ["# language\tname\tiso (CLDR territory names through Babel; see scripts/import_names.py)"]
    for language in LANGUAGES:
        names: dict[str, set[str]] = {}
        for code, name in Locale.parse(language).territories.items():
            if len(code) == 2 and code.isalpha() and pycountry.countries.get(alpha_2=code) is not None:
                names.setdefault(name.strip(), set()).add(code)
        for name, codes in sorted(names.items()):
            if len(codes) == 1:
                lines.append(f"{language}\t{name}\t{next(iter(codes))}")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines) - 1


def main(argv: list[str] | None = None) -> int:
    folder = Path(argv[0]) if argv else OUT
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / "demonyms.tsv"
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
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines) - 1} demonyms to {out}")
    print(f"wrote {write_i18n(folder / 'countries_i18n.tsv')} names in {len(LANGUAGES)} languages")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
