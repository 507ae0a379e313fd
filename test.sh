#!/usr/bin/env bash
# Set up and run the test suite. Extra arguments go to pytest (e.g. bash test.sh -k quiz).
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/venv.sh test
exec .venv/bin/python -m pytest "$@"
