"""Embeds for the bot's own commands (/about)."""

from __future__ import annotations

import discord

from ..domain.facts import FactBase, format_as_of
from . import make_embed

ABOUT_TITLE = "Alliance bot: straight answers on who is allied with whom"
ABOUT_TEXT = (
    "Ask me things like **“is the U.S. allies with Russia?”** and I'll give you the answer first, "
    "then the evidence, then the nuance. Every fact I state comes with its source and an “as of” date; "
    "where my data runs out, I say so."
)


def about_embed(facts: FactBase, command_lines: list[str]) -> discord.Embed:
    newest = max((fact.as_of for fact in facts), default=None)
    counts = facts.counts()
    summary = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items())) or "no facts loaded"
    fields = [("Commands", "\n".join(command_lines) or "none"), ("What I know", summary)]
    footer = f"Newest fact as of {format_as_of(newest)}" if newest else None
    return make_embed(ABOUT_TITLE, ABOUT_TEXT, fields=fields, footer=footer)
