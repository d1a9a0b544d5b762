#!/usr/bin/env bash
# Set up (apt + .venv) and start the kiosk app.  Without a display, run the
# command-line demo instead (speech → translation → speech on a real clip).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
if [ "${1:-}" = "--demo" ] || { [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; }; then
  exec .venv/bin/python -m kiosk.demo
fi
exec .venv/bin/kiosk app "$@"
