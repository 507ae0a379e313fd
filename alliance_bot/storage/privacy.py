"""What the bot keeps about one person or one server, and forgetting it on request.

/privacy forget:
A member's quiz answers, scores and remembered display names are deleted in every server. The facts
they edited stay (a server's facts are its moderators' shared work), but their id is taken off them:
each version then reads as by "a former member" (author 0). The quizzes they started stay too,
without their id.

/manage forget-server: everything the bot stores for one server goes, its fact edits included
(the bundled facts stay as shipped), in one transaction.
"""

from __future__ import annotations

from ..domain.privacy import FORGOTTEN, KeptAbout, ServerData
from .base import StoreBase

_COUNTS = (
    ("answers", "SELECT COUNT(*) FROM quiz_answers WHERE user_id = ?"),
    ("scores", "SELECT COUNT(*) FROM quiz_players WHERE user_id = ?"),
    ("names", "SELECT COUNT(*) FROM member_names WHERE user_id = ?"),
    ("fact_versions", "SELECT COUNT(*) FROM fact_versions WHERE author_id = ?"),
    ("quizzes_started", "SELECT COUNT(*) FROM quiz_sessions WHERE starter_id = ?"),
    ("subscriptions", "SELECT COUNT(*) FROM timeline_subscriptions WHERE created_by = ?"),
)

_FORGET = (
    "DELETE FROM quiz_answers WHERE user_id = ?",
    "DELETE FROM quiz_players WHERE user_id = ?",
    "DELETE FROM member_names WHERE user_id = ?",
    f"UPDATE fact_versions SET author_id = {FORGOTTEN} WHERE author_id = ?",
    f"UPDATE quiz_sessions SET starter_id = {FORGOTTEN} WHERE starter_id = ?",
    f"UPDATE timeline_subscriptions SET created_by = {FORGOTTEN} WHERE created_by = ?",
    # A report stays for the server's moderators, without who made it (one per forgotten member).
    f"UPDATE quiz_reports SET reporter_id = {FORGOTTEN} WHERE reporter_id = ? AND NOT EXISTS ("
    f"SELECT 1 FROM quiz_reports o WHERE o.guild_id = quiz_reports.guild_id "
    f"AND o.question_key = quiz_reports.question_key AND o.reporter_id = {FORGOTTEN})",
    "DELETE FROM quiz_reports WHERE reporter_id = ?",
)


_SERVER_COUNTS = (
    ("quizzes", "SELECT COUNT(*) FROM quiz_sessions WHERE guild_id = ?"),
    ("answers", "SELECT COUNT(*) FROM quiz_answers WHERE guild_id = ?"),
    ("players", "SELECT COUNT(*) FROM quiz_players WHERE guild_id = ?"),
    ("names", "SELECT COUNT(*) FROM member_names WHERE guild_id = ?"),
    ("fact_versions", "SELECT COUNT(*) FROM fact_versions WHERE guild_id = ?"),
    ("subscriptions", "SELECT COUNT(*) FROM timeline_subscriptions WHERE guild_id = ?"),
)

# Children before parents (quiz_questions reference quiz_sessions).
_FORGET_SERVER = (
    "DELETE FROM quiz_answers WHERE guild_id = ?",
    "DELETE FROM quiz_questions WHERE quiz_id IN (SELECT id FROM quiz_sessions WHERE guild_id = ?)",
    "DELETE FROM quiz_sessions WHERE guild_id = ?",
    "DELETE FROM quiz_players WHERE guild_id = ?",
    "DELETE FROM quiz_seen WHERE guild_id = ?",
    "DELETE FROM timeline_posts WHERE guild_id = ?",
    "DELETE FROM timeline_subscriptions WHERE guild_id = ?",
    "DELETE FROM fact_versions WHERE guild_id = ?",
    "DELETE FROM fact_settings WHERE guild_id = ?",
    "DELETE FROM member_names WHERE guild_id = ?",
    "DELETE FROM quiz_settings WHERE guild_id = ?",
    "DELETE FROM quiz_reports WHERE guild_id = ?",
    "DELETE FROM quiz_retired WHERE guild_id = ?",
)

_OPEN_QUIZZES = "SELECT COUNT(*) FROM quiz_sessions WHERE guild_id = ? AND status = 'open'"


class PrivacyQueries(StoreBase):
    async def kept_about(self, user_id: int) -> KeptAbout:
        """What the bot holds about ``user_id``, in every server."""
        counts = {}
        for field, sql in _COUNTS:
            row = await self.fetchone(sql, (user_id,))
            counts[field] = int(row[0]) if row is not None else 0
        return KeptAbout(**counts)

    async def forget_user(self, user_id: int) -> KeptAbout:
        """Delete ``user_id``'s answers, scores and names and take their id off shared records, in one
        transaction. Returns what there was."""
        if user_id == FORGOTTEN:
            raise ValueError("not a user id")
        before = await self.kept_about(user_id)
        async with self.transaction():
            for sql in _FORGET:
                await self.execute(sql, (user_id,))
        return before

    async def server_data(self, guild_id: int) -> ServerData:
        """What the bot holds for the server ``guild_id``."""
        counts = {}
        for field, sql in _SERVER_COUNTS:
            row = await self.fetchone(sql, (guild_id,))
            counts[field] = int(row[0]) if row is not None else 0
        return ServerData(**counts)

    async def open_quizzes(self, guild_id: int) -> int:
        row = await self.fetchone(_OPEN_QUIZZES, (guild_id,))
        return int(row[0]) if row is not None else 0

    async def forget_server(self, guild_id: int) -> ServerData | None:
        """Delete everything stored for ``guild_id`` in one transaction and return what there was;
        None, with nothing deleted, while a quiz is running there (its answers are still arriving)."""
        async with self.transaction():
            row = await self.fetchone(_OPEN_QUIZZES, (guild_id,))
            if row is not None and int(row[0]):
                return None
            before = await self.server_data(guild_id)
            for sql in _FORGET_SERVER:
                await self.execute(sql, (guild_id,))
            # Sent on COMMIT (PostgreSQL): every other process forgets its cached view of this server.
            await self.notify(("facts", guild_id))
        return before
