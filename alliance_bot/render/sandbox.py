"""Every line the local sandbox shows: its welcome, its one control and what it prints."""

from __future__ import annotations

from datetime import datetime

import discord

SERVER_NAME = "Alliance Bot Sandbox"
BOT_NAME = "Alliance Bot"
WELCOME = (
    "👋 **Welcome to the sandbox.** This is the real bot running against a simulated Discord on your "
    "machine: nothing leaves it, and the page updates by itself. Pick who you are (a member, or a "
    "moderator with Manage Server) and try:\n"
    "• `/ask question: is the u.s. allies with russia`\n"
    "• `/ally country_a: Poland country_b: United States`\n"
    "• `/quiz start`, then click an answer\n"
    "• `/timeline browse year: 2014`\n"
    "• as the moderator, `/manage timeline subscribe channel: #general`, then `/sandbox next-post` to "
    "jump the sandbox's clock to the next daily post\n"
    "• `/help` for every command. Scores and fact changes are kept for the next time you start it."
)

GROUP_DESCRIPTION = "Sandbox only: controls for the simulated Discord"
NEXT_POST_DESCRIPTION = "Move the sandbox's clock forward to this server's next daily timeline post"
NO_SUBSCRIPTION = (
    "No channel here gets daily timeline posts yet. As the moderator, run "
    "`/manage timeline subscribe channel: #general`, then try again."
)


def moving_clock(when: datetime) -> str:
    return (
        f"⏩ Moving the sandbox's clock forward to {discord.utils.format_dt(when, 'f')}: "
        "the daily post appears in a moment."
    )


def ready_lines(url: str, database: str, port_note: str | None) -> list[str]:
    """What the terminal shows once the sandbox serves its page."""
    lines = ["", "  Sandbox ready. Open this address (all of it) in your browser:", "", f"    {url}", ""]
    if port_note:
        lines.append(f"  {port_note}")
    lines += [f"  Server '{SERVER_NAME}', database {database}", "  Press Ctrl-C to stop.", ""]
    return lines


def port_taken(port: int, used: int) -> str:
    return f"Port {port} is taken, so the sandbox uses port {used} this time (choose one with --port)."
