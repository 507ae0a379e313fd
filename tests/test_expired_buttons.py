"""Buttons that outlive their view are disabled, and a stale click gets a clear reply, never silence.

The /ask section buttons are the exception: they carry what a click needs in their custom_id
(lean dynamic items), so they keep working for as long as the reply exists, restarts included.
"""

from __future__ import annotations

from alliance_bot import create_bot
from alliance_bot.render import EXPIRED_COMPONENT
from tests.conftest import stale_click


async def test_view_buttons_are_disabled_when_they_expire_and_a_stale_click_is_answered(world):
    result = await world.member.slash(world.general, "timeline browse", year=1950)
    message = result.response.message
    next_button = next(b for row in result.response.components for b in row["components"] if b.get("label") == "Next")
    assert not next_button.get("disabled")

    # Past the view's timeout, with the interaction token refusing the edit (as it does after
    # 15 minutes): the public reply is disabled as an ordinary message of the bot's instead.
    world.env.inject_error("PATCH", "/webhooks/*", status=401, code=50027, message="Invalid Webhook Token")
    await world.env.advance_time(601)
    assert not world.env.backend.faults, "the token edit was never tried: the fallback was not exercised"

    refreshed = world.general.last_message
    assert refreshed.id == message.id
    assert all(item.disabled for row in refreshed.components for item in row.children)

    stale = await stale_click(world, world.member, world.general, message, next_button["custom_id"])

    assert stale.ephemeral
    assert EXPIRED_COMPONENT in stale.response.content


async def test_section_buttons_keep_working_past_the_token_lifetime_and_after_a_restart(world, settings):
    result = await world.member.slash(world.general, "ask", question="is u.s. allies with russia")
    message = result.response.message

    await world.env.advance_time(901)  # past the 15 minutes the /ask interaction token lives
    await world.member.click(message, label="Timeline")
    assert world.general.last_message.embeds[0].title == "The roots of the rivalry: timeline"

    await world.env.restart_bot(create_bot(settings))
    await world.member.click(world.general.last_message, label="Military")
    assert world.general.last_message.embeds[0].title == "Military tensions"

    refused = await world.moderator.click(world.general.last_message, label="Economy")
    assert refused.ephemeral and "Only the person who ran this command" in refused.response.content
    assert world.general.last_message.embeds[0].title == "Military tensions"


async def test_a_section_button_from_before_dynamic_items_gets_the_expired_reply(world):
    result = await world.member.slash(world.general, "ask", question="is u.s. allies with russia")

    # Replies sent by earlier versions carry custom_ids without the asker and the pair.
    stale = await stale_click(world, world.member, world.general, result.response.message, "ask:section:timeline")

    assert stale.ephemeral
    assert EXPIRED_COMPONENT in stale.response.content
