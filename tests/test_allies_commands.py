"""/allies, /alliance and the questions people ask next, driven through SimCord, pictures included."""

from __future__ import annotations

import discord
import pytest

from alliance_bot.config import BUNDLED_DATA_DIR
from alliance_bot.domain.alliances import _alias
from alliance_bot.domain.facts import load_fact_base
from alliance_bot.domain.questions import AllianceAnswer, AlliesAnswer, AskEngine, engine_for
from bench._children import miss_questions

YEAR = 2026
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _text(embed: discord.Embed) -> str:
    parts = [embed.title or "", embed.description or "", embed.footer.text or ""]
    parts += [f"{f.name}\n{f.value}" for f in embed.fields]
    return "\n".join(parts)


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


async def _picture(result) -> bytes:
    """The single PNG attached to the reply, checked to be referenced by the embed."""
    message = result.response.message
    (attachment,) = message.attachments
    embed = result.response.embeds[0]
    assert embed.image.url == f"attachment://{attachment.filename}" or attachment.filename in (embed.image.url or "")
    data = await attachment.read()
    width, height = _png_size(data)
    assert 600 <= width <= 1200 and 200 <= height <= 1200
    assert len(data) < 500_000
    return data


@pytest.fixture(scope="module")
def engine():
    return engine_for(load_fact_base(BUNDLED_DATA_DIR))


# ------------------------------------------------------------------ domain: question forms


@pytest.mark.parametrize(
    ("question", "place", "year"),
    [
        ("who are russia's allies", "RU", None),
        ("does japan have allies", "JP", None),
        ("who was germany allied with in 1914", "DE", 1914),
        ("how many allies does the us have", "US", None),
        ("which countries are allied with russia", "RU", None),
        ("who is russia allied with", "RU", None),
    ],
)
def test_country_allies_questions(engine, question, place, year):
    answer = engine.ask(question, current_year=YEAR)
    assert isinstance(answer, AlliesAnswer), answer
    assert answer.allies.place == place and answer.allies.year == year


def test_allies_during_an_era_counts_everyone_allied_at_some_time_in_it(engine):
    answer = engine.ask("who were germany's allies in ww2", current_year=YEAR)
    assert isinstance(answer, AlliesAnswer) and answer.allies.span == (1939, 1945)
    assert {"IT", "JP", "HU", "RO", "BG"} <= {p.place for p in answer.allies.allies}
    from alliance_bot.render import allies as render_allies

    title = render_allies.allies_embed(answer, engine.resolver).title
    assert title.startswith("Germany (Nazi Germany then): 5 allies during the Second World War (1939–1945)")


def test_germany_1914_allies_are_the_central_powers(engine):
    answer = engine.ask("who was germany allied with in 1914", current_year=YEAR)
    assert {p.place for p in answer.allies.allies} >= {"AT", "IT", "TR"}


def test_russia_today_is_bound_to_its_csto_partners(engine):
    answer = engine.ask("who are russia's allies", current_year=YEAR)
    csto = [p.place for p in answer.allies.allies if p.treaty_key == "fact:csto"]
    assert set(csto) == {"BY", "KZ", "KG", "TJ"}
    assert "KP" in {p.place for p in answer.allies.allies}


@pytest.mark.parametrize(
    ("question", "kind", "place"),
    [
        ("what countries are in nato", "members", None),
        ("is hungary in nato", "member_check", "HU"),
        ("when did finland join nato", "joined", "FI"),
        ("when did france leave nato", "left", "FR"),
        ("what is the csto", "what", None),
    ],
)
def test_alliance_questions(engine, question, kind, place):
    answer = engine.ask(question, current_year=YEAR)
    assert isinstance(answer, AllianceAnswer), answer
    assert answer.kind == kind and answer.place == place


def test_nato_in_1990_has_sixteen_members(engine):
    answer = engine.ask("what countries were in nato in 1990", current_year=YEAR)
    assert isinstance(answer, AllianceAnswer) and len(answer.summary.members) == 16


def test_a_mixed_question_answers_the_first_and_says_what_it_left_out(engine):
    answer = engine.ask("is turkey in nato and allied with russia?", current_year=YEAR)
    assert isinstance(answer, AllianceAnswer) and answer.place == "TR"
    assert answer.left_out.startswith("and allied with russia")


def test_every_alliance_name_is_reachable_through_autocomplete(engine):
    catalogue = engine.catalogue
    for key, (name, short) in catalogue.entries.items():
        offered = [k for _, k in catalogue.suggest(short, 25)]
        assert key in offered, f"{short} is not offered for its own short name"
        summary = catalogue.summary(key, None, YEAR)
        assert summary.name == name


def _find_by_scanning_every_name(catalogue, text: str) -> str | None:
    """The straightforward reading of catalogue.find: try every name, keep the longest (first listed on a tie)."""
    folded = f" {_alias(text)} "
    best: tuple[int, str] | None = None
    for alias, key in catalogue._aliases.items():
        if len(alias) >= 3 and f" {alias} " in folded and (best is None or len(alias) > best[0]):
            best = (len(alias), key)
    return best[1] if best else None


def test_finding_an_alliance_by_its_runs_of_words_agrees_with_trying_every_name(engine):
    catalogue = engine.catalogue
    texts = [*miss_questions(300), "what is nato", "is the us in the rio treaty?", "when did finland join nato"]
    for name, short in catalogue.entries.values():
        texts += [f"what is the {short}?", f"who was in the {name} in 1950", f"is {short} bigger than {name}"]
        texts.append(f"members of {name.split(' (')[0]} and nato")
    found = 0
    for text in texts:
        expected = _find_by_scanning_every_name(catalogue, text)
        assert catalogue.find(text) == expected, text
        found += expected is not None
    assert found >= len(catalogue.entries)  # the names themselves were found, not just agreed on as None


# ------------------------------------------------------------------ through Discord, with pictures


async def test_allies_command_lists_groups_counts_and_a_map(world):
    result = await world.member.slash(world.general, "allies", country="Russia")
    assert not result.ephemeral
    embed = result.response.embeds[0]
    assert embed.title.startswith("Russia: 6 allies today")
    text = _text(embed)
    assert "Armenia" in text  # by the 1997 bilateral treaty, whatever its CSTO freeze
    assert "**CSTO** (4): Belarus, Kazakhstan, Kyrgyzstan, Tajikistan" in text
    assert "North Korea" in text and "Weaker ties only" in text
    assert "Facts as of" in embed.footer.text
    await _picture(result)


async def test_allies_in_a_past_year(world):
    result = await world.member.slash(world.general, "allies", country="Germany", year=1914)
    embed = result.response.embeds[0]
    assert embed.title.startswith("Germany (German Empire then)")
    assert "Austria" in _text(embed) and "Ottoman" in _text(embed)
    await _picture(result)


async def test_alliance_command_members_in_a_year_with_map(world):
    result = await world.member.slash(world.general, "alliance", name="fact:nato", year=1990)
    embed = result.response.embeds[0]
    assert "Members in 1990 (16)" in _text(embed)
    assert "nato.int" in _text(embed)
    await _picture(result)


async def test_alliance_autocomplete_and_typed_names(world):
    choices = await world.member.autocomplete(world.general, "alliance", "name", "csto")
    assert choices and choices[0]["value"] == "fact:csto"
    typed = await world.member.slash(world.general, "alliance", name="CSTO")
    assert typed.response.embeds[0].title.startswith("CSTO")
    unknown = await world.member.slash(world.general, "alliance", name="Narnian League")
    assert unknown.ephemeral and "Narnian League" in unknown.response.content
    # The refusal went through the one error path (reading env.errors acknowledges it).
    assert [type(error.__cause__).__name__ for error in world.env.errors] == ["UserError"]


async def test_ask_is_hungary_in_nato(world):
    result = await world.member.slash(world.general, "ask", question="is hungary in nato")
    assert result.response.embeds[0].title == "Yes — Hungary is in NATO today (since 1999)"
    await _picture(result)


async def test_ask_when_did_finland_join_nato(world):
    result = await world.member.slash(world.general, "ask", question="when did finland join nato")
    assert result.response.embeds[0].title == "Finland joined NATO in 2023 (4 April 2023)"


async def test_pair_history_gets_a_strip(world):
    result = await world.member.slash(world.general, "ask", question="were the us and russia ever allies")
    embed = result.response.embeds[0]
    assert embed.title.startswith("Yes — the United States and Russia were allies from 1942 to 1945")
    await _picture(result)


async def test_a_past_pair_answer_gets_the_strip_too(world):
    result = await world.member.slash(world.general, "ally", country_a="France", country_b="Russia", year=1900)
    assert result.response.embeds[0].title.startswith("Yes — in 1900")
    await _picture(result)


async def test_a_repeated_past_pair_question_reuses_its_rendered_reply_and_strip(world, monkeypatch):
    from alliance_bot.cogs.ask import Ask

    records = []
    pair_record = Ask._pair_record

    def counted(*args):
        records.append(args)
        return pair_record(*args)

    monkeypatch.setattr(Ask, "_pair_record", staticmethod(counted))
    question = "were poland and the us allies in 1995?"
    first = await world.member.slash(world.general, "ask", question=question)
    again = await world.member.slash(world.general, "ask", question=question)

    assert again.response.embeds[0].to_dict() == first.response.embeds[0].to_dict()
    assert await _picture(again) == await _picture(first)
    assert len(records) == 1, "the pair's record was computed again for the same answer"


async def test_a_picture_that_fails_to_draw_never_loses_the_answer(world, monkeypatch):
    from alliance_bot.render import pictures

    def broken(*args, **kwargs):
        raise RuntimeError("renderer down")

    monkeypatch.setattr(pictures, "alliance_map_png", broken)
    monkeypatch.setattr(pictures, "drawn_map_png", lambda *args: None)  # as if not drawn yet
    result = await world.member.slash(world.general, "allies", country="Japan")
    embed = result.response.embeds[0]
    assert embed.title.startswith("Japan: 1 ally today")
    assert not result.response.message.attachments and not embed.image.url


async def test_a_past_pair_whose_strip_fails_to_draw_still_gets_its_answer(world, monkeypatch, caplog):
    from alliance_bot.render import pictures

    def broken(*args, **kwargs):
        raise RuntimeError("renderer down")

    monkeypatch.setattr(pictures, "history_strip_png", broken)
    monkeypatch.setattr(pictures, "drawn_strip_png", lambda *args: None)  # as if not drawn yet
    result = await world.member.slash(world.general, "ask", question="were poland and the us allies in 1995?")
    embed = result.response.embeds[0]
    assert embed.title.startswith("No — in 1995")
    assert not result.response.message.attachments and not embed.image.url
    assert [r.message for r in caplog.records if "could not draw" in r.message] == [
        "could not draw the picture 'history.png'; sending the answer without it"
    ]


@pytest.mark.parametrize(
    ("question", "heavy"),
    [
        ("who are russia's allies", True),
        ("were the us and russia ever allies", True),
        ("were france and germany allies in the 1980s", True),
        ("are the us and russia allies", False),
        ("were poland and the us allies in 1995", False),
        ("is hungary in nato", False),
    ],
)
def test_questions_that_grade_many_pairs_are_sent_off_the_event_loop(engine, question, heavy):
    engine = AskEngine(engine.facts)  # a fresh engine: nothing remembered yet
    assert engine.is_heavy(question, YEAR) is heavy
    engine.ask(question, current_year=YEAR)
    assert engine.is_heavy(question, YEAR) is False  # remembered now: answered at once


async def test_allies_and_alliance_refuse_a_future_year_privately(world):
    for command, options in (("allies", {"country": "France"}), ("alliance", {"name": "fact:nato"})):
        result = await world.member.slash(world.general, command, year=2999, **options)
        assert result.ephemeral
        assert result.response.embeds[0].title == "I can't answer for 2999"


def test_a_drawn_picture_is_found_without_drawing_it_again():
    from alliance_bot.render import pictures

    bands = (pictures.Band(1990, 1999, "none", "No alliance"), pictures.Band(2000, 2024, "defence", "NATO"))
    title, caption = "Test strip drawn once", "A caption no other test uses"
    assert pictures.drawn_strip_png(title, caption, bands) is None

    png = pictures.history_strip_png(title, caption, bands)

    assert pictures.drawn_strip_png(title, caption, bands) == png
    _png_size(png)
