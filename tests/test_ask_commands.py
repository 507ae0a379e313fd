"""/ask and /ally driven through SimCord: what a member sees, clicks and is (never) pinged by."""

from __future__ import annotations

import discord
import pytest

from alliance_bot import create_bot
from alliance_bot.domain.facts import format_as_of
from alliance_bot.render import ask as render_ask

SECTION_LABELS = [s.label for s in render_ask.SECTIONS]


def _text(embed: discord.Embed) -> str:
    parts = [embed.title or "", embed.description or "", embed.footer.text or ""]
    parts += [f"{f.name}\n{f.value}" for f in embed.fields]
    return "\n".join(parts)


def _labels(components: list[dict]) -> list[str]:
    return [c["label"] for row in components for c in row["components"] if c.get("label")]


FIRST_SCREEN = 1800  # characters a member reads before scrolling: the embed and its button labels


def _screen_size(message) -> int:
    labels = sum(len(c.get("label") or "") for row in message.components for c in row["components"])
    return len(message.content or "") + sum(len(embed) for embed in message.embeds) + labels


@pytest.mark.parametrize(
    "question", ["is u.s. allies with russia", "are the us and russia allies", "are us and russia allies"]
)
async def test_seed_question_gets_verdict_first_with_figures_and_sources(world, question):
    result = await world.member.slash(world.general, "ask", question=question)

    assert not result.ephemeral
    embed = result.response.embeds[0]
    assert embed.title == "No — the United States and Russia are not allies; they are rivals."
    assert embed.description.startswith("Calling them rivals feels almost too gentle")  # the explainer's voice
    facts = await world.env.bot.services.facts.view(world.guild.id)
    figures = render_ask.flagship_figures(facts.of_kind("figure"))
    assert len(figures) == 3
    for figure in figures:
        field = next(f for f in embed.fields if f.name.startswith(figure.value))
        assert "](<https://" in field.value or "](<http://" in field.value  # its own source, linked
    assert _labels(result.response.components) == SECTION_LABELS
    assert _screen_size(result.response) <= FIRST_SCREEN


async def test_section_buttons_switch_the_answer_and_fit_discord_limits(world):
    result = await world.member.slash(world.general, "ask", question="is u.s. allies with russia")
    message = result.response.message
    seen = {}
    for label in SECTION_LABELS[1:] + SECTION_LABELS[:1]:
        await world.member.click(message, label=label)
        message = world.general.last_message
        embed = message.embeds[0]
        assert len(embed) <= 6000 and len(embed.fields) <= 25
        assert embed.footer.text.startswith("Facts as of")
        seen[label] = _text(embed)
    assert "NATO bombs Yugoslavia" in seen["Timeline"] and "Full-scale invasion of Ukraine" in seen["Timeline"]
    assert "SWIFT banking ban" in seen["Economy"] and "SPFS" in seen["Economy"]
    assert "ISS operations" in seen["Cooperation"]
    # years since WWII are computed from today's date (SimCord's clock starts in 2026), not copied
    assert "That ended 81 years ago" in seen["Why confused"]
    # attributions name real documents; what no source confirms is not shown
    assert "2022 US National Defense Strategy" in seen["Experts"] and "Lavrov" in seen["Experts"]
    assert "Harvard" not in seen["Experts"] and "memo" not in seen["Experts"]
    assert "Could the US and Russia become allies against China?" in seen["FAQ"]
    assert "Putin's exit" in seen["What to watch"]
    # dated news, not "this week": each item carries its own date, and what changed since 2024
    news = seen["In the news"]
    assert "ATACMS" in news and "as of 25 April 2024" in news
    assert "5 February 2026: New START expires" in news and "as of 12 February 2026" in news
    assert "This week" not in news
    assert seen["Verdict"].startswith("No — ")


async def test_only_the_asker_can_switch_sections(world):
    result = await world.member.slash(world.general, "ask", question="are the us and russia allies")
    click = await world.moderator.click(result.response.message, label="Timeline")
    assert click.ephemeral
    assert "Only the person who ran this command" in click.response.content
    assert world.general.last_message.embeds[0].title.startswith("No — ")


async def test_timeline_section_includes_every_timeline_fact_of_the_view(world):
    bot = world.env.bot
    facts = await bot.services.facts.view(world.guild.id)
    result = await world.member.slash(world.general, "ask", question="are us and russia allies")
    await world.member.click(result.response.message, label="Timeline")
    text = world.general.last_message.embeds[0].description
    shown = [e for e in facts.of_kind("timeline") if e.title in text]
    assert len(shown) == len(facts.of_kind("timeline")) or "more entr" in text


async def test_pair_answer_has_evidence_year_and_sources(world):
    result = await world.member.slash(world.general, "ask", question="are france and germany allies")

    embed = result.response.embeds[0]
    assert embed.title == "Yes — France and Germany are treaty allies."
    text = _text(embed)
    assert "NATO" in text and "Art. 5" in text and "signed 1949" in text
    assert "nato.int" in text
    # the footer shows the oldest "as of" among the treaties used (NATO, EU Art. 42(7), Aachen)
    facts = await world.env.bot.services.facts.view(world.guild.id)
    used = [facts.get(i).as_of for i in ("nato", "eu-art-42-7", "france-germany-aachen")]
    assert embed.footer.text == f"Facts as of {format_as_of(min(used))}"
    assert min(used) == "2022"


async def test_time_aware_question_poland_1995_and_2000(world):
    before = await world.member.slash(world.general, "ask", question="were Poland and the US allies in 1995?")
    after = await world.member.slash(world.general, "ask", question="were Poland and the US allies in 2000?")

    assert before.response.embeds[0].title.startswith("No — in 1995,")
    assert "Poland joined only in 1999" in _text(before.response.embeds[0])
    assert after.response.embeds[0].title == "Yes — in 2000, Poland and the United States were treaty allies."


async def test_ally_with_year_option(world):
    result = await world.member.slash(world.general, "ally", country_a="Poland", country_b="US", year=1995)
    assert result.response.embeds[0].title.startswith("No — in 1995, Poland and the United States")
    later = await world.member.slash(world.general, "ally", country_a="PL", country_b="US", year=2000)
    assert later.response.embeds[0].title.startswith("Yes — ")


async def test_ally_close_partners_and_exceptions(world):
    result = await world.member.slash(world.general, "ally", country_a="US", country_b="NZ")
    embed = result.response.embeds[0]
    # The present-day layer names what they are (issue 20): New Zealand's designated ally status.
    assert embed.title == (
        "No — not treaty allies, but New Zealand is a designated Major Non-NATO Ally of the United States "
        "(since 1996): close partners without a mutual-defence treaty."
    )
    assert "ANZUS: obligations between United States and New Zealand suspended since 1986" in _text(embed)

    # Yes through the 1997 bilateral treaty; the CSTO freeze is still shown as an exception.
    armenia = await world.member.slash(world.general, "ally", country_a="Armenia", country_b="Russia")
    assert armenia.response.embeds[0].title.startswith("Yes — ")
    assert "Russia–Armenia treaty (1997)" in _text(armenia.response.embeds[0])
    assert "froze" in _text(armenia.response.embeds[0])


async def test_five_eyes_unknown_year_is_said(world):
    result = await world.member.slash(world.general, "ally", country_a="Canada", country_b="Australia")
    embed = result.response.embeds[0]
    assert embed.title.startswith("No — Canada and Australia are close partners")
    assert "year joined unknown in our data" in _text(embed)


async def test_ally_us_russia_gets_the_sectioned_answer(world):
    result = await world.member.slash(world.general, "ally", country_a="US", country_b="RU")
    assert result.response.embeds[0].title.startswith("No — the United States and Russia")
    assert _labels(result.response.components) == SECTION_LABELS


async def test_autocomplete_is_capped_best_first(world):
    choices = await world.member.autocomplete(world.general, "ally", "country_a", "germ")
    assert choices[0] == {"name": "Germany", "value": "DE"}
    many = await world.member.autocomplete(world.general, "ally", "country_b", "a")
    assert 1 <= len(many) <= 25
    empty = await world.member.autocomplete(world.general, "ally", "country_a", "")
    assert len(empty) == 25


async def test_ally_revalidates_values_not_from_autocomplete(world):
    unknown = await world.member.slash(world.general, "ally", country_a="Narnia", country_b="Russia")
    assert unknown.ephemeral
    title = unknown.response.embeds[0].title
    assert "Narnia" in title and not title.startswith(("Yes", "No"))

    same = await world.member.slash(world.general, "ally", country_a="Russia", country_b="RU")
    assert same.response.embeds[0].title == "That's the same country twice"

    future = await world.member.slash(world.general, "ally", country_a="PL", country_b="US", year=2040)
    assert future.response.embeds[0].title == "I can't answer for 2040"


async def test_ambiguous_name_offers_buttons_that_reask(world):
    result = await world.member.slash(world.general, "ask", question="are korea and japan allies")

    assert result.ephemeral
    embed = result.response.embeds[0]
    assert not embed.title.startswith(("Yes", "No"))
    assert "South Korea" in embed.description and "North Korea" in embed.description
    assert _labels(result.response.components) == ["South Korea & Japan", "North Korea & Japan"]

    click = await world.member.click(result.response.message, label="South Korea & Japan")
    # The TAC, checked for 2019 on, is shown as the multilateral framework it is (issue 20).
    assert click.response.embeds[0].title.startswith("No — South Korea and Japan are not allies: both are parties to the Treaty of Amity")


async def test_no_confident_match_offers_three_closest_questions(world):
    result = await world.member.slash(world.general, "ask", question="what is the weather in paris")

    embed = result.response.embeds[0]
    assert embed.title == "I couldn't match that question confidently"
    labels = _labels(result.response.components)
    assert len(labels) == 3
    click = await world.member.click(result.response.message, label=labels[0])
    answer = click.response.embeds[0]
    assert answer.title == labels[0]
    assert answer.footer.text.startswith("Facts as of")


async def test_faq_paraphrase_is_answered_with_source(world):
    result = await world.member.slash(world.general, "ask", question="is trade between them dead now?")
    embed = result.response.embeds[0]
    assert embed.title == "Is US–Russia trade completely dead?"
    assert "down almost 90%" in embed.description
    assert "as of 2023" in embed.footer.text

    ever = await world.member.slash(world.general, "ask", question="were they ever allies")
    assert "That ended 81 years ago" in ever.response.embeds[0].description



async def test_an_answer_cites_its_sources_as_a_moderator_left_them(world):
    question = "is trade between them dead now?"
    before = await world.member.slash(world.general, "ask", question=question)
    assert "ca.style.yahoo.com" in {f.name: f.value for f in before.response.embeds[0].fields}["Sources"]

    shown = await world.moderator.slash(world.general, "manage facts edit", fact_id="faq-trade-dead")
    values = {c["custom_id"]: c.get("value", "") for row in shown.modal["components"] for c in row.get("components", [])}
    source = "US Census Bureau: trade in goods with Russia | https://www.census.gov/foreign-trade/balance/c4621.html"
    await world.moderator.submit_modal(shown, values | {"source": source})

    after = await world.member.slash(world.general, "ask", question=question)
    assert {f.name: f.value for f in after.response.embeds[0].fields}["Sources"] == (
        "[census.gov — US Census Bureau: trade in goods with Russia](<https://www.census.gov/foreign-trade/balance/c4621.html>)"
    )

@pytest.mark.parametrize(
    "question",
    [
        "@everyone are the us and russia allies",
        "are <@123> and russia allies",
        "is @here allied with <@&456>?",
        "@everyone <@123> hello",
    ],
)
async def test_no_answer_ever_pings_anyone(world, question):
    result = await world.member.slash(world.general, "ask", question=question)
    message = result.response.message
    assert not message.mention_everyone
    assert message.mentions == [] and message.role_mentions == []
    text = message.content + "".join(_text(e) for e in message.embeds)
    assert "@everyone" not in text and "<@123>" not in text and "@here" not in text and "<@&456>" not in text


async def test_a_blank_question_gets_a_short_ephemeral_error(world):
    result = await world.member.slash(world.general, "ask", question="   ")

    assert result.ephemeral
    assert "Your question is empty" in result.response.content
    # The refusal went through the one error path (reading env.errors acknowledges it).
    assert [type(error.__cause__).__name__ for error in world.env.errors] == ["UserError"]


async def test_ally_historical_pair_shows_treaty_years_obligations_and_source(world):
    result = await world.member.slash(
        world.general, "ally", country_a="France", country_b="United Kingdom", year=1914
    )
    assert not result.ephemeral
    embed = result.response.embeds[0]
    assert embed.title.startswith("Yes — in 1914 (from 5 September 1914), France and the United Kingdom")
    text = _text(embed)
    assert "ATOP 2015" in text and "1914–1918" in text
    assert "not to make a separate peace" in text
    assert "ATOP 5.1" in text and "atopdata.org" in text
    assert len(embed) <= 6000


async def test_ally_typo_gets_did_you_mean_not_a_verdict(world):
    result = await world.member.slash(world.general, "ally", country_a="Prusia", country_b="Austria", year=1866)
    assert result.ephemeral
    embed = result.response.embeds[0]
    assert not embed.title.startswith(("Yes —", "No —"))
    assert "Prussia & Austria" in _labels(result.response.components)


async def test_ally_year_before_the_record_gets_no_verdict(world):
    result = await world.member.slash(world.general, "ally", country_a="US", country_b="Russia", year=1000)
    embed = result.response.embeds[0]
    assert embed.title == "No data for 1000"
    assert "starts in 1815" in embed.description


async def test_ask_during_ww2_lists_the_periods(world):
    result = await world.member.slash(world.general, "ask", question="were the us and the soviet union allies during ww2")
    assert not result.ephemeral
    embed = result.response.embeds[0]
    assert embed.title.startswith("Yes — the United States and the Soviet Union were allies from 1942 to 1945")
    text = _text(embed)
    assert "**1939–1941** · No alliance" in text and "ATOP 2550" in text
    assert "Facts as of" in embed.footer.text


# --------------------------------------------------------------------------- section buttons


@pytest.mark.parametrize("current", render_ask.SECTION_KEYS)
def test_section_payload_is_what_a_view_of_section_buttons_sends(current):
    view = discord.ui.View(timeout=None)
    for section in render_ask.SECTIONS:
        view.add_item(render_ask.SectionButton(section.key, 2**64 - 1, "US", "RU", current=current))

    payload = render_ask.section_components(2**64 - 1, "US", "RU", current=current)

    assert payload == view.to_components()
    # As the per-reply View drew them: two rows of five, the shown section chosen and disabled.
    assert [len(row["components"]) for row in payload] == [5, 5]
    buttons = [button for row in payload for button in row["components"]]
    assert [b["label"] for b in buttons] == SECTION_LABELS
    assert [(b["style"], b["disabled"]) for b in buttons] == [
        (1, True) if key == current else (2, False) for key in render_ask.SECTION_KEYS
    ]
    assert all(len(b["custom_id"]) <= 100 for b in buttons)


async def test_a_section_button_is_answered_without_a_view_kept_for_the_reply(world):
    bot = world.env.bot
    result = await world.member.slash(world.general, "ask", question="are the us and russia allies")
    timeline = result.response.components[0]["components"][1]

    assert timeline["custom_id"] == f"ask:section:timeline:{world.member.id}:US:RU"
    assert result.response.message.id not in bot._connection._view_store._views  # nothing kept per reply
    await world.member.click(result.response.message, label="Timeline")
    shown = world.general.last_message
    assert shown.embeds[0].title == "The roots of the rivalry: timeline"
    assert [b.disabled for b in shown.components[0].children] == [False, True, False, False, False]


async def test_a_section_click_shows_the_facts_as_a_moderator_left_them(world):
    result = await world.member.slash(world.general, "ask", question="are the us and russia allies")
    await world.member.click(result.response.message, label="Military")
    assert world.general.last_message.embeds[0].title == "Military tensions"

    headline = "No — as of 2026 the United States and Russia are still not allies."
    shown = await world.moderator.slash(world.general, "manage facts edit", fact_id="us-ru-relationship")
    values = {c["custom_id"]: c.get("value", "") for row in shown.modal["components"] for c in row.get("components", [])}
    await world.moderator.submit_modal(shown, values | {"headline": headline, "as_of": "2026-01"})

    await world.member.click(result.response.message, label="Verdict")
    assert world.env.backend.get_message(world.general.id, result.response.message.id).embeds[0]["title"] == headline


# --------------------------------------------------------------------------- suggestion buttons

CHOICES = [
    render_ask.Choice("South Korea & Japan", codes=("KR", "JP")),
    render_ask.Choice("Prussia & Austria", codes=("PRU", "AT"), year=1866),
    *(render_ask.Choice(f"Question {i}", faq_id="f" + "x" * 62 + str(i)) for i in range(8)),
]


def test_suggestion_payload_is_what_a_view_of_suggestion_buttons_sends():
    view = discord.ui.View(timeout=None)
    for index, choice in enumerate(CHOICES):
        view.add_item(render_ask.SuggestionButton(index, 2**64 - 1, choice))

    payload = render_ask.suggestion_components(2**64 - 1, render_ask.suggestion_rows(CHOICES))

    assert payload == view.to_components()
    assert [len(row["components"]) for row in payload] == [5, 5]
    buttons = [button for row in payload for button in row["components"]]
    assert [b["label"] for b in buttons] == [c.label for c in CHOICES]
    assert all(b["style"] == 2 and not b["disabled"] for b in buttons)
    assert all(len(b["custom_id"]) <= 100 for b in buttons)  # the longest fact id (64) and user id fit


@pytest.mark.parametrize("index", range(len(CHOICES)))
async def test_a_suggestion_custom_id_gives_back_its_choice(index):
    button = render_ask.SuggestionButton(index, 42, CHOICES[index])
    match = render_ask.SuggestionButton.__discord_ui_compiled_template__.fullmatch(button.custom_id)
    assert match is not None

    again = await render_ask.SuggestionButton.from_custom_id(None, None, match)  # type: ignore[arg-type]

    original = CHOICES[index]
    assert (again.owner_id, again.choice.codes, again.choice.year, again.choice.faq_id) == (
        42, original.codes, original.year, original.faq_id
    )


async def test_a_suggestion_still_reasks_after_a_restart(world, settings):
    result = await world.member.slash(world.general, "ask", question="are korea and japan allies")

    await world.env.restart_bot(create_bot(settings))
    click = await world.member.click(result.response.message, label="North Korea & Japan")

    assert click.response.embeds[0].title.startswith("No — ")
    assert "North Korea and Japan" in click.response.embeds[0].title


@pytest.mark.parametrize(
    "question", ["are germany and france allies", "is the us allies with russia", "are korea and japan allies", "is trade dead"]
)
async def test_every_ask_reply_is_sent_with_mentions_off(world, question):
    result = await world.member.slash(world.general, "ask", question=question)
    message = result.response.message
    if not result.ephemeral and result.response.components:  # the US–Russia answer: a section click too
        await world.member.click(message, label="Timeline")

    policy = world.env.backend.get_message(world.general.id, message.id).allowed_mentions

    assert (policy.everyone, policy.users, policy.roles) == (False, frozenset(), frozenset())


# --------------------------------------------------------------------------- the fact-check menu (issue 26)

FACT_CHECK = "Check alliances in this message"  # the name issue 26 gives


async def test_a_claim_in_chat_is_fact_checked_from_the_message_menu(world):
    claim = await world.moderator.send(world.general, "the US and Russia are allies now")
    result = await world.member.context_menu(world.general, FACT_CHECK, claim)
    assert result.ephemeral  # to the member who asked, not a public call-out
    embed = result.response.embeds[0]
    assert embed.title == "No — the United States and Russia are not allies; they are rivals."
    assert embed.footer.text.startswith("Facts as of")
    assert "Checked: “the US and Russia are allies now”" in (result.response.content or "")
    labels = [c["label"] for row in result.response.components for c in row["components"]]
    assert "Post publicly" in labels and "Timeline" in labels  # the sections, and the way to share it


async def test_the_menu_answers_each_pair_and_alliance_in_a_message_briefly_up_to_three(world):
    text = (
        "Japan and China are allies, right? Also Germany and France are allied.\n"
        "And is Finland in NATO? Japan and China are allies!! Brazil and Argentina too."
    )
    claim = await world.moderator.send(world.general, text)
    result = await world.member.context_menu(world.general, FACT_CHECK, claim)
    assert result.ephemeral
    embeds = result.response.embeds
    assert len(embeds) == 3  # the first three distinct claims; the repeated Japan–China one counted once
    authors = [e.author.name for e in embeds]
    assert authors == ["“Japan and China are allies, right?”", "“Germany and France are allied.”", "“is Finland in NATO?”"]
    assert embeds[0].title.startswith("No") and "Japan" in embeds[0].title and "China" in embeds[0].title
    assert embeds[1].title.startswith("Yes") and "France" in embeds[1].title
    assert "NATO" in (embeds[2].title or "")
    assert sum(len(e) for e in embeds) <= 6000 and all(len(e.description or "") <= 600 for e in embeds)
    assert all(any(f.name == "Sources" for f in e.fields) or e.footer.text for e in embeds)
    assert result.response.content == "Checked 3 claims in that message:"


async def test_post_publicly_shares_the_private_answer_in_the_channel_without_mentions(world):
    claim = await world.moderator.send(world.general, "Germany and France are allies. So are Japan and China.")
    private = await world.member.context_menu(world.general, FACT_CHECK, claim)
    clicked = await world.member.click(private.response.message, label="Post publicly")
    posted = clicked.followups[-1]
    assert not posted.ephemeral
    assert [e.title for e in posted.embeds] == [e.title for e in private.response.embeds]
    assert world.member.name in posted.content and "shared by" in posted.content
    policy = world.env.backend.get_message(world.general.id, posted.message.id).allowed_mentions
    assert (policy.everyone, policy.users, policy.roles) == (False, frozenset(), frozenset())
    # The private copy has lost its button: it cannot be posted twice.
    edited = clicked.response
    assert not any(row["components"] for row in (edited.components or []))


async def test_a_message_without_text_cannot_be_fact_checked_and_says_why(world):
    picture_only = await world.moderator.send(world.general, "", attachments=[("map.png", b"\x89PNG")])
    result = await world.member.context_menu(world.general, FACT_CHECK, picture_only)
    assert result.ephemeral and "no text" in result.response.content.lower(), result.response.content
    assert [type(e.__cause__ or e).__name__ for e in world.env.errors] == ["UserError"]  # the one error path
