"""Run the bot: with DISCORD_TOKEN it connects to Discord; without, it starts the local sandbox."""

from __future__ import annotations

import sys

from alliance_bot.cli import main

if __name__ == "__main__":
    sys.exit(main())
