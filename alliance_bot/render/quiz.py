"""Every quiz embed, button and user-visible line: questions, reveals, summaries, boards and stats."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, Literal, Protocol

import discord

from ..domain.quiz import LETTERS, Question, QuizSettings, Report
from . import (
    COLOUR_INFO,
    COLOUR_WARN,
    COLOUR_YES,
    FIELD_VALUE_LIMIT,
    BaseModal,
    clip,
    footer_for,
    loaded_cog,
    make_embed,
    person,
    source_text,
)

log = logging.getLogger(__name__)

TOPIC_LABELS = {
    "us-russia": "US–Russia",
    "timeline": "Timeline",
    "alliances": "Alliances",
    "19th-century": "19th century",
    "world-wars": "World wars",
    "cold-war": "Cold War",
    "mixed": "Mixed",
    "server": "This server's questions",
}
PERIOD_LABELS = {"all-time": "all time", "month": "this month", "week": "this week"}

# ------------------------------------------------------------------------- short replies

CLOSED = "This question has closed, so answers can't be given or changed any more."
QUIZ_OVER = "This quiz is over; answers given while it ran are kept."
NO_QUIZ_HERE = "There is no quiz running in this channel. Start one with `/quiz start`."
STOP_REFUSED = "Only the person who started this quiz or a moderator (Manage Server) can stop it."
STOPPED_ACK = "Stopping the quiz. Scores so far are kept."
NO_SCORES = "Nobody has answered a quiz question here yet. Start one with `/quiz start`."
GUILD_ONLY_QUIZ = "Quizzes run inside a server."
START_FAILED = "The quiz did not start: Discord did not accept my reply. Nothing was recorded; try `/quiz start` again."


FAILURE_REASONS = {
    "forbidden": "I'm not allowed to post or edit messages in this channel (I need Send Messages and Embed Links)",
    "discord": "Discord refused a message I needed to post",
    "storage": "my database refused a write, so the last question was not recorded",
}


def failed_text(reason: Literal["forbidden", "discord", "storage"]) -> str:
    return f"⚠️ The quiz had to stop: {FAILURE_REASONS[reason]}. Answers given so far are kept."


def locked_in(letter: str) -> str:
    return f"Locked in: {letter}"


def already_answered(letter: str) -> str:
    return f"You already answered {letter}; an answer is final once given."


def already_running(url: str | None) -> str:
    where = f" [Jump to it]({url})." if url else ""
    return f"A quiz is already running in this channel; one at a time.{where}"


TOPIC_CHOICES = [discord.app_commands.Choice(name=label, value=value) for value, label in TOPIC_LABELS.items()]


def no_questions(topic: str, difficulty: str | None = None) -> str:
    level = f" at {difficulty} difficulty" if difficulty else ""
    return f"I have no questions for the topic {TOPIC_LABELS.get(topic, topic)}{level} yet, so I can't start a quiz."


def started_text(starter: str, total: int, topic: str, seconds: int) -> str:
    """The public line that opens a quiz; ``starter`` is the member's display name."""
    plural = "question" if total == 1 else "questions"
    return (
        f"🎯 {discord.utils.escape_markdown(starter)} started a quiz: {total} {plural} on **{TOPIC_LABELS.get(topic, topic)}**, "
        f"{seconds} s each. Anyone here can answer; your first click is final."
    )


def message_url(guild_id: int, channel_id: int, message_id: int) -> str:
    return f"https://discord.com/channels/{guild_id}/{channel_id}/{message_id}"


# ------------------------------------------------------------------------- answer buttons


class AnswerHandler(Protocol):
    async def handle_answer(
        self, interaction: discord.Interaction, quiz_id: int, number: int, choice: int
    ) -> None: ...


class AnswerButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"quiz:(?P<quiz>[0-9]{1,19}):(?P<number>[0-9]{1,3}):(?P<choice>[0-4])",
):
    """One answer button; its custom_id carries quiz, question and choice, so it works after a restart."""

    def __init__(
        self,
        quiz_id: int,
        number: int,
        choice: int,
        *,
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
        disabled: bool = False,
    ) -> None:
        super().__init__(
            discord.ui.Button(
                label=LETTERS[choice],
                style=style,
                disabled=disabled,
                custom_id=f"quiz:{quiz_id}:{number}:{choice}",
            )
        )
        self.quiz_id = quiz_id
        self.number = number
        self.choice = choice

    def is_dispatchable(self) -> bool:
        # Clicks reach it through AllianceBot.add_lean_dynamic_items; sending it must not register
        # it in discord.py's view store, which would rebuild a View from the message on every click.
        return False

    @classmethod
    async def on_click(cls, interaction: discord.Interaction, match: re.Match[str]) -> None:
        """A click, straight from its custom_id (AllianceBot's lean dispatch; errors go to its one error path)."""
        handler: AnswerHandler = loaded_cog(interaction, "Quiz")
        await handler.handle_answer(interaction, int(match["quiz"]), int(match["number"]), int(match["choice"]))


class ReportHandler(Protocol):
    async def open_report(self, interaction: discord.Interaction, quiz_id: int, number: int) -> None: ...


REPORT_LABEL = "Report this question"
REPORT_REASON = "What is wrong with it?"
REPORTED = "Thanks: the server's moderators will see your report (/manage quiz reports)."
NOTHING_TO_CHANGE = "Give at least one setting to change: topic, difficulty, questions, seconds or reveal_pause."
NOT_REPORTED = "Pick a reported question from the list (see /manage quiz reports)."
ALREADY_RETIRED = "That question is already retired in this server."


def retired_text(prompt: str) -> str:
    return f"Retired in this server: “{clip(prompt, 200)}”. It will not be asked here again."


REPORT_GONE = "That question is no longer known here, so it can't be reported."


class ReportButton(
    discord.ui.DynamicItem[discord.ui.Button], template=r"quiz:report:(?P<quiz>[0-9]{1,19}):(?P<number>[0-9]{1,3})"
):
    """Under a revealed question: flag it, with a reason, for the server's moderators."""

    def __init__(self, quiz_id: int, number: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=REPORT_LABEL, style=discord.ButtonStyle.secondary, custom_id=f"quiz:report:{quiz_id}:{number}", row=1
            )
        )
        self.quiz_id, self.number = quiz_id, number

    def is_dispatchable(self) -> bool:
        return False  # clicks reach it through AllianceBot.add_lean_dynamic_items

    @classmethod
    async def on_click(cls, interaction: discord.Interaction, match: re.Match[str]) -> None:
        handler: ReportHandler = loaded_cog(interaction, "Quiz")
        await handler.open_report(interaction, int(match["quiz"]), int(match["number"]))


class ReportModal(BaseModal):
    """The reason for a report (one line or a few)."""

    def __init__(self, on_submit: Callable[[discord.Interaction, str], Awaitable[None]]) -> None:
        super().__init__(title="Report a quiz question", timeout=600)
        self.reason: discord.ui.TextInput[ReportModal] = discord.ui.TextInput(
            label=REPORT_REASON, style=discord.TextStyle.paragraph, min_length=3, max_length=300,
            placeholder="e.g. two answers are right; the date is wrong; the source says otherwise",
        )
        self.add_item(self.reason)
        self._submit = on_submit

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await self._submit(interaction, str(self.reason.value))


def settings_embed(settings: QuizSettings, defaults: QuizSettings) -> discord.Embed:
    """/manage quiz settings: each default, the server's own or the bot's."""
    lines = []
    for label, field in (("Topic", "topic"), ("Difficulty", "difficulty"), ("Questions", "questions"),
                         ("Seconds per question", "seconds"), ("Pause after each reveal (s)", "reveal_pause")):
        own = getattr(settings, field)
        value = own if own is not None else getattr(defaults, field)
        shown = TOPIC_LABELS.get(value, value) if field == "topic" else (value if value is not None else "all")
        lines.append(f"**{label}**: {shown}" + ("" if own is not None else " (the bot's default)"))
    return make_embed("Quiz settings for this server", "\n".join(lines), colour=COLOUR_INFO)


def reports_embed(reports: Sequence[Report]) -> discord.Embed:
    """/manage quiz reports: the flagged questions, most reported first, with the reasons."""
    if not reports:
        return make_embed("Reported questions", "No question has been reported in this server.", colour=COLOUR_INFO)
    fields = []
    for report in reports[:10]:
        reasons = "\n".join(f"• {clip(reason, 150)}" for reason in report.reasons[:5])
        fields.append((clip(f"{len(report.reasons)}× {report.prompt}", 256), clip(f"{reasons}\n`{report.key}`", FIELD_VALUE_LIMIT)))
    text = "Retire one with `/manage quiz retire question:` (it never comes back in this server)."
    return make_embed("Reported questions", text, colour=COLOUR_WARN, fields=fields)


def answer_view(quiz_id: int, number: int, question: Question, *, closed: bool = False) -> discord.ui.View:
    """One button per choice; when closed, all disabled and the right one green."""
    view = discord.ui.View(timeout=None)
    for index in range(len(question.choices)):
        style = discord.ButtonStyle.primary
        if closed:
            style = discord.ButtonStyle.success if index == question.answer else discord.ButtonStyle.secondary
        view.add_item(AnswerButton(quiz_id, number, index, style=style, disabled=closed))
    if closed:
        view.add_item(ReportButton(quiz_id, number))
    return view


# ------------------------------------------------------------------------- question messages


def _title(number: int, total: int, topic: str) -> str:
    return f"Question {number}/{total} · {TOPIC_LABELS.get(topic, topic)}"


def _choice_lines(question: Question, *, reveal: bool = False) -> str:
    lines = []
    for index, choice in enumerate(question.choices):
        mark = " ✅" if reveal and index == question.answer else ""
        lines.append(f"**{LETTERS[index]}.** {discord.utils.escape_markdown(choice)}{mark}")
    return "\n".join(lines)


def question_embed(question: Question, number: int, total: int, closes_at: datetime) -> discord.Embed:
    """The open question: prompt, lettered choices and when it closes."""
    # The clock time as well as the countdown: a countdown is only as fresh as the screen showing it.
    stamp = f"{discord.utils.format_dt(closes_at, 'T')} ({discord.utils.format_dt(closes_at, 'R')})"
    description = (
        f"**{question.prompt}**\n\n{_choice_lines(question)}\n\nCloses at {stamp}. Your first click is final."
    )
    return make_embed(
        _title(number, total, question.topic),
        description,
        colour=COLOUR_INFO,
        footer=footer_for(question.as_of),
    )


def _people(user_ids: Sequence[int], names: Mapping[int, str], limit: int = 40) -> str:
    shown = ", ".join(person(uid, names) for uid in user_ids[:limit])
    more = len(user_ids) - limit
    return shown + (f" and {more} more" if more > 0 else "")


def _who_got_it(right_users: Sequence[int], answered: int, names: Mapping[int, str]) -> tuple[str, str]:
    """The reveal's last field: who answered right, out of how many answered."""
    if answered == 0:
        return ("Answers", "Nobody answered this one.")
    if not right_users:
        return ("Right answers", f"None of the {answered} who answered." if answered > 1 else "The one answer was wrong.")
    return (f"Right: {len(right_users)} of {answered}", clip(_people(right_users, names), FIELD_VALUE_LIMIT))


def closed_embed(
    question: Question,
    number: int,
    total: int,
    *,
    right_users: Sequence[int],
    answered: int,
    names: Mapping[int, str],
    note: str | None = None,
) -> discord.Embed:
    """The closed question: right answer, one-line explanation, its source and who got it right."""
    description = f"**{question.prompt}**\n\n{_choice_lines(question, reveal=True)}\n-# Difficulty: {question.difficulty}"
    if note:
        description = f"{note}\n\n{description}"
    fields = [
        (
            f"Answer: {question.right_letter}. {clip(question.right_choice, 200)}",
            clip(question.explanation, FIELD_VALUE_LIMIT),
        ),
        ("Source", source_text(question.sources)),
        _who_got_it(right_users, answered, names),
    ]
    colour = COLOUR_WARN if note else COLOUR_YES
    return make_embed(
        _title(number, total, question.topic) + " · closed",
        description,
        colour=colour,
        fields=fields,
        footer=footer_for(question.as_of),
    )


INTERRUPTED_NOTE = "⏹️ This quiz was interrupted by a bot restart. Answers given before it are kept."


def stopped_note(by: str) -> str:
    return f"⏹️ Quiz stopped by {discord.utils.escape_markdown(by)}. Scores so far are kept."


def summary_embed(
    rows: Sequence[Any],
    names: Mapping[int, str],
    *,
    topic: str,
    asked: int,
    total: int,
    stopped_by: str | None,
    unanswered: int = 0,
) -> discord.Embed:
    """The end-of-round summary: the winner, this quiz's players by points, and why it ended.

    ``unanswered`` is set when the quiz stopped itself after that many unanswered questions in a row.
    """
    lines = [
        f"**{row.rank}.** {person(row.user_id, names)}: {row.points} pts ({row.correct}/{row.answered} right)"
        for row in rows[:15]
    ]
    if len(rows) > 15:
        lines.append(f"…and {len(rows) - 15} more players.")
    body = "\n".join(lines) if lines else "Nobody answered this round."
    if stopped_by:
        status = stopped_note(stopped_by)
    elif unanswered:
        status = f"⏹️ Stopped by itself after {unanswered} questions in a row that nobody answered."
    else:
        status = f"All {total} question{'s' if total != 1 else ''} played."
    if stopped_by or unanswered:
        status += f" {asked} of {total} questions were asked."
    winners = [row for row in rows if row.rank == 1 and row.points > 0]
    if winners:
        who = ", ".join(person(row.user_id, names) for row in winners)
        status += f"\n🏆 Winner{'s' if len(winners) > 1 else ''}: {who} with {winners[0].points} pts"
    return make_embed(
        f"Quiz over · {TOPIC_LABELS.get(topic, topic)}",
        f"{status}\n\n{body}",
        colour=COLOUR_INFO,
        footer="See /quiz leaderboard for this server's board.",
    )


# ------------------------------------------------------------------------- boards and stats


def leaderboard_embed(
    board: Any, period: str, since: datetime | None, caller_id: int, names: Mapping[int, str]
) -> discord.Embed:
    """The server board: top 10 and, if outside it, the caller's own rank."""
    label = PERIOD_LABELS.get(period, period)
    if not board.rows:
        return make_embed(f"Quiz leaderboard · {label}", "No answers in this period yet.", colour=COLOUR_INFO)
    lines = []
    for row in board.rows:
        me = " ← you" if row.user_id == caller_id else ""
        lines.append(
            f"**{row.rank}.** {person(row.user_id, names)}: {row.points} pts ({row.correct}/{row.answered} right){me}"
        )
    if board.caller is not None:
        c = board.caller
        lines.append(f"\nYou: **#{c.rank}** with {c.points} pts ({c.correct}/{c.answered} right)")
    footer = None
    if since is not None:  # only week and month boards have a period to explain
        footer = f"Since {since:%a %d %b %Y}, 00:00 UTC"
    return make_embed(f"Quiz leaderboard · {label}", "\n".join(lines), colour=COLOUR_INFO, footer=footer)


def stats_embed(user_id: int, stats: Any, names: Mapping[int, str]) -> discord.Embed:
    """One member's quiz record in this server."""
    who = person(user_id, names)
    if not stats.answered:
        return make_embed("Quiz stats", f"{who} hasn't answered any quiz questions here yet.", colour=COLOUR_INFO)
    fields = [
        ("Answered", str(stats.answered)),
        ("Correct", str(stats.correct)),
        ("Accuracy", f"{stats.accuracy:.0%}"),
        ("Current streak", str(stats.streak)),
        ("Best streak", str(stats.best_streak)),
        ("Points", str(stats.points)),
        ("Rank", f"#{stats.rank}" if stats.rank else "unranked"),
    ]
    return make_embed(
        f"Quiz stats: {who}", "All time, in this server.", colour=COLOUR_INFO, inline_fields=fields
    )
