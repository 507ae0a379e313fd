"""Quiz storage on both backends (contract tests): group commit, uniqueness, exact boards, reopen."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta

import pytest

from alliance_bot.config import BUNDLED_DATA_DIR
from alliance_bot.domain.facts import load_fact_base
from alliance_bot.domain.quiz import generate_questions, period_key
from alliance_bot.storage import Store
from alliance_bot.storage.quiz import AnswerIn, from_ms

GUILD, CHANNEL = 1, 10
NOW = datetime(2026, 1, 7, 12, tzinfo=UTC)  # a Wednesday


@pytest.fixture
async def store(store_target):
    opened = await Store.open(store_target)
    yield opened
    if opened.is_open:
        await opened.close()


@pytest.fixture(scope="module")
def question():
    facts = load_fact_base(BUNDLED_DATA_DIR)
    return next(iter(generate_questions(facts, "timeline", random.Random(0)).values()))


async def open_question(
    store: Store,
    question,
    *,
    channel: int = CHANNEL,
    at: datetime = NOW,
    number: int = 1,
    quiz_id: int | None = None,
) -> int:
    if quiz_id is None:
        quiz_id = await store.create_quiz(
            guild_id=GUILD, channel_id=channel, starter_id=99, topic="timeline", total=5, seconds=20, now=at
        )
    await store.add_question(
        quiz_id=quiz_id,
        number=number,
        question=question,
        channel_id=channel,
        opened_at=at,
        closes_at=at + timedelta(seconds=20),
        guild_id=GUILD,
    )
    return quiz_id


def answer(
    quiz_id: int, user: int, choice: int, right: int, *, at: datetime = NOW, number: int = 1,
    name: str | None = None,
) -> AnswerIn:
    return AnswerIn(
        guild_id=GUILD,
        channel_id=CHANNEL,
        quiz_id=quiz_id,
        question=number,
        user_id=user,
        choice=choice,
        correct=choice == right,
        answered_at=at + timedelta(seconds=2),
        opened_at=at,
        seconds=20,
        display_name=name,
    )


async def test_a_counted_answer_stores_the_players_name_in_the_same_commit(store, question):
    quiz_id = await open_question(store, question)
    right = question.answer
    first = await store.record_answer(answer(quiz_id, 7, right, right, name="Alice Liddell"))
    assert first.status == "recorded"
    assert await store.display_names(GUILD, [7]) == {7: "Alice Liddell"}
    # A second click is not counted, so its name is not stored either; nor is a click on a closed question.
    again = await store.record_answer(answer(quiz_id, 7, right, right, name="Someone Else"))
    assert again.status == "duplicate"
    await store.close_question(quiz_id, 1)
    late = await store.record_answer(answer(quiz_id, 8, right, right, name="Late Larry"))
    assert late.status == "closed"
    assert await store.display_names(GUILD, [7, 8]) == {7: "Alice Liddell"}
    # A batch without names keeps the names already stored; an over-long name is cut to Discord's 100.
    await open_question(store, question, number=2, quiz_id=quiz_id)
    await asyncio.gather(
        store.record_answer(answer(quiz_id, 7, right, right, number=2)),
        store.record_answer(answer(quiz_id, 9, right, right, number=2, name="B" * 150)),
    )
    assert await store.display_names(GUILD, [7, 9]) == {7: "Alice Liddell", 9: "B" * 100}


async def test_a_burst_of_1000_clicks_is_stored_exactly_once_in_few_transactions(store, question):
    quiz_id = await open_question(store, question)
    right = question.answer
    clicks = [answer(quiz_id, user, user % len(question.choices), right) for user in range(1000)]
    outcomes = await asyncio.gather(*(store.record_answer(click) for click in clicks))
    assert [o.status for o in outcomes] == ["recorded"] * 1000
    assert await store.count_answers(quiz_id, 1) == 1000
    assert store.answer_writer.batches < 20  # group commit: not one transaction per click

    again = await asyncio.gather(*(store.record_answer(click) for click in clicks))
    assert {o.status for o in again} == {"duplicate"}
    assert await store.count_answers(quiz_id, 1) == 1000
    board = await store.leaderboard(GUILD, period="all-time", now=NOW, user_id=0, limit=2000)
    assert sum(row.answered for row in board.rows) == 1000


async def test_lone_clicks_commit_at_once_and_clicks_of_one_loop_turn_share_a_commit(store, question):
    quiz_id = await open_question(store, question)
    right = question.answer
    for user in range(3):  # one at a time, as members click: each is its own commit, written right away
        before = store.answer_writer.batches
        assert (await store.record_answer(answer(quiz_id, user, right, right))).status == "recorded"
        assert store.answer_writer.batches == before + 1
        assert await store.count_answers(quiz_id, 1) == user + 1
    before = store.answer_writer.batches
    outcomes = await asyncio.gather(*(store.record_answer(answer(quiz_id, user, right, right)) for user in range(3, 203)))
    assert [o.status for o in outcomes] == ["recorded"] * 200
    assert store.answer_writer.batches - before < 10  # 200 clicks in one turn: a few shared commits
    assert await store.count_answers(quiz_id, 1) == 203


@pytest.mark.parametrize("synchronous", ["NORMAL", "FULL"])
async def test_either_sqlite_durability_stores_each_click_once_and_keeps_it(tmp_path, question, synchronous):
    path = tmp_path / "bot.sqlite3"
    store = await Store.open(path, synchronous=synchronous)
    try:
        assert (await store.fetchone("PRAGMA synchronous"))[0] == {"NORMAL": 1, "FULL": 2}[synchronous]
        quiz_id = await open_question(store, question)
        # More clicks than one inline batch takes, then every player clicking again.
        clicks = [answer(quiz_id, user, user % len(question.choices), question.answer) for user in range(300)]
        outcomes = await asyncio.gather(*(store.record_answer(click) for click in clicks + clicks))
        assert [o.status for o in outcomes] == ["recorded"] * 300 + ["duplicate"] * 300
    finally:
        await store.close()
    reopened = await Store.open(path)
    try:
        assert await reopened.integrity_ok()
        assert await reopened.count_answers(quiz_id, 1) == 300
        board = await reopened.leaderboard(GUILD, period="all-time", now=NOW, user_id=0, limit=1000)
        assert sum(row.answered for row in board.rows) == 300
    finally:
        await reopened.close()


async def test_second_click_keeps_the_first_choice_and_closed_questions_refuse(store, question):
    quiz_id = await open_question(store, question)
    right = question.answer
    wrong = (right + 1) % len(question.choices)
    first, second = await asyncio.gather(
        store.record_answer(answer(quiz_id, 7, wrong, right)),
        store.record_answer(answer(quiz_id, 7, right, right)),
    )
    assert first.status == "recorded" and second.status == "duplicate" and second.choice == wrong
    await store.close_question(quiz_id, 1)
    late = await store.record_answer(answer(quiz_id, 8, right, right))
    assert late.status == "closed"
    stats = await store.player_stats(GUILD, 7)
    assert (stats.answered, stats.correct, stats.points) == (1, 0, 0)
    assert (await store.player_stats(GUILD, 8)).answered == 0


async def test_stats_and_streaks_survive_a_reopen(store_target, question):
    path = store_target
    store = await Store.open(path)
    right = question.answer
    wrong = (right + 1) % len(question.choices)
    quiz_id = await open_question(store, question)
    for number, choice in enumerate([right, right, wrong, right, right, right], start=1):
        if number > 1:
            await open_question(store, question, number=number, quiz_id=quiz_id)
        await store.record_answer(answer(quiz_id, 5, choice, right, number=number))
    before = await store.player_stats(GUILD, 5)
    await store.close()

    store = await Store.open(path)
    try:
        after = await store.player_stats(GUILD, 5)
        assert after == before
        assert (after.answered, after.correct, after.streak, after.best_streak, after.rank) == (6, 5, 3, 3, 1)
    finally:
        await store.close()


async def test_week_and_month_boards_are_exact_and_all_time_matches_the_answers(store, question):
    right = question.answer
    long_ago = NOW - timedelta(days=40)
    last_week = NOW - timedelta(days=5)  # Friday 2 January: this month, not this week
    quiz_old = await open_question(store, question, at=long_ago)
    await store.record_answer(answer(quiz_old, 1, right, right, at=long_ago))
    await store.end_quiz(quiz_old, "finished", long_ago)
    quiz_prev = await open_question(store, question, at=last_week)
    await store.record_answer(answer(quiz_prev, 2, right, right, at=last_week))
    await store.end_quiz(quiz_prev, "finished", last_week)
    quiz_now = await open_question(store, question)
    await store.record_answer(answer(quiz_now, 3, right, right))

    all_time = await store.leaderboard(GUILD, period="all-time", now=NOW, user_id=3)
    month = await store.leaderboard(GUILD, period="month", now=NOW, user_id=3)
    week = await store.leaderboard(GUILD, period="week", now=NOW, user_id=3)
    assert {r.user_id for r in all_time.rows} == {1, 2, 3}
    assert {r.user_id for r in month.rows} == {2, 3}
    assert [r.user_id for r in week.rows] == [3]
    summed = await store.fetchall("SELECT user_id, SUM(points) FROM quiz_answers GROUP BY user_id")
    assert {r.user_id: r.points for r in all_time.rows} == {int(u): int(p) for u, p in summed}


async def test_caller_outside_the_top_10_gets_their_own_rank(store, question):
    right = question.answer
    wrong = (right + 1) % len(question.choices)
    quiz_id = await open_question(store, question)
    for user in range(1, 13):
        await store.record_answer(answer(quiz_id, user, right if user <= 11 else wrong, right))
    for period in ("all-time", "week", "month"):
        board = await store.leaderboard(GUILD, period=period, now=NOW, user_id=12)
        assert len(board.rows) == 10 and all(row.user_id != 12 for row in board.rows)
        assert board.caller is not None and board.caller.rank == 12 and board.caller.points == 0
        inside = await store.leaderboard(GUILD, period=period, now=NOW, user_id=1)
        assert inside.caller is None


async def test_one_open_quiz_per_channel_and_restart_cleanup(store, question):
    quiz_id = await open_question(store, question)
    assert (
        await store.create_quiz(
            guild_id=GUILD, channel_id=CHANNEL, starter_id=2, topic="timeline", total=3, seconds=20, now=NOW
        )
        is None
    )
    other = await open_question(store, question, channel=CHANNEL + 1)
    await store.record_answer(answer(quiz_id, 4, question.answer, question.answer))

    leftovers = await store.interrupt_open_quizzes(NOW, keep={other})
    assert [(q.quiz_id, q.number) for q in leftovers] == [(quiz_id, 1)]
    assert (await store.get_quiz(quiz_id)).status == "interrupted"
    assert (await store.get_quiz(other)).status == "open"
    assert (await store.player_stats(GUILD, 4)).correct == 1  # answers kept
    assert await store.open_quiz_in(CHANNEL) is None


async def test_board_queries_use_the_indexes(store, question):
    if store.dialect != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's; PostgreSQL's planner picks by table statistics")
    quiz_id = await open_question(store, question)
    for user in range(1, 40):
        await store.record_answer(answer(quiz_id, user, user % len(question.choices), question.answer))
    # (No ANALYZE: on 39 rows SQLite rightly prefers a scan; bench/run.py boards plans 1,000,000 answers with it.)
    statements: list[str] = []
    await store.db.set_trace_callback(statements.append)
    for period in ("all-time", "month", "week"):
        await store.leaderboard(GUILD, period=period, now=NOW, user_id=39)  # 39 is outside the top 10
    await store.db.set_trace_callback(None)
    selects = [sql for sql in statements if sql.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 6  # per board: the top rows, and the caller's row with the count ahead of it
    for sql in selects:
        plan = " ".join(str(row[3]) for row in await store.fetchall(f"EXPLAIN QUERY PLAN {sql}"))
        assert "INDEX" in plan and "TEMP B-TREE" not in plan, (sql, plan)  # an index walk: no scan, no sort
        assert "SCAN quiz_players" not in plan.replace("SCAN quiz_players USING", ""), (sql, plan)


async def test_period_totals_match_the_answers_across_weeks_and_months(store, question):
    """The stored week and month totals equal the answers summed over each period, whatever the order."""
    rng = random.Random(5)
    right = question.answer
    moments = [datetime(2026, 1, 26, tzinfo=UTC) + timedelta(hours=rng.randrange(24 * 14)) for _ in range(12)]
    for moment in sorted(moments):  # two weeks around a month's end, a quiz in each hour drawn
        quiz_id = await open_question(store, question, at=moment)
        for user in rng.sample(range(1, 9), 5):
            await store.record_answer(answer(quiz_id, user, rng.randrange(len(question.choices)), right, at=moment))
        await store.end_quiz(quiz_id, "finished", moment)
    late = moments[0]  # a late answer from an earlier period changes only all-time totals
    quiz_id = await open_question(store, question, at=late)
    await store.record_answer(answer(quiz_id, 1, right, right, at=late))
    stored = await store.fetchall("SELECT user_id, points, correct, answered_at FROM quiz_answers WHERE guild_id = ?", (GUILD,))
    for period in ("week", "month"):
        # Each player's latest period with answers, and their totals in it, summed from the answers.
        keyed = [(int(u), period_key(period, from_ms(int(at))), int(p), int(c)) for u, p, c, at in stored]
        latest = {user: max(k for u, k, _, _ in keyed if u == user) for user, _, _, _ in keyed}
        shown_some = False
        for now in [*sorted(moments), datetime(2026, 3, 1, tzinfo=UTC)]:
            key = period_key(period, now)
            expected: dict[int, list[int]] = {}
            for user, k, points, correct in keyed:
                if k == key == latest[user]:
                    total = expected.setdefault(user, [0, 0, 0])
                    total[0] += points
                    total[1] += correct
                    total[2] += 1
            board = await store.leaderboard(GUILD, period=period, now=now, user_id=0, limit=50)
            assert {row.user_id: [row.points, row.correct, row.answered] for row in board.rows} == expected, (period, now)
            shown_some = shown_some or bool(expected)
        assert shown_some and not board.rows  # boards with rows were compared, and March's is empty


async def test_the_period_boards_migration_counts_the_answers_already_stored(store_target, monkeypatch):
    """A database from before migration #7 gets each player's latest week and month totals from its answers."""
    import alliance_bot.storage as storage

    monkeypatch.setattr(storage, "SCHEMA_VERSION", 6)  # open as the previous release did
    old = await Store.open(store_target)
    day = 24 * 3600 * 1000
    wednesday = int(NOW.timestamp() * 1000)
    answers = [  # (user, points, correct, answered_at): this week, last week (also this month), last month
        (1, 120, 1, wednesday), (1, 0, 0, wednesday - day), (1, 110, 1, wednesday - 5 * day),
        (2, 130, 1, wednesday - 5 * day), (2, 100, 1, wednesday - 40 * day), (3, 140, 1, wednesday - 40 * day),
    ]
    for number, (user, points, correct, at) in enumerate(answers, start=1):
        await old.execute(
            "INSERT INTO quiz_answers(guild_id, channel_id, quiz_id, question, user_id, choice, correct, points, "
            "answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (GUILD, CHANNEL, 1, number, user, 0, correct, points, at),
        )
    await old.execute(
        "INSERT INTO quiz_players(guild_id, user_id, answered, correct, points, streak, best_streak) "
        "SELECT guild_id, user_id, COUNT(*), SUM(correct), SUM(points), 0, 0 FROM quiz_answers GROUP BY guild_id, user_id"
    )
    await old.close()
    monkeypatch.undo()

    store = await Store.open(store_target)
    try:
        assert await store.schema_version() == storage.SCHEMA_VERSION
        boards = {
            period: [(r.user_id, r.points, r.correct, r.answered) for r in
                     (await store.leaderboard(GUILD, period=period, now=NOW, user_id=0)).rows]
            for period in ("week", "month", "all-time")
        }
        assert boards == {
            "week": [(1, 120, 1, 2)],
            "month": [(1, 230, 2, 3), (2, 130, 1, 1)],
            "all-time": [(1, 230, 2, 3), (2, 230, 2, 2), (3, 140, 1, 1)],
        }
    finally:
        await store.close()
