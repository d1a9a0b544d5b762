"""Session-scoped pytest fixtures for the tiny Argos packs.

Registered for every test by ``pytest_plugins`` in tests/conftest.py.
Built once per test session (building all four costs about a second).  Treat the
returned folders and archives as read-only; copy them (``shutil.copytree``)
before damaging or installing them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.tiny_argos import build_argos_pack, build_argos_pack_dir

# enough for direct (ko→en, en→ja, ja→en, en→vi) and pivot (ko→ja, ko→vi, ja→vi) routes
DIRECTIONS: tuple[tuple[str, str], ...] = (("ko", "en"), ("en", "ja"), ("ja", "en"), ("en", "vi"))


@pytest.fixture(scope="session")
def tiny_pack_dirs(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """{(from, to): extracted pack folder} for DIRECTIONS."""
    root = tmp_path_factory.mktemp("tiny-argos-dirs")
    return {(a, b): build_argos_pack_dir(root, a, b) for a, b in DIRECTIONS}


@pytest.fixture(scope="session")
def tiny_pack_archives(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """{(from, to): .argosmodel zip} for DIRECTIONS."""
    root = tmp_path_factory.mktemp("tiny-argos-archives")
    return {(a, b): build_argos_pack(root, a, b) for a, b in DIRECTIONS}
