"""/facts driven through SimCord: per-server edits, history, revert, refusals, import/export, reload."""

from __future__ import annotations

import shutil
from pathlib import Path

import discord
import yaml

from alliance_bot import Settings, create_bot
from alliance_bot.config import BUNDLED_DATA_DIR
from alliance_bot.domain.errors import UserError
from alliance_bot.render import NEEDS_MANAGE_GUILD, OWNER_ONLY
from tests.conftest import build_world, show_manage_to

RELATIONSHIP = "us-ru-relationship"
BUNDLED_HEADLINE = "No — the United States and Russia are not allies; they are rivals."
NEW_HEADLINE = "No — as of 2026 the United States and Russia are still not allies."
SEED_QUESTION = "is the us allied with russia"


def prefilled(shown) -> dict[str, str]:
    """The values a modal opens with, keyed by input custom_id."""
    values = {}
    for row in shown.modal["components"]:
        for component in row.get("components", []):
            values[component["custom_id"]] = component.get("value", "")
    return values


async def edit(actor, channel, fact_id: str, **changes: str):
    """Open /facts edit as ``actor``, change some inputs, submit; returns the submit result."""
    shown = await actor.slash(channel, "manage facts edit", fact_id=fact_id)
    assert shown.modal is not None, shown
    return await actor.submit_modal(shown, prefilled(shown) | changes)


def refused(world, result, text: str) -> None:
    """The user got a short ephemeral refusal; the errors behind it were expected ones."""
    replies = [result.response, *result.followups] if result.response else result.followups
    assert any(text in reply.content for reply in replies), [r.content for r in replies]
    assert all(reply.ephemeral for reply in replies)
    errors = world.env.errors
    assert errors, "a refusal goes through the bot's error path"
    for error in errors:
        inner = getattr(error, "original", error)
        assert isinstance(inner, UserError | discord.app_commands.CheckFailure), repr(error)


async def ask_title(world, channel) -> str:
    result = await world.member.slash(channel, "ask", question=SEED_QUESTION)
    return result.response.embeds[0].title


def store(world):
    return world.env.bot.store


# --------------------------------------------------------------------------- edit, history, revert


async def test_moderator_edit_changes_ask_in_that_server_only(world):
    server_b = build_world(world.env, "Server B")

    result = await edit(world.moderator, world.general, RELATIONSHIP, headline=NEW_HEADLINE, as_of="2026-01")

    assert result.ephemeral
    diff = result.response.embeds[0]
    assert "version 1" in diff.description
    headline_change = next(field for field in diff.fields if field.name == "Headline")
    assert BUNDLED_HEADLINE in headline_change.value and NEW_HEADLINE in headline_change.value
    assert any(field.name == "As of" for field in diff.fields)
    assert await ask_title(world, world.general) == NEW_HEADLINE
    assert await ask_title(server_b, server_b.general) == BUNDLED_HEADLINE

    shown = await world.member.slash(world.general, "facts show", fact_id=RELATIONSHIP)
    embed = shown.response.embeds[0]
    status = next(field.value for field in embed.fields if field.name == "In this server")
    assert "This server's version 1" in status and "as of January 2026" in embed.footer.text
    shown_b = await server_b.member.slash(server_b.general, "facts show", fact_id=RELATIONSHIP)
    status_b = next(field.value for field in shown_b.response.embeds[0].fields if field.name == "In this server")
    assert "Bundled version" in status_b


async def test_history_lists_every_version_and_revert_restores_as_a_new_version(world):
    await edit(world.moderator, world.general, RELATIONSHIP, headline=NEW_HEADLINE)

    history = await world.moderator.slash(world.general, "facts history", fact_id=RELATIONSHIP)
    lines = history.response.embeds[0].description.splitlines()
    assert lines[0].startswith("**v0** · bundled")
    assert lines[1].startswith("**v1** · edited by") and "headline" in lines[1] and lines[1].endswith("← current")

    reverted = await world.moderator.slash(world.general, "manage facts revert", fact_id=RELATIONSHIP, version=0)
    assert "version 2" in reverted.response.embeds[0].description
    assert await ask_title(world, world.general) == BUNDLED_HEADLINE

    history = await world.moderator.slash(world.general, "facts history", fact_id=RELATIONSHIP)
    lines = history.response.embeds[0].description.splitlines()
    assert len(lines) == 3 and "back to v0" in lines[2] and lines[2].endswith("← current")

    # Reverting to v1 brings the edit back, again as a new version: nothing was lost.
    await world.moderator.slash(world.general, "manage facts revert", fact_id=RELATIONSHIP, version=1)
    assert await ask_title(world, world.general) == NEW_HEADLINE
    versions = await store(world).fact_history(world.guild.id, RELATIONSHIP)
    assert [(v.version, v.action) for v in versions] == [(1, "edit"), (2, "revert"), (3, "revert")]

    again = await world.moderator.slash(world.general, "manage facts revert", fact_id=RELATIONSHIP, version=3)
    refused(world, again, "already reads as version 3")


async def test_invalid_edit_is_refused_with_the_reason_and_saves_nothing(world):
    result = await edit(world.moderator, world.general, RELATIONSHIP, as_of="2024-13", source="  ")

    refused(world, result, "Not saved")
    # Each problem names the input by the label the moderator saw, not the schema's field name.
    assert "**As of" in result.response.content and "**Sources" in result.response.content
    assert "as_of" not in result.response.content
    assert await store(world).fact_history(world.guild.id, RELATIONSHIP) == []
    assert await ask_title(world, world.general) == BUNDLED_HEADLINE


# --------------------------------------------------------------------------- who may change facts


async def test_plain_member_cannot_edit_remove_revert_or_import_and_nothing_changes(world):
    export = yaml.safe_dump({"entries": [], "hidden": ["fig-trade-decline"]}).encode()
    attempts = [
        ("manage facts edit", {"fact_id": RELATIONSHIP}),
        ("manage facts remove", {"fact_id": RELATIONSHIP}),
        ("manage facts revert", {"fact_id": RELATIONSHIP, "version": 0}),
        ("manage facts import", {"file": ("changes.yaml", export)}),
        ("manage facts add", {"kind": "faq"}),
        ("manage facts export", {}),
        ("manage facts audit", {"channel": world.general}),
        ("manage facts reload", {}),
    ]
    assert not any(name.startswith("manage") for name in world.member.available_commands(world.general))
    show_manage_to(world, world.member)
    for command, options in attempts:
        result = await world.member.slash(world.general, command, **options)
        assert result.modal is None, command
        refused(world, result, NEEDS_MANAGE_GUILD)

    assert await store(world).latest_fact_versions(world.guild.id) == []
    view = await world.env.bot.services.facts.view(world.guild.id)
    assert list(view.facts.items()) == list(world.env.bot.facts.facts.items())


async def test_form_submitted_after_losing_manage_server_is_refused(world):
    shown = await world.moderator.slash(world.general, "manage facts edit", fact_id=RELATIONSHIP)
    moderators = world.guild.roles["Moderators"]
    world.env.backend.remove_member_role(world.guild.id, world.moderator.id, moderators.id)
    await world.env.settle()

    result = await world.moderator.submit_modal(shown, prefilled(shown) | {"headline": NEW_HEADLINE})

    refused(world, result, NEEDS_MANAGE_GUILD)
    assert await store(world).fact_history(world.guild.id, RELATIONSHIP) == []
    assert await ask_title(world, world.general) == BUNDLED_HEADLINE


async def test_remove_hides_only_after_confirm_and_only_for_a_current_moderator(world):
    prompt = await world.moderator.slash(world.general, "manage facts remove", fact_id="fig-trade-decline")
    assert prompt.ephemeral and "Hide" in prompt.response.content
    assert "fig-trade-decline" in await world.env.bot.services.facts.view(world.guild.id)

    await world.moderator.click(prompt.response.message, label="Hide it")

    assert "fig-trade-decline" not in await world.env.bot.services.facts.view(world.guild.id)
    shown = await world.member.slash(world.general, "facts show", fact_id="fig-trade-decline")
    refused(world, shown, "hidden in this server")
    choices = await world.moderator.autocomplete(world.general, "manage facts revert", "fact_id", "trade")
    assert any(choice["value"] == "fig-trade-decline" for choice in choices)

    cancel = await world.moderator.slash(world.general, "manage facts remove", fact_id=RELATIONSHIP)
    await world.moderator.click(cancel.response.message, label="Cancel")
    assert RELATIONSHIP in await world.env.bot.services.facts.view(world.guild.id)


async def test_add_faq_creates_a_sourced_entry_seen_by_show(world):
    shown = await world.moderator.slash(world.general, "manage facts add", kind="faq")
    assert {"question", "answer", "source", "as_of"} <= set(prefilled(shown))
    result = await world.moderator.submit_modal(
        shown,
        {
            "question": "Do the US and Russia still talk?",
            "answer": "Yes, through embassies that remain open.",
            "paraphrases": "",
            "source": "US State Department | https://www.state.gov/",
            "as_of": "2026-01",
        },
    )
    assert "Added" in result.response.embeds[0].title
    fact_id = "faq-do-the-us-and-russia-still-talk"
    view = await world.env.bot.services.facts.view(world.guild.id)
    assert view.get(fact_id).answer == "Yes, through embassies that remain open."

    show = await world.member.slash(world.general, "facts show", fact_id=fact_id)
    fields = {field.name: field.value for field in show.response.embeds[0].fields}
    assert "US State Department" in fields["Source"]
    assert "as of January 2026" in show.response.embeds[0].footer.text


# --------------------------------------------------------------------------- quiz, autocomplete


async def test_edited_figure_changes_the_quiz_question_generated_from_it(world):
    from alliance_bot.domain.quiz import generate_questions

    server_b = build_world(world.env, "Server B")
    await edit(world.moderator, world.general, "fig-sanctioned-entities", value="3,100")

    key = "gen:fig:fig-sanctioned-entities"
    in_a = generate_questions(await world.env.bot.services.facts.view(world.guild.id), "us-russia")[key]
    in_b = generate_questions(await world.env.bot.services.facts.view(server_b.guild.id), "us-russia")[key]
    assert in_a.right_choice == "3,100"
    assert in_b.right_choice == "1,706"


async def test_fact_id_autocomplete_searches_ids_and_text(world):
    by_id = await world.member.autocomplete(world.general, "facts show", "fact_id", "us-ru")
    assert by_id[0]["value"] == RELATIONSHIP
    by_text = await world.member.autocomplete(world.general, "facts show", "fact_id", "Crimea")
    assert "tl-2014-crimea" in [choice["value"] for choice in by_text]
    everything = await world.member.autocomplete(world.general, "facts show", "fact_id", "")
    assert len(everything) == 25
    assert all(len(choice["name"]) <= 100 for choice in everything)


# --------------------------------------------------------------------------- import / export


async def test_import_with_one_invalid_entry_changes_nothing_and_names_it(world):
    good = (await world.env.bot.services.facts.view(world.guild.id)).get(RELATIONSHIP)
    good_raw = good.model_dump(mode="json", exclude_none=True) | {"headline": NEW_HEADLINE}
    bad_raw = {"id": "faq-no-source", "kind": "faq", "question": "Q?", "answer": "A.", "as_of": "2025"}
    payload = yaml.safe_dump({"entries": [good_raw, bad_raw]}).encode()

    result = await world.moderator.slash(world.general, "manage facts import", file=("changes.yaml", payload))

    text = "\n".join(reply.content for reply in [result.response, *result.followups] if reply)
    assert "Nothing was imported" in text and "'faq-no-source'" in text and "sources" in text
    assert RELATIONSHIP not in text.split("problem(s).", 1)[1]
    assert await store(world).latest_fact_versions(world.guild.id) == []
    assert await ask_title(world, world.general) == BUNDLED_HEADLINE


async def test_oversized_import_is_refused_before_reading(world):
    payload = b"# " + b"x" * (256 * 1024) + b"\nentries: []\n"
    result = await world.moderator.slash(world.general, "manage facts import", file=("big.yaml", payload))
    refused(world, result, "at most 262,144 bytes")


async def test_export_then_import_into_a_fresh_server_reproduces_the_view(world):
    await edit(world.moderator, world.general, RELATIONSHIP, headline=NEW_HEADLINE)
    prompt = await world.moderator.slash(world.general, "manage facts remove", fact_id="fig-trade-decline")
    await world.moderator.click(prompt.response.message, label="Hide it")

    exported = await world.moderator.slash(world.general, "manage facts export")
    attachment = exported.response.attachments[0]
    assert attachment.filename.endswith(".yaml")
    data = await attachment.read()
    assert NEW_HEADLINE in data.decode()

    fresh = build_world(world.env, "Fresh Server")
    assert await ask_title(fresh, fresh.general) == BUNDLED_HEADLINE
    summary = await fresh.moderator.slash(fresh.general, "manage facts import", file=(attachment.filename, data))
    reply = summary.response
    assert "edit 1" in reply.embeds[0].description and "hide 1" in reply.embeds[0].description
    # Nothing changes before Confirm.
    assert await store(world).latest_fact_versions(fresh.guild.id) == []

    await fresh.moderator.click(reply.message, label="Confirm")

    view_a = await world.env.bot.services.facts.view(world.guild.id)
    view_fresh = await world.env.bot.services.facts.view(fresh.guild.id)
    assert list(view_fresh.facts.items()) == list(view_a.facts.items())
    assert await ask_title(fresh, fresh.general) == NEW_HEADLINE
    versions = await store(world).latest_fact_versions(fresh.guild.id)
    assert {v.action for v in versions} == {"import"}


async def test_import_cancel_changes_nothing(world):
    raw = (await world.env.bot.services.facts.view(world.guild.id)).get(RELATIONSHIP).model_dump(mode="json", exclude_none=True)
    payload = yaml.safe_dump({"entries": [raw | {"headline": NEW_HEADLINE}]}).encode()
    summary = await world.moderator.slash(world.general, "manage facts import", file=("one.yaml", payload))
    await world.moderator.click(summary.response.message, label="Cancel")
    assert await store(world).latest_fact_versions(world.guild.id) == []
    assert await ask_title(world, world.general) == BUNDLED_HEADLINE


# --------------------------------------------------------------------------- mentions, audit


async def test_moderator_text_never_pings_when_repeated(world):
    role = world.guild.roles["Moderators"]
    audit = world.guild.create_text_channel("fact-log")
    setup = await world.moderator.slash(world.general, "manage facts audit", channel=audit)
    assert "fact-log" in setup.response.content or str(audit.id) in setup.response.content
    pinging = f"@everyone {role.mention} {world.member.mention} not allies"

    await edit(world.moderator, world.general, RELATIONSHIP, headline=pinging)

    logged = audit.last_message
    assert "edited `us-ru-relationship`" in logged.content and pinging in logged.content
    answer = await world.member.slash(world.general, "ask", question=SEED_QUESTION)
    shown = await world.member.slash(world.general, "facts show", fact_id=RELATIONSHIP)
    for message in (logged, answer.response.message, shown.response.message):
        stored = world.env.backend.get_message(message.channel.id, message.id)
        assert not message.mention_everyone
        assert stored.ping_user_ids == [] and stored.ping_role_ids == []


# --------------------------------------------------------------------------- reload


async def test_reload_is_owner_only_and_keeps_serving_old_data_when_new_data_is_invalid(world, tmp_path: Path):
    data_dir = tmp_path / "data"
    shutil.copytree(BUNDLED_DATA_DIR, data_dir)
    settings = Settings(token=None, database=tmp_path / "reload.sqlite3", data_dir=data_dir)
    await world.env.restart_bot(create_bot(settings))
    world.env.bot.owner_ids = {world.member.id}

    denied = await world.moderator.slash(world.general, "manage facts reload")  # a moderator, not the owner
    refused(world, denied, OWNER_ONLY)
    world.env.bot.owner_ids = {world.moderator.id}

    broken = (data_dir / "us_russia.yaml").read_text(encoding="utf-8")
    broken = broken.replace('as_of: "2024"', 'as_of: "someday"', 1).replace("value: \"105\"", "value: \"\"", 1)
    (data_dir / "us_russia.yaml").write_text(broken, encoding="utf-8")
    result = await world.moderator.slash(world.general, "manage facts reload")
    report = result.response.embeds[0]
    assert "Reload refused: 2 problem(s)" in report.title
    assert "'us-ru-relationship'" in report.description and "'fig-diplomat-expulsions'" in report.description
    assert await ask_title(world, world.general) == BUNDLED_HEADLINE

    fixed = broken.replace('as_of: "someday"', 'as_of: "2024"', 1).replace("value: \"\"", "value: \"105\"", 1)
    (data_dir / "us_russia.yaml").write_text(fixed.replace(BUNDLED_HEADLINE, NEW_HEADLINE), encoding="utf-8")
    result = await world.moderator.slash(world.general, "manage facts reload")
    assert "reloaded" in result.response.embeds[0].title
    assert await ask_title(world, world.general) == NEW_HEADLINE


async def test_a_rejected_form_names_fields_in_words_and_edit_again_keeps_the_draft(world):
    shown = await world.moderator.slash(world.general, "manage facts edit", fact_id=RELATIONSHIP)
    draft = prefilled(shown) | {"headline": NEW_HEADLINE, "as_of": "2024-13"}
    rejected = await world.moderator.submit_modal(shown, draft)

    refused(world, rejected, "Not saved")  # through the one error path, as an expected refusal
    text = rejected.response.content
    assert "**As of" in text
    assert "as_of" not in text.replace("**As of", "") and "more" not in text.split()
    again = await world.moderator.click(rejected.response.message, label="Edit again")
    assert again.modal is not None
    assert prefilled(again) == draft  # everything typed, the mistake included

    fixed = await world.moderator.submit_modal(again, draft | {"as_of": "2026-01"})
    assert "version 1" in fixed.response.embeds[0].description
    assert await ask_title(world, world.general) == NEW_HEADLINE
