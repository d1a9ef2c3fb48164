"""The process-wide visit store chosen by settings (memory or Redis)."""

from functools import lru_cache

from django.conf import settings

from .store import MemoryVisitStore, RedisVisitStore


@lru_cache(maxsize=1)
def get_visit_store() -> MemoryVisitStore | RedisVisitStore:
    if settings.VISITS_STORE == "redis":
        import redis

        return RedisVisitStore(redis.Redis.from_url(settings.REDIS_URL))
    return MemoryVisitStore()
