"""/help, /about and /manage through SimCord: complete help, short about, moderator tools kept to moderators."""

from __future__ import annotations

import re
from pathlib import Path

import discord
from discord import app_commands

from alliance_bot.render import EMBED_TOTAL_LIMIT, FIELD_VALUE_LIMIT, NEEDS_MANAGE_GUILD
from alliance_bot.render.help import CATEGORIES, HELP
from tests.conftest import show_manage_to
from tests.test_facts_commands import RELATIONSHIP, refused


def leaves(bot) -> set[str]:
    return {c.qualified_name for c in bot.tree.walk_commands() if isinstance(c, app_commands.Command)}


def embed_text(embeds) -> str:
    return "\n".join(
        "\n".join([e.title or "", e.description or "", *(f"{f.name}\n{f.value}" for f in e.fields)]) for e in embeds
    )


async def test_help_lists_every_command_once_members_first_and_fits_discord(world):
    result = await world.member.slash(world.general, "help")

    embeds = result.response.embeds
    assert result.ephemeral and 1 <= len(embeds) <= 10
    for embed in embeds:
        assert len(embed) <= EMBED_TOTAL_LIMIT and len(embed.fields) <= 25
        assert all(len(field.value) <= FIELD_VALUE_LIMIT for field in embed.fields)
        assert all(not field.value.endswith("…") for field in embed.fields), "help was clipped"
    assert sum(len(e) for e in embeds) <= EMBED_TOTAL_LIMIT  # one message carries them all
    text = embed_text(embeds)
    commands = leaves(world.env.bot)
    assert set(HELP) == commands
    ids = world.env.bot.command_ids
    assert set(ids) == {c.name for c in world.env.bot.tree.get_commands(type=discord.AppCommandType.chat_input)}
    for name in commands:
        # A clickable mention (the ids are known from the sync), then its options as code.
        listed = re.findall(rf"^</{re.escape(name)}:{ids[name.split()[0]]}>[ :]", text, flags=re.MULTILINE)
        assert len(listed) == 1, f"/{name} is listed {len(listed)} times"
        # A command without options is its own example: the mention is the thing to click.
        assert f"`{HELP[name].example}`" in text or HELP[name].example == f"/{name}", f"/{name} has no example"
    # Members' commands come before every moderator tool.
    assert text.index("</quiz start:") < text.index("</manage facts")
    assert text.index("/timeline browse") < text.index("/manage timeline subscribe")


async def test_help_for_one_command_shows_its_options_and_an_example(world):
    result = await world.member.slash(world.general, "help", command="quiz start")
    embed = result.response.embeds[0]
    assert embed.title == "/quiz start"
    assert "`questions` (optional)" in embed.description and "Example: `/quiz start" in embed.description

    choices = await world.member.autocomplete(world.general, "help", "command", "time")
    assert {c["value"] for c in choices} >= {"timeline browse", "manage timeline status"}

    unknown = await world.member.slash(world.general, "help", command="quiz begin")
    refused(world, unknown, "no command called")


async def test_about_is_short_and_names_its_data(world):
    result = await world.member.slash(world.general, "about")
    embed = result.response.embeds[0]
    text = embed_text([embed])
    assert "…" not in text
    assert "as of" in text and "source" in text
    assert "/manage" not in text and len(embed) < 1500


async def test_about_gives_the_version_coverage_and_links_it_knows_and_never_guesses_others(world):
    from dataclasses import replace

    from alliance_bot import __version__

    bot = world.env.bot
    ids = bot.command_ids
    embed = (await world.member.slash(world.general, "about")).response.embeds[0]
    text = embed_text([embed])
    assert embed.footer.text == f"alliance-bot {__version__}"
    assert "789 ATOP 5.1 alliances" in text and "1815–2018" in text
    invite = re.search(r"\(<(https://discord\.com/oauth2/authorize\?[^>]+)>\)", text)
    assert invite, text
    assert f"client_id={bot.application_id}" in invite[1] and "permissions=274878024704" in invite[1]
    assert "applications.commands" in invite[1]
    assert f"</privacy about:{ids['privacy']}>" in text and f"</help:{ids['help']}>" in text
    assert "Source code" not in text and "Support" not in text  # not set: not shown, not invented

    bot.settings = replace(bot.settings, source_url="https://example.org/code", support_url="https://example.org/help")
    text = embed_text([(await world.member.slash(world.general, "about")).response.embeds[0]])
    assert "[Source code](<https://example.org/code>)" in text and "[Support](<https://example.org/help>)" in text


async def test_command_ids_survive_a_restart_without_a_sync_and_are_fetched_once_if_never_stored(world):
    bot = world.env.bot
    synced = dict(bot.command_ids)
    assert synced and all(isinstance(i, int) for i in synced.values())

    bot.command_ids = {}
    assert await bot.sync_commands() is False  # the tree is unchanged: nothing is sent
    assert bot.command_ids == synced  # read back from the database

    await bot.store.execute("DELETE FROM meta WHERE key = ?", ("command_ids:global",))
    bot.command_ids = {}
    assert await bot.sync_commands() is False
    assert bot.command_ids == synced  # fetched from Discord once, and stored again
    assert await bot.store.get_meta("command_ids:global") is not None


async def test_members_do_not_see_moderator_tools(world):
    member_sees = set(world.member.available_commands(world.general))
    moderator_sees = set(world.moderator.available_commands(world.general))

    assert not any(name.startswith("manage") for name in member_sees)
    assert {"facts show", "facts history", "timeline browse", "help", "about"} <= member_sees
    assert {"manage facts edit", "manage timeline subscribe"} <= moderator_sees


async def test_every_manage_command_refuses_a_member_even_where_the_server_shows_it(world):
    show_manage_to(world, world.member)
    for name in sorted(n for n in leaves(world.env.bot) if n.startswith("manage")):
        command = world.env.bot.tree.get_command("manage")
        assert command is not None
        options = {
            "fact_id": RELATIONSHIP, "kind": "faq", "version": 0, "channel": world.timeline,
            "file": ("changes.yaml", b"entries: []\n"), "question": "gen:tl-year:x",
        }
        leaf = next(c for c in world.env.bot.tree.walk_commands() if c.qualified_name == name)
        given = {p.name: options[p.name] for p in leaf.parameters if p.required}
        result = await world.member.slash(world.general, name, **given)
        assert result.modal is None, name
        refused(world, result, NEEDS_MANAGE_GUILD)


async def test_buttons_and_forms_recheck_manage_server(world):
    prompt = await world.moderator.slash(world.general, "manage facts remove", fact_id=RELATIONSHIP)
    form = await world.moderator.slash(world.general, "manage facts edit", fact_id=RELATIONSHIP)
    bad = await world.moderator.slash(world.general, "manage facts edit", fact_id=RELATIONSHIP)
    values = {c["custom_id"]: c.get("value", "") for row in bad.modal["components"] for c in row.get("components", [])}
    rejected = await world.moderator.submit_modal(bad, values | {"as_of": "someday"})
    refused(world, rejected, "Not saved")
    moderators = world.guild.roles["Moderators"]
    world.env.backend.remove_member_role(world.guild.id, world.moderator.id, moderators.id)
    await world.env.settle()

    clicked = await world.moderator.click(prompt.response.message, label="Hide it")
    refused(world, clicked, NEEDS_MANAGE_GUILD)
    values = {c["custom_id"]: c.get("value", "") for row in form.modal["components"] for c in row.get("components", [])}
    submitted = await world.moderator.submit_modal(form, values)
    refused(world, submitted, NEEDS_MANAGE_GUILD)
    again = await world.moderator.click(rejected.response.message, label="Edit again")
    assert again.modal is None
    refused(world, again, NEEDS_MANAGE_GUILD)
    assert RELATIONSHIP in await world.env.bot.services.facts.view(world.guild.id)
    assert await world.env.bot.store.fact_history(world.guild.id, RELATIONSHIP) == []


def test_the_readme_command_table_matches_help_in_order():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Commands", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `/([a-z -]+?)(?: [a-z_]+:| \[| ?`)", table, flags=re.MULTILINE)
    help_order = [name for category, _ in CATEGORIES for name, entry in HELP.items() if entry.category == category]
    assert rows == help_order
