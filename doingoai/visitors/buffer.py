"""The process-wide visit store chosen by settings (SQLite file, Redis or memory)."""

from functools import lru_cache

from django.conf import settings

from .store import MemoryVisitStore, RedisVisitStore, SqliteVisitStore


@lru_cache(maxsize=1)
def get_visit_store() -> MemoryVisitStore | RedisVisitStore | SqliteVisitStore:
    if settings.VISITS_STORE == "redis":
        import redis

        return RedisVisitStore(redis.Redis.from_url(settings.REDIS_URL))
    if settings.VISITS_STORE == "sqlite":
        return SqliteVisitStore(settings.VISITS_STORE_FILE)
    return MemoryVisitStore()
