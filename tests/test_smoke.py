from __future__ import annotations

from alliance_bot.config import BUNDLED_DATA_DIR
from alliance_bot.domain.facts import format_as_of, load_fact_base


async def test_about_says_what_the_bot_does_and_how_current_the_facts_are(world):
    newest = max(fact.as_of for fact in load_fact_base(BUNDLED_DATA_DIR))

    result = await world.member.slash(world.general, "about")

    assert result.ephemeral
    embed = result.response.embeds[0]
    assert "answer alliance questions straight" in embed.description
    fields = {field.name: field.value for field in embed.fields}
    assert f"as of {format_as_of(newest)}" in fields["How current"]
    assert f"</help:{world.env.bot.command_ids['help']}>" in fields["Commands"]  # a clickable mention
