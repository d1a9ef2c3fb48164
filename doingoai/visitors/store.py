"""Buffers for page views, so that counting never writes to the database in a request.

``SqliteVisitStore`` keeps counts in a small SQLite file of its own (the default without
Redis): every gunicorn worker writes to it and ``manage.py run_periodic``, in a process of its
own, drains it. ``RedisVisitStore`` keeps them in Redis, shared by every web process and worker
of every machine. ``MemoryVisitStore`` keeps them in the process (one process only: the test
suite, or ``VISITS_STORE=memory``); another process cannot flush it. All are drained by
``services.visits_flush`` every ``VISITS_FLUSH_SECONDS``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

logger = logging.getLogger(__name__)


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

    def acknowledge(self) -> None:
        """Nothing to forget: ``drain`` already took the counts out."""

    def flush_lock(self):
        return contextlib.nullcontext()


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

    def flush_lock(self):
        """One flush at a time across every process and machine."""
        return self.client.lock("visits:flush-lock", timeout=120, blocking_timeout=5)


class SqliteVisitStore:
    """Counts in a SQLite database of their own (``VISITS_STORE_FILE``, default
    ``var/visits.sqlite3``), shared by every process of the machine without Redis.

    A page view is one short transaction (three counter upserts, the day's visitor set and the
    online table) in WAL mode with ``synchronous=NORMAL``: no fsync per view, and never the main
    database's write lock, so a request is not held up by a long write there (a report, an
    import, the flush itself). A view that cannot be written within ``timeout`` seconds is
    dropped with a warning rather than failing the page. Draining moves the pending counts into
    a *draining* table in one transaction; they are deleted only once the main database has
    them (``acknowledge``), so a flush that fails or crashes is picked up again by the next
    one, as with Redis. One flush at a time: an exclusive ``flock`` beside the file.
    """

    SCHEMA = (
        "CREATE TABLE IF NOT EXISTS pending (kind TEXT NOT NULL, key TEXT NOT NULL,"
        " views INTEGER NOT NULL, PRIMARY KEY (kind, key)) WITHOUT ROWID",
        "CREATE TABLE IF NOT EXISTS draining (kind TEXT NOT NULL, key TEXT NOT NULL,"
        " views INTEGER NOT NULL, PRIMARY KEY (kind, key)) WITHOUT ROWID",
        "CREATE TABLE IF NOT EXISTS visitors (day TEXT NOT NULL, visitor TEXT NOT NULL,"
        " PRIMARY KEY (day, visitor)) WITHOUT ROWID",
        "CREATE TABLE IF NOT EXISTS online (visitor TEXT PRIMARY KEY, seen REAL NOT NULL)"
        " WITHOUT ROWID",
        "CREATE INDEX IF NOT EXISTS online_seen ON online (seen)",
    )
    UPSERT = (
        "INSERT INTO pending (kind, key, views) VALUES (?, ?, 1)"
        " ON CONFLICT (kind, key) DO UPDATE SET views = views + 1"
    )
    VISITOR_DAYS_KEPT = 3

    def __init__(self, path: str | Path, *, timeout: float = 5.0) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self._local = threading.local()
        self._schema_ready = False
        self._schema_lock = threading.Lock()

    # Connections: one per thread and process (gunicorn forks; a connection never crosses).
    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is not None and self._local.pid == os.getpid():
            return connection
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(
            self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False
        )
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        with self._schema_lock:
            if not self._schema_ready:
                with self._transaction(connection):
                    for statement in self.SCHEMA:
                        connection.execute(statement)
                self._schema_ready = True
        self._local.connection, self._local.pid = connection, os.getpid()
        return connection

    @staticmethod
    @contextlib.contextmanager
    def _transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

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
        day_key = day.isoformat()
        counters = [("site", day_key), ("referrer", f"{day_key}|{referrer}")]
        if page_id is not None:
            counters.append(("page", f"{page_id}|{locale}|{day_key}"))
        try:
            with self._transaction(self._connection()) as db:
                db.executemany(self.UPSERT, counters)
                db.execute("INSERT OR IGNORE INTO visitors VALUES (?, ?)", (day_key, visitor))
                db.execute(
                    "INSERT INTO online VALUES (?, ?) ON CONFLICT (visitor)"
                    " DO UPDATE SET seen = max(seen, excluded.seen)",
                    (visitor, now),
                )
        except (sqlite3.Error, OSError):
            logger.warning("A page view was not counted: %s is not writable", self.path)

    def online_count(self, *, window_seconds: int, now: float | None = None) -> int:
        now = time.time() if now is None else now
        row = (
            self._connection()
            .execute("SELECT count(*) FROM online WHERE seen >= ?", (now - window_seconds,))
            .fetchone()
        )
        return int(row[0])

    def pending_site_views(self, day: date) -> int:
        row = (
            self._connection()
            .execute(
                "SELECT views FROM pending WHERE kind = 'site' AND key = ?", (day.isoformat(),)
            )
            .fetchone()
        )
        return int(row[0]) if row else 0

    def drain(self) -> DrainedVisits:
        drained = DrainedVisits()
        with self._transaction(self._connection()) as db:
            # Counts left by a flush that failed are still in ``draining``: added to, not lost.
            db.execute(
                "INSERT INTO draining (kind, key, views) SELECT kind, key, views FROM pending"
                " WHERE true ON CONFLICT (kind, key) DO UPDATE"
                " SET views = draining.views + excluded.views"
            )
            db.execute("DELETE FROM pending")
            rows = db.execute("SELECT kind, key, views FROM draining").fetchall()
            for kind, key, views in rows:
                if kind == "page":
                    page_id, locale, day = key.split("|")
                    drained.page_views[(int(page_id), locale, date.fromisoformat(day))] += views
                elif kind == "referrer":
                    day, referrer = key.split("|", 1)
                    drained.referrer_views[(date.fromisoformat(day), referrer)] += views
                else:
                    drained.site_views[date.fromisoformat(key)] += views
            for day in drained.site_views:
                (count,) = db.execute(
                    "SELECT count(*) FROM visitors WHERE day = ?", (day.isoformat(),)
                ).fetchone()
                drained.site_visitors[day] = int(count)
            newest = db.execute("SELECT max(day) FROM visitors").fetchone()[0]
            if newest:
                oldest_kept = date.fromisoformat(newest) - timedelta(days=self.VISITOR_DAYS_KEPT)
                db.execute("DELETE FROM visitors WHERE day < ?", (oldest_kept.isoformat(),))
            db.execute("DELETE FROM online WHERE seen < ?", (time.time() - 24 * 3600,))
        return drained

    def acknowledge(self) -> None:
        """Forget the drained counts once the database has them."""
        with self._transaction(self._connection()) as db:
            db.execute("DELETE FROM draining")

    def restore(self, drained: DrainedVisits) -> None:
        """Nothing to do: unacknowledged counts stay in ``draining`` for the next drain."""

    @contextlib.contextmanager
    def flush_lock(self) -> Iterator[None]:
        """One flush at a time across the machine's processes (an exclusive ``flock``)."""
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(f"{self.path}.flush-lock", "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
