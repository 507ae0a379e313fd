"""A subscription whose channel was deleted can be removed from /timeline status (it can't be picked in unsubscribe)."""

from __future__ import annotations

DAY = 24 * 3600


async def _status(world):
    return await world.moderator.slash(world.general, "manage timeline status")


async def test_a_moderator_removes_subscriptions_of_deleted_channels_from_status(world):
    await world.moderator.slash(world.general, "manage timeline subscribe", channel=world.timeline)
    await world.moderator.slash(world.general, "manage timeline subscribe", channel=world.general)
    world.env.backend.delete_channel(world.timeline.id)
    await world.env.advance_time(DAY)  # the day's post fails and pauses that subscription

    status = await _status(world)
    text = str(status.response.embeds[0].to_dict())
    assert "channel was deleted" in text
    assert "Remove this subscription with the button below" in text

    removed = await world.moderator.click(status.response.message, label="Remove 1 subscription of deleted channels")

    assert "Removed 1 subscription whose channel no longer exists." in removed.response.content
    after = await _status(world)
    embed = after.response.embeds[0]
    assert embed.description == "1 subscription in this server."
    assert [field.name for field in embed.fields] == ["#general"]
    assert after.response.components == []  # nothing left to remove


async def test_status_without_deleted_channels_offers_no_remove_button(world):
    await world.moderator.slash(world.general, "manage timeline subscribe", channel=world.timeline)

    status = await _status(world)

    assert status.response.components == []
