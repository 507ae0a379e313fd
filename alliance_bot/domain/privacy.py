"""What the bot keeps about one person (/privacy) and about one server (/manage forget-server), Discord-free."""

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


@dataclass(frozen=True)
class ServerData:
    """How many records the bot holds for one server."""

    quizzes: int
    answers: int
    players: int
    names: int
    fact_versions: int
    subscriptions: int

    @property
    def total(self) -> int:
        return self.quizzes + self.answers + self.players + self.names + self.fact_versions + self.subscriptions
