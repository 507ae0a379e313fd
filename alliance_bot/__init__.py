"""A Discord bot that explains world alliances, starting with "is the U.S. allies with Russia?"."""

from __future__ import annotations

from importlib import metadata

from .client import AllianceBot, ShardedAllianceBot
from .config import Settings

__all__ = ["AllianceBot", "Settings", "__version__", "create_bot"]

try:
    __version__ = metadata.version("alliance-bot")
except metadata.PackageNotFoundError:  # a source tree that was never installed
    __version__ = "unknown"


def create_bot(settings: Settings | None = None) -> AllianceBot:
    """Build the fully configured bot; cogs are loaded in ``setup_hook``.

    With no argument, settings come from the environment (and a ``.env`` file if present).
    With ``BOT_SHARD_COUNT`` set it is discord.py's AutoShardedBot, running ``BOT_SHARD_IDS``.
    """
    settings = settings if settings is not None else Settings.from_env()
    return ShardedAllianceBot(settings) if settings.sharded else AllianceBot(settings)
