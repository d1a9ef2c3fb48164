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
PERIODIC_JOBS_IN_PROCESS = False
AXES_ENABLED = True
import tempfile as _tempfile  # noqa: E402

MEDIA_ROOT = Path(_tempfile.mkdtemp(prefix="doingoai-test-media-"))
LOGGING["root"]["level"] = "WARNING"
LOGGING["loggers"]["wagtail"] = {"level": "WARNING"}
