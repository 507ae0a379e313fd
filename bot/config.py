"""Settings read from the environment (and a ``.env`` file); the token is a secret."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs
from dotenv import dotenv_values

APP_NAME = "alliance-bot"
BUNDLED_DATA_DIR = Path(__file__).resolve().parent.parent / "data"


class SettingsError(ValueError):
    """An environment variable has a value we cannot use."""


def default_state_dir() -> Path:
    """Per-user state directory (never inside the package); created on demand by the store."""
    return Path(platformdirs.user_state_dir(APP_NAME))


def _parse_id(name: str, value: str) -> int:
    try:
        parsed = int(value)
    except ValueError:
        raise SettingsError(f"{name} must be a Discord ID (a number), got {value!r}") from None
    if parsed <= 0:
        raise SettingsError(f"{name} must be a positive Discord ID, got {value!r}")
    return parsed


@dataclass(frozen=True)
class Settings:
    """Everything the bot needs from its operator."""

    token: str | None = field(default=None, repr=False)
    database: Path = field(default_factory=lambda: default_state_dir() / "bot.sqlite3")
    data_dir: Path = BUNDLED_DATA_DIR
    dev_guild: int | None = None
    owner_ids: frozenset[int] = frozenset()
    auto_sync: bool = True

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
        return cls(
            token=token,
            database=Path(database).expanduser() if database else default_state_dir() / "bot.sqlite3",
            data_dir=Path(data_dir).expanduser() if data_dir else BUNDLED_DATA_DIR,
            dev_guild=_parse_id("BOT_DEV_GUILD", dev_guild) if dev_guild else None,
            owner_ids=frozenset(
                _parse_id("BOT_OWNER_IDS", part.strip()) for part in owners.replace(";", ",").split(",") if part.strip()
            ),
        )
