"""Cite the work itself, not its issuhub/docslib mirror copy, in data/atop/names.yaml (idempotent).

Issue 13: issuhub (an unauthorised copy of Gibler, International Military Alliances 1648-2008) and
docslib are mirrors, denied by tests/test_data_sources.py. This drops their links and says so in
the source's name. Usage: python scripts/unlink_mirror_sources.py data/atop/names.yaml
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import yaml

MIRRORS = ("issuhub", "docslib")
MIRROR_PHRASES = (
    " (hosted at issuhub.com)",
    " (issuhub.com copy)",
    ", as hosted on issuhub.com",
    " as displayed on issuhub.com",
    " (page copy on issuhub.com)",
    " (docslib copy)",
    " (docslib)",
    " reproduced on docslib.org",
)


def unlinked_name(name: str) -> str:
    for phrase in MIRROR_PHRASES:
        name = name.replace(phrase, "")
    if any(mirror in name for mirror in MIRRORS):
        name = re.sub(r"\s*\([^()]*(issuhub|docslib)[^()]*\)", "", name)
    kind = "book; " if "Gibler" in name else ""
    return f"{name} ({kind}the online copy was a mirror and is not linked)"


def main(path: Path) -> int:
    text = path.read_text(encoding="utf-8")
    fixes = {
        entry["atopid"]: unlinked_name(entry["source_name"])
        for entry in yaml.safe_load(text)["names"]
        if any(mirror in (entry.get("source_url") or "") for mirror in MIRRORS)
    }
    parts = []
    for part in re.split(r"(?m)^(?=- atopid: )", text):
        match = re.match(r"- atopid: (\d+)", part)
        if match and int(match.group(1)) in fixes:
            name = json.dumps(fixes[int(match.group(1))], ensure_ascii=False)
            part = re.sub(r"(?ms)^  source_name: .*?(?=^  [a-z_]+:|\Z)", f"  source_name: {name}\n", part, count=1)
            part = re.sub(r"(?m)^  source_url: \S*(issuhub|docslib)\S*\n", "", part, count=1)
        parts.append(part)
    path.write_text("".join(parts), encoding="utf-8")
    print(f"{len(fixes)} name(s) now cite the work without a mirror link")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "data/atop/names.yaml")))
