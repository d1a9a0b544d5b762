"""The real screen size, asked before Kivy opens its window (no Kivy import here).

Kivy's ``fullscreen = auto`` only fills the screen when a window manager obeys it: on a
bare X server (an auto-starting kiosk with no desktop) the window keeps its default
800×600.  So kiosk mode opens a borderless window of the screen's own size at (0, 0),
which is full screen with or without a window manager.

The size comes from SDL (the library Kivy draws with: the copy bundled with Kivy, else
the system's) and, failing that, from ``xdpyinfo`` on X11.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import importlib.util
import logging
import os
import re
import shutil
import subprocess
from pathlib import Path

_LOGGER = logging.getLogger(__name__)

_SDL_INIT_VIDEO = 0x20


class _DisplayMode(ctypes.Structure):
    _fields_ = [("format", ctypes.c_uint32), ("w", ctypes.c_int), ("h", ctypes.c_int),
                ("refresh_rate", ctypes.c_int), ("driverdata", ctypes.c_void_p)]


def _sdl_library() -> str | None:
    """Kivy's bundled SDL2 (pip wheels: site-packages/Kivy.libs), else the system's libSDL2."""
    try:
        spec = importlib.util.find_spec("kivy")  # finds the package without importing it
    except (ImportError, ValueError):
        spec = None
    if spec is not None and spec.origin:
        libs = Path(spec.origin).resolve().parents[1] / "Kivy.libs"
        found = sorted(libs.glob("libSDL2-2*.so*")) if libs.is_dir() else []
        if found:
            return str(found[0])
    return ctypes.util.find_library("SDL2-2.0") or ctypes.util.find_library("SDL2")


def sdl_desktop_size() -> tuple[int, int] | None:
    """The desktop size of the first display as SDL sees it, or None."""
    path = _sdl_library()
    if path is None:
        return None
    try:
        sdl = ctypes.CDLL(path)
        if sdl.SDL_Init(_SDL_INIT_VIDEO) != 0:
            return None
        try:
            mode = _DisplayMode()
            if sdl.SDL_GetDesktopDisplayMode(0, ctypes.byref(mode)) != 0:
                return None
            return (mode.w, mode.h) if mode.w > 0 and mode.h > 0 else None
        finally:
            sdl.SDL_QuitSubSystem(_SDL_INIT_VIDEO)
    except (OSError, AttributeError):
        return None


def parse_xdpyinfo(text: str) -> tuple[int, int] | None:
    """``dimensions:    1920x1200 pixels (...)`` of the first screen."""
    m = re.search(r"dimensions:\s+(\d+)x(\d+) pixels", text)
    return (int(m.group(1)), int(m.group(2))) if m else None


def xdpyinfo_size() -> tuple[int, int] | None:
    exe = shutil.which("xdpyinfo")
    if exe is None or not os.environ.get("DISPLAY"):
        return None
    try:
        out = subprocess.run([exe], capture_output=True, text=True, timeout=5, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return parse_xdpyinfo(out)


def screen_size() -> tuple[int, int] | None:
    """The screen's size in pixels, or None when it cannot be known (the window then stays as configured)."""
    if os.environ.get("SDL_VIDEODRIVER") in ("offscreen", "dummy"):
        return None  # headless: there is no screen to fill
    size = sdl_desktop_size() or xdpyinfo_size()
    if size is None:
        _LOGGER.warning("screen size unknown: the window keeps its configured size")
    return size
