"""Open a real quiz question in a store and build answers to it (shared by the benchmarks and tests)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from alliance_bot.config import BUNDLED_DATA_DIR
from alliance_bot.domain.facts import load_fact_base
from alliance_bot.domain.quiz import Question, generate_questions
from alliance_bot.storage import Store
from alliance_bot.storage.quiz import AnswerIn

QUESTION_SECONDS = 3600  # long enough that no benchmark burst outlives the question


@dataclass(frozen=True)
class OpenQuestion:
    """A question asked in a quiz and still open, as the quiz cog would have stored it."""

    guild_id: int
    channel_id: int
    quiz_id: int
    number: int
    question: Question
    opened_at: datetime

    def answer(self, user_id: int, *, at: datetime | None = None) -> AnswerIn:
        """A click by ``user_id``: a choice derived from the id, right about a third of the time."""
        choice = user_id % len(self.question.choices)
        return AnswerIn(
            guild_id=self.guild_id,
            channel_id=self.channel_id,
            quiz_id=self.quiz_id,
            question=self.number,
            user_id=user_id,
            choice=choice,
            correct=choice == self.question.answer,
            answered_at=at or self.opened_at + timedelta(seconds=1),
            opened_at=self.opened_at,
            seconds=QUESTION_SECONDS,
        )


def bundled_question(seed: int = 0) -> Question:
    """A question generated from the bundled facts, exactly as a quiz would ask it."""
    facts = load_fact_base(BUNDLED_DATA_DIR)
    pool = generate_questions(facts, "us-russia", random.Random(seed))
    return pool[sorted(pool)[0]]


async def open_question(
    store: Store, question: Question, *, guild_id: int = 1, channel_id: int = 2, now: datetime | None = None
) -> OpenQuestion:
    """Start a quiz in ``channel_id`` and ask ``question`` as its first question."""
    now = now or datetime.now(UTC)
    quiz_id = await store.create_quiz(
        guild_id=guild_id, channel_id=channel_id, starter_id=3, topic=question.topic, total=1,
        seconds=QUESTION_SECONDS, now=now,
    )
    if quiz_id is None:
        raise RuntimeError(f"channel {channel_id} already has an open quiz")
    await store.add_question(
        quiz_id=quiz_id, number=1, question=question, channel_id=channel_id, opened_at=now,
        closes_at=now + timedelta(seconds=QUESTION_SECONDS), guild_id=guild_id,
    )
    return OpenQuestion(guild_id, channel_id, quiz_id, 1, question, now)
