"""Test-wide guards: headless Kivy, no network, no home directory, temp data dirs."""

from __future__ import annotations

import os
import socket
import tempfile
from pathlib import Path

import pytest

from kiosk.config import load_settings
from kiosk.engines.whisper_model import ensure_base_model
from kiosk.engines.whisper_stt import WhisperSpeechToText

# shared fixtures: tiny translation packs (tiny_pack_dirs, tiny_pack_archives), a PostgreSQL server (pg_server, pg_url)
pytest_plugins = ["tests.support.mt_fixtures", "tests.support.pg"]

# --- set before anything imports kivy or argostranslate -------------------
_SANDBOX = Path(tempfile.mkdtemp(prefix="kiosk-tests-"))
_HOME = _SANDBOX / "home"
_HOME.mkdir()
os.environ["HOME"] = str(_HOME)
os.environ["XDG_DATA_HOME"] = str(_HOME / ".local" / "share")
os.environ["XDG_CACHE_HOME"] = str(_HOME / ".cache")
os.environ["XDG_CONFIG_HOME"] = str(_HOME / ".config")
os.environ["KIOSK_DATA_DIR"] = str(_SANDBOX / "default-data")
os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")
os.environ["KIVY_NO_ARGS"] = "1"
os.environ["KIVY_NO_CONFIG"] = "1"
os.environ["KIVY_NO_FILELOG"] = "1"
os.environ["KIVY_NO_CONSOLELOG"] = "1"
os.environ["KIVY_HOME"] = str(_SANDBOX / "kivy-home")
os.environ["PULSE_RUNTIME_PATH"] = str(_SANDBOX / "pulse")  # espeak-ng would create ~/.config/pulse
os.environ["MESA_SHADER_CACHE_DIR"] = str(_SANDBOX / "mesa")  # Kivy's GL driver cache
os.environ["MPLBACKEND"] = "Agg"
os.environ["MPLCONFIGDIR"] = str(_SANDBOX / "mpl")

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
AUDIO_DIR = Path(os.environ.get("KIOSK_TEST_AUDIO", REPO / "tests" / "data" / "audio"))


def _is_local(address) -> bool:
    if isinstance(address, (str, bytes)):
        return True  # AF_UNIX
    host = address[0] if isinstance(address, tuple) and address else ""
    return host in ("127.0.0.1", "::1", "localhost", "") or str(host).startswith("127.")


def _local_only(real):
    def guarded(self, address):
        if not _is_local(address):
            raise RuntimeError(f"tests must not touch the network (tried {address!r})")
        return real(self, address)

    return guarded


socket.socket.connect = _local_only(socket.socket.connect)  # type: ignore[method-assign]
socket.socket.connect_ex = _local_only(socket.socket.connect_ex)  # type: ignore[method-assign]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    return d


@pytest.fixture
def settings(data_dir: Path):
    return load_settings(data_dir, env={})


def pytest_sessionfinish(session, exitstatus):
    # nothing may appear in the (fake) home directory: Kivy, matplotlib, Mesa and
    # PulseAudio are pointed elsewhere above; anything else writing there is a bug
    leaked = [str(p.relative_to(_HOME)) for p in _HOME.rglob("*")]
    if leaked:
        print(f"\nFAIL: files created in HOME during tests: {leaked[:20]}")
        session.exitstatus = 1


# --- the bundled Whisper base model: assembled once, loaded once per test session -----------
@pytest.fixture(scope="session")
def whisper_data_dir(tmp_path_factory) -> Path:
    """A data dir holding the assembled, checked base model (145 MB, joined once per session)."""
    d = tmp_path_factory.mktemp("whisper-data")
    ensure_base_model(d)
    return d


@pytest.fixture(scope="session")
def whisper_stt(whisper_data_dir):
    """One loaded Whisper base engine shared by every test that needs the real model."""
    engine = WhisperSpeechToText(data_dir=whisper_data_dir)
    engine.preload()
    return engine
