"""Buffers for page views, so that counting never writes to the database in a request.

``MemoryVisitStore`` keeps counts in the web process (the embedded default, one process);
``RedisVisitStore`` keeps them in Redis, shared by every web process and worker. Both are
drained by ``services.visits_flush`` every ``VISITS_FLUSH_SECONDS``.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date


@dataclass
class DrainedVisits:
    """What accumulated since the last flush."""

    page_views: Counter = field(default_factory=Counter)  # (page_id, locale, day) -> views
    site_views: Counter = field(default_factory=Counter)  # day -> views
    site_visitors: dict[date, int] = field(default_factory=dict)  # day -> distinct visitors
    referrer_views: Counter = field(default_factory=Counter)  # (day, kind) -> views


class MemoryVisitStore:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._page_views: Counter = Counter()
        self._site_views: Counter = Counter()
        self._referrers: Counter = Counter()
        self._visitors: dict[date, set[str]] = {}
        self._last_seen: dict[str, float] = {}

    def record(
        self,
        *,
        page_id: int | None,
        locale: str,
        visitor: str,
        day: date,
        now: float | None = None,
        referrer: str = "direct",
    ) -> None:
        now = time.time() if now is None else now
        with self._lock:
            if page_id is not None:
                self._page_views[(page_id, locale, day)] += 1
            self._site_views[day] += 1
            self._referrers[(day, referrer)] += 1
            self._visitors.setdefault(day, set()).add(visitor)
            self._last_seen[visitor] = now

    def online_count(self, *, window_seconds: int, now: float | None = None) -> int:
        now = time.time() if now is None else now
        cutoff = now - window_seconds
        with self._lock:
            stale = [key for key, seen in self._last_seen.items() if seen < cutoff]
            for key in stale:
                del self._last_seen[key]
            return len(self._last_seen)

    def pending_site_views(self, day: date) -> int:
        with self._lock:
            return self._site_views.get(day, 0)

    def drain(self) -> DrainedVisits:
        with self._lock:
            drained = DrainedVisits(
                page_views=self._page_views,
                site_views=self._site_views,
                site_visitors={day: len(keys) for day, keys in self._visitors.items()},
                referrer_views=self._referrers,
            )
            self._page_views, self._site_views, self._referrers = Counter(), Counter(), Counter()
            # Keep only today's visitor set: distinct counts are per day.
            latest = max(self._visitors, default=None)
            self._visitors = {latest: self._visitors[latest]} if latest else {}
            return drained

    def restore(self, drained: DrainedVisits) -> None:
        """Put counts back after a failed flush, so nothing is lost."""
        with self._lock:
            self._page_views.update(drained.page_views)
            self._site_views.update(drained.site_views)
            self._referrers.update(drained.referrer_views)


class RedisVisitStore:
    PAGES = "visits:pending:pages"
    SITE = "visits:pending:site"
    REFERRERS = "visits:pending:referrers"
    ONLINE = "visits:online"
    DRAINING = "visits:draining:"

    def __init__(self, client) -> None:
        self.client = client

    @staticmethod
    def _visitors_key(day: date) -> str:
        return f"visits:visitors:{day.isoformat()}"

    def record(
        self,
        *,
        page_id: int | None,
        locale: str,
        visitor: str,
        day: date,
        now: float | None = None,
        referrer: str = "direct",
    ) -> None:
        now = time.time() if now is None else now
        pipe = self.client.pipeline(transaction=False)
        pipe.hincrby(self.REFERRERS, f"{day.isoformat()}|{referrer}", 1)
        if page_id is not None:
            pipe.hincrby(self.PAGES, f"{page_id}|{locale}|{day.isoformat()}", 1)
        pipe.hincrby(self.SITE, day.isoformat(), 1)
        pipe.pfadd(self._visitors_key(day), visitor)
        pipe.expire(self._visitors_key(day), 3 * 24 * 3600)
        pipe.zadd(self.ONLINE, {visitor: now})
        pipe.execute()

    def online_count(self, *, window_seconds: int, now: float | None = None) -> int:
        now = time.time() if now is None else now
        pipe = self.client.pipeline(transaction=False)
        pipe.zremrangebyscore(self.ONLINE, "-inf", now - window_seconds)
        pipe.zcard(self.ONLINE)
        return int(pipe.execute()[1])

    def pending_site_views(self, day: date) -> int:
        return int(self.client.hget(self.SITE, day.isoformat()) or 0)

    def drain(self) -> DrainedVisits:
        # Atomic hand-off: rename the pending hashes, then read them at leisure. Hashes left
        # by a flush that crashed are picked up again here, so a crash loses nothing.
        token = uuid.uuid4().hex
        for key in (self.PAGES, self.SITE, self.REFERRERS):
            try:
                self.client.rename(key, f"{self.DRAINING}{token}:{key}")
            except Exception as exc:  # no such key: nothing pending
                if "no such key" not in str(exc).lower():
                    raise
        drained = DrainedVisits()
        self._draining_keys = list(self.client.scan_iter(f"{self.DRAINING}*"))
        for key in self._draining_keys:
            name = key.decode() if isinstance(key, bytes) else key
            for field_name, value in self.client.hgetall(key).items():
                field_name = field_name.decode() if isinstance(field_name, bytes) else field_name
                if name.endswith(self.PAGES):
                    page_id, locale, day = field_name.split("|")
                    drained.page_views[(int(page_id), locale, date.fromisoformat(day))] += int(
                        value
                    )
                elif name.endswith(self.REFERRERS):
                    day, kind = field_name.split("|")
                    drained.referrer_views[(date.fromisoformat(day), kind)] += int(value)
                else:
                    drained.site_views[date.fromisoformat(field_name)] += int(value)
        for day in drained.site_views:
            drained.site_visitors[day] = int(self.client.pfcount(self._visitors_key(day)))
        return drained

    def acknowledge(self) -> None:
        """Forget the drained hashes once the database has them."""
        keys = getattr(self, "_draining_keys", [])
        if keys:
            self.client.delete(*keys)
        self._draining_keys = []

    def restore(self, drained: DrainedVisits) -> None:
        """Nothing to do: unacknowledged draining keys are read again by the next drain."""
