"""What a self-hoster installs: the dependency pins the code relies on (issue 26)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import discord

ROOT = Path(__file__).resolve().parents[1]


def test_discord_py_is_pinned_to_the_minor_version_whose_internals_the_bot_reads():
    # bot/client.py's lean button dispatch and expired-component detection read discord.py
    # internals (_view_store, _modals): an upgrade past the tested minor must be a deliberate one.
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    spec = next(d for d in project["project"]["dependencies"] if d.startswith("discord.py"))
    upper = re.search(r"<\s*(\d+)\.(\d+)", spec)
    assert upper, f"no upper bound below the next major in {spec!r}"
    major, minor = (int(part) for part in discord.__version__.split(".")[:2])
    assert (int(upper[1]), int(upper[2])) == (major, minor + 1), spec
