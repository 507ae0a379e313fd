"""Per-server quiz settings, members' reports of questions, and the questions a server retired.

Settings keep every field a moderator did not change (NULL: the bot's default). A member reports a
question once (a second report by the same member updates the reason); a retired question never
comes back in that server.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..domain.quiz import QuizSettings, Report
from .base import StoreBase

SCHEMA = """
CREATE TABLE quiz_settings (
    guild_id      INTEGER PRIMARY KEY,
    topic         TEXT,
    difficulty    TEXT,
    questions     INTEGER,
    seconds       INTEGER,
    reveal_pause  INTEGER
) STRICT;

CREATE TABLE quiz_reports (
    guild_id      INTEGER NOT NULL,
    question_key  TEXT NOT NULL,
    reporter_id   INTEGER NOT NULL,
    topic         TEXT NOT NULL,
    prompt        TEXT NOT NULL,
    reason        TEXT NOT NULL,
    reported_at   INTEGER NOT NULL,
    PRIMARY KEY (guild_id, question_key, reporter_id)
) STRICT;

CREATE TABLE quiz_retired (
    guild_id      INTEGER NOT NULL,
    question_key  TEXT NOT NULL,
    retired_by    INTEGER NOT NULL,
    retired_at    INTEGER NOT NULL,
    PRIMARY KEY (guild_id, question_key)
) STRICT;
"""

PG_SCHEMA = """
CREATE TABLE quiz_settings (
    guild_id      BIGINT PRIMARY KEY,
    topic         TEXT,
    difficulty    TEXT,
    questions     INTEGER,
    seconds       INTEGER,
    reveal_pause  INTEGER
);

CREATE TABLE quiz_reports (
    guild_id      BIGINT NOT NULL,
    question_key  TEXT NOT NULL,
    reporter_id   BIGINT NOT NULL,
    topic         TEXT NOT NULL,
    prompt        TEXT NOT NULL,
    reason        TEXT NOT NULL,
    reported_at   BIGINT NOT NULL,
    PRIMARY KEY (guild_id, question_key, reporter_id)
);

CREATE TABLE quiz_retired (
    guild_id      BIGINT NOT NULL,
    question_key  TEXT NOT NULL,
    retired_by    BIGINT NOT NULL,
    retired_at    BIGINT NOT NULL,
    PRIMARY KEY (guild_id, question_key)
);
"""

SETTING_FIELDS = ("topic", "difficulty", "questions", "seconds", "reveal_pause")


class QuizSettingsQueries(StoreBase):
    async def quiz_settings(self, guild_id: int) -> QuizSettings:
        row = await self.fetchone(
            "SELECT topic, difficulty, questions, seconds, reveal_pause FROM quiz_settings WHERE guild_id = ?",
            (guild_id,),
        )
        if row is None:
            return QuizSettings()
        return QuizSettings(*(row[i] for i in range(len(SETTING_FIELDS))))

    async def change_quiz_settings(self, guild_id: int, changes: dict[str, Any]) -> QuizSettings:
        """Change the given fields only (every other one is kept); returns the settings now."""
        unknown = set(changes) - set(SETTING_FIELDS)
        if unknown:
            raise ValueError(f"unknown quiz settings {sorted(unknown)}")
        async with self.transaction():
            await self.execute(
                "INSERT INTO quiz_settings(guild_id) VALUES (?) ON CONFLICT (guild_id) DO NOTHING", (guild_id,)
            )
            for field, value in changes.items():  # field names come from SETTING_FIELDS only
                await self.execute(f"UPDATE quiz_settings SET {field} = ? WHERE guild_id = ?", (value, guild_id))
        return await self.quiz_settings(guild_id)

    async def report_question(
        self, guild_id: int, key: str, topic: str, prompt: str, reason: str, reporter_id: int, now: datetime
    ) -> None:
        async with self.transaction():
            await self.execute(
                "INSERT INTO quiz_reports(guild_id, question_key, reporter_id, topic, prompt, reason, reported_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (guild_id, question_key, reporter_id) "
                "DO UPDATE SET reason = excluded.reason, reported_at = excluded.reported_at",
                (guild_id, key, reporter_id, topic, prompt, reason, int(now.timestamp())),
            )

    async def question_reports(self, guild_id: int, limit: int = 25) -> list[Report]:
        """The server's reported questions not retired, most reported first, with their reasons."""
        rows = await self.fetchall(
            "SELECT r.question_key, r.topic, r.prompt, r.reason, r.reported_at FROM quiz_reports r "
            "WHERE r.guild_id = ? AND NOT EXISTS (SELECT 1 FROM quiz_retired t "
            "WHERE t.guild_id = r.guild_id AND t.question_key = r.question_key) "
            "ORDER BY r.question_key, r.reported_at",
            (guild_id,),
        )
        grouped: dict[str, Report] = {}
        for key, topic, prompt, reason, _at in rows:
            known = grouped.get(key)
            grouped[key] = Report(key, topic, prompt, (*(known.reasons if known else ()), reason))
        ranked = sorted(grouped.values(), key=lambda r: (-len(r.reasons), r.key))
        return ranked[:limit]

    async def retire_question(self, guild_id: int, key: str, by: int, now: datetime) -> bool:
        """Retire a question in this server; False if it was already retired."""
        async with self.transaction():
            row = await self.fetchone(
                "SELECT 1 FROM quiz_retired WHERE guild_id = ? AND question_key = ?", (guild_id, key)
            )
            if row is not None:
                return False
            await self.execute(
                "INSERT INTO quiz_retired(guild_id, question_key, retired_by, retired_at) VALUES (?, ?, ?, ?)",
                (guild_id, key, by, int(now.timestamp())),
            )
        return True

    async def retired_questions(self, guild_id: int) -> set[str]:
        rows = await self.fetchall("SELECT question_key FROM quiz_retired WHERE guild_id = ?", (guild_id,))
        return {row[0] for row in rows}
