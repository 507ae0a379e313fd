"""/quiz start, leaderboard, stats and stop: the round loop and the answer-button glue.

Rules (questions, scoring, rotation) live in ``alliance_bot.domain.quiz``; SQL and the group-commit answer
writer in ``alliance_bot.storage.quiz``; every embed and line in ``alliance_bot.render.quiz``. Answer buttons are
``discord.ui.DynamicItem`` instances whose custom_id names the quiz, question and choice, so a
click is understood even after a restart. ``Quiz.handle_answer`` is the function a click runs.
"""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from ..client import AllianceBot
from ..domain.errors import UserError
from ..domain.facts import FactBase
from ..domain.quiz import (
    DEFAULT_SECONDS,
    LETTERS,
    MAX_QUESTIONS,
    MAX_SECONDS,
    MIN_SECONDS,
    REVEAL_PAUSE,
    UNANSWERED_LIMIT,
    Question,
    at_difficulty,
    period_start,
    pick_next,
    question_pool,
    reshuffled,
)
from ..render import NO_MENTIONS, reply_after_change, send_ephemeral
from ..render import quiz as view
from ..storage import is_storage_failure
from ..storage.quiz import AnswerIn, AskedQuestion, QuizSession
from .checks import is_moderator

log = logging.getLogger(__name__)

# A starter's interaction token lives 15 minutes; past this margin before that, tell the channel.
STARTER_TOKEN_MARGIN = timedelta(seconds=30)

TOPIC_CHOICES = view.TOPIC_CHOICES


@dataclass
class QuizRun:
    """A quiz being played in one channel (in memory; the database has the record)."""

    session: QuizSession
    rng: random.Random
    asked_keys: list[str] = field(default_factory=list)
    current: AskedQuestion | None = None
    accepting: bool = False
    sleeping: bool = False
    stopped_by: str | None = None
    unanswered: int = 0  # questions in a row nobody answered
    task: asyncio.Task[None] | None = None
    starter: discord.Interaction | None = None  # to tell the starter if the quiz cannot go on
    pool: dict[str, Question] = field(default_factory=dict)  # questions from ``pool_facts``
    pool_facts: FactBase | None = None  # the server's facts the pool was generated from
    difficulty: str | None = None  # only questions of this difficulty (None: all)
    reveal_pause: float = REVEAL_PAUSE  # seconds between a reveal and the next question


def _usable(pool: dict[str, Question], difficulty: str | None, retired: set[str]) -> dict[str, Question]:
    """The questions a quiz may ask: of its difficulty, none the server retired."""
    return {key: q for key, q in at_difficulty(pool, difficulty).items() if key not in retired}


@app_commands.guild_only()
class Quiz(
    commands.GroupCog, group_name="quiz", group_description="Quizzes on alliances and US–Russia relations"
):
    def __init__(self, bot: AllianceBot) -> None:
        self.bot = bot
        self.runs: dict[int, QuizRun] = {}  # quiz id -> run
        self.by_channel: dict[int, int] = {}  # channel id -> quiz id
        self._recovery: asyncio.Task[None] | None = None
        # Quizzes that ended in memory but whose end the store refused (a full disk, a lost
        # connection): stored again before the next /quiz start (and by the next start-up's
        # recovery), so a failed store never leaves a channel blocked once it works again.
        self._unended: dict[int, str] = {}  # quiz id -> status to store
        super().__init__()

    async def cog_load(self) -> None:
        self.bot.add_lean_dynamic_items(view.AnswerButton, view.ReportButton)  # no View rebuilt per click
        # cog_load runs before the bot is connected: close leftover quizzes once it is ready.
        self._recovery = asyncio.create_task(self._close_interrupted(), name="quiz-recovery")

    async def cog_unload(self) -> None:
        self.bot.remove_lean_dynamic_items(view.AnswerButton, view.ReportButton)
        for run in list(self.runs.values()):
            if run.task is not None:
                run.task.cancel()

    # ------------------------------------------------------------------ commands

    @app_commands.command(name="start", description="Start a quiz in this channel")
    @app_commands.describe(
        questions="How many questions (1-20, default 5)",
        topic="What the questions are about (default US–Russia)",
        seconds=f"Seconds to answer each question ({MIN_SECONDS}-{MAX_SECONDS}, default 20)",
        difficulty="Only easy, medium or hard questions (default: all)",
    )
    @app_commands.choices(topic=TOPIC_CHOICES)
    async def start(
        self,
        interaction: discord.Interaction,
        questions: app_commands.Range[int, 1, MAX_QUESTIONS] | None = None,
        topic: str | None = None,
        seconds: app_commands.Range[int, MIN_SECONDS, MAX_SECONDS] | None = None,
        difficulty: Literal["easy", "medium", "hard"] | None = None,
    ) -> None:
        if interaction.guild_id is None or interaction.channel_id is None:
            raise UserError(view.GUILD_ONLY_QUIZ)
        # What the member leaves out comes from the server's settings (/manage quiz defaults), then the bot's.
        settings = await self.bot.store.quiz_settings(interaction.guild_id)
        questions = questions or settings.questions or 5
        topic = topic or settings.topic or "us-russia"
        seconds = seconds or settings.seconds or DEFAULT_SECONDS
        difficulty = difficulty or settings.difficulty  # type: ignore[assignment]
        if topic not in view.TOPIC_LABELS:
            raise UserError(view.no_questions(topic))
        guild_id, channel_id = interaction.guild_id, interaction.channel_id
        await self._refuse_if_running(guild_id, channel_id)
        facts = await self.bot.services.facts.view(guild_id)
        rng = random.Random()
        # Generation grows with the server's entries: never on the event loop.
        retired = await self.bot.store.retired_questions(guild_id)
        pool = _usable(await asyncio.to_thread(question_pool, facts, topic), difficulty, retired)
        if not pool:
            raise UserError(view.no_questions(topic, difficulty))
        quiz_id = await self.bot.store.create_quiz(
            guild_id=guild_id,
            channel_id=channel_id,
            starter_id=interaction.user.id,
            topic=topic,
            total=questions,
            seconds=seconds,
            now=discord.utils.utcnow(),
        )
        if quiz_id is None:
            await self._refuse_if_running(guild_id, channel_id)
            raise UserError(view.already_running(None))
        session = await self.bot.store.get_quiz(quiz_id)
        assert session is not None
        run = QuizRun(
            session=session, rng=rng, starter=interaction, pool=pool, pool_facts=facts, difficulty=difficulty,
            reveal_pause=REVEAL_PAUSE if settings.reveal_pause is None else settings.reveal_pause,
        )
        self.runs[quiz_id] = run
        self.by_channel[channel_id] = quiz_id
        try:
            await interaction.response.send_message(
                view.started_text(interaction.user.display_name, questions, topic, seconds),
                allowed_mentions=NO_MENTIONS,
            )
        except Exception as error:
            # Nobody saw the quiz start and no question was posted: it must not hold the channel.
            log.warning("quiz %d did not start: its reply failed (%r)", quiz_id, error)
            await self._forget(run, "failed")
            if isinstance(error, discord.HTTPException):
                raise UserError(view.START_FAILED) from error
            raise
        run.task = asyncio.create_task(self._play(run), name=f"quiz-{quiz_id}")
        await self.bot.services.names.remember(guild_id, interaction.user)  # never fails the quiz (client.py)

    @app_commands.command(
        name="stop", description="Stop the quiz in this channel (its starter or a moderator)"
    )
    async def stop(self, interaction: discord.Interaction) -> None:
        quiz_id = self.by_channel.get(interaction.channel_id or 0)
        run = self.runs.get(quiz_id) if quiz_id is not None else None
        if run is None or run.stopped_by is not None:
            raise UserError(view.NO_QUIZ_HERE)
        if interaction.user.id != run.session.starter_id and not is_moderator(interaction):
            raise UserError(view.STOP_REFUSED)
        run.stopped_by = interaction.user.display_name
        if run.sleeping and run.task is not None:
            run.task.cancel()
        await reply_after_change(send_ephemeral(interaction, view.STOPPED_ACK), view.STOPPED_ACK)

    @app_commands.command(name="leaderboard", description="This server's quiz board: top 10 and your rank")
    @app_commands.describe(period="Which board (default all-time)")
    async def leaderboard(
        self, interaction: discord.Interaction, period: Literal["all-time", "month", "week"] = "all-time"
    ) -> None:
        if interaction.guild_id is None:
            raise UserError(view.GUILD_ONLY_QUIZ)
        now = discord.utils.utcnow()
        since = period_start(period, now)
        board = await self.bot.store.leaderboard(interaction.guild_id, period=period, now=now, user_id=interaction.user.id)
        shown = [row.user_id for row in board.rows] + ([board.caller.user_id] if board.caller else [])
        names = await self.bot.services.names.display_names(interaction.guild_id, shown)
        await interaction.response.send_message(
            embed=view.leaderboard_embed(board, period, since, interaction.user.id, names),
            allowed_mentions=NO_MENTIONS,
        )

    @app_commands.command(name="stats", description="Quiz stats for you or another member")
    @app_commands.describe(member="Whose stats (default: yours)")
    async def stats(self, interaction: discord.Interaction, member: discord.Member | None = None) -> None:
        if interaction.guild_id is None:
            raise UserError(view.GUILD_ONLY_QUIZ)
        who = member if member is not None else interaction.user
        stats = await self.bot.store.player_stats(interaction.guild_id, who.id)
        # The option (or the caller) carries the member's current name: show it, and keep it.
        await interaction.response.send_message(
            embed=view.stats_embed(who.id, stats, {who.id: who.display_name}), allowed_mentions=NO_MENTIONS
        )
        if stats.answered:
            await self.bot.services.names.remember(interaction.guild_id, who)

    # ------------------------------------------------------------------ answers

    async def open_report(self, interaction: discord.Interaction, quiz_id: int, number: int) -> None:
        """The Report button under a revealed question: a form for the reason, then the report stored
        for this server (a question asked elsewhere is never reported here)."""
        session = await self.bot.store.get_quiz(quiz_id)
        asked = await self.bot.store.get_question(quiz_id, number)
        if session is None or asked is None or session.guild_id != interaction.guild_id:
            raise UserError(view.REPORT_GONE)
        question = asked.question

        async def submitted(modal_interaction: discord.Interaction, reason: str) -> None:
            await self.bot.store.report_question(
                session.guild_id, question.key, question.topic, question.prompt, reason.strip(),
                modal_interaction.user.id, discord.utils.utcnow(),
            )
            await modal_interaction.response.send_message(view.REPORTED, ephemeral=True)

        await interaction.response.send_modal(view.ReportModal(submitted))

    async def handle_answer(
        self, interaction: discord.Interaction, quiz_id: int, number: int, choice: int
    ) -> None:
        """Record a click (final once given) and acknowledge it only after the answer is committed."""
        now = discord.utils.utcnow()
        run = self.runs.get(quiz_id)
        if run is None:
            await send_ephemeral(interaction, view.QUIZ_OVER)
            return
        asked = run.current
        if (
            asked is None
            or asked.number != number
            or not run.accepting
            or now >= asked.closes_at
            or choice >= len(asked.question.choices)
        ):
            await send_ephemeral(interaction, view.CLOSED)
            return
        name = self.bot.services.names.unstored(run.session.guild_id, interaction.user)
        outcome = await self.bot.store.record_answer(
            AnswerIn(
                guild_id=run.session.guild_id,
                channel_id=run.session.channel_id,
                quiz_id=quiz_id,
                question=number,
                user_id=interaction.user.id,
                choice=choice,
                correct=choice == asked.question.answer,
                answered_at=now,
                opened_at=asked.opened_at,
                seconds=run.session.seconds,
                display_name=name,  # stored with a counted answer, in its commit
            )
        )
        if outcome.status == "recorded":
            if name is not None:
                self.bot.services.names.stored(run.session.guild_id, interaction.user.id, name)
            text = view.locked_in(LETTERS[choice])
        elif outcome.status == "duplicate":
            text = view.already_answered(LETTERS[outcome.choice])
        else:
            text = view.CLOSED
        # The answer is committed: if Discord refuses the acknowledgement, the error path repeats it.
        await reply_after_change(send_ephemeral(interaction, text), text)

    # ------------------------------------------------------------------ the round

    async def _refuse_if_running(self, guild_id: int, channel_id: int) -> None:
        await self._store_unended_ends()
        running = await self.bot.store.open_quiz_in(channel_id)
        if running is None and channel_id not in self.by_channel:
            return
        url = None
        if running is not None and running[1] is not None:
            url = view.message_url(guild_id, channel_id, running[1])
        raise UserError(view.already_running(url))

    async def _play(self, run: QuizRun) -> None:
        session = run.session
        status = "finished"
        asked_count = 0
        try:
            for number in range(1, session.total + 1):
                if run.stopped_by is not None:
                    break
                asked = await self._ask(run, number)
                if asked is None:
                    break
                asked_count = number
                await self._sleep(run, (asked.closes_at - discord.utils.utcnow()).total_seconds())
                answered = await self._close(run, asked)
                run.unanswered = 0 if answered else run.unanswered + 1
                if run.unanswered >= UNANSWERED_LIMIT:
                    break
                if number < session.total:
                    await self._sleep(run, run.reveal_pause)  # time to read the reveal
            if run.stopped_by is not None or run.unanswered >= UNANSWERED_LIMIT:
                status = "stopped"
            await self.bot.store.end_quiz(session.id, status, discord.utils.utcnow())
            rows = await self.bot.store.quiz_scores(session.id)
            names = await self.bot.services.names.display_names(session.guild_id, [row.user_id for row in rows])
            channel = self.bot.get_partial_messageable(session.channel_id, guild_id=session.guild_id)
            await channel.send(
                embed=view.summary_embed(
                    rows,
                    names,
                    topic=session.topic,
                    asked=asked_count,
                    total=session.total,
                    stopped_by=run.stopped_by,
                    unanswered=run.unanswered if run.unanswered >= UNANSWERED_LIMIT else 0,
                ),
                allowed_mentions=NO_MENTIONS,
            )
        except asyncio.CancelledError:
            raise
        except Exception as error:
            # The cleanup must not depend on what just failed: the run ends in memory whatever the
            # store says (finally), its end is stored now or retried later, and someone is told.
            log.exception("quiz %d in channel %d failed", session.id, session.channel_id)
            self._drop(run)
            await self._end_in_store(session.id, "failed")
            await self._tell_failure(run, view.failed_text(_failure_reason(error)))
        finally:
            self._drop(run)

    def _drop(self, run: QuizRun) -> None:
        """Forget a run in memory: its channel is free again."""
        run.accepting = False
        session = run.session
        self.runs.pop(session.id, None)
        if self.by_channel.get(session.channel_id) == session.id:
            del self.by_channel[session.channel_id]

    async def _forget(self, run: QuizRun, status: str) -> None:
        """End a run that never got going, in memory and in the database (or later, see _end_in_store)."""
        self._drop(run)
        await self._end_in_store(run.session.id, status)

    async def _end_in_store(self, quiz_id: int, status: str) -> None:
        """Store a quiz's end; if the store refuses, keep it to retry (the channel is free meanwhile)."""
        try:
            await self.bot.store.end_quiz(quiz_id, status, discord.utils.utcnow())
        except Exception:
            log.warning("could not store the end of quiz %d; will retry", quiz_id, exc_info=True)
            self._unended[quiz_id] = status
        else:
            self._unended.pop(quiz_id, None)

    async def _store_unended_ends(self) -> None:
        """One more try at storing the ends the store refused earlier."""
        for quiz_id, status in list(self._unended.items()):
            try:
                await self.bot.store.end_quiz(quiz_id, status, discord.utils.utcnow())
            except Exception:
                log.info("the end of quiz %d still cannot be stored", quiz_id)
                return
            self._unended.pop(quiz_id, None)

    async def _tell_failure(self, run: QuizRun, text: str) -> None:
        """Say why the quiz stopped: to its starter while their token lives, else in the channel."""
        starter = run.starter
        if starter is not None and discord.utils.utcnow() < starter.expires_at - STARTER_TOKEN_MARGIN:
            try:
                await starter.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
                return
            except discord.HTTPException:
                log.info("could not tell the starter of quiz %d why it ended; telling the channel", run.session.id)
        session = run.session
        channel = self.bot.get_partial_messageable(session.channel_id, guild_id=session.guild_id)
        try:
            await channel.send(text, allowed_mentions=NO_MENTIONS)
        except discord.HTTPException:
            log.warning("could not tell channel %d why quiz %d ended", session.channel_id, session.id)

    async def _ask(self, run: QuizRun, number: int) -> AskedQuestion | None:
        """Pick the next question from the server's current facts, post it and open it for answers."""
        session = run.session
        facts = await self.bot.services.facts.view(session.guild_id)
        if facts is not run.pool_facts:  # the server's facts changed since: their questions too
            retired = await self.bot.store.retired_questions(session.guild_id)
            run.pool = _usable(await asyncio.to_thread(question_pool, facts, session.topic), run.difficulty, retired)
            run.pool_facts = facts
        pool = run.pool
        seen = await self.bot.store.seen_keys(session.guild_id, session.topic)
        key, new_cycle = pick_next(pool, seen, run.rng, avoid=run.asked_keys)
        if key is None:
            return None
        if new_cycle:
            await self.bot.store.reset_seen(session.guild_id, session.topic)
        question = reshuffled(pool[key], run.rng)  # the pool is shared by the view's quizzes: new order here
        run.asked_keys.append(key)
        opened_at = discord.utils.utcnow()
        closes_at = opened_at + timedelta(seconds=session.seconds)
        await self.bot.store.add_question(
            quiz_id=session.id,
            number=number,
            question=question,
            channel_id=session.channel_id,
            opened_at=opened_at,
            closes_at=closes_at,
            guild_id=session.guild_id,
        )
        channel = self.bot.get_partial_messageable(session.channel_id, guild_id=session.guild_id)
        message = await channel.send(
            embed=view.question_embed(question, number, session.total, closes_at),
            view=view.answer_view(session.id, number, question),
            allowed_mentions=NO_MENTIONS,
        )
        await self.bot.store.set_question_message(session.id, number, message.id)
        run.current = AskedQuestion(
            quiz_id=session.id,
            number=number,
            question=question,
            channel_id=session.channel_id,
            message_id=message.id,
            opened_at=opened_at,
            closes_at=closes_at,
            closed=False,
        )
        run.accepting = True
        return run.current

    async def _sleep(self, run: QuizRun, delay: float) -> None:
        """Sleep ``delay`` seconds (a question's time, the pause after a reveal); /quiz stop cuts it short."""
        if run.stopped_by is not None:
            return
        run.sleeping = True
        try:
            await asyncio.sleep(max(delay, 0.0))
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if run.stopped_by is None or task is None:
                raise
            task.uncancel()
        finally:
            run.sleeping = False

    async def _close(self, run: QuizRun, asked: AskedQuestion, note: str | None = None) -> int:
        """Stop taking answers, then edit the question in place: right answer, source, who got it.

        Returns how many answered it.
        """
        run.accepting = False
        await self.bot.store.close_question(asked.quiz_id, asked.number)
        return await self._reveal(asked, run.session.total, note, run.session.guild_id)

    async def _reveal(self, asked: AskedQuestion, total: int, note: str | None, guild_id: int) -> int:
        answers = await self.bot.store.question_answers(asked.quiz_id, asked.number)
        right = [user_id for user_id, _, correct, _ in answers if correct]
        if asked.message_id is None:
            return len(answers)
        names = await self.bot.services.names.display_names(guild_id, right)
        message = self.bot.get_partial_messageable(asked.channel_id).get_partial_message(asked.message_id)
        try:
            await message.edit(
                embed=view.closed_embed(
                    asked.question,
                    asked.number,
                    total,
                    right_users=right,
                    answered=len(answers),
                    names=names,
                    note=note,
                ),
                view=view.answer_view(asked.quiz_id, asked.number, asked.question, closed=True),
                allowed_mentions=NO_MENTIONS,
            )
        except discord.HTTPException:
            log.warning("could not edit quiz question message %d", asked.message_id, exc_info=True)
        return len(answers)

    async def _close_interrupted(self) -> None:
        """Close quizzes a restart left open: edit their open questions to say so; answers are kept."""
        await self.bot.wait_until_ready()
        try:
            leftovers = await self.bot.store.interrupt_open_quizzes(
                discord.utils.utcnow(), keep=set(self.runs)
            )
        except Exception:
            if self.bot.is_closed():  # stopped during start-up: the next start closes them
                return
            log.exception("could not close interrupted quizzes")
            return
        for asked in leftovers:
            if asked.quiz_id in self.runs:
                continue
            session = await self.bot.store.get_quiz(asked.quiz_id)
            total = session.total if session is not None else asked.number
            guild_id = session.guild_id if session is not None else 0  # 0: no names to look up
            await self._reveal(asked, total, view.INTERRUPTED_NOTE, guild_id)
        if leftovers:
            log.info("closed %d question(s) left open by a restart", len(leftovers))


def _failure_reason(error: BaseException) -> Literal["forbidden", "discord", "storage"]:
    if isinstance(error, discord.Forbidden):
        return "forbidden"
    return "storage" if is_storage_failure(error) else "discord"


async def setup(bot: AllianceBot) -> None:
    await bot.add_cog(Quiz(bot))
