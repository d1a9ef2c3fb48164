"""Settings shared by every profile.

Everything a deployment changes comes from environment variables with embedded defaults:
SQLite under ``var/``, local-memory cache, in-process tasks and media on disk. Setting
``DATABASE_URL`` (PostgreSQL) and ``REDIS_URL`` switches to the real engines with no code change.
"""

import os
from pathlib import Path

import dj_database_url
from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
VAR_DIR = Path(os.environ.get("DOINGOAI_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # doingoai: one app per capability (docs/architecture.md)
    "doingoai.core",
    "doingoai.audit",
    "doingoai.media",
    "doingoai.accounts",
    "doingoai.backoffice",
    "doingoai.visitors",
    "doingoai.portal",
    "doingoai.search",
    "doingoai.seo",
    "doingoai.registers",
    "doingoai.monitoring",
    "doingoai.responses",
    "doingoai.reports",
    "doingoai.demo",
    "doingoai.backups",
    # Wagtail
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "axes",
    "session_security",
    # two-factor sign-in (doingoai/accounts/twofactor): authenticator-app codes, recovery codes
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Compresses fresh renders; the page cache keeps its pages compressed already.
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Security headers outside the page cache: cached answers carry them too.
    "doingoai.core.csp.PortalCSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Counts views (cached ones too), then answers anonymous visitors from the page cache.
    "doingoai.visitors.middleware.VisitCounterMiddleware",
    "doingoai.portal.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "doingoai.core.middleware.UnknownLanguagePrefixMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "doingoai.accounts.middleware.BackOfficeLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Binds the request: every audit-log entry records the client's address (doingoai/audit).
    "doingoai.audit.context.AuditRequestMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "doingoai.accounts.twofactor.middleware.OTPMiddleware",  # django-otp: code step passed?
    "django.contrib.messages.middleware.MessageMiddleware",
    "doingoai.accounts.middleware.IdleTimeoutMiddleware",
    "axes.middleware.AxesMiddleware",
    # A session whose second factor is still due reaches only the code or set-up screen.
    "doingoai.accounts.twofactor.middleware.SecondFactorMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "doingoai.core.middleware.PeriodicJobsStarterMiddleware",
    # Hands Wagtail's serve view the cached site and the page routed in one query.
    "doingoai.portal.routing.PageRouteMiddleware",
]

ROOT_URLCONF = "doingoai.urls"
WSGI_APPLICATION = "doingoai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Database: SQLite under var/ unless DATABASE_URL is set -------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'doingoai.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the web process and a worker share the file safely; the
    # connection is kept between requests like any other database (CONN_MAX_AGE).
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions: local memory unless REDIS_URL is set ----------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "doingoai"),
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "doingoai",
            # pages, routes and fragments (docs/deployment.md): Django's default of 300
            # entries would keep evicting them
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "20000"))},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Background tasks: Django's tasks framework (django-tasks backport) ------------------
# In-process by default; TASKS_BACKEND=rq sends them to RQ workers over REDIS_URL.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate")
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_tasks_rq", "django_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# --- Authentication and security -------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"

# Login throttling (django-axes, doingoai/accounts/lockout.py): a username at one client
# address is locked after LOGIN_FAILURE_LIMIT wrong passwords, a client address after
# LOGIN_ADDRESS_FAILURE_LIMIT on any accounts; the address is the client's own behind the
# proxy (doingoai/core/client_address.py), never one a client wrote in a header.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("LOGIN_ADDRESS_FAILURE_LIMIT", "30"))
AXES_COOLOFF_TIME = float(os.environ.get("LOGIN_COOLOFF_HOURS", "0.25"))  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_CLIENT_IP_CALLABLE = "doingoai.core.client_address.client_address"
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "doingoai.accounts.lockout.PairAndAddressHandler"
AXES_VERBOSE = False

# Two-factor sign-in (django-otp; doingoai/accounts/twofactor): after the password, a code from
# an authenticator app or a one-time recovery code. Who must set it up: "roles" (approvers,
# administrators and superusers), "all" (every officer) or "off" (nobody; those who set it up
# still use it). Wrong codes slow down exponentially per device (1, 2, 4, 8… seconds).
TWO_FACTOR_REQUIRED = os.environ.get("TWO_FACTOR_REQUIRED", "roles").strip().lower()
TWO_FACTOR_RECOVERY_CODES = 10
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# Reverse proxies in front of Django (docs/deployment.md, "Client addresses"): how many append
# to X-Forwarded-For, and the addresses they connect from. 0 (the default; production: 1 for
# the documented nginx): the connecting address is the client and the header is ignored.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
TRUSTED_PROXY_ADDRESSES = env_list("TRUSTED_PROXY_ADDRESSES", "127.0.0.1,::1")

# Idle-session timeout (django-session-security enforces it on the server).
IDLE_TIMEOUT_SECONDS = int(os.environ.get("IDLE_TIMEOUT_SECONDS", str(30 * 60)))
IDLE_WARNING_SECONDS = 60
SESSION_SECURITY_EXPIRE_AFTER = IDLE_TIMEOUT_SECONDS
SESSION_SECURITY_WARN_AFTER = max(IDLE_TIMEOUT_SECONDS - IDLE_WARNING_SECONDS, 1)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # Wagtail's admin JavaScript reads the token
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp, doingoai/core/csp.py). The public portal runs no
# JavaScript: scripts are refused outright (JSON-LD blocks are data, not scripts). Images and
# media may come from MEDIA_URL's host when media are served from elsewhere.
MEDIA_ORIGIN = os.environ.get("MEDIA_ORIGIN", "")  # e.g. https://media.example.vn
_MEDIA_ORIGIN = [MEDIA_ORIGIN] if MEDIA_ORIGIN else []
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'none'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *_MEDIA_ORIGIN],
        "media-src": ["'self'", *_MEDIA_ORIGIN],
        "font-src": ["'self'"],
        "frame-src": ["https://www.youtube-nocookie.com"],
        "connect-src": ["'self'"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
# The back office (Wagtail's admin): its own scripts and styles, inline styles (widgets set
# them), previews of pages in same-origin frames and YouTube embeds in the editor. Wagtail 8's
# admin templates still contain inline scripts (a crawl of the listing, editor, users and
# history screens found 22), so scripts may be inline but come from nowhere else.
BACKOFFICE_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *_MEDIA_ORIGIN],
        "media-src": ["'self'", "blob:", *_MEDIA_ORIGIN],
        "font-src": ["'self'", "data:"],
        "frame-src": ["'self'", "https://www.youtube-nocookie.com"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"

# --- Internationalisation: Vietnamese first -----------------------------------------------
# Django has no entry for Lao; add one so language pickers and {% get_language_info %} work.
LANG_INFO.setdefault("lo", {"bidi": False, "code": "lo", "name": "Lao", "name_local": "ພາສາລາວ"})

LANGUAGE_CODE = "vi"
LANGUAGES = [
    ("vi", "Tiếng Việt"),
    ("en", "English"),
    ("zh-hans", "简体中文"),
    ("lo", "ພາສາລາວ"),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["doingoai.formats"]
# Our own catalogues first; then the Vietnamese translations we provide for Wagtail, Django
# and other libraries (built from i18n/vi by scripts/build_translations.py).
LOCALE_PATHS = [PROJECT_DIR / "locale", PROJECT_DIR / "locale_upstream"]

# --- Static and media --------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DOINGOAI_STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DOINGOAI_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Wagtail -------------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = os.environ.get("DOINGOAI_SITE_NAME", "Cổng thông tin đối ngoại tỉnh Lào Cai")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# The portal's public address: every absolute link (canonical, Open Graph, hreflang, feeds,
# sitemaps, JSON-LD) is built on it; `migrate` writes it into the default Wagtail site
# (doingoai/portal/site_address.py).
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "")
WAGTAILIMAGES_IMAGE_MODEL = "media.PortalImage"
WAGTAILIMAGES_IMAGE_FORM_BASE = "doingoai.media.forms.PortalImageForm"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = int(os.environ.get("IMAGE_MAX_UPLOAD_MB", "10")) * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000  # refuses decompression bombs before decoding
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "gif"]
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "doc", "xlsx", "odt", "ods", "pptx", "txt", "zip", "mp4"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = int(os.environ.get("DOCUMENT_MAX_UPLOAD_MB", "50")) * 1024 * 1024
# SQLite FTS5 or PostgreSQL full text with our tuned ranking (docs/search.md); "simple" keeps
# PostgreSQL from dropping folded Vietnamese words that look like English stop words.
# SEARCH_URL points it at Elasticsearch/OpenSearch instead.
if os.environ.get("SEARCH_URL"):
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": os.environ.get("SEARCH_BACKEND", "wagtail.search.backends.elasticsearch8"),
            "URLS": [os.environ["SEARCH_URL"]],
            "INDEX_PREFIX": "doingoai_",
            "TIMEOUT": 5,
        }
    }
else:
    WAGTAILSEARCH_BACKENDS = {
        "default": {"BACKEND": "doingoai.search.backends", "SEARCH_CONFIG": "simple"}
    }
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no third-party requests from the back office
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAILADMIN_COMMENTS_ENABLED = True
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_PASSWORD_RESET_ENABLED = True
# The sign-in form with its labels translated (Wagtail's has no label on the password field).
WAGTAILADMIN_USER_LOGIN_FORM = "doingoai.backoffice.forms.LoginForm"
# The name authenticator apps show beside the officer's code.
OTP_TOTP_ISSUER = WAGTAIL_SITE_NAME

# The content version that keys the page cache, routes and fragments (portal/page_cache.py):
# in Redis when REDIS_URL is set, otherwise in this file, shared by every process of the
# machine (the local-memory cache is per process).
CONTENT_VERSION_FILE = os.environ.get(
    "CONTENT_VERSION_FILE", "" if REDIS_URL else str(VAR_DIR / "content-version")
)
# Full-page cache for anonymous visitors (invalidated on every publish); 0 turns it off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))
PAGE_CACHE_BROWSER_SECONDS = int(os.environ.get("PAGE_CACHE_BROWSER_SECONDS", "60"))
# What the front-end cache (nginx micro-cache) may keep a page for: sent as X-Accel-Expires
# on anonymous pages (nginx honours it over proxy_cache_valid; browsers never see it).
PAGE_CACHE_PROXY_SECONDS = int(os.environ.get("PAGE_CACHE_PROXY_SECONDS", "5"))

# Front-end cache purge (Wagtail's frontend cache backends): off unless FRONTEND_CACHE_PURGE_URL
# is set, e.g. http://127.0.0.1:6081 (Varnish) or an nginx with a purge location. On every
# publish, unpublish, move or delete the page in each language and the listings that show it
# are purged (doingoai/portal/page_cache.py, docs/deployment.md).
FRONTEND_CACHE_PURGE_URL = os.environ.get("FRONTEND_CACHE_PURGE_URL", "")
FRONTEND_CACHE_BACKEND = os.environ.get(
    "FRONTEND_CACHE_BACKEND", "wagtail.contrib.frontend_cache.backends.HTTPBackend"
)
WAGTAILFRONTENDCACHE = (
    {
        "default": {
            "BACKEND": FRONTEND_CACHE_BACKEND,
            "LOCATION": FRONTEND_CACHE_PURGE_URL,
            "HOSTNAMES": env_list("FRONTEND_CACHE_HOSTNAMES", "*"),
        }
    }
    if FRONTEND_CACHE_PURGE_URL
    else {}
)
# Each translation's own URL is purged (slugs differ per language): no /vi/ → /en/ rewriting.
WAGTAILFRONTENDCACHE_LANGUAGES: list[str] = []

# --- doingoai ------------------------------------------------------------------------------------
# Visitor counter: page views are buffered — in Redis when REDIS_URL is set, otherwise in a
# small SQLite file of their own (VISITS_STORE_FILE) that every process of the machine writes
# and `manage.py run_periodic` drains ("memory": one process only) — and flushed to the
# database every VISITS_FLUSH_SECONDS (docs/deployment.md, "Visit counting").
VISITS_STORE = os.environ.get("VISITS_STORE", "redis" if REDIS_URL else "sqlite")
VISITS_STORE_FILE = os.environ.get("VISITS_STORE_FILE", str(VAR_DIR / "visits.sqlite3"))
VISITS_FLUSH_SECONDS = int(os.environ.get("VISITS_FLUSH_SECONDS", "60"))
VISITS_ONLINE_WINDOW_SECONDS = 5 * 60
# Periodic jobs (scheduled publishing, visit flushing) run in a background thread of the
# web process unless an external scheduler (cron, a worker) runs `manage.py run_periodic`.
PERIODIC_JOBS_IN_PROCESS = env_bool("PERIODIC_JOBS_IN_PROCESS", False)

# Monitoring: the topic/risk classifier ("lexicon", or the version name of a model trained with
# `manage.py monitoring_train`, or "topic=VERSION,risk=VERSION") and where models are kept.
MONITORING_CLASSIFIER = os.environ.get("MONITORING_CLASSIFIER", "lexicon")
MONITORING_MODELS_DIR = os.environ.get("MONITORING_MODELS_DIR", str(VAR_DIR / "models"))
# Responses: the daily alert digest goes out once after this hour (local time) to these
# addresses as well as to the alert rules' recipients.
RESPONSES_DIGEST_HOUR = int(os.environ.get("RESPONSES_DIGEST_HOUR", "7"))
RESPONSES_DIGEST_EMAILS = env_list("RESPONSES_DIGEST_EMAILS")

# Backups (doingoai/backups, docs/deployment.md): one dated folder per backup in BACKUP_DIR, the
# newest BACKUP_KEEP kept; the periodic job makes one a day after BACKUP_HOUR (local time; "off":
# only `manage.py backup`).
BACKUP_DIR = os.environ.get("BACKUP_DIR", str(VAR_DIR / "backups"))
BACKUP_KEEP = int(os.environ.get("BACKUP_KEEP", "7"))
BACKUP_HOUR = os.environ.get("BACKUP_HOUR", "2")

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "cong-thong-tin@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "django_tasks": {"level": "WARNING"}},
}

PORTAL_NAME = _("External Information Portal")
