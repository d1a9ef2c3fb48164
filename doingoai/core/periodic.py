"""Periodic jobs (scheduled publishing, flushing buffered visits).

Each job is a Django task; this module only *triggers* them on a timer. In the embedded
profile a daemon thread of the web process does the triggering (the in-memory visit buffer
lives in that process); in production cron or a worker runs ``manage.py run_periodic``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)


@dataclass
class PeriodicJob:
    name: str
    interval_seconds: float
    run: Callable[[], object]
    last_run: float = field(default=0.0)

    def due(self, now: float) -> bool:
        return now - self.last_run >= self.interval_seconds


_jobs: dict[str, PeriodicJob] = {}
_thread: threading.Thread | None = None
_lock = threading.Lock()


def register_periodic_job(name: str, interval_seconds: float, run: Callable[[], object]) -> None:
    _jobs[name] = PeriodicJob(name=name, interval_seconds=interval_seconds, run=run)


def registered_jobs() -> list[PeriodicJob]:
    return list(_jobs.values())


def run_due_jobs(now: float | None = None, *, force: bool = False) -> list[str]:
    """Run every job whose interval has passed; a failing job never stops the others."""
    now = time.monotonic() if now is None else now
    ran = []
    for job in registered_jobs():
        if not (force or job.due(now)):
            continue
        job.last_run = now
        try:
            job.run()
            ran.append(job.name)
        except Exception:
            logger.exception("Periodic job %s failed", job.name)
    return ran


def start_background_thread(tick_seconds: float = 5.0) -> bool:
    """Start the trigger thread once per process; returns False if already running."""
    global _thread
    with _lock:
        if _thread is not None and _thread.is_alive():
            return False

        def loop() -> None:
            while True:
                time.sleep(tick_seconds)
                run_due_jobs()

        _thread = threading.Thread(target=loop, name="doingoai-periodic", daemon=True)
        _thread.start()
        return True
