"""Command line: run the bot, the no-token sandbox, a one-off command sync, a data check, a backup
or a health probe."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sqlite3
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import discord

from . import create_bot
from .config import Settings, SettingsError
from .domain import timeline as tl
from .domain.facts import TIE_LAYERS, FactBase, FactBaseError, load_fact_base, stale_facts
from .health import read_health
from .lifecycle import run_until_stopped
from .storage import SCHEMA_VERSION, Store, StoreError

log = logging.getLogger("alliance_bot")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="alliance-bot",
        description="A Discord bot that answers 'are X and Y allies?', straight and sourced. "
        "Without DISCORD_TOKEN it starts a local sandbox and prints the address to open in your browser.",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--sandbox", action="store_true", help="run in the local sandbox even if a token is set")
    mode.add_argument("--sync", action="store_true", help="sync the slash commands to Discord and exit")
    mode.add_argument(
        "--migrate-to",
        metavar="URL",
        help="copy the SQLite database (BOT_DATABASE) into the empty PostgreSQL database at URL, verify, exit",
    )
    mode.add_argument("--check", action="store_true", help="validate the fact data and the database, then exit")
    mode.add_argument(
        "--backup",
        metavar="PATH",
        type=Path,
        help="copy the SQLite database, consistently even while the bot runs, to PATH (a file or a folder); "
        "for PostgreSQL it prints the pg_dump command instead",
    )
    mode.add_argument(
        "--health",
        action="store_true",
        help="exit 0 if the running bot's heartbeat (BOT_HEALTH_FILE) is fresh and it is connected, else 1",
    )
    parser.add_argument(
        "--stale-months",
        type=int,
        default=12,
        metavar="N",
        help="with --check: warn about facts whose 'as of' date is older than N months (default 12)",
    )
    parser.add_argument("--strict", action="store_true", help="with --check: fail on warnings (stale facts) too")
    parser.add_argument("--guild", type=int, metavar="ID", help="with --sync: sync to this guild only")
    parser.add_argument("--port", type=int, help="with the sandbox: serve its page on this port (default 8765)")
    parser.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    return parser


class _QuietNoise(logging.Filter):
    """Drop start-up warnings that do not apply to this bot (it has no voice features), and
    SimCord's own probe client's intents warning in the sandbox."""

    NOISE = (
        "voice will NOT be supported",
        "Guilds intent seems to be disabled",
        # Printed before the token is even checked: a rejected token then reads as two messages.
        "logging in using static token",
    )

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not any(part in message for part in self.NOISE)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point for ``python run.py`` and the ``alliance-bot`` console script."""
    args = build_parser().parse_args(argv)
    discord.utils.setup_logging(level=getattr(logging, args.log_level), root=True)
    for handler in logging.getLogger().handlers:
        handler.addFilter(_QuietNoise())
    try:
        settings = Settings.from_env()
    except SettingsError as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        return 2

    try:
        if args.check:
            return asyncio.run(check(settings, stale_months=args.stale_months, strict=args.strict))
        if args.health:
            health = read_health(settings.health_file)
            print(("ok   " if health.healthy else "FAIL ") + health.reason)
            return 0 if health.healthy else 1
        if args.backup is not None:
            return backup(settings, args.backup)
        if not args.sync:
            # Refuse an unusable database before connecting anywhere, in one line (StoreError below).
            asyncio.run(preflight_database(settings, sandbox=args.sandbox or not settings.token))
        if args.sync:
            if not settings.token:
                print("--sync needs DISCORD_TOKEN (see .env.example).", file=sys.stderr)
                return 2
            return asyncio.run(sync_only(settings, args.guild or settings.dev_guild))
        if args.migrate_to:
            return asyncio.run(migrate_to(settings, args.migrate_to))
        if args.sandbox or not settings.token:
            if not settings.token:
                print("No DISCORD_TOKEN set, so starting the local sandbox instead (Ctrl-C to stop).")
            from .sandbox import run_sandbox

            asyncio.run(run_sandbox(settings, port=args.port))
            return 0
        asyncio.run(_run_bot(settings, settings.token))
        return 0
    except FactBaseError as error:
        print(f"Cannot start: {error}", file=sys.stderr)
        return 1
    except StoreError as error:
        print(f"Cannot start: {error}", file=sys.stderr)
        return 1
    except discord.LoginFailure:
        print("Discord rejected DISCORD_TOKEN. Copy the bot token again from the Developer Portal.", file=sys.stderr)
        return 1
    except (aiohttp.ClientConnectionError, OSError) as error:
        print(
            f"Could not reach Discord ({error}). Check the network, or run without DISCORD_TOKEN "
            "(or with --sandbox) to use the local sandbox.",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print("Stopped.")
        return 0


async def _run_bot(settings: Settings, token: str) -> None:
    """The bot on Discord until SIGTERM or Ctrl-C, then closed cleanly (exit status 0)."""
    bot = create_bot(settings)
    await run_until_stopped(bot, bot.start(token), health_file=settings.health_file)


def backup(settings: Settings, target: Path) -> int:
    """Copy the SQLite database to ``target`` with SQLite's online backup API.

    Copying the ``.sqlite3`` file alone can miss recent commits (in WAL mode they sit in the
    ``-wal`` file until a checkpoint); the backup API reads through SQLite instead, as one
    consistent snapshot, and a running bot keeps writing meanwhile (WAL readers block no writer).
    The copy is checked and only then renamed into place, so ``target`` is never half a database.
    """
    if settings.database_url is not None:
        print(
            "BOT_DATABASE is PostgreSQL: back it up with its own tool, e.g.\n"
            f"  pg_dump --format=custom --file=alliance-bot.dump '{settings.database_label}'\n"
            "(restore with pg_restore --clean --dbname=URL alliance-bot.dump)",
            file=sys.stderr,
        )
        return 2
    source_path = settings.database
    if not source_path.is_file():
        print(f"Nothing to back up: {source_path} does not exist (set BOT_DATABASE?).", file=sys.stderr)
        return 1
    target = target.expanduser()
    if target.is_dir():
        target = target / f"alliance-bot-{datetime.now(UTC):%Y%m%d-%H%M%S}.sqlite3"
    if target.exists():
        print(f"Not overwriting {target}: choose another name or remove it first.", file=sys.stderr)
        return 1
    if target.resolve() == source_path.resolve():
        print("The backup must not be the database itself.", file=sys.stderr)
        return 1
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        source = sqlite3.connect(source_path, timeout=30)
        try:
            copy = sqlite3.connect(partial)
            try:
                source.backup(copy)
                (verdict,) = copy.execute("PRAGMA integrity_check").fetchone()
                if verdict != "ok":
                    raise sqlite3.DatabaseError(f"the copy fails its integrity check: {verdict}")
                copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
            finally:
                copy.close()
        finally:
            source.close()
    except sqlite3.Error as error:
        partial.unlink(missing_ok=True)
        print(f"Backup failed: {error}", file=sys.stderr)
        return 1
    os.replace(partial, target)
    print(f"ok   backup: {source_path} -> {target} ({target.stat().st_size:,} bytes)")
    return 0


async def preflight_database(settings: Settings, *, sandbox: bool) -> None:
    """Open and close the database the bot is about to use; StoreError says why it cannot."""
    target = settings.store_target
    if sandbox:  # the sandbox always keeps its own SQLite file
        from .sandbox import sandbox_database

        target = sandbox_database(settings.database)
    store = await Store.open(target)
    await store.close()


def present_day_report(facts: FactBase) -> list[str]:
    """The present-day layer (issue 20): pairs covered per layer and the oldest "as of" of each."""
    lines = []
    ties = facts.of_kind("tie")
    for layer in TIE_LAYERS:
        chosen = [tie for tie in ties if tie.layer == layer]
        if not chosen:
            lines.append(f"warn present day ({layer}): no entries")
            continue
        pairs = {frozenset(tie.pair) for tie in chosen}
        oldest = min(tie.as_of for tie in chosen)
        lines.append(f"ok   present day ({layer}): {len(chosen)} entries, {len(pairs)} pairs, oldest as of {oldest}")
    recent = [a for a in facts.of_kind("alliance") if facts.origin.get(a.id) == "present_day_treaties.yaml"]
    if recent:
        lines.append(
            f"ok   present day (treaties 2019-): {len(recent)} entries, oldest as of {min(a.as_of for a in recent)}"
        )
    checks = facts.of_kind("atop_check")
    record = facts.record
    if record is not None:
        in_force_2018 = sum(1 for a in record.alliances.values() if a.ongoing)
        by_status = Counter(check.status for check in checks)
        shown = ", ".join(f"{n} {status.replace('_', ' ')}" for status, n in sorted(by_status.items()))
        lines.append(
            f"ok   present day (ATOP checks): {len(checks)} of the {in_force_2018} alliances in force in 2018 "
            f"checked for 2019-2026 ({shown or 'none'}); the others read as 'on record in 2018, not checked since'"
        )
    wars = facts.of_kind("war")
    if wars:
        lines.append(
            f"ok   wars: {len(wars)} wars, {sum(len(w.participants) for w in wars)} participant rows, "
            f"oldest as of {min(w.as_of for w in wars)}"
        )
    return lines


def timeline_report(facts: FactBase) -> list[str]:
    """Timeline entries per topic and the days of the year without an event of their own."""
    entries = tl.timeline_entries(facts)
    lines = []
    for series in ("us-russia", "alliances", "both"):
        chosen = tl.of_series(entries, series)  # type: ignore[arg-type]
        topics = ", ".join(f"{n} {topic}" for topic, n in sorted(Counter(e.topic for e in chosen).items()))
        missing = tl.days_without_an_event(chosen)
        shown = ", ".join(missing[:12]) + (f" and {len(missing) - 12} more" if len(missing) > 12 else "")
        lines.append(
            f"ok   timeline ({series}): {len(chosen)} entries ({topics}); "
            f"{366 - len(missing)} of 366 days have an event of their own"
            + (f"; none on {shown}" if missing else "")
        )
    return lines


async def check(settings: Settings, *, stale_months: int = 12, strict: bool = False) -> int:
    """Load and validate all data and the database; print a summary; non-zero on any problem.

    Facts older than ``stale_months`` are warnings: they fail the check only with ``strict``.
    """
    problems = 0
    warnings = 0
    try:
        facts = await asyncio.to_thread(load_fact_base, settings.data_dir)
    except FactBaseError as error:
        print(f"FAIL data: {error}")
        problems += 1
    else:
        files = sorted(set(facts.origin.values()))
        kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(facts.counts().items()))
        print(f"ok   data: {len(facts)} facts in {len(files)} files under {settings.data_dir} ({kinds})")
        stale = stale_facts(facts, datetime.now(UTC).date(), stale_months)
        if stale:
            warnings += 1
            print(f"warn freshness: {len(stale)} fact(s) with an 'as of' date older than {stale_months} months:")
            for fact_id, as_of in stale:
                print(f"       {fact_id} (as of {as_of})")
        else:
            print(f"ok   freshness: every fact is dated within {stale_months} months")
        record = facts.record
        if record is None:
            print("warn historical record: no atop/ folder in the data directory (answers cover researched entries only)")
        else:
            named = sum(1 for a in record.alliances.values() if a.name is not None)
            print(
                f"ok   historical record: {len(record.alliances)} ATOP 5.1 alliances ({named} named), "
                f"{len(record.members)} member rows, {len(record.states)} states"
            )
        for line in timeline_report(facts):
            print(line)
        for line in present_day_report(facts):
            print(line)
    if settings.database_url is None and not settings.database.exists():
        # A check must not create (and migrate) the real database on a machine that has none yet.
        print(f"ok   database: {settings.database} does not exist yet; the bot creates it on first start")
    else:
        try:
            store = await Store.open(settings.store_target)
        except StoreError as error:  # it names the database and the problem
            print(f"FAIL {error}")
            problems += 1
        except Exception as error:  # any failure to open is a failed check
            print(f"FAIL database {settings.database_label}: {error}")
            problems += 1
        else:
            try:
                version = await store.schema_version()
                healthy = await store.integrity_ok()
            finally:
                await store.close()
            status = "ok  " if healthy and version == SCHEMA_VERSION else "FAIL"
            print(f"{status} database: {settings.database_label} (schema version {version}, integrity {'ok' if healthy else 'BROKEN'})")
            problems += status == "FAIL"
    if strict and warnings:
        problems += warnings
        print("--strict: warnings count as failures.")
    print("All checks passed." if not problems else f"{problems} check(s) failed.")
    return 0 if not problems else 1


async def migrate_to(settings: Settings, url: str) -> int:
    """Copy the SQLite database into an empty PostgreSQL database; the SQLite file is left as it was."""
    from .storage import redact
    from .storage.moving import MoveError, move_sqlite_to_postgres

    if settings.database_url is not None:
        print("--migrate-to copies from a SQLite file: set BOT_DATABASE to its path, not a URL.", file=sys.stderr)
        return 2
    try:
        report = await move_sqlite_to_postgres(settings.database, url)
    except MoveError as error:
        print(f"Not copied: {error}", file=sys.stderr)
        return 1
    for table, count in report.counts.items():
        print(f"ok   {table}: {count} rows")
    print(
        f"Copied {report.total} rows from {settings.database} to {redact(url)}; counts verified. "
        "The SQLite file is unchanged. Set BOT_DATABASE to the URL to use it."
    )
    return 0


async def sync_only(settings: Settings, guild_id: int | None) -> int:
    """Log in, sync the command tree (globally or to one guild), and exit."""
    bot = create_bot(replace(settings, auto_sync=False))
    async with bot:
        await bot.login(settings.token or "")
        await bot.sync_commands(guild_id=guild_id, force=True)
    print(f"Synced commands {'to guild ' + str(guild_id) if guild_id else 'globally (may take up to an hour to appear)'}.")
    return 0
