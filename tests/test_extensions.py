"""Every cog loads; the public command contract (names and options) is exactly what users rely on."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from discord import app_commands

from alliance_bot import create_bot
from alliance_bot.client import EXTENSIONS

# Public contract from the issues: command -> option names. Options may be added, never renamed.
CONTRACT = {
    "ask": {"question"},
    "ally": {"country_a", "country_b", "year"},
    "allies": {"country", "year"},
    "alliance": {"name", "year"},
    "quiz start": {"questions", "topic", "seconds"},
    "quiz leaderboard": {"period"},
    "quiz stats": {"member"},
    "quiz stop": set(),
    "timeline browse": {"year", "topic"},
    "facts show": {"fact_id"},
    "facts history": {"fact_id"},
    "help": {"command"},
    "about": set(),
    # Moderator tools: one top-level command Discord hides from members (issue 14).
    "manage facts edit": {"fact_id"},
    "manage facts add": {"kind"},
    "manage facts remove": {"fact_id"},
    "manage facts revert": {"fact_id", "version"},
    "manage facts export": set(),
    "manage facts import": {"file"},
    "manage facts audit": {"channel"},
    "manage facts reload": set(),
    "manage timeline subscribe": {"channel", "time"},
    "manage timeline unsubscribe": {"channel"},
    "manage timeline status": set(),
}
# Removed in issue 14: the moderator tools moved under /manage.
REMOVED = {
    "facts edit", "facts add", "facts remove", "facts revert", "facts export", "facts import",
    "facts audit", "facts reload", "timeline subscribe", "timeline unsubscribe", "timeline status",
}


def _leaves(bot) -> list[app_commands.Command]:
    leaves = []
    for command in bot.tree.walk_commands():
        if isinstance(command, app_commands.Command):
            leaves.append(command)
    return leaves


async def test_every_extension_loads_and_the_contract_holds(settings):
    bot = create_bot(replace(settings, auto_sync=False))
    async with bot:  # initialises the client without logging in
        await bot.setup_hook()  # loads data, opens the database, loads every cog (no Discord needed)
        assert set(bot.extensions) == set(EXTENSIONS)

        leaves = _leaves(bot)
        names = Counter(command.qualified_name for command in leaves)
        assert [name for name, n in names.items() if n > 1] == []
        by_name = {command.qualified_name: command for command in leaves}
        for name, options in CONTRACT.items():
            assert name in by_name, f"/{name} is missing"
            present = {parameter.name for parameter in by_name[name].parameters}
            assert options <= present, f"/{name} lost options {options - present}"

        for command in leaves:
            assert command.description and command.description != "…", command.qualified_name
            for parameter in command.parameters:
                assert parameter.description and parameter.description != "…", (
                    f"/{command.qualified_name} option {parameter.name} has no description"
                )
        assert REMOVED.isdisjoint(by_name), REMOVED & set(by_name)
        manage = bot.tree.get_command("manage")
        assert manage is not None and manage.default_permissions is not None
        assert manage.default_permissions.manage_guild and manage.guild_only
        facts_kind = by_name["manage facts add"].get_parameter("kind")
        assert {choice.value for choice in facts_kind.choices} == {"faq", "timeline", "figure", "quiz"}
