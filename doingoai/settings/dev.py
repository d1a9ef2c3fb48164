"""Local development: the embedded defaults plus DEBUG."""

from .base import *

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-change-me-in-production-0123456789"
PERIODIC_JOBS_IN_PROCESS = env_bool("PERIODIC_JOBS_IN_PROCESS", True)
# The demo's address: where `bin/portal` serves it (DOINGOAI_ADDR, default 127.0.0.1:8000).
PORTAL_BASE_URL = PORTAL_BASE_URL or f"http://{os.environ.get('DOINGOAI_ADDR', '127.0.0.1:8000')}"
# The demo's accounts sign in with the password alone; any of them may still set up two-factor
# sign-in from its account page (TWO_FACTOR_REQUIRED=roles shows the production behaviour).
TWO_FACTOR_REQUIRED = os.environ.get("TWO_FACTOR_REQUIRED", "off").strip().lower()
