#!/usr/bin/env bash
# Create (or refresh) the project's virtual environment in .venv and install the project.
# Usage: scripts/venv.sh [extras]   e.g. scripts/venv.sh test
# Re-installs only when pyproject.toml or the requested extras changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/.."

extras="${1:-}"
python="${PYTHON:-python3}"
if ! "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
  echo "This project needs Python 3.11 or newer as '$python' (set PYTHON=/path/to/python3.11)." >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  echo "Creating the virtual environment in .venv ..."
  "$python" -m venv .venv
fi

target="."
[ -n "$extras" ] && target=".[${extras}]"
stamp=".venv/.installed-$(echo "$extras" | tr -c 'a-z0-9' '_')"
want="$(cat pyproject.toml | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "Installing the project and its dependencies ($target) ..."
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --editable "$target"
  echo "$want" > "$stamp"
fi
# Byte-compile the bot once (quick when up to date): with PYTHONDONTWRITEBYTECODE set, Python would
# otherwise compile every module of the bot from source at each start (about 0.2 s).
.venv/bin/python -m compileall -q alliance_bot
