from __future__ import annotations


async def test_about_lists_commands_and_fact_dates(world):
    result = await world.member.slash(world.general, "about")

    assert result.ephemeral
    embed = result.response.embeds[0]
    assert "straight answers" in embed.title
    assert "/about" in embed.fields[0].value
    assert "as of 2024" in embed.footer.text
