"""One bot process for the multi-process tests: the real bot in its own SimCord world, on a shared database.

Usage: ``python tests/_mp_child.py DATABASE_URL [DATA_DIR]``. It builds the demo server (SimCord's ids are
deterministic, so every child's server, channels and members have the same ids, as if they were
one Discord server seen by two processes), prints ``ready``, then answers one JSON command per
stdin line with one JSON line on stdout:

* ``{"cmd": "subscribe"}``: a moderator runs ``/timeline subscribe`` for #timeline.
* ``{"cmd": "advance", "seconds": N}``: SimCord's clock moves on (the scheduler wakes).
* ``{"cmd": "posts"}``: how many daily timeline posts this world's #timeline received.
* ``{"cmd": "ask"}``: the title a member gets from ``/ask`` (through the cached fact view).
* ``{"cmd": "edit", "headline": TEXT}``: a moderator edits the US-Russia headline with ``/facts edit``.
* ``{"cmd": "reload"}``: the bot owner runs ``/facts reload`` (after the parent edited DATA_DIR).
* ``{"cmd": "open_question"}``: start a quiz in #general and ask a question, as the quiz cog does.
* ``{"cmd": "answer", "quiz_id": Q, "users": [...]}``: those members click at once, through the
  bot's store (``record_answer``, the answer button's path); the outcome of each click.
* ``{"cmd": "totals", "quiz_id": Q, "users": [...]}``: answers stored for Q, and answered counts
  summed over those members' stats.
* ``{"cmd": "quit"}``.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from simcord.env import Env  # noqa: E402

from alliance_bot import Settings, create_bot  # noqa: E402
from alliance_bot.config import BUNDLED_DATA_DIR  # noqa: E402
from bench._answers import OpenQuestion, bundled_question, open_question  # noqa: E402
from tests.conftest import build_world  # noqa: E402

RELATIONSHIP = "us-ru-relationship"
SEED_QUESTION = "is the us allied with russia"


def _prefilled(shown) -> dict[str, str]:
    values = {}
    for row in shown.modal["components"]:
        for component in row.get("components", []):
            values[component["custom_id"]] = component.get("value", "")
    return values


async def main(url: str, data_dir: Path) -> None:
    scratch = Path(tempfile.mkdtemp())
    settings = Settings(database=scratch / "unused.sqlite3", database_url=url, data_dir=data_dir, auto_sync=False)
    env = Env(create_bot(settings))
    await env.start()
    # The command-tree hash lives in the shared database, so only the first process would sync;
    # each child syncs its own world, so both worlds hand out the same ids from here on.
    with env.time_context():
        await env.bot.sync_commands(force=True)
    with env.time_context():
        world = build_world(env)
    env.bot.owner_ids = {world.moderator.id}
    store = env.bot.store
    loop = asyncio.get_running_loop()

    def reply(value: object) -> None:
        sys.stdout.write(json.dumps(value) + "\n")
        sys.stdout.flush()

    reply("ready")
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:
            break
        command = json.loads(line)
        with env.time_context():
            if command["cmd"] == "subscribe":
                result = await world.moderator.slash(world.general, "manage timeline subscribe", channel=world.timeline)
                reply(result.response.content if result.response else "")
            elif command["cmd"] == "advance":
                await env.advance_time(float(command["seconds"]))
                reply("ok")
            elif command["cmd"] == "posts":
                history = world.timeline.history()
                reply(sum(1 for m in history if m.embeds and "Daily timeline post" in (m.embeds[0].footer.text or "")))
            elif command["cmd"] == "ask":
                result = await world.member.slash(world.general, "ask", question=SEED_QUESTION)
                reply(result.response.embeds[0].title)
            elif command["cmd"] == "edit":
                shown = await world.moderator.slash(world.general, "manage facts edit", fact_id=RELATIONSHIP)
                await world.moderator.submit_modal(shown, _prefilled(shown) | {"headline": command["headline"]})
                reply("ok")
            elif command["cmd"] == "reload":
                result = await world.moderator.slash(world.general, "manage facts reload")
                reply(result.response.embeds[0].title)
            elif command["cmd"] == "open_question":
                asked = await open_question(store, bundled_question(), guild_id=world.guild.id,
                                            channel_id=world.general.id, now=env.now())
                reply(asked.quiz_id)
            elif command["cmd"] == "answer":
                stored = await store.get_question(command["quiz_id"], 1)
                assert stored is not None
                asked = OpenQuestion(world.guild.id, world.general.id, stored.quiz_id, 1, stored.question,
                                     stored.opened_at)
                outcomes = await asyncio.gather(*(store.record_answer(asked.answer(u)) for u in command["users"]))
                reply([outcome.status for outcome in outcomes])
            elif command["cmd"] == "totals":
                stats = [await store.player_stats(world.guild.id, u) for u in command["users"]]
                reply([await store.count_answers(command["quiz_id"]), sum(s.answered for s in stats)])
            elif command["cmd"] == "quit":
                break
    await env.shutdown()
    if env.bot.store_is_open:
        await env.bot.close()
    reply("bye")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], Path(sys.argv[2]) if len(sys.argv) > 2 else BUNDLED_DATA_DIR))
