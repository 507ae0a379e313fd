"""Descriptions of the /manage command tree (moderator tools)."""

from __future__ import annotations

from .timeline import SERIES_CHOICES, SERIES_HELP, TIME_HELP

MANAGE_DESCRIPTION = "Moderator tools: correct this server's facts and set up daily timeline posts"
FACTS_DESCRIPTION = "Correct, add, hide, revert, import and export this server's facts"
TIMELINE_DESCRIPTION = "Daily timeline posts: subscribe a channel, stop them, see their status"
QUIZ_DESCRIPTION = "Quiz defaults for this server, and the questions members reported"
FORGET_SERVER_DESCRIPTION = "Delete all this bot holds for this server: scores, names, fact edits, daily posts"
FACT_ID_HELP = "The entry's id (type to search by id or by text)"
VERSION_HELP = "The version to go back to (0 is the bundled entry; see /facts history)"
IMPORT_FILE_HELP = "A YAML file in the bundled schema (at most 256 KB), e.g. from /manage facts export"

__all__ = [
    "FACTS_DESCRIPTION",
    "FACT_ID_HELP",
    "FORGET_SERVER_DESCRIPTION",
    "IMPORT_FILE_HELP",
    "MANAGE_DESCRIPTION",
    "QUIZ_DESCRIPTION",
    "SERIES_CHOICES",
    "SERIES_HELP",
    "TIMELINE_DESCRIPTION",
    "TIME_HELP",
    "VERSION_HELP",
]
