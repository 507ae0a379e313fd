"""Shared rendering: Discord's limits are enforced once, and sources read cleanly."""

from __future__ import annotations

from bot.domain.facts import Source
from bot.render import EMBED_TOTAL_LIMIT, clip, make_embed, source_text


def test_clip_ends_with_an_ellipsis_only_when_it_cuts():
    assert clip("short", 10) == "short"
    assert clip("x" * 20, 10) == "x" * 9 + "…"


def test_an_oversized_embed_is_cut_to_every_discord_limit():
    embed = make_embed(
        "t" * 400,
        "d" * 5000,
        fields=[(f"name {i} " + "n" * 300, "v" * 2000) for i in range(40)],
        footer="f" * 3000,
    )

    assert len(embed.title) == 256
    assert len(embed.description) == 4096
    assert len(embed.fields) <= 25
    assert all(len(f.name) <= 256 and len(f.value) <= 1024 for f in embed.fields)
    assert len(embed) <= EMBED_TOTAL_LIMIT


def test_the_same_source_is_named_once_with_everything_it_cites():
    article = "Article: Is the U.S. allies with Russia? (2024)"
    sources = [
        Source(name=article, cites="US Treasury Department"),
        Source(name=article, cites="Pentagon reports"),
        Source(name=article),
        Source(name="NATO [official]", url="https://www.nato.int/"),
    ]

    assert source_text(sources) == (
        f"{article} (citing US Treasury Department; Pentagon reports) · [NATO (official)](<https://www.nato.int/>)"
    )
