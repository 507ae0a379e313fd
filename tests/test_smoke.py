from __future__ import annotations

from bot.config import BUNDLED_DATA_DIR
from bot.domain.facts import format_as_of, load_fact_base


async def test_about_lists_commands_and_how_current_the_facts_are(world):
    newest = max(fact.as_of for fact in load_fact_base(BUNDLED_DATA_DIR))

    result = await world.member.slash(world.general, "about")

    assert result.ephemeral
    embed = result.response.embeds[0]
    assert "straight answers" in embed.title
    assert "`/about`" in embed.fields[0].value
    assert "`/ask`" in embed.fields[0].value
    assert embed.footer.text == f"Newest fact as of {format_as_of(newest)}"
