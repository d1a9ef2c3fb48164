"""Fast, deterministic settings for the test suite.

Runs on SQLite with in-memory cache by default; DATABASE_URL / REDIS_URL switch the same suite
to PostgreSQL and Redis (CI runs both).
"""

from .base import *

SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdef"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True  # static files answer as they do after collectstatic
PERIODIC_JOBS_IN_PROCESS = False
AXES_ENABLED = True
import tempfile as _tempfile  # noqa: E402

MEDIA_ROOT = Path(_tempfile.mkdtemp(prefix="doingoai-test-media-"))
# One content-version file per test process (parallel workers must not bump each other's).
if not REDIS_URL:
    CONTENT_VERSION_FILE = str(Path(_tempfile.mkdtemp(prefix="doingoai-test-")) / "version")
LOGGING["root"]["level"] = "WARNING"
LOGGING["loggers"]["wagtail"] = {"level": "WARNING"}

# Parallel test workers (pytest-xdist) each get their own Redis database, so one worker's
# cache.clear() or cached ids never reach another worker's test database.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _worker.startswith("gw"):
    import re as _re

    _offset = int(_worker[2:])
    REDIS_URL = _re.sub(r"/(\d+)$", lambda m: f"/{int(m.group(1)) + _offset}", REDIS_URL)
    if not _re.search(r"/\d+$", REDIS_URL):
        REDIS_URL = f"{REDIS_URL.rstrip('/')}/{1 + _offset}"
    CACHES["default"]["LOCATION"] = REDIS_URL
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
# Query-count and rendering tests measure real renders; page-cache tests turn it on.
PAGE_CACHE_SECONDS = 0
# Two-factor sign-in is not required of the fixtures' officers; its own tests turn it on.
TWO_FACTOR_REQUIRED = "off"
# Each test starts with an empty visit buffer (tests/conftest.py): the process's memory, unless
# REDIS_URL is set or a test picks another store (tests/test_visit_stores.py runs them all).
if not REDIS_URL:
    VISITS_STORE = os.environ.get("VISITS_STORE", "memory")
