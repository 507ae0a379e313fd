"""What the bot keeps about one person, and forgetting it on their request (/privacy forget-me).

A member's quiz answers, scores and remembered display names are deleted in every server. The facts
they edited stay (a server's facts are its moderators' shared work), but their id is taken off them:
each version then reads as by "a member who asked to be forgotten" (author 0). The quizzes they
started stay too, without their id.
"""

from __future__ import annotations

from ..domain.privacy import FORGOTTEN, KeptAbout
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
)


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
