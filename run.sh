#!/usr/bin/env bash
# Set up and run the bot. Without DISCORD_TOKEN (in the environment or .env) it starts the
# local sandbox and prints a URL to open in your browser. Extra arguments go to run.py.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/venv.sh
exec .venv/bin/python run.py "$@"
