"""What the bot keeps about one person: the record /privacy shows and forget-me clears (Discord-free)."""

from __future__ import annotations

from dataclasses import dataclass

FORGOTTEN = 0  # the author or starter id left on shared records of a forgotten member


@dataclass(frozen=True)
class KeptAbout:
    """How many records the bot holds about one person."""

    answers: int
    scores: int
    names: int
    fact_versions: int
    quizzes_started: int
    subscriptions: int

    @property
    def total(self) -> int:
        return self.answers + self.scores + self.names + self.fact_versions + self.quizzes_started + self.subscriptions
