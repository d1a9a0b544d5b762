"""Entry points for the touchscreen app.  No Kivy import here: Kivy is imported
only when the app is built (``kiosk app`` calls ``run(settings)``)."""

from __future__ import annotations

import datetime
import logging
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.audio import Microphone
from kiosk.packs.lock import recover_on_start
from kiosk.stats.health import start_stats
from kiosk.ui.display import screen_size

if TYPE_CHECKING:
    from kiosk.errors import KioskError
    from kiosk.stats.recorder import StatsRecorder
    from kiosk.stats.store import StatsStore


def build_app(settings, engines=None, clock: Callable[[], float] | None = None, stats: StatsRecorder | None = None,
              stats_store: StatsStore | None = None, stats_problem: KioskError | None = None,
              content_dir: Path | None = None, conversation_factory: Callable | None = None,
              microphone_factory: Callable | None = None):
    """Build (not run) the Kivy app.

    engines: a ``kiosk.engines.factory.Engines``; None builds the real ones in the
    background.  clock: monotonic seconds (tests inject a fake).  stats: the recorder
    that observes every session; stats_store: the store the staff dashboard reads
    (without one it opens ``settings.stats_db_path`` if it exists); stats_problem: why
    statistics are off (a damaged or full database), shown on the Statistics tab.
    """
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_CLIPBOARD", "sdl2")
    from kiosk.ui.kivy_app import KioskApp

    return KioskApp(settings=settings, engines=engines, clock=clock or time.monotonic, stats=stats,
                    stats_store=stats_store, stats_problem=stats_problem, content_dir=content_dir,
                    conversation_factory=conversation_factory, microphone_factory=microphone_factory)


def app_logging() -> None:
    """The app logs at INFO (staff and installers read the journal), each line once: Kivy logs
    through Python logging (no second console handler of its own); alembic's migration chatter
    only when something is wrong.  Call before Kivy is imported."""
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
    root = logging.getLogger()
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    if not root.handlers:
        logging.basicConfig(format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)


def run(settings, size: tuple[int, int] | None = None) -> int:
    """Run the app until it is closed (kiosk mode: full screen, closed only from the staff screen)."""
    app_logging()
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    settings.data_dir.mkdir(parents=True, exist_ok=True)  # Kivy creates its home folder, not the parents
    os.environ.setdefault("KIVY_HOME", str(settings.data_dir / "kivy"))  # Kivy's config/logs stay in the data dir
    os.environ.setdefault("KIVY_CLIPBOARD", "sdl2")
    if settings.mode == "kiosk" or settings.fullscreen:
        from kivy.config import Config

        Config.set("graphics", "fullscreen", "auto")
        Config.set("graphics", "borderless", "1")
        Config.set("kivy", "exit_on_escape", "0")
        if not size:  # without a window manager "auto" keeps 800x600: open the window at the screen's size

            size = screen_size()
        if size:
            Config.set("graphics", "position", "custom")
            Config.set("graphics", "left", "0")
            Config.set("graphics", "top", "0")
    if size:
        from kivy.config import Config

        Config.set("graphics", "width", str(size[0]))
        Config.set("graphics", "height", str(size[1]))

    recover_on_start(settings)  # a pack upgrade cut short by a power cut: finish or undo it before loading

    os.environ.setdefault("MPLCONFIGDIR", str(settings.cache_dir / "matplotlib"))  # charts: nothing in $HOME
    stats, problem = start_stats(settings, datetime.datetime.now())  # a damaged database never stops the kiosk
    app = build_app(settings, stats=stats, stats_store=stats.store if stats is not None else None,
                    stats_problem=problem, microphone_factory=Microphone)  # the problem is shown to staff
    restore = stop_on_signals(app)
    try:
        app.run()
    finally:
        restore()
        if stats is not None:
            stats.close()  # ends open sessions (app_closed) and flushes the writer
    return 0


STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


def stop_on_signals(app) -> Callable[[], None]:
    """SIGTERM (systemd stop, shutdown), SIGINT and SIGHUP close the app the way the staff
    "Quit" does: on the Kivy thread, then ``run`` flushes the statistics and returns 0.
    Returns a function that puts the previous handlers back."""

    def handler(signum, _frame):
        logging.getLogger(__name__).info("signal %d: closing the app", signum)
        from kivy.clock import Clock

        Clock.schedule_once(lambda dt: app.exit_app(), 0)

    previous = {sig: signal.signal(sig, handler) for sig in STOP_SIGNALS}

    def restore() -> None:
        for sig, old in previous.items():
            signal.signal(sig, old)

    return restore
