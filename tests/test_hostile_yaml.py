"""Hostile YAML through /facts import and the edit form: refused with a reason, never a traceback."""

from __future__ import annotations

import discord
import pytest
import yaml

from alliance_bot.domain.errors import UserError
from tests.test_facts_commands import edit


def _replies(result) -> list:
    return [reply for reply in [result.response, *result.followups] if reply is not None]


def _assert_only_expected_errors(world) -> None:
    for error in world.env.errors:
        inner = getattr(error, "original", error)
        assert isinstance(inner, UserError | discord.app_commands.CheckFailure), repr(error)


# --------------------------------------------------------------------------- 1. nested YAML


@pytest.mark.parametrize("depth", [50, 200, 1000, 5000])
async def test_deeply_nested_import_is_refused_naming_the_file(world, depth):
    payload = ("entries: " + "[" * depth + "]" * depth + "\n").encode()
    assert len(payload) < 256 * 1024

    result = await world.moderator.slash(world.general, "manage facts import", file=("deep.yaml", payload))

    replies = _replies(result)
    assert replies and all(reply.ephemeral for reply in replies)
    text = "\n".join(reply.content for reply in replies)
    assert "Nothing was imported" in text and "`deep.yaml`" in text, text
    assert "Something went wrong" not in text
    _assert_only_expected_errors(world)
    assert await world.env.bot.store.latest_fact_versions(world.guild.id) == []


async def test_the_edit_form_reads_no_yaml_so_nested_brackets_are_only_text(world):
    # The form once had a YAML input, where deep nesting had to be refused; now every input is
    # plain text (issue 14), so brackets are just characters of a label.
    deep = "[" * 120 + "]" * 120
    result = await edit(world.moderator, world.general, "fig-sanctioned-entities", label=deep)

    assert "version 1" in result.response.embeds[0].description
    view = await world.env.bot.services.facts.view(world.guild.id)
    assert view.get("fig-sanctioned-entities").label == deep


def test_ordinary_nesting_is_within_the_bound():
    # The YAML the bot writes must stay well within the bounds it enforces on reading.
    from alliance_bot.domain.facts import load_yaml_text

    text = yaml.safe_dump({"entries": [{"id": "x", "nested": [[[[{"a": [1]}]]]]}]})
    _, problems = load_yaml_text(text, "ok.yaml")
    assert all("nested" not in problem.message for problem in problems)
