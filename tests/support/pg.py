"""A real, throw-away PostgreSQL server for tests (Debian's ``postgresql`` package).

``pg_server`` (session fixture) runs ``initdb`` into a fresh temp dir and starts
``postgres`` with ``pg_ctl``, listening only on a unix socket inside that dir
(no TCP).  PostgreSQL refuses to run as root, so when the tests run as root the
server runs as the ``postgres`` system user (via ``runuser``) in a directory
chowned to it.  ``pg_url`` (function fixture) creates a fresh database per test.

The fixtures are registered for every test by ``pytest_plugins`` in tests/conftest.py.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest


def find_bindir() -> Path:
    """The newest /usr/lib/postgresql/<version>/bin holding initdb and pg_ctl."""
    env = os.environ.get("KIOSK_PG_BINDIR")
    if env:
        return Path(env)
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    if on_path:
        return Path(on_path).parent
    raise RuntimeError("PostgreSQL server binaries not found: install the Debian package 'postgresql'")


@dataclass
class PgServer:
    bindir: Path
    root: Path  # temp dir: data/ and the socket
    user: str
    run_as: list[str]  # command prefix (runuser ...) or []

    @property
    def socket_dir(self) -> Path:
        return self.root

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://{self.user}@/{dbname}?host={self.socket_dir}"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run([*self.run_as, *args], check=check, capture_output=True, text=True, timeout=120)

    def start(self) -> None:
        data = self.root / "data"
        self._run(str(self.bindir / "initdb"), "-D", str(data), "-U", self.user, "--auth=trust",
                  "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")  # fmt: skip
        opts = f"-c listen_addresses='' -k {self.socket_dir} -c fsync=off -c max_connections=50"
        proc = self._run(str(self.bindir / "pg_ctl"), "-D", str(data), "-l", str(self.root / "server.log"),
                         "-o", opts, "-w", "-t", "60", "start", check=False)  # fmt: skip
        if proc.returncode != 0:
            log = (self.root / "server.log").read_text(errors="replace") if (self.root / "server.log").exists() else ""
            raise RuntimeError(f"pg_ctl start failed: {proc.stderr}\n{log}")

    def stop(self) -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop",
                  check=False)  # fmt: skip

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url_libpq("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def url_libpq(self, dbname: str) -> str:
        return f"host={self.socket_dir} user={self.user} dbname={dbname}"


def start_server() -> PgServer:
    bindir = find_bindir()
    root = Path(tempfile.mkdtemp(prefix="kpg-", dir="/tmp"))  # short: unix socket paths max ~107 bytes
    run_as: list[str] = []
    user = "kiosk"
    if os.geteuid() == 0:
        pw = pwd.getpwnam("postgres")
        os.chown(root, pw.pw_uid, pw.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    server = PgServer(bindir, root, user, run_as)
    server.start()
    return server


@pytest.fixture(scope="session")
def pg_server():
    server = start_server()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(server.root, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server) -> str:
    """A fresh, empty database on the session's server."""
    return pg_server.create_database("t_" + uuid.uuid4().hex[:12])
