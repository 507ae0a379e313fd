"""/facts forms keep what they do not show as a field (every cited item) and show no empty fields."""

from __future__ import annotations

import discord

from alliance_bot.domain.errors import UserError
from alliance_bot.domain.overlay import apply_form, form_values
from tests.test_facts_commands import prefilled


def _replies(result) -> list:
    return [reply for reply in [result.response, *result.followups] if reply is not None]


def _assert_only_expected_errors(world) -> None:
    for error in world.env.errors:
        inner = getattr(error, "original", error)
        assert isinstance(inner, UserError | discord.app_commands.CheckFailure), repr(error)


# --------------------------------------------------------------------------- 3. cited items survive edits


# As the bundled figures cite them: one article, two items it cites.
ARTICLE = "Article: Is the U.S. allies with Russia? (2024)"
TWO_CITES = [
    {"name": ARTICLE, "cites": "US Treasury Department"},
    {"name": ARTICLE, "cites": "Pentagon reports"},
]


def test_form_round_trip_keeps_every_cited_item():
    from alliance_bot.domain.facts import parse_fact

    fact = parse_fact(
        {
            "id": "faq-two-cites",
            "kind": "faq",
            "question": "Who counts the sanctions?",
            "answer": "Several agencies.",
            "sources": TWO_CITES,
            "as_of": "2025",
        }
    )
    values = form_values(fact, "faq")
    assert "citing US Treasury Department" in values["source"] and "citing Pentagon reports" in values["source"]
    updated = apply_form("faq", fact.id, fact, values | {"answer": "Several US agencies."})
    assert [source.cites for source in updated.sources] == ["US Treasury Department", "Pentagon reports"]


async def test_editing_another_field_keeps_both_cited_items_of_one_source(world):
    from alliance_bot.domain.facts import parse_fact
    from alliance_bot.domain.overlay import NewVersion

    fact = parse_fact(
        {
            "id": "faq-two-cites",
            "kind": "faq",
            "question": "Who counts the sanctions?",
            "answer": "Several agencies.",
            "sources": TWO_CITES,
            "as_of": "2025",
        }
    )
    await world.env.bot.store.record_fact_versions(world.guild.id, world.moderator.id, [NewVersion(fact.id, "add", fact)])
    world.env.bot.services.facts.invalidate(world.guild.id)

    shown = await world.moderator.slash(world.general, "manage facts edit", fact_id=fact.id)
    assert "US Treasury Department" in prefilled(shown)["source"] and "Pentagon reports" in prefilled(shown)["source"]
    result = await world.moderator.submit_modal(shown, prefilled(shown) | {"answer": "Several US agencies."})
    assert "version 2" in result.response.embeds[0].description

    saved = (await world.env.bot.services.facts.view(world.guild.id)).get(fact.id)
    assert saved.answer == "Several US agencies."
    assert [source.cites for source in saved.sources] == ["US Treasury Department", "Pentagon reports"]
    show = await world.member.slash(world.general, "facts show", fact_id=fact.id)
    source_field = next(f.value for f in show.response.embeds[0].fields if f.name == "Source")
    assert "US Treasury Department" in source_field and "Pentagon reports" in source_field


# --------------------------------------------------------------------------- 7. no empty fields


async def test_entry_without_paraphrases_shows_no_empty_paraphrases_field(world):
    shown = await world.moderator.slash(world.general, "manage facts add", kind="faq")
    await world.moderator.submit_modal(
        shown,
        {
            "question": "Do the US and Russia still talk?",
            "answer": "Yes, through embassies that remain open.",
            "paraphrases": "",
            "source": "US State Department | https://www.state.gov/",
            "as_of": "2026-01",
        },
    )
    show = await world.member.slash(world.general, "facts show", fact_id="faq-do-the-us-and-russia-still-talk")
    fields = show.response.embeds[0].fields
    assert all(field.value.strip("\u200b ") for field in fields), [(f.name, f.value) for f in fields]
    assert "Paraphrases" not in [field.name for field in fields]


