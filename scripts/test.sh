#!/usr/bin/env bash
# Set up (apt + .venv) and run the full test suite headless.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export SDL_VIDEODRIVER="${SDL_VIDEODRIVER:-offscreen}"
exec .venv/bin/python -m pytest "$@"
