"""The phrase matcher's analysers, loaded off the UI thread on threads the app waits for at exit.

Loading an analyser is one long call into a compiled library that cannot be interrupted (Kiwi for
Korean: 1.5-3.5 s and ~300 MB; SudachiPy for Japanese, jieba for Chinese: under a second each).  A
daemon thread still inside such a call while the interpreter shuts down (SIGTERM, staff Quit) can take
the process down with an abort instead of exit 0, so each load runs on a non-daemon thread: the session
waits for it when the app closes (``wait``, bounded), and Python never finalises under it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable


class PhraseWarmUp:
    """Each language's analyser is asked for once; only the languages a visit uses (memory)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._asked: set[str] = set()
        self._threads: list[threading.Thread] = []

    def start(self, phrases, languages: Iterable[str]) -> threading.Thread | None:
        """Call ``phrases.warm_up(new)`` on a new non-daemon thread, ``new`` being the ``languages`` not
        asked for before; returns the thread (None: nothing new, or ``phrases`` cannot warm up).
        Never blocks: call it from the UI thread."""
        warm = getattr(phrases, "warm_up", None)  # no content, or a test's fake lookup
        if warm is None:
            return None
        with self._lock:
            new = [lang for lang in dict.fromkeys(languages) if lang not in self._asked]
            if not new:
                return None
            self._asked.update(new)
            self._threads = [t for t in self._threads if t.is_alive()]
            thread = threading.Thread(target=warm, args=(new,), name="warm-up-phrases", daemon=False)
            self._threads.append(thread)
            thread.start()
        return thread

    def wait(self, timeout: float) -> bool:
        """Wait at most ``timeout`` seconds for the loads under way; True when none is left running."""
        deadline = time.monotonic() + timeout
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        return not any(t.is_alive() for t in threads)
