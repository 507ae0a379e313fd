"""Child process for the SIGTERM test: the real bot, a running quiz with answers, then a stop signal.

Usage: ``python tests/_sigterm_child.py DATABASE``. It runs the bot against SimCord (the only
Discord reachable offline) through the same ``run_until_stopped`` the real bot runs under, starts a
quiz, clicks answers and prints ``ack USER_ID`` for each one the bot acknowledged ("Locked in"),
then ``ready``. The parent sends SIGTERM and checks the exit status and the database.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import simcord  # noqa: E402

from alliance_bot import Settings, create_bot  # noqa: E402
from alliance_bot.config import BUNDLED_DATA_DIR  # noqa: E402
from alliance_bot.lifecycle import run_until_stopped  # noqa: E402
from tests.conftest import build_world  # noqa: E402


def _say_ready() -> None:
    print("ready", flush=True)


async def main(database: Path) -> None:
    bot = create_bot(Settings(token=None, database=database, data_dir=BUNDLED_DATA_DIR))
    env = simcord.Env(bot, check_errors=False)
    world = build_world(env)
    await env.start()
    try:
        with env.time_context():
            await world.member.slash(world.general, "quiz start", questions=5, seconds=120)
            question = world.general.last_message
            for index in range(5):
                player = world.guild.add_member(env.create_user(f"player-{index}"))
                ack = await player.click(question, label="A")
                if ack.response.content.startswith("Locked in"):
                    print(f"ack {player.id}", flush=True)
            # Printed once the loop runs again, i.e. after run_until_stopped installed its handlers.
            asyncio.get_running_loop().call_soon(_say_ready)
            await run_until_stopped(bot, asyncio.Event().wait())
    finally:
        await env.shutdown()
    print("closed", flush=True)


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1])))
