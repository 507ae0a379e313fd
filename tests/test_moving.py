"""Moving up: `run.py --migrate-to postgresql://…` copies a SQLite database into an empty PostgreSQL one."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from datetime import UTC, date, datetime, time
from pathlib import Path

from alliance_bot.domain.overlay import NewVersion
from alliance_bot.storage import Store
from bench._answers import bundled_question, open_question

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 2, 2, 12, tzinfo=UTC)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _migrate(sqlite: Path, url: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "BOT_"))}
    env["BOT_DATABASE"] = str(sqlite)
    return subprocess.run(
        [sys.executable, "run.py", "--migrate-to", url], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


async def _fill(path: Path) -> dict[str, object]:
    """A SQLite database with scores, answers, subscriptions, fact versions and sync state."""
    store = await Store.open(path)
    try:
        asked = await open_question(store, bundled_question(), guild_id=7, now=NOW)
        for user in range(100, 140):
            await store.record_answer(asked.answer(user))
        await store.timeline_subscribe(7, 70, time(9, 30), NOW, by=1)
        await store.timeline_claim_day(7, 70, date(2026, 2, 2), "e-1", NOW)
        await store.timeline_mark_sent(7, 70, date(2026, 2, 2), 555, NOW, walk_key="k", detail="t")
        await store.record_fact_versions(7, 1, [NewVersion("us-ru-relationship", "hide", None, hidden=True)], now=NOW)
        await store.record_fact_versions(7, 1, [NewVersion("faq-1", "hide", None, hidden=True)], now=NOW)
        await store.set_audit_channel(7, 71)
        await store.set_meta("tree_hash:global", "abc")
        await store.remember_names(7, {100: "Alice Liddell", 101: "Bob"}, NOW)
        return await _snapshot(store, asked.quiz_id)
    finally:
        await store.close()


async def _snapshot(store: Store, quiz_id: int) -> dict[str, object]:
    """What users and operators see, through the typed methods."""
    return {
        "board": await store.leaderboard(7, period="all-time", now=NOW, user_id=100, limit=50),
        "week": await store.leaderboard(7, period="week", now=NOW, user_id=100, limit=50),
        "stats": await store.player_stats(7, 101),
        "answers": await store.question_answers(quiz_id, 1),
        "subscriptions": await store.timeline_subscriptions(7),
        "posts": await store.timeline_posts(7, 70),
        "facts": await store.latest_fact_versions(7),
        "history": await store.fact_history(7, "us-ru-relationship"),
        "audit": await store.get_audit_channel(7),
        "meta": await store.get_meta("tree_hash:global"),
        "quiz": await store.get_quiz(quiz_id),
        "names": await store.display_names(7, [100, 101]),
    }


async def test_migrate_to_copies_everything_verifies_and_leaves_sqlite_untouched(tmp_path, postgres_url):
    sqlite = tmp_path / "bot.sqlite3"
    before = await _fill(sqlite)
    digest = _digest(sqlite)

    result = _migrate(sqlite, postgres_url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "counts verified" in result.stdout and "quiz_answers: 40 rows" in result.stdout
    assert _digest(sqlite) == digest, "the SQLite file was modified"

    store = await Store.open(postgres_url)
    try:
        quiz_id = before["quiz"].id  # type: ignore[attr-defined]
        assert await _snapshot(store, quiz_id) == before
        # New rows continue after the copied ids.
        await store.end_quiz(quiz_id, "finished", NOW)
        again = await open_question(store, bundled_question(), guild_id=7, now=NOW)
        assert again.quiz_id > quiz_id
    finally:
        await store.close()


async def test_migrate_to_refuses_a_non_empty_target(tmp_path, postgres_url):
    sqlite = tmp_path / "bot.sqlite3"
    await _fill(sqlite)
    store = await Store.open(postgres_url)
    await store.set_meta("already", "here")
    await store.close()

    result = _migrate(sqlite, postgres_url)
    assert result.returncode == 1
    assert "not empty" in result.stderr and "meta" in result.stderr
    store = await Store.open(postgres_url)
    try:
        assert await store.count_answers(1) == 0  # nothing was copied
    finally:
        await store.close()


def test_migrate_to_needs_a_postgresql_url(tmp_path):
    result = _migrate(tmp_path / "missing.sqlite3", "sqlite:///elsewhere")
    assert result.returncode == 1
    assert "postgresql://" in result.stderr
