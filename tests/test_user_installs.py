"""Where people are (issue 26): member commands installable by a user and usable in DMs; /manage stays in servers."""

from __future__ import annotations

# Discord's integration types (0 guild install, 1 user install) and contexts (0 guild, 1 bot DM,
# 2 private channel), as the synced payload carries them.
EVERYWHERE = {"integration_types": [0, 1], "contexts": [0, 1, 2]}
MEMBER_COMMANDS = ("ask", "ally", "allies", "alliance", "help", "about", "timeline", "privacy")


def _synced(world, name: str) -> dict:
    command = world.env.backend.find_command(name, None)
    assert command is not None, f"/{name} was never synced"
    return command


def test_member_commands_declare_user_installs_and_every_context(world):
    for name in MEMBER_COMMANDS:
        command = _synced(world, name)
        assert sorted(command.get("integration_types") or []) == EVERYWHERE["integration_types"], name
        assert sorted(command.get("contexts") or []) == EVERYWHERE["contexts"], name


def test_moderator_and_quiz_commands_stay_in_servers(world):
    for name in ("manage", "quiz", "facts"):
        command = _synced(world, name)
        assert command.get("contexts") in ([0], None) and command.get("dm_permission") in (False, None), name
        assert 1 not in (command.get("contexts") or [0]), name


async def test_an_answer_in_a_dm_uses_the_bundled_facts_and_says_so(world):
    user = world.member.user
    result = await user.slash("ask", question="is the us allied with russia")
    embed = result.response.embeds[0]
    assert embed.title.startswith("No —")
    assert "bundled facts" in embed.footer.text, embed.footer.text


async def test_every_member_command_answers_in_a_dm(world):
    user = world.member.user
    for name, options in (
        ("ally", {"country_a": "France", "country_b": "Germany"}),
        ("allies", {"country": "Japan"}),
        ("alliance", {"name": "NATO"}),
        ("help", {}),
        ("about", {}),
        ("timeline browse", {"year": 1962}),
        ("timeline today", {}),
    ):
        result = await user.slash(name, **options)
        assert result.response is not None and (result.response.embeds or result.response.content), name
        text = " ".join((e.title or "") + (e.description or "") for e in result.response.embeds)
        assert "Something went wrong" not in text + (result.response.content or ""), (name, text)
