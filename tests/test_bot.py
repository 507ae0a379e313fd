"""Bot-level plumbing: command sync only when the tree changed, minimal intents, no pings."""

from __future__ import annotations

from alliance_bot import create_bot


def _syncs(env) -> list:
    return [r for r in env.http_requests if r.method == "PUT" and r.path.endswith("/commands")]


async def test_restart_with_an_unchanged_tree_sends_no_sync(simcord_env, settings):
    assert len(_syncs(simcord_env)) == 1  # first start on a fresh database: one sync

    await simcord_env.restart_bot(create_bot(settings))

    assert len(_syncs(simcord_env)) == 1
    world_guild = simcord_env.create_guild(name="After restart")
    channel = world_guild.create_text_channel("general")
    member = world_guild.add_member(simcord_env.create_user("late"))
    result = await member.slash(channel, "about")
    assert result.response.embeds


async def test_forced_sync_always_sends(simcord_env):
    bot = simcord_env.bot

    assert await bot.sync_commands(force=True) is True
    assert await bot.sync_commands() is False
    assert len(_syncs(simcord_env)) == 2


def test_bot_asks_for_no_privileged_intents_and_pings_nobody(settings):
    bot = create_bot(settings)

    assert bot.intents.guilds
    assert not bot.intents.message_content
    assert not bot.intents.members
    assert not bot.intents.presences
    mentions = bot.allowed_mentions
    assert mentions is not None
    assert (mentions.everyone, mentions.users, mentions.roles) == (False, False, False)
