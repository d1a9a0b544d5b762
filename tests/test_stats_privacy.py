"""Privacy by construction: what visitors say never reaches the stats database, its WAL, logs or the data dir."""

from __future__ import annotations

import datetime as dt
import logging

from kiosk.cli import main
from kiosk.pipeline import events as ev
from kiosk.stats import StatsRecorder, open_store
from tests.support.stats_events import FakeClock, TurnSpec, conversation

SECRETS = (
    "ZEBRA-PINEAPPLE-4711",
    "住民票サンプル太郎",
    "Nguyễn Thị Bí Mật Hoa",
    "김비밀씨앗",
    "机密样本张三",
)


def search(blob: bytes) -> list[str]:
    found = []
    for secret in SECRETS:
        for needle in {secret, secret[:8], secret.upper(), secret.lower()}:
            for enc in ("utf-8", "utf-16-le", "utf-16-be"):
                if needle.encode(enc) in blob:
                    found.append(f"{needle!r} ({enc})")
    return found


def test_no_visitor_text_in_database_wal_logs_or_data_dir(settings, caplog, capsys):
    caplog.set_level(logging.DEBUG)  # everything, including SQLAlchemy's SQL + parameter logging
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    clock = FakeClock(dt.datetime(2025, 5, 7, 11, 20))
    store = open_store(settings)
    rec = StatsRecorder(store, clock=clock)
    for i, secret in enumerate(SECRETS):
        turns = [
            TurnSpec(kind="speech", text=f"My name is {secret}."),
            TurnSpec(kind="typed", side="staff", text=f"Please write {secret} here.", sure=False),
            TurnSpec(kind="speech", text=f"{secret} {secret}", fail="mt.missing_direction", feedback=None),
            TurnSpec(kind="phrasebook", side="staff", text=secret, verified=True, feedback="say_again"),
        ]
        conversation(rec, clock, turns, visitor=("en", "ja", "vi", "ko", "zh")[i], session_id=f"{secret}-session")
    # odd events carrying text where codes or ids belong
    rec(ev.SessionStarted(session_id=SECRETS[0], mode=SECRETS[1], visitor_language=SECRETS[2], staff_language="ja"))
    rec(ev.TurnStarted(turn_id=SECRETS[3], elapsed_s=0, session_id=SECRETS[0], side="visitor",
                       source_language=SECRETS[4], target_language="ja", input_kind="speech"))  # fmt: skip
    rec(ev.TurnFailed(turn_id=SECRETS[3], elapsed_s=0.2, code=SECRETS[0], message=SECRETS[1], stage="internal"))
    rec(ev.SessionEnded(session_id=SECRETS[0], reason=SECRETS[2]))
    assert rec.flush()

    data = settings.data_dir
    wal = data / "stats.sqlite3-wal"
    assert wal.is_file() and wal.stat().st_size > 0  # the WAL holds the rows before a checkpoint
    for suffix in ("", "-wal", "-shm"):
        path = data / f"stats.sqlite3{suffix}"
        assert path.is_file(), path
        assert search(path.read_bytes()) == [], path

    # reports written into the data dir, and the CLI output
    assert main(["--data-dir", str(data), "stats", "export", "--out", str(data / "out.csv")]) == 0
    assert main(["--data-dir", str(data), "stats", "report", "--out", str(data / "r.html")]) == 0
    assert main(["--data-dir", str(data), "stats", "report", "--out", str(data / "r.pdf")]) == 0
    assert main(["--data-dir", str(data), "stats", "summary", "--suppress-below", "0"]) == 0
    rec.close()
    with store:
        s = store.summary()
    assert (s.sessions, s.turns) == (6, 21)  # the numbers are all there

    files = [p for p in data.rglob("*") if p.is_file()]
    assert len(files) >= 4  # database (WAL checkpointed on close), csv, html, pdf
    for path in files:
        assert search(path.read_bytes()) == [], path
    out = capsys.readouterr()
    assert search((out.out + out.err).encode()) == []
    assert "INSERT INTO stats_sessions" in caplog.text  # SQL logging was on and captured
    assert search(caplog.text.encode()) == []
    assert all(search(str(r.args).encode()) == [] for r in caplog.records)


def test_the_search_would_find_a_planted_secret(settings):
    """The check above can fail: text planted in the store is found in the database file or its WAL."""
    with open_store(settings) as store:
        store.bump_counter(SECRETS[1][:8])
        blob = b"".join(p.read_bytes() for p in settings.data_dir.glob("stats.sqlite3*"))
    assert search(blob) != []
