"""Buttons that outlive their view are disabled, and a stale click gets a clear reply, never silence."""

from __future__ import annotations

from bot.render import EXPIRED_COMPONENT
from tests.conftest import stale_click


async def test_section_buttons_are_disabled_when_they_expire_and_a_stale_click_is_answered(world):
    result = await world.member.slash(world.general, "ask", question="is u.s. allies with russia")
    message = result.response.message
    timeline_button = result.response.components[0]["components"][1]
    assert timeline_button["label"] == "Timeline" and not timeline_button.get("disabled")

    # Past the view's timeout, and past the 15 minutes an interaction token lives.
    await world.env.advance_time(901)

    refreshed = world.general.last_message
    assert refreshed.id == message.id
    assert all(button.disabled for row in refreshed.components for button in row.children)

    stale = await stale_click(world, world.member, world.general, message, timeline_button["custom_id"])

    assert stale.ephemeral
    assert EXPIRED_COMPONENT in stale.response.content
