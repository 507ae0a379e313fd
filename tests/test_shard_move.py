"""A server's shard moves to another process after a restart: its quiz and subscription follow it.

SimCord routes each server's events to the shard that owns it, so three generations of the bot
on one database play three processes: one running both shards, then one running only shard 0,
then one running shard 1, the moved server's shard.
"""

from __future__ import annotations

from pathlib import Path

import discord
from simcord.env import Env

from alliance_bot import Settings, create_bot
from alliance_bot.config import BUNDLED_DATA_DIR

HOUR = 3600


def _settings(target: Path | str, shards: tuple[int, ...]) -> Settings:
    url = target if isinstance(target, str) else None
    database = target if isinstance(target, Path) else Path("unused.sqlite3")
    return Settings(
        database=database, database_url=url, data_dir=BUNDLED_DATA_DIR, shard_count=2, shard_ids=shards
    )


def _daily_posts(channel) -> int:
    return sum(1 for m in channel.history() if m.embeds and "Daily timeline post" in (m.embeds[0].footer.text or ""))


async def test_a_moved_servers_quiz_and_subscription_are_served_by_the_process_that_owns_it(store_target):
    env = Env(create_bot(_settings(store_target, (0, 1))))
    await env.start()
    try:
        with env.time_context():
            guild = env.create_guild("Moving Server", shard_id=1)
            general = guild.create_text_channel("general")
            timeline = guild.create_text_channel("timeline")
            mods = guild.create_role("Moderators", permissions=discord.Permissions(manage_guild=True))
            member = guild.add_member(env.create_user("member"))
            moderator = guild.add_member(env.create_user("moderator"), roles=[mods])

            await moderator.slash(general, "manage timeline subscribe", channel=timeline)
            await member.slash(general, "quiz start", questions=3, seconds=60)
            question = general.last_message  # the first question, with its answer buttons
            assert question.components

            # Restart as a process running shard 0 only: the server (shard 1) lives elsewhere.
            await env.restart_bot(create_bot(_settings(store_target, (0,))))
            assert await env.bot.store.open_quiz_in(general.id) is not None, "another process's quiz was closed"
            await env.advance_time(13 * HOUR)  # past 12:00 UTC: this process must not post there
            assert _daily_posts(timeline) == 0

            # Restart as the process running shard 1: it closes the quiz and makes up the day's post.
            await env.restart_bot(create_bot(_settings(store_target, (1,))))
            await env.advance_time(1)
            assert await env.bot.store.open_quiz_in(general.id) is None
            edited = env.backend.get_message(general.id, question.id)
            assert "interrupted by a bot restart" in edited.embeds[0]["description"]
            assert _daily_posts(timeline) == 1
            await env.advance_time(HOUR)
            assert _daily_posts(timeline) == 1  # once
    finally:
        await env.shutdown()
        if env.bot.store_is_open:
            await env.bot.close()
