"""/help and /about: every command by category, members' commands first, each with one example.

The command names and descriptions come from the live command tree (so /help can't drift from
what Discord shows); what this module adds is the category, the order and one example each.
A test checks that every command in the tree has exactly one entry here and vice versa.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import discord

from ..domain.facts import FactBase, format_as_of
from ..domain.privacy import KeptAbout, ServerData
from . import AUTOCOMPLETE_LIMIT, COLOUR_INFO, SELECT_LABEL_LIMIT, clip, make_embed


@dataclass(frozen=True)
class HelpEntry:
    """One command in /help: its category and one example of typing it."""

    category: str
    example: str


MODERATORS = "Moderators (Manage Server)"

# (category, for moderators?) in the order /help shows them: members' commands first.
CATEGORIES: tuple[tuple[str, bool], ...] = (
    ("Ask", False),
    ("Quiz", False),
    ("Timeline", False),
    ("Facts", False),
    ("This bot", False),
    ("Moderators: facts", True),
    ("Moderators: daily timeline", True),
    ("Moderators: quiz", True),
    ("Moderators: this server's data", True),
)

# Qualified command name -> entry, in display order within each category.
HELP: Mapping[str, HelpEntry] = {
    "ask": HelpEntry("Ask", "/ask question: is the u.s. allies with russia"),
    "ally": HelpEntry("Ask", "/ally country_a: Poland country_b: United States year: 1995"),
    "allies": HelpEntry("Ask", "/allies country: Germany year: 1914"),
    "alliance": HelpEntry("Ask", "/alliance name: NATO year: 1990"),
    "quiz start": HelpEntry("Quiz", "/quiz start questions: 5 topic: Alliances seconds: 20"),
    "quiz leaderboard": HelpEntry("Quiz", "/quiz leaderboard period: week"),
    "quiz stats": HelpEntry("Quiz", "/quiz stats member: @someone"),
    "quiz stop": HelpEntry("Quiz", "/quiz stop"),
    "timeline browse": HelpEntry("Timeline", "/timeline browse year: 2014 topic: sanctions"),
    "timeline today": HelpEntry("Timeline", "/timeline today topic: alliances"),
    "facts show": HelpEntry("Facts", "/facts show fact_id: us-ru-relationship"),
    "facts history": HelpEntry("Facts", "/facts history fact_id: us-ru-relationship"),
    "help": HelpEntry("This bot", "/help command: quiz start"),
    "about": HelpEntry("This bot", "/about"),
    "privacy about": HelpEntry("This bot", "/privacy about"),
    "privacy forget": HelpEntry("This bot", "/privacy forget confirm: True"),
    "manage facts edit": HelpEntry("Moderators: facts", "/manage facts edit fact_id: us-ru-relationship"),
    "manage facts add": HelpEntry("Moderators: facts", "/manage facts add kind: faq"),
    "manage facts remove": HelpEntry("Moderators: facts", "/manage facts remove fact_id: us-ru-relationship"),
    "manage facts revert": HelpEntry("Moderators: facts", "/manage facts revert fact_id: us-ru-relationship version: 0"),
    "manage facts export": HelpEntry("Moderators: facts", "/manage facts export"),
    "manage facts import": HelpEntry("Moderators: facts", "/manage facts import file: facts-changes.yaml"),
    "manage facts audit": HelpEntry("Moderators: facts", "/manage facts audit channel: #mod-log"),
    "manage facts reload": HelpEntry("Moderators: facts", "/manage facts reload"),
    "manage timeline subscribe": HelpEntry("Moderators: daily timeline", "/manage timeline subscribe channel: #timeline time: 09:00 topic: Both"),
    "manage timeline unsubscribe": HelpEntry("Moderators: daily timeline", "/manage timeline unsubscribe channel: #timeline"),
    "manage timeline status": HelpEntry("Moderators: daily timeline", "/manage timeline status"),
    "manage quiz settings": HelpEntry("Moderators: quiz", "/manage quiz settings"),
    "manage quiz defaults": HelpEntry("Moderators: quiz", "/manage quiz defaults topic: Cold War difficulty: hard reveal_pause: 8"),
    "manage quiz reports": HelpEntry("Moderators: quiz", "/manage quiz reports"),
    "manage quiz retire": HelpEntry("Moderators: quiz", "/manage quiz retire question: (pick from the list)"),
    "manage forget-server": HelpEntry("Moderators: this server's data", "/manage forget-server confirm: True"),
}

HELP_TITLE = "Commands"
HELP_INTRO = (
    "Type `/` in any channel to pick a command; Discord shows each option as you go. "
    "Moderator tools are under `/manage` and need Manage Server. `/help command: name` shows one command."
)
UNKNOWN_COMMAND = "I have no command called “{name}”. `/help` lists them all."

ABOUT_TITLE = "About this bot"
ABOUT_TEXT = (
    "I answer alliance questions straight: **“is the U.S. allies with Russia?”**, or whether any two "
    "countries are allies, now or in any year since 1815. The answer comes first, then the evidence and the nuance. "
    "Every fact I state carries its source and an “as of” date; where my data runs out, I say so."
)
ABOUT_SOURCES = (
    "The historical record: every alliance of the ATOP 5.1 data, 1815–2018 (Leeds et al., atopdata.org), "
    "with the Correlates of War state list. Researched entries bundled with the bot: current alliances and their members, the US–Russia relationship, "
    "its timeline and the quiz questions, every entry with its source and date. This server's moderators "
    "can correct entries for this server only; every change is kept."
)


def _signature(command: discord.app_commands.Command) -> str:
    parts = [f"/{command.qualified_name}"]
    for parameter in command.parameters:
        parts.append(f"{parameter.name}:" if parameter.required else f"[{parameter.name}:]")
    return " ".join(parts)


# A command's clickable mention (``</quiz start:123>``) once its id is known, else None.
Mention = Callable[[str], str | None]


def _no_mentions(_name: str) -> None:
    return None


def _shown(command: discord.app_commands.Command, mention: Mention) -> str:
    """The command as the list shows it: clickable when its id is known, then its options as code."""
    signature = _signature(command)
    clickable = mention(command.qualified_name)
    if clickable is None:
        return f"`{signature}`"
    options = signature.removeprefix(f"/{command.qualified_name}").strip()
    return f"{clickable} `{options}`" if options else clickable


def command_line(command: discord.app_commands.Command, entry: HelpEntry, mention: Mention = _no_mentions) -> str:
    """One command in the list: its signature, what it does and an example (unless it takes no options,
    when the signature is the example)."""
    line = f"{_shown(command, mention)}: {command.description}"
    return line if entry.example == _signature(command) else f"{line}\n  e.g. `{entry.example}`"


def help_fields(commands: Sequence[discord.app_commands.Command], mention: Mention = _no_mentions) -> list[tuple[str, str]]:
    """Fields for /help: one per category (split when a category outgrows a field), in order."""
    by_name = {command.qualified_name: command for command in commands}
    fields: list[tuple[str, str]] = []
    for category, _moderators in CATEGORIES:
        lines = [
            command_line(by_name[name], entry, mention)
            for name, entry in HELP.items()
            if entry.category == category and name in by_name
        ]
        chunk: list[str] = []
        for line in lines:
            if chunk and len("\n".join([*chunk, line])) > 1024:
                fields.append((category if not fields or fields[-1][0] != category else f"{category} (more)", "\n".join(chunk)))
                chunk = []
            chunk.append(line)
        if chunk:
            name = category if not any(field[0] == category for field in fields) else f"{category} (more)"
            fields.append((name, "\n".join(chunk)))
    return fields


def help_embeds(commands: Sequence[discord.app_commands.Command], mention: Mention = _no_mentions) -> list[discord.Embed]:
    """/help: members' categories in the first embed, moderators' in the second."""
    member_fields, moderator_fields = [], []
    moderator_categories = {category for category, moderators in CATEGORIES if moderators}
    for name, value in help_fields(commands, mention):
        base = name.removesuffix(" (more)")
        (moderator_fields if base in moderator_categories else member_fields).append((name, value))
    embeds = [make_embed(HELP_TITLE, HELP_INTRO, fields=member_fields)]
    if moderator_fields:
        embeds.append(make_embed(MODERATORS, "Hidden from members; the bot checks the permission every time.", fields=moderator_fields))
    return embeds


def command_embed(command: discord.app_commands.Command, entry: HelpEntry, mention: Mention = _no_mentions) -> discord.Embed:
    """/help command: one command, its options and an example."""
    clickable = mention(command.qualified_name)
    lines = [command.description, *([f"Run it: {clickable}"] if clickable else []), ""]
    for parameter in command.parameters:
        optional = "" if parameter.required else " (optional)"
        lines.append(f"• `{parameter.name}`{optional}: {parameter.description}")
    lines.append("")
    lines.append(f"Example: `{entry.example}`")
    who = MODERATORS if any(moderators and category == entry.category for category, moderators in CATEGORIES) else "Everyone"
    return make_embed(f"/{command.qualified_name}", "\n".join(lines).replace("\n\n\n", "\n\n"), fields=[("Who can use it", who)])


def command_choices(names: Sequence[str], current: str) -> list[discord.app_commands.Choice[str]]:
    """Autocomplete for /help command: names containing what was typed, at most 25."""
    typed = current.strip().lstrip("/").lower()
    matches = [name for name in names if typed in name] if typed else list(names)
    return [discord.app_commands.Choice(name=clip(f"/{name}", SELECT_LABEL_LIMIT), value=name) for name in matches[:AUTOCOMPLETE_LIMIT]]


@dataclass(frozen=True)
class AboutLinks:
    """Where /about points: the invite is built from the application id; source and support are
    whatever the operator set (BOT_SOURCE_URL, BOT_SUPPORT_URL), never guessed."""

    version: str
    invite: str | None = None
    source: str | None = None
    support: str | None = None


def _coverage(facts: FactBase) -> str:
    newest = max((fact.as_of for fact in facts), default=None)
    if newest is None:
        return "No facts are loaded."
    lines = [f"{sum(facts.counts().values())} researched entries, the newest as of {format_as_of(newest)}."]
    record = facts.record
    if record is not None:
        lines.append(
            f"History: {len(record.alliances)} ATOP 5.1 alliances and {len(record.states)} states, 1815–2018."
        )
    else:
        lines.append("History: no historical record is loaded (answers cover the researched entries only).")
    return "\n".join(lines)


def about_embed(facts: FactBase, links: AboutLinks, mention: Mention = _no_mentions) -> discord.Embed:
    """/about: what the bot does, how current its data is, where it comes from, and its links. Always short."""
    shown = [f"[Add it to a server or to your apps](<{links.invite}>)"] if links.invite else []
    if links.source:
        shown.append(f"[Source code](<{links.source}>)")
    if links.support:
        shown.append(f"[Support](<{links.support}>)")
    shown.append(f"Privacy: {mention('privacy about') or '`/privacy about`'}")
    next_step = f"{mention('help') or '`/help`'} lists every command with an example."
    fields = [
        ("How current", _coverage(facts)),
        ("Where the data comes from", ABOUT_SOURCES),
        ("Links", "\n".join(shown)),
        ("Commands", next_step),
    ]
    embed = make_embed(ABOUT_TITLE, ABOUT_TEXT, fields=fields)
    embed.set_footer(text=f"alliance-bot {links.version}")
    return embed


# --------------------------------------------------------------------------- privacy

PRIVACY_STATEMENT = (
    "**What this bot keeps about you**\n"
    "• In each server where you played: your quiz answers (choice, time, points) and your scores.\n"
    "• Your display name there, so boards show a name rather than a raw id.\n"
    "• As a moderator: your id on each fact version you saved, each timeline subscription you made "
    "and each quiz you started.\n"
    "Nothing else: no message content is read or kept (the fact-check menu reads only the message you "
    "pick, and keeps nothing). For five minutes after an /ask, the pair you asked about is held in memory "
    "(never stored) so a follow-up such as “what about China?” can be read. The data stay in this bot's "
    "own database and are not shared.\n\n"
    "**Why, and for how long**: answers and scores make the quiz boards and your stats; names let boards "
    "show a name; ids on facts keep a server's edits accountable. All of it is kept until you delete it "
    "(below) or the server's moderators delete the server's data (`/manage forget-server`).\n\n"
    "**Deleting it**: `/privacy forget confirm: True` deletes your quiz answers, scores and names in "
    "every server at once. The facts you edited stay for the server, without your id on them."
)


def privacy_embed(kept: KeptAbout) -> discord.Embed:
    lines = [PRIVACY_STATEMENT, "", f"**Held about you now**: {_kept_line(kept)}."]
    return make_embed("Privacy", "\n".join(lines), colour=COLOUR_INFO)


def _counted(parts: Sequence[tuple[int, str, str]]) -> str:
    """'3 quiz answers, 1 remembered name' from (count, singular, plural); "nothing" for none."""
    shown = [f"{n} {one if n == 1 else many}" for n, one, many in parts if n]
    return ", ".join(shown) if shown else "nothing"


def _kept_line(kept: KeptAbout) -> str:
    return _counted([
        (kept.answers, "quiz answer", "quiz answers"),
        (kept.scores, "server score", "server scores"),
        (kept.names, "remembered name", "remembered names"),
        (kept.fact_versions, "fact version", "fact versions"),
        (kept.quizzes_started, "quiz started", "quizzes started"),
        (kept.subscriptions, "timeline subscription", "timeline subscriptions"),
    ])


def forget_prompt(kept: KeptAbout) -> str:
    if not kept.total:
        return "This bot holds nothing about you: there is nothing to delete."
    return (
        f"This would delete {_kept_line(kept)} (ids only, on the shared records). "
        "Run `/privacy forget confirm: True` to delete it now; it cannot be undone."
    )


def forgotten_text(kept: KeptAbout) -> str:
    if not kept.total:
        return "This bot held nothing about you: nothing was deleted."
    return f"Deleted: {_kept_line(kept)} (your id taken off the shared records). Scores already shown in old messages stay as sent."


def _server_line(data: ServerData) -> str:
    return _counted([
        (data.quizzes, "quiz", "quizzes"),
        (data.answers, "quiz answer", "quiz answers"),
        (data.players, "member score", "member scores"),
        (data.names, "remembered name", "remembered names"),
        (data.fact_versions, "fact version", "fact versions"),
        (data.subscriptions, "daily-post channel", "daily-post channels"),
    ])


def forget_server_prompt(data: ServerData) -> str:
    if not data.total:
        return "This bot holds nothing for this server: there is nothing to delete."
    return (
        f"This would delete everything this bot holds for this server: {_server_line(data)}. "
        "The server's fact edits go too (answers return to the bundled facts) and the daily posts stop. "
        "Run `/manage forget-server confirm: True` to delete it now; it cannot be undone."
    )


def server_forgotten_text(data: ServerData) -> str:
    if not data.total:
        return "This bot held nothing for this server: nothing was deleted."
    return f"Deleted everything this bot held for this server: {_server_line(data)}."


QUIZ_RUNNING_NOTHING_DELETED = (
    "A quiz is running in this server: nothing was deleted. Stop it with `/quiz stop` (or let it end), then run this again."
)
