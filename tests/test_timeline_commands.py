"""/timeline through SimCord: browsing, and daily posts that appear exactly once per day."""

from __future__ import annotations

import re
from datetime import date

import discord
from discord import app_commands

from alliance_bot import create_bot
from alliance_bot.domain.errors import UserError
from alliance_bot.render import NEEDS_MANAGE_GUILD, NOT_YOUR_VIEW
from tests.conftest import build_world, show_manage_to

HOUR = 3600
DAY = 24 * HOUR
# SimCord's clock starts at 2026-01-01T00:00Z; the default post time is 12:00 UTC.


def posts(channel) -> list[discord.Message]:
    """The bot's daily posts in a channel, oldest first."""
    return [m for m in channel.history() if m.embeds and "Daily timeline post" in (m.embeds[0].footer.text or "")]


async def status_text(world) -> str:
    result = await world.moderator.slash(world.general, "manage timeline status")
    assert result.ephemeral
    embed = result.response.embeds[0]
    return "\n".join([embed.description or ""] + [f"{f.name}: {f.value}" for f in embed.fields])


async def bot_down_for(world, settings, seconds: float) -> None:
    """Stop the bot, let time pass in the world without it, then start a fresh bot on the same database."""
    await world.env.shutdown()
    world.env.backend.advance_clock(seconds)
    world.env.bot = create_bot(settings)
    await world.env.start()


async def subscribe(world, channel=None, **options):
    result = await world.moderator.slash(world.general, "manage timeline subscribe", channel=channel or world.timeline, **options)
    assert result.ephemeral
    return result


# --------------------------------------------------------------------------- browse


def bundled_timeline() -> list:
    """The bundled timeline (researched entries and alliance history) in date order, as the bot browses it."""
    from alliance_bot.config import BUNDLED_DATA_DIR
    from alliance_bot.domain import timeline as tl
    from alliance_bot.domain.facts import load_fact_base

    return tl.ordered(tl.timeline_entries(load_fact_base(BUNDLED_DATA_DIR)))


def card_title(entry) -> str:
    from alliance_bot.render.timeline import entry_date

    return f"{entry_date(entry)}: {entry.title}"


def a_year_without_an_entry() -> int:
    years = {e.year for e in bundled_timeline()}
    return next(year for year in range(1900, 2026) if year not in years)


async def test_browse_opens_at_a_year_and_pages_with_previous_next_and_decades(world):
    result = await world.member.slash(world.general, "timeline browse", year=2014)
    card = result.response.embeds[0]
    assert not result.ephemeral
    everything = bundled_timeline()
    first_of_2014 = next(i for i, e in enumerate(everything) if e.year == 2014)
    assert card.title == card_title(everything[first_of_2014])
    assert "Source" in [f.name for f in card.fields]
    assert "as of" in card.footer.text
    message = result.response.message

    await world.member.click(message, label="Next")
    after_next = world.general.history()[-1].embeds[0]
    assert after_next.title == card_title(everything[first_of_2014 + 1])

    await world.member.click(message, label="Previous")
    assert world.general.history()[-1].embeds[0].title == card.title

    await world.member.select(message, ["1940"], custom_id="timeline:decade")
    jumped = world.general.history()[-1].embeds[0]
    first_of_the_1940s = next(e for e in bundled_timeline() if 1940 <= e.year < 1950)
    assert jumped.title == card_title(first_of_the_1940s)


async def test_a_year_without_an_entry_opens_the_nearest_and_says_so(world):
    year = a_year_without_an_entry()
    result = await world.member.slash(world.general, "timeline browse", year=year)
    card = result.response.embeds[0]
    nearest = min(bundled_timeline(), key=lambda e: abs(e.year - year))
    assert card.title.startswith(card_title(nearest)[:4]) or str(nearest.year) in card.title
    assert f"No entry for {year}" in card.description


async def test_only_the_invoker_can_page_the_card(world):
    result = await world.member.slash(world.general, "timeline browse")
    first_title = result.response.embeds[0].title

    other = await world.moderator.click(result.response.message, label="Next")
    assert other.ephemeral
    assert NOT_YOUR_VIEW in other.response.content
    assert world.general.history()[0].embeds[0].title == first_title


async def test_browse_by_topic_shows_only_that_topic(world):
    result = await world.member.slash(world.general, "timeline browse", topic="nuclear")
    card = result.response.embeds[0]
    nuclear = [card_title(e) for e in bundled_timeline() if e.topic == "nuclear"]
    assert card.title in nuclear
    assert "topic: nuclear" in card.footer.text
    assert [field.name for field in card.fields] == ["Source"]  # the topic is said once, in the footer


# --------------------------------------------------------------------------- subscriptions


async def test_three_days_give_three_different_posts_and_a_restart_never_reposts(world, settings):
    confirmation = await subscribe(world)
    assert "12:00 UTC" in confirmation.response.content

    await world.env.advance_time(3 * DAY)
    first_three = posts(world.timeline)
    assert len(first_three) == 3
    assert len({m.embeds[0].title for m in first_three}) == 3
    assert all(m.embeds[0].fields[0].name == "Source" for m in first_three)

    await world.env.restart_bot(create_bot(settings))
    assert len(posts(world.timeline)) == 3  # coming back at 00:00 on day 4 posts nothing

    await world.env.advance_time(DAY)
    after = posts(world.timeline)
    assert len(after) == 4
    assert after[-1].embeds[0].title not in {m.embeds[0].title for m in first_three}


async def test_downtime_across_two_due_times_gives_one_catch_up_post(world, settings):
    await subscribe(world)
    await world.env.advance_time(13 * HOUR)  # the 1 January post
    assert len(posts(world.timeline)) == 1

    # The bot is down from 13:00 on 1 January until 13:00 on 3 January (two due times missed).
    await bot_down_for(world, settings, 2 * DAY)

    assert len(posts(world.timeline)) == 2  # exactly one catch-up post, not two
    await world.env.advance_time(HOUR)
    assert len(posts(world.timeline)) == 2
    await world.env.advance_time(DAY)  # past 12:00 on 4 January: the normal schedule resumes
    assert len(posts(world.timeline)) == 3


async def test_a_deleted_channel_pauses_its_subscription_and_other_servers_keep_posting(world):
    other = build_world(world.env, "Other Server")
    await subscribe(world)
    await other.moderator.slash(other.general, "manage timeline subscribe", channel=other.timeline)

    world.env.backend.delete_channel(world.timeline.id)
    await world.env.advance_time(DAY)

    status = await status_text(world)
    assert "paused" in status
    assert "channel was deleted" in status
    assert len(posts(other.timeline)) == 1

    await world.env.advance_time(DAY)
    assert len(posts(other.timeline)) == 2


async def test_lost_permission_pauses_and_resubscribing_resumes(world):
    await subscribe(world)
    world.env.inject_error("POST", f"/channels/{world.timeline.id}/messages", status=403, code=50013,
                           message="Missing Permissions")
    await world.env.advance_time(DAY)
    assert posts(world.timeline) == []
    assert "lost permission" in await status_text(world)

    await world.env.advance_time(DAY)  # paused: no attempt, no crash
    assert posts(world.timeline) == []

    await subscribe(world)
    await world.env.advance_time(DAY)
    assert len(posts(world.timeline)) == 1
    assert "posted" in await status_text(world)


async def test_a_discord_server_error_is_retried_later_not_paused(world):
    await subscribe(world)
    world.env.inject_error("POST", f"/channels/{world.timeline.id}/messages", status=500)
    await world.env.advance_time(12 * HOUR)
    assert posts(world.timeline) == []
    status = await status_text(world)
    assert "will retry" in status and "paused" not in status

    await world.env.advance_time(10 * 60)
    assert len(posts(world.timeline)) == 1
    await world.env.advance_time(6 * HOUR)
    assert len(posts(world.timeline)) == 1


async def test_a_post_interrupted_mid_send_is_not_sent_again_after_a_restart(world, settings):
    await subscribe(world)
    # As if the bot had recorded "sending" for 1 January and then died before recording "sent".
    await world.env.bot.store.timeline_claim_day(
        world.guild.id, world.timeline.id, date(2026, 1, 1), "tl-1945-ve-day", world.env.now()
    )
    await world.env.restart_bot(create_bot(settings))

    await world.env.advance_time(13 * HOUR)
    assert posts(world.timeline) == []
    assert "not re-posted" in await status_text(world)
    await world.env.advance_time(DAY)
    assert len(posts(world.timeline)) == 1


async def test_a_plain_member_cannot_subscribe(world):
    show_manage_to(world, world.member)  # even where a server shows members /manage
    result = await world.member.slash(world.general, "manage timeline subscribe", channel=world.timeline)
    assert result.ephemeral
    assert NEEDS_MANAGE_GUILD in result.response.content
    assert [type(e) for e in world.env.errors] == [app_commands.CheckFailure]  # refused server-side

    await world.env.advance_time(2 * DAY)
    assert posts(world.timeline) == []
    assert "No channel here gets daily timeline posts" in await status_text(world)


async def test_a_bad_time_is_refused_and_a_custom_time_is_used(world):
    bad = await world.moderator.slash(world.general, "manage timeline subscribe", channel=world.timeline, time="25:00")
    assert bad.ephemeral and "HH:MM" in bad.response.content
    assert [type(e.__cause__ or e) for e in world.env.errors] == [UserError]
    assert "No channel here" in await status_text(world)

    await subscribe(world, time="06:30")
    await world.env.advance_time(6 * HOUR + 29 * 60)
    assert posts(world.timeline) == []
    await world.env.advance_time(60)
    assert len(posts(world.timeline)) == 1
    assert "06:30 UTC" in await status_text(world)


async def test_unsubscribe_stops_posts_and_resubscribing_never_repeats_a_day(world):
    await subscribe(world)
    await world.env.advance_time(13 * HOUR)
    assert len(posts(world.timeline)) == 1

    done = await world.moderator.slash(world.general, "manage timeline unsubscribe", channel=world.timeline)
    assert done.ephemeral and "no longer" in done.response.content
    again = await world.moderator.slash(world.general, "manage timeline unsubscribe", channel=world.timeline)
    assert "has no daily timeline subscription" in again.response.content
    assert [type(e.__cause__ or e) for e in world.env.errors] == [UserError]

    await subscribe(world, time="14:00")  # a later time on a day that already had its post
    await world.env.advance_time(2 * HOUR)
    assert len(posts(world.timeline)) == 1
    await world.env.advance_time(DAY)
    assert len(posts(world.timeline)) == 2


async def test_on_this_day_takes_precedence(world, settings):
    # The bot is off until 14 March 00:00 (rather than settling 72 days of sleeps in SimCord).
    await bot_down_for(world, settings, (31 + 28 + 13) * DAY)
    await subscribe(world)
    await world.env.advance_time(13 * HOUR)
    assert len(posts(world.timeline)) == 1
    post = posts(world.timeline)[-1].embeds[0]
    # 14 March has two US–Russia events (1881, 2023): either is this day's own
    assert post.title.startswith(("14 March 1881", "14 March 2023")), post.title
    assert re.search(r"On this day, \d+ years ago", post.description), post.description


async def test_a_servers_own_entry_joins_only_that_servers_timeline(world):
    from alliance_bot.domain.facts import parse_fact
    from alliance_bot.domain.overlay import NewVersion

    other = build_world(world.env, "Other Server")
    year = a_year_without_an_entry()
    own = parse_fact(
        {
            "id": "tl-local-year",
            "kind": "timeline",
            "year": year,
            "title": "A moderator-added entry",
            "impact": "Added by this server's moderators.",
            "topic": "history",
            "sources": [{"name": "A moderator's source"}],
            "as_of": "2024",
        }
    )
    bot = world.env.bot
    await bot.store.record_fact_versions(world.guild.id, world.moderator.id, [NewVersion(own.id, "add", own)])
    bot.services.facts.invalidate(world.guild.id)

    here = await world.member.slash(world.general, "timeline browse", year=year)
    assert here.response.embeds[0].title == f"{year}: A moderator-added entry"
    there = await other.member.slash(other.general, "timeline browse", year=year)
    assert "moderator-added" not in there.response.embeds[0].title
    assert f"No entry for {year}" in there.response.embeds[0].description


# --------------------------------------------------------------------------- a year of posts


def _source_links(embed) -> list[str]:
    field = next(f for f in embed.fields if f.name == "Source")
    return re.findall(r"\]\(<(https?://[^>]+)>\)", field.value)


async def test_a_year_of_both_topics_posts_every_day_almost_never_repeats_and_follows_the_calendar(world):
    confirmation = await subscribe(world, topic="both")
    assert "alliance history" in confirmation.response.content
    for _ in range(73):  # five days at a time: SimCord settles the bot within each step
        await world.env.advance_time(5 * DAY)
    year = posts(world.timeline)
    assert len(year) >= 360
    titles = [m.embeds[0].title for m in year]
    assert len(titles) - len(set(titles)) <= 5
    own_day = [m for m in year if "On this day" in (m.embeds[0].description or "")]
    assert len(own_day) >= len(year) / 2
    assert all(_source_links(m.embeds[0]) for m in year), "every post links its source"
    # An "on this day" post is about the day it was posted for (the footer names that day).
    from datetime import date as day_type

    for message in own_day:
        embed = message.embeds[0]
        posted_for = day_type.fromisoformat(embed.footer.text.rsplit(" ", 1)[-1])
        assert embed.title.startswith(f"{posted_for.day} {posted_for.strftime('%B')} ")


async def test_an_alliance_history_subscription_posts_alliance_events_and_says_its_topic(world):
    await subscribe(world, topic="alliances")
    assert "alliance history" in await status_text(world)
    await world.env.advance_time(13 * HOUR)  # the 1 January post
    post = posts(world.timeline)[-1].embeds[0]
    alliance_titles = {card_title(e) for e in bundled_timeline() if e.topic == "alliances"}
    assert post.title in alliance_titles
    assert "atopdata.org" in post.fields[0].value


async def test_a_default_subscription_keeps_posting_the_us_russia_timeline(world):
    await subscribe(world)
    await world.env.advance_time(3 * DAY)
    us_russia = {card_title(e) for e in bundled_timeline() if e.topic != "alliances"}
    assert {m.embeds[0].title for m in posts(world.timeline)} <= us_russia


async def test_timeline_today_shows_every_event_of_the_day_across_topics(world):
    result = await world.member.slash(world.general, "timeline today")
    expected = [e for e in bundled_timeline() if (e.month, e.day) == (1, 1)]
    assert expected, "the bundled timeline has events on 1 January"
    card = result.response.embeds[0]
    assert card.title == card_title(expected[0])
    assert f"On this day, 1 January: entry 1 of {len(expected)}" in card.footer.text
    if len(expected) > 1:
        await world.member.click(result.response.message, label="Next")
        assert world.general.history()[-1].embeds[0].title == card_title(expected[1])


async def test_timeline_today_says_so_when_a_topic_has_nothing_that_day(world):
    days = {(e.month, e.day) for e in bundled_timeline() if e.topic == "nuclear"}
    assert (1, 1) not in days  # SimCord's clock starts on 1 January
    result = await world.member.slash(world.general, "timeline today", topic="nuclear")
    assert result.ephemeral
    assert "No timeline entry on the topic “nuclear” happened on 1 January" in result.response.content
    assert [type(e.__cause__ or e) for e in world.env.errors] == [UserError]
