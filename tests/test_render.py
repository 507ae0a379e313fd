"""Shared rendering: Discord's limits are enforced once, and sources read cleanly."""

from __future__ import annotations

from alliance_bot.domain.facts import Source
from alliance_bot.render import EMBED_TOTAL_LIMIT, _source_text, clip, make_embed, source_text


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
    article = "The original explainer (2024)"
    sources = [
        Source(name=article, cites="US Treasury Department"),
        Source(name=article, cites="Pentagon reports"),
        Source(name=article),
        Source(name="NATO [official]", url="https://www.nato.int/"),
    ]

    assert source_text(sources) == (
        f"{article} (citing US Treasury Department; Pentagon reports) · [nato.int — NATO (official)](<https://www.nato.int/>)"
    )


def test_a_long_source_list_ends_on_a_complete_link_and_counts_the_rest():
    sources = [Source(name=f"Source number {i} with a long title", url=f"https://example{i}.org/page/{i}") for i in range(30)]
    for limit in (1024, 300, 120):
        text = source_text(sources, limit)
        assert len(text) <= limit
        assert text.endswith("more sources")
        shown = text.rsplit(" · … and ", 1)[0]
        assert shown.endswith(">)") and shown.count("[") == shown.count("](<")
        assert int(text.rsplit("and ", 1)[1].split()[0]) + shown.count("](<") == 30


def test_a_source_shows_its_site_unless_its_name_says_it():
    assert source_text([Source(name="Member countries", url="https://www.nato.int/x")]) == (
        "[nato.int — Member countries](<https://www.nato.int/x>)"
    )
    assert source_text([Source(name="NATO: members (nato.int)", url="https://www.nato.int/x")]) == (
        "[NATO: members (nato.int)](<https://www.nato.int/x>)"
    )


def test_a_shared_embed_sends_the_same_payload_and_its_copy_can_change():
    from alliance_bot.render import SharedEmbed

    original = make_embed("Title", "Text", fields=[("Sources", "[nato.int](<https://www.nato.int>)")], footer="Facts as of 2024")
    shared = SharedEmbed.of(original)

    assert shared.to_dict() == original.to_dict()
    assert shared == original and len(shared) == len(original)
    changed = shared.copy()
    changed.set_image(url="attachment://strip.png")
    assert type(changed) is not SharedEmbed
    assert "image" in changed.to_dict() and "image" not in shared.to_dict()
    assert shared.to_dict() == original.to_dict()


def test_a_source_list_reads_the_same_kept_or_not_and_an_edited_source_reads_anew():
    sources = [
        Source(name="The original explainer (2024)", cites="Pentagon reports"),
        Source(name="Member countries", url="https://www.nato.int/x"),
        Source(name="Member countries", url="https://www.nato.int/x", cites="the treaty"),
    ]
    first = source_text(sources)
    assert source_text(sources) == first == _source_text.__wrapped__(
        tuple((s.name, s.url, s.cites) for s in sources), 1024
    )  # kept text is what working it out afresh gives

    edited = [sources[0], Source(name="Member countries", url="https://www.state.gov/nato"), sources[2]]
    assert source_text(edited) == (
        "The original explainer (2024) (citing Pentagon reports) · "
        "[state.gov — Member countries](<https://www.state.gov/nato>) · "
        "[nato.int — Member countries](<https://www.nato.int/x>) (citing the treaty)"
    )
    assert source_text(sources) == first


def test_as_of_dates_read_the_same_however_often_they_are_shown():
    from alliance_bot.domain.facts import format_as_of

    for as_of, text in (("2024", "2024"), ("2023-03", "March 2023"), ("2023-03-04", "4 March 2023")):
        assert format_as_of(as_of) == format_as_of(as_of) == format_as_of.__wrapped__(as_of) == text
