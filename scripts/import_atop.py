"""Convert the published ATOP 5.1 and COW state-list CSVs into the bot's compact bundled files.

Usage: python scripts/import_atop.py PATH [--out data/atop]

PATH is the folder holding atop5_1a.csv, atop5_1m.csv and states2016.csv as published. The
output is deterministic (same input, same bytes), so anyone can regenerate and diff it:

- ``alliances.tsv``: one row per ATOP alliance: id, begin and end dates, in effect at the end of
  the data (2018), bilateral, wartime, asymmetric, and the alliance-level obligations.
- ``members.tsv``: one row per ATOP member row (member and phase): dates of entry and exit, the
  member's obligations (D defense, O offense, N neutrality, A non-aggression, C consultation),
  its separate-peace pledge, whether its obligations vary among partners, and the COW war it was
  fighting when it joined (0 for none).
- ``states.tsv``: the COW state list, one row per state with every period of membership and the
  ISO 3166 code of the country it is today (blank for a state that no longer exists).

Nothing is dropped: every alliance and member row of the source is written once.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import pycountry

# COW state codes whose name pycountry does not match, or which are today's country under an
# older name. Blank ISO: a state that no longer exists (shown under its own name).
ISO_OVERRIDES: dict[int, str] = {
    2: "US", 200: "GB", 255: "DE", 260: "", 265: "", 300: "", 305: "AT", 315: "", 316: "CZ",
    317: "SK", 325: "IT", 343: "MK", 345: "RS", 346: "BA", 365: "RU", 373: "AZ",
    437: "CI", 484: "CG", 490: "CD", 510: "TZ", 511: "", 552: "ZW", 572: "SZ", 630: "IR",
    640: "TR", 652: "SY", 678: "", 679: "YE", 680: "", 710: "CN", 713: "TW", 730: "", 731: "KP",
    732: "KR", 775: "MM", 812: "LA", 816: "VN", 817: "", 860: "TL", 946: "KI", 947: "TV",
    950: "FJ", 955: "TO", 983: "MH", 986: "PW", 987: "FM", 990: "WS", 403: "ST", 402: "CV",
    835: "BN", 240: "", 267: "", 332: "", 335: "", 347: "", 8152: "", 58: "AG", 60: "KN", 56: "LC", 57: "VC", 52: "TT", 359: "MD", 703: "KG", 705: "KZ",
}
# Codes that are no COW state but appear in ATOP (named as in the data's README).
EXTRA_STATES = {8152: ("ANM", "Annam")}


def _date(year: str, month: str, day: str) -> str:
    """YYYY-MM-DD from ATOP's year, month and day columns (unknown parts written as 00)."""
    if not year or int(year) == 0:
        return ""
    return f"{int(year):04d}-{int(month or 0):02d}-{int(day or 0):02d}"


def _flag(value: str) -> str:
    return "1" if value.strip() == "1" else "0"


def _obligations(row: dict[str, str]) -> str:
    letters = (("defense", "D"), ("offense", "O"), ("neutral", "N"), ("nonagg", "A"), ("consul", "C"))
    return "".join(letter for column, letter in letters if row[column].strip() == "1")


def _iso(code: int, name: str) -> str:
    if code in ISO_OVERRIDES:
        return ISO_OVERRIDES[code]
    try:
        return pycountry.countries.lookup(name).alpha_2
    except LookupError:
        return ""


def convert(source: Path, out: Path) -> dict[str, int]:
    """Write the three files into ``out``; return the row counts written."""
    out.mkdir(parents=True, exist_ok=True)
    with open(source / "atop5_1a.csv", newline="", encoding="utf-8") as handle:
        alliances = list(csv.DictReader(handle))
    with open(source / "atop5_1m.csv", newline="", encoding="utf-8") as handle:
        members = list(csv.DictReader(handle))
    with open(source / "states2016.csv", newline="", encoding="utf-8") as handle:
        states = list(csv.DictReader(handle))

    rows = [
        [
            a["atopid"],
            _date(a["begyr"], a["begmo"], a["begday"]),
            _date(a["endyr"], a["endmo"], a["endday"]),
            _flag(a["ineffect"]),
            _flag(a["bilat"]),
            _flag(a["wartime"]),
            _flag(a["asymm"]),
            _obligations(a),
        ]
        for a in sorted(alliances, key=lambda a: int(a["atopid"]))
    ]
    _write(out / "alliances.tsv", ["atopid", "begin", "end", "ineffect", "bilat", "wartime", "asymm", "obligations"], rows)

    rows = [
        [
            m["atopid"],
            m["member"],
            m["phase"] or "0",
            _date(m["yrent"], m["moent"], m["dayent"]),
            _date(m["yrexit"], m["moexit"], m["dayexit"]),
            _obligations(m),
            m["seppeace"].strip() or "",
            _flag(m["obvary"]),
            m["cowwar"].strip() or "0",
        ]
        for m in sorted(
            members,
            key=lambda m: (int(m["atopid"]), int(m["phase"] or 0), int(m["member"]), int(m["yrent"] or 0)),
        )
    ]
    _write(out / "members.tsv", ["atopid", "member", "phase", "entry", "exit", "obligations", "seppeace", "obvary", "cowwar"], rows)

    periods: dict[int, list[str]] = {}
    names: dict[int, tuple[str, str]] = {}
    for s in states:
        code = int(s["ccode"])
        names.setdefault(code, (s["stateabb"], s["statenme"]))
        periods.setdefault(code, []).append(f"{s['styear']}-{s['endyear']}")
    for code, (abbr, name) in EXTRA_STATES.items():
        names.setdefault(code, (abbr, name))
        periods.setdefault(code, [])
    rows = [
        [str(code), names[code][0], names[code][1], _iso(code, names[code][1]), ";".join(periods[code])]
        for code in sorted(names)
    ]
    _write(out / "states.tsv", ["ccode", "abbr", "name", "iso", "periods"], rows)
    return {"alliances": len(alliances), "members": len(members), "states": len(names)}


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="folder with atop5_1a.csv, atop5_1m.csv, states2016.csv")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "data" / "atop")
    args = parser.parse_args(argv)
    counts = convert(args.source, args.out)
    print(f"wrote {counts['alliances']} alliances, {counts['members']} member rows, {counts['states']} states to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
