"""Tables and queries for the quiz feature (migration #2).

Every counted answer is a row of ``quiz_answers`` (guild, channel, quiz, question, user, choice,
correct, points, answered_at in Unix milliseconds UTC), unique per (quiz, question, user): a second
click can never count twice. Week and month boards are summed from that table over the
``(guild_id, answered_at, ...)`` covering index, so they are exact; the all-time board and stats
read ``quiz_players``, a per-(guild, user) aggregate updated in the same transaction as each answer.

Answers are written by group commit: ``await store.record_answer(AnswerIn(...))`` queues the answer,
one drain task writes every queued answer in a single transaction, and each caller's future is
resolved only after COMMIT, so an acknowledgement never runs ahead of the data. This is the API the
button callback (``bot.cogs.quiz``) and the benchmark use.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from ..domain.quiz import Question, score_answer
from .base import StoreBase

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE quiz_sessions (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    channel_id  INTEGER NOT NULL,
    starter_id  INTEGER NOT NULL,
    topic       TEXT NOT NULL,
    total       INTEGER NOT NULL,
    seconds     INTEGER NOT NULL,
    status      TEXT NOT NULL DEFAULT 'open',
    started_at  INTEGER NOT NULL,
    ended_at    INTEGER
) STRICT;

CREATE UNIQUE INDEX quiz_sessions_one_open_per_channel ON quiz_sessions(channel_id) WHERE status = 'open';

CREATE TABLE quiz_questions (
    quiz_id       INTEGER NOT NULL REFERENCES quiz_sessions(id),
    number        INTEGER NOT NULL,
    question_key  TEXT NOT NULL,
    payload       TEXT NOT NULL,
    channel_id    INTEGER NOT NULL,
    message_id    INTEGER,
    opened_at     INTEGER NOT NULL,
    closes_at     INTEGER NOT NULL,
    closed        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (quiz_id, number)
) STRICT;

CREATE TABLE quiz_answers (
    id           INTEGER PRIMARY KEY,
    guild_id     INTEGER NOT NULL,
    channel_id   INTEGER NOT NULL,
    quiz_id      INTEGER NOT NULL,
    question     INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    choice       INTEGER NOT NULL,
    correct      INTEGER NOT NULL,
    points       INTEGER NOT NULL,
    answered_at  INTEGER NOT NULL,
    UNIQUE (quiz_id, question, user_id)
) STRICT;

CREATE INDEX quiz_answers_by_time ON quiz_answers(guild_id, answered_at, user_id, points, correct);

CREATE INDEX quiz_answers_by_user ON quiz_answers(guild_id, user_id, answered_at);

CREATE TABLE quiz_players (
    guild_id     INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    answered     INTEGER NOT NULL DEFAULT 0,
    correct      INTEGER NOT NULL DEFAULT 0,
    points       INTEGER NOT NULL DEFAULT 0,
    streak       INTEGER NOT NULL DEFAULT 0,
    best_streak  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (guild_id, user_id)
) STRICT;

CREATE INDEX quiz_players_board ON quiz_players(guild_id, points DESC, correct DESC, user_id);

CREATE TABLE quiz_seen (
    guild_id      INTEGER NOT NULL,
    topic         TEXT NOT NULL,
    question_key  TEXT NOT NULL,
    seen_at       INTEGER NOT NULL,
    PRIMARY KEY (guild_id, topic, question_key)
) STRICT;
"""


def to_ms(moment: datetime) -> int:
    """A datetime as Unix milliseconds (UTC)."""
    return int(moment.timestamp() * 1000)


def from_ms(value: int) -> datetime:
    return datetime.fromtimestamp(value / 1000, tz=UTC)


# --------------------------------------------------------------------------- domain records


@dataclass(frozen=True)
class QuizSession:
    id: int
    guild_id: int
    channel_id: int
    starter_id: int
    topic: str
    total: int
    seconds: int
    status: str


@dataclass(frozen=True)
class AskedQuestion:
    quiz_id: int
    number: int
    question: Question
    channel_id: int
    message_id: int | None
    opened_at: datetime
    closes_at: datetime
    closed: bool


@dataclass(frozen=True)
class AnswerIn:
    """One click to record; ``opened_at``/``seconds`` are the question's, for the speed bonus."""

    guild_id: int
    channel_id: int
    quiz_id: int
    question: int
    user_id: int
    choice: int
    correct: bool
    answered_at: datetime
    opened_at: datetime
    seconds: float


@dataclass(frozen=True)
class AnswerOutcome:
    """What happened to a click: recorded, a duplicate of an earlier answer, or too late."""

    status: Literal["recorded", "duplicate", "closed"]
    choice: int
    points: int = 0
    streak: int = 0


@dataclass(frozen=True)
class PlayerStats:
    user_id: int
    answered: int
    correct: int
    points: int
    streak: int
    best_streak: int
    rank: int | None

    @property
    def accuracy(self) -> float:
        return self.correct / self.answered if self.answered else 0.0


@dataclass(frozen=True)
class BoardRow:
    rank: int
    user_id: int
    points: int
    correct: int
    answered: int


@dataclass(frozen=True)
class Board:
    rows: list[BoardRow]
    caller: BoardRow | None  # the caller's own row when outside the top rows


# --------------------------------------------------------------------------- group commit


class _AnswerBatcher:
    """Queue answers; one drain task writes each batch in one transaction and resolves after COMMIT."""

    def __init__(self, store: QuizQueries) -> None:
        self._store = store
        self._pending: list[tuple[AnswerIn, asyncio.Future[AnswerOutcome]]] = []
        self._task: asyncio.Task[None] | None = None
        self.batches = 0

    async def submit(self, answer: AnswerIn) -> AnswerOutcome:
        future: asyncio.Future[AnswerOutcome] = asyncio.get_running_loop().create_future()
        self._pending.append((answer, future))
        if self._task is None or self._task.done():
            # Started on demand and ended when the queue is empty: no idle task waits forever.
            self._task = asyncio.create_task(self._drain(), name="quiz-answer-writer")
        return await future

    async def _drain(self) -> None:
        while self._pending:
            batch, self._pending = self._pending, []
            try:
                outcomes = await self._store._write_answers([answer for answer, _ in batch])
            except Exception as error:
                log.exception("could not store a batch of %d quiz answers", len(batch))
                for _, future in batch:
                    if not future.done():
                        future.set_exception(error)
                continue
            self.batches += 1
            for (_, future), outcome in zip(batch, outcomes, strict=True):
                if not future.done():
                    future.set_result(outcome)

    async def flush(self) -> None:
        """Wait until every answer queued so far is committed."""
        while self._task is not None and not self._task.done():
            await asyncio.shield(self._task)


# --------------------------------------------------------------------------- queries


class QuizQueries(StoreBase):
    """Quiz sessions, asked questions, answers (group commit), boards, stats and rotation."""

    @property
    def answer_writer(self) -> _AnswerBatcher:
        writer = getattr(self, "_quiz_answer_writer", None)
        if writer is None:
            writer = self._quiz_answer_writer = _AnswerBatcher(self)
        return writer

    # ---------------------------------------------------------------- sessions

    async def create_quiz(
        self,
        *,
        guild_id: int,
        channel_id: int,
        starter_id: int,
        topic: str,
        total: int,
        seconds: int,
        now: datetime,
    ) -> int | None:
        """Open a quiz; None if this channel already has one open (enforced by a unique index)."""
        async with self.transaction():
            changed = await self.execute(
                "INSERT OR IGNORE INTO quiz_sessions(guild_id, channel_id, starter_id, topic, total, seconds, "
                "started_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (guild_id, channel_id, starter_id, topic, total, seconds, to_ms(now)),
            )
            if not changed:
                return None
            row = await self.fetchone("SELECT last_insert_rowid()")
        return int(row[0]) if row else None

    async def open_quiz_in(self, channel_id: int) -> tuple[QuizSession, int | None] | None:
        """The channel's open quiz and its latest question message id, if any."""
        row = await self.fetchone(
            "SELECT * FROM quiz_sessions WHERE channel_id = ? AND status = 'open'", (channel_id,)
        )
        if row is None:
            return None
        latest = await self.fetchone(
            "SELECT message_id FROM quiz_questions WHERE quiz_id = ? ORDER BY number DESC LIMIT 1",
            (row["id"],),
        )
        return _session(row), (latest["message_id"] if latest else None)

    async def get_quiz(self, quiz_id: int) -> QuizSession | None:
        row = await self.fetchone("SELECT * FROM quiz_sessions WHERE id = ?", (quiz_id,))
        return _session(row) if row else None

    async def end_quiz(self, quiz_id: int, status: str, now: datetime) -> None:
        async with self.transaction():
            await self.execute(
                "UPDATE quiz_sessions SET status = ?, ended_at = ? WHERE id = ? AND status = 'open'",
                (status, to_ms(now), quiz_id),
            )
            await self.execute("UPDATE quiz_questions SET closed = 1 WHERE quiz_id = ?", (quiz_id,))

    async def interrupt_open_quizzes(self, now: datetime, keep: Collection[int] = ()) -> list[AskedQuestion]:
        """Close every quiz left open by a restart (except ``keep``); return their open questions to edit."""
        async with self.transaction():
            sessions = await self.fetchall("SELECT id FROM quiz_sessions WHERE status = 'open'")
            ids = [int(row[0]) for row in sessions if int(row[0]) not in set(keep)]
            rows = []
            for quiz_id in ids:
                rows += await self.fetchall(
                    "SELECT * FROM quiz_questions WHERE quiz_id = ? AND closed = 0", (quiz_id,)
                )
                await self.execute("UPDATE quiz_questions SET closed = 1 WHERE quiz_id = ?", (quiz_id,))
                await self.execute(
                    "UPDATE quiz_sessions SET status = 'interrupted', ended_at = ? WHERE id = ?",
                    (to_ms(now), quiz_id),
                )
        return [_asked(row) for row in rows]

    # ---------------------------------------------------------------- questions

    async def add_question(
        self,
        *,
        quiz_id: int,
        number: int,
        question: Question,
        channel_id: int,
        opened_at: datetime,
        closes_at: datetime,
        guild_id: int,
    ) -> None:
        """Record an asked question and mark it seen for the server's rotation."""
        async with self.transaction():
            await self.execute(
                "INSERT INTO quiz_questions(quiz_id, number, question_key, payload, channel_id, opened_at, closes_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    quiz_id,
                    number,
                    question.key,
                    json.dumps(question.to_json()),
                    channel_id,
                    to_ms(opened_at),
                    to_ms(closes_at),
                ),
            )
            await self.execute(
                "INSERT OR REPLACE INTO quiz_seen(guild_id, topic, question_key, seen_at) VALUES (?, ?, ?, ?)",
                (guild_id, question.topic, question.key, to_ms(opened_at)),
            )

    async def set_question_message(self, quiz_id: int, number: int, message_id: int) -> None:
        async with self.transaction():
            await self.execute(
                "UPDATE quiz_questions SET message_id = ? WHERE quiz_id = ? AND number = ?",
                (message_id, quiz_id, number),
            )

    async def close_question(self, quiz_id: int, number: int) -> None:
        """Close a question; queued answers are committed first, later ones are refused."""
        await self.answer_writer.flush()
        async with self.transaction():
            await self.execute(
                "UPDATE quiz_questions SET closed = 1 WHERE quiz_id = ? AND number = ?", (quiz_id, number)
            )

    async def get_question(self, quiz_id: int, number: int) -> AskedQuestion | None:
        row = await self.fetchone(
            "SELECT * FROM quiz_questions WHERE quiz_id = ? AND number = ?", (quiz_id, number)
        )
        return _asked(row) if row else None

    async def seen_keys(self, guild_id: int, topic: str) -> set[str]:
        rows = await self.fetchall(
            "SELECT question_key FROM quiz_seen WHERE guild_id = ? AND topic = ?", (guild_id, topic)
        )
        return {row[0] for row in rows}

    async def reset_seen(self, guild_id: int, topic: str) -> None:
        """Start a new rotation cycle for the server's topic."""
        async with self.transaction():
            await self.execute("DELETE FROM quiz_seen WHERE guild_id = ? AND topic = ?", (guild_id, topic))

    # ---------------------------------------------------------------- answers

    async def record_answer(self, answer: AnswerIn) -> AnswerOutcome:
        """Store one click through the group-commit writer; returns after the batch is committed."""
        return await self.answer_writer.submit(answer)

    async def flush_answers(self) -> None:
        await self.answer_writer.flush()

    async def _write_answers(self, answers: Sequence[AnswerIn]) -> list[AnswerOutcome]:
        """Write a batch in one transaction and one trip to the database thread."""
        return await self.write_in_one_hop(lambda connection: _write_answer_batch(connection, answers))

    async def question_answers(self, quiz_id: int, number: int) -> list[tuple[int, int, bool, int]]:
        """(user_id, choice, correct, points) for one question, first answer first."""
        rows = await self.fetchall(
            "SELECT user_id, choice, correct, points FROM quiz_answers WHERE quiz_id = ? AND question = ? "
            "ORDER BY answered_at, id",
            (quiz_id, number),
        )
        return [(int(r[0]), int(r[1]), bool(r[2]), int(r[3])) for r in rows]

    async def count_answers(self, quiz_id: int, number: int | None = None) -> int:
        if number is None:
            row = await self.fetchone("SELECT COUNT(*) FROM quiz_answers WHERE quiz_id = ?", (quiz_id,))
        else:
            row = await self.fetchone(
                "SELECT COUNT(*) FROM quiz_answers WHERE quiz_id = ? AND question = ?", (quiz_id, number)
            )
        return int(row[0]) if row else 0

    async def quiz_scores(self, quiz_id: int) -> list[BoardRow]:
        """This quiz's players by points (the round summary)."""
        rows = await self.fetchall(
            "SELECT user_id, SUM(points) AS points, SUM(correct) AS correct, COUNT(*) AS answered "
            "FROM quiz_answers WHERE quiz_id = ? GROUP BY user_id ORDER BY points DESC, correct DESC, user_id",
            (quiz_id,),
        )
        return [BoardRow(i + 1, int(r[0]), int(r[1]), int(r[2]), int(r[3])) for i, r in enumerate(rows)]

    # ---------------------------------------------------------------- boards and stats

    async def leaderboard(
        self, guild_id: int, *, since: datetime | None, user_id: int, limit: int = 10
    ) -> Board:
        """Top ``limit`` players since ``since`` (None: all time), plus the caller's row if outside them."""
        if since is None:
            rows = await self.fetchall(
                "SELECT user_id, points, correct, answered FROM quiz_players WHERE guild_id = ? AND answered > 0 "
                "ORDER BY points DESC, correct DESC, user_id LIMIT ?",
                (guild_id, limit),
            )
        else:
            rows = await self.fetchall(
                "SELECT user_id, SUM(points) AS points, SUM(correct) AS correct, COUNT(*) AS answered "
                "FROM quiz_answers WHERE guild_id = ? AND answered_at >= ? GROUP BY user_id "
                "ORDER BY points DESC, correct DESC, user_id LIMIT ?",
                (guild_id, to_ms(since), limit),
            )
        board = [BoardRow(i + 1, int(r[0]), int(r[1]), int(r[2]), int(r[3])) for i, r in enumerate(rows)]
        caller = None
        if all(row.user_id != user_id for row in board):
            caller = await self._caller_row(guild_id, since=since, user_id=user_id)
        return Board(board, caller)

    async def _caller_row(self, guild_id: int, *, since: datetime | None, user_id: int) -> BoardRow | None:
        if since is None:
            mine = await self.fetchone(
                "SELECT points, correct, answered FROM quiz_players WHERE guild_id = ? AND user_id = ? AND answered > 0",
                (guild_id, user_id),
            )
            if mine is None:
                return None
            ahead = await self.fetchone(
                "SELECT COUNT(*) FROM quiz_players WHERE guild_id = ? AND answered > 0 AND (points > ? OR "
                "(points = ? AND correct > ?) OR (points = ? AND correct = ? AND user_id < ?))",
                (guild_id, mine[0], mine[0], mine[1], mine[0], mine[1], user_id),
            )
        else:
            mine = await self.fetchone(
                "SELECT SUM(points), SUM(correct), COUNT(*) FROM quiz_answers "
                "WHERE guild_id = ? AND user_id = ? AND answered_at >= ?",
                (guild_id, user_id, to_ms(since)),
            )
            if mine is None or not mine[2]:
                return None
            ahead = await self.fetchone(
                "SELECT COUNT(*) FROM (SELECT user_id, SUM(points) AS p, SUM(correct) AS c FROM quiz_answers "
                "WHERE guild_id = ? AND answered_at >= ? GROUP BY user_id) "
                "WHERE p > ? OR (p = ? AND c > ?) OR (p = ? AND c = ? AND user_id < ?)",
                (guild_id, to_ms(since), mine[0], mine[0], mine[1], mine[0], mine[1], user_id),
            )
        return BoardRow(int(ahead[0]) + 1 if ahead else 1, user_id, int(mine[0]), int(mine[1]), int(mine[2]))

    async def player_stats(self, guild_id: int, user_id: int) -> PlayerStats:
        """Answered, correct, points, current and best streak, and all-time rank (None if never played)."""
        row = await self.fetchone(
            "SELECT answered, correct, points, streak, best_streak FROM quiz_players WHERE guild_id = ? AND user_id = ?",
            (guild_id, user_id),
        )
        if row is None or not row[0]:
            return PlayerStats(user_id, 0, 0, 0, 0, 0, None)
        ranked = await self._caller_row(guild_id, since=None, user_id=user_id)
        return PlayerStats(
            user_id,
            int(row[0]),
            int(row[1]),
            int(row[2]),
            int(row[3]),
            int(row[4]),
            ranked.rank if ranked else None,
        )


def _session(row) -> QuizSession:
    return QuizSession(
        id=int(row["id"]),
        guild_id=int(row["guild_id"]),
        channel_id=int(row["channel_id"]),
        starter_id=int(row["starter_id"]),
        topic=row["topic"],
        total=int(row["total"]),
        seconds=int(row["seconds"]),
        status=row["status"],
    )


def _asked(row) -> AskedQuestion:
    return AskedQuestion(
        quiz_id=int(row["quiz_id"]),
        number=int(row["number"]),
        question=Question.from_json(json.loads(row["payload"])),
        channel_id=int(row["channel_id"]),
        message_id=int(row["message_id"]) if row["message_id"] is not None else None,
        opened_at=from_ms(int(row["opened_at"])),
        closes_at=from_ms(int(row["closes_at"])),
        closed=bool(row["closed"]),
    )


_INSERT_ANSWERS = (
    "INSERT INTO quiz_answers(guild_id, channel_id, quiz_id, question, user_id, choice, correct, points, "
    "answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_UPSERT_PLAYERS = (
    "INSERT INTO quiz_players(guild_id, user_id, answered, correct, points, streak, best_streak) "
    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(guild_id, user_id) DO UPDATE SET "
    "answered = answered + excluded.answered, correct = correct + excluded.correct, "
    "points = points + excluded.points, streak = excluded.streak, "
    "best_streak = MAX(best_streak, excluded.best_streak)"
)
_CHUNK = 500  # stays under SQLite's limit on bound parameters per statement


def _chunks(items: Sequence[int]) -> list[Sequence[int]]:
    return [items[i : i + _CHUNK] for i in range(0, len(items), _CHUNK)]


def _write_answer_batch(connection: sqlite3.Connection, answers: Sequence[AnswerIn]) -> list[AnswerOutcome]:
    """Store a batch of clicks with a handful of set-based statements (runs in the database thread).

    Per batch: which questions are still open, the players' current streaks, and earlier answers,
    then one ``executemany`` for the new answers and one for the players' totals. Clicks are
    scored in click order, so a player's streak chains correctly even with two answers in a batch;
    the write lock guarantees nothing else writes between these reads and the inserts.
    """
    questions = {(a.quiz_id, a.question) for a in answers}
    open_questions = {
        key
        for key in questions
        if connection.execute(
            "SELECT 1 FROM quiz_questions WHERE quiz_id = ? AND number = ? AND closed = 0", key
        ).fetchone()
    }
    streaks: dict[tuple[int, int], int] = {}
    for guild_id in {a.guild_id for a in answers}:
        users = sorted({a.user_id for a in answers if a.guild_id == guild_id})
        for chunk in _chunks(users):
            marks = ",".join("?" * len(chunk))
            for user_id, streak in connection.execute(
                f"SELECT user_id, streak FROM quiz_players WHERE guild_id = ? AND user_id IN ({marks})",
                (guild_id, *chunk),
            ):
                streaks[(guild_id, user_id)] = int(streak)
    earlier: dict[tuple[int, int, int], int] = {}
    for quiz_id, number in questions:
        users = sorted({a.user_id for a in answers if (a.quiz_id, a.question) == (quiz_id, number)})
        for chunk in _chunks(users):
            marks = ",".join("?" * len(chunk))
            for user_id, choice in connection.execute(
                f"SELECT user_id, choice FROM quiz_answers WHERE quiz_id = ? AND question = ? AND user_id IN ({marks})",
                (quiz_id, number, *chunk),
            ):
                earlier[(quiz_id, number, user_id)] = int(choice)

    outcomes: list[AnswerOutcome] = []
    rows: list[tuple[int, ...]] = []
    totals: dict[tuple[int, int], list[int]] = {}  # (guild, user) -> [answered, correct, points, streak, best]
    for answer in answers:
        key = (answer.quiz_id, answer.question, answer.user_id)
        if key in earlier:
            outcomes.append(AnswerOutcome("duplicate", earlier[key]))
            continue
        if (answer.quiz_id, answer.question) not in open_questions:
            outcomes.append(AnswerOutcome("closed", answer.choice))
            continue
        player = (answer.guild_id, answer.user_id)
        elapsed = (answer.answered_at - answer.opened_at).total_seconds()
        score = score_answer(answer.correct, elapsed, answer.seconds, streaks.get(player, 0))
        streaks[player] = score.streak
        earlier[key] = answer.choice
        rows.append(
            (
                answer.guild_id,
                answer.channel_id,
                answer.quiz_id,
                answer.question,
                answer.user_id,
                answer.choice,
                int(answer.correct),
                score.points,
                to_ms(answer.answered_at),
            )
        )
        total = totals.setdefault(player, [0, 0, 0, 0, 0])
        total[0] += 1
        total[1] += int(answer.correct)
        total[2] += score.points
        total[3] = score.streak
        total[4] = max(total[4], score.streak)
        outcomes.append(AnswerOutcome("recorded", answer.choice, score.points, score.streak))
    connection.executemany(_INSERT_ANSWERS, rows)
    connection.executemany(_UPSERT_PLAYERS, [(*player, *total) for player, total in totals.items()])
    return outcomes
