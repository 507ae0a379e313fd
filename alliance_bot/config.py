"""Settings read from the environment (and a ``.env`` file); the token is a secret."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import platformdirs
from dotenv import dotenv_values

APP_NAME = "alliance-bot"


def _bundled_data_dir() -> Path:
    """The facts shipped with the bot: ``alliance_bot/data`` in an installed wheel (setuptools maps
    the repository's ``data/`` there), else the ``data/`` folder of a source checkout."""
    packaged = resources.files(__package__) / "data"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "data"


BUNDLED_DATA_DIR = _bundled_data_dir()


class SettingsError(ValueError):
    """An environment variable has a value we cannot use."""


def default_state_dir() -> Path:
    """Per-user state directory (never inside the package); created on demand by the store."""
    return Path(platformdirs.user_state_dir(APP_NAME))


def _parse_url(name: str, value: str) -> str | None:
    """An https link for /about, or None when unset."""
    if not value:
        return None
    if not re.fullmatch(r"https?://[^\s<>]{1,500}", value):
        raise SettingsError(f"{name} must be an http(s) URL, got {value[:80]!r}")
    return value


def _parse_id(name: str, value: str) -> int:
    try:
        parsed = int(value)
    except ValueError:
        raise SettingsError(f"{name} must be a Discord ID (a number), got {value!r}") from None
    if parsed <= 0:
        raise SettingsError(f"{name} must be a positive Discord ID, got {value!r}")
    return parsed


def _parse_shard_count(value: str) -> int:
    try:
        count = int(value)
    except ValueError:
        raise SettingsError(f"BOT_SHARD_COUNT must be a number of shards, got {value!r}") from None
    if count < 1:
        raise SettingsError(f"BOT_SHARD_COUNT must be at least 1, got {value!r}")
    return count


def _parse_shard_ids(value: str, count: int | None) -> tuple[int, ...]:
    """``0-3``, ``4,5,7`` or ``0-1,6``: the shards this process runs, each below BOT_SHARD_COUNT."""
    if count is None:
        raise SettingsError("BOT_SHARD_IDS needs BOT_SHARD_COUNT (the total number of shards of every process)")
    ids: set[int] = set()
    for part in value.replace(" ", "").split(","):
        if not part:
            continue
        low, _, high = part.partition("-")
        try:
            first, last = int(low), int(high or low)
        except ValueError:
            raise SettingsError(f"BOT_SHARD_IDS must look like 0-3 or 0,2,5, got {value!r}") from None
        if not 0 <= first <= last < count:
            raise SettingsError(f"BOT_SHARD_IDS {part!r} is outside 0-{count - 1} (BOT_SHARD_COUNT is {count})")
        ids.update(range(first, last + 1))
    if not ids:
        raise SettingsError(f"BOT_SHARD_IDS names no shard: {value!r}")
    return tuple(sorted(ids))


def _ranges(ids: tuple[int, ...]) -> str:
    """``(0, 1, 2, 3, 6)`` as ``0-3,6``."""
    parts: list[str] = []
    start = previous = ids[0]
    for shard in (*ids[1:], None):
        if shard is not None and shard == previous + 1:
            previous = shard
            continue
        parts.append(str(start) if start == previous else f"{start}-{previous}")
        if shard is not None:
            start = previous = shard
    return ",".join(parts)


def is_postgres_url(value: str) -> bool:
    return value.startswith(("postgresql://", "postgres://"))


@dataclass(frozen=True)
class Settings:
    """Everything the bot needs from its operator."""

    token: str | None = field(default=None, repr=False)
    database: Path = field(default_factory=lambda: default_state_dir() / "bot.sqlite3")
    data_dir: Path = BUNDLED_DATA_DIR
    dev_guild: int | None = None
    owner_ids: frozenset[int] = frozenset()
    auto_sync: bool = True
    # BOT_DATABASE given as a postgresql:// URL: the shared store of several processes. It may
    # hold a password, so it is kept out of repr and shown only through ``database_label``.
    database_url: str | None = field(default=None, repr=False)
    # discord.py sharding: the total shard count, and the shards this process runs (None: all).
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None
    # SQLite's durability: NORMAL survives a crash of the process, FULL also a power loss (slower).
    sqlite_synchronous: str = "NORMAL"
    # The heartbeat file `alliance-bot --health` reads (alliance_bot/health.py); one per process.
    health_file: Path = field(default_factory=lambda: default_state_dir() / "health.json")
    # Shown by /about when set (never guessed): where the code is, where to ask for help.
    source_url: str | None = None
    support_url: str | None = None

    @property
    def store_target(self) -> Path | str:
        """What the store opens: the PostgreSQL URL if one is set, else the SQLite file."""
        return self.database_url or self.database

    @property
    def database_label(self) -> str:
        """The database for messages: the SQLite path, or the URL without its password."""
        if self.database_url is None:
            return str(self.database)
        return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", self.database_url)

    @property
    def sharded(self) -> bool:
        return self.shard_count is not None

    @property
    def instance(self) -> str:
        """This process's name in the claims it writes: its shards, so a restart finds its own."""
        if self.shard_count is None or self.shard_ids is None:
            return "main"
        return f"shards {_ranges(self.shard_ids)} of {self.shard_count}"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, dotenv: Path | None = Path(".env")) -> Settings:
        """Read settings from ``environ`` (default ``os.environ``) over a ``.env`` file if present."""
        values: dict[str, str] = {}
        if dotenv is not None and dotenv.is_file():
            values.update({k: v for k, v in dotenv_values(dotenv).items() if v is not None})
        values.update(os.environ if environ is None else environ)

        token = values.get("DISCORD_TOKEN", "").strip() or None
        database = values.get("BOT_DATABASE", "").strip()
        data_dir = values.get("BOT_DATA_DIR", "").strip()
        dev_guild = values.get("BOT_DEV_GUILD", "").strip()
        owners = values.get("BOT_OWNER_IDS", "").strip()
        shard_count_text = values.get("BOT_SHARD_COUNT", "").strip()
        shard_ids_text = values.get("BOT_SHARD_IDS", "").strip()
        shard_count = _parse_shard_count(shard_count_text) if shard_count_text else None
        synchronous = values.get("BOT_SQLITE_SYNCHRONOUS", "").strip().upper() or "NORMAL"
        if synchronous not in ("NORMAL", "FULL"):
            raise SettingsError(f"BOT_SQLITE_SYNCHRONOUS must be NORMAL or FULL, got {synchronous!r}")
        url = database if is_postgres_url(database) else None
        health_file = values.get("BOT_HEALTH_FILE", "").strip()
        source_url = _parse_url("BOT_SOURCE_URL", values.get("BOT_SOURCE_URL", "").strip())
        support_url = _parse_url("BOT_SUPPORT_URL", values.get("BOT_SUPPORT_URL", "").strip())
        return cls(
            token=token,
            database=default_state_dir() / "bot.sqlite3" if url or not database else Path(database).expanduser(),
            database_url=url,
            shard_count=shard_count,
            shard_ids=_parse_shard_ids(shard_ids_text, shard_count) if shard_ids_text else None,
            sqlite_synchronous=synchronous,
            health_file=Path(health_file).expanduser() if health_file else default_state_dir() / "health.json",
            source_url=source_url,
            support_url=support_url,
            data_dir=Path(data_dir).expanduser() if data_dir else BUNDLED_DATA_DIR,
            dev_guild=_parse_id("BOT_DEV_GUILD", dev_guild) if dev_guild else None,
            owner_ids=frozenset(
                _parse_id("BOT_OWNER_IDS", part.strip()) for part in owners.replace(";", ",").split(",") if part.strip()
            ),
        )
