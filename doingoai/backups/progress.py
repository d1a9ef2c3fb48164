"""Progress of long backup and restore steps: a line at most every second on a terminal, or a
log record every 15 seconds when a periodic job runs the backup."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

logger = logging.getLogger("doingoai.backups")


def seconds(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") + " giây"


def human_bytes(value: float) -> str:
    """1.234.567 bytes → "1,2 MB" (Vietnamese decimal comma)."""
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1024 or unit == "TB":
            text = f"{value:.0f}" if unit == "B" else f"{value:.1f}"
            return f"{text.replace('.', ',')} {unit}"
        value /= 1024
    return f"{value} B"  # pragma: no cover


class Progress:
    """``step(label, done, total)`` reports how far a step is; ``note(text)`` says what happens.

    ``write`` receives whole lines (a management command's stdout); without it the lines go to
    the ``doingoai.backups`` logger, less often.
    """

    def __init__(
        self, write: Callable[[str], None] | None = None, *, interval: float | None = None
    ):
        self.write = write
        self.interval = interval if interval is not None else (1.0 if write else 15.0)
        self._last: dict[str, float] = {}
        self._finished: set[str] = set()

    def _emit(self, line: str) -> None:
        if self.write is not None:
            self.write(line)
        else:
            logger.info("%s", line)

    def note(self, text: str) -> None:
        self._emit(text)

    def step(self, label: str, done: float, total: float, *, unit: str = "bytes") -> None:
        now = time.monotonic()
        finished = total > 0 and done >= total
        if finished:
            if label in self._finished:
                return
            self._finished.add(label)
        elif now - self._last.get(label, 0.0) < self.interval:
            return
        self._last[label] = now
        percent = int(100 * done / total) if total else 100
        if unit == "bytes":
            amount = f"{human_bytes(done)} / {human_bytes(total)}"
        else:
            amount = f"{int(done)}/{int(total)} {unit}"
        self._emit(f"  {label}: {percent:3d} % ({amount})")


class Silent(Progress):
    def _emit(self, line: str) -> None:
        pass
