"""Production: secrets and hosts must come from the environment; HTTPS everywhere."""

from django.core.exceptions import ImproperlyConfigured

from .base import *

DEBUG = False
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
if not os.environ.get("DJANGO_ALLOWED_HOSTS"):
    # The embedded default (localhost) would answer 400 to every visitor of the real address.
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS must be set in production (the portal's host names, e.g. "
        "thongtindoingoai.laocai.gov.vn)."
    )
# Forms posted from the public address (the back office's sign-in) are trusted without a
# second variable; DJANGO_CSRF_TRUSTED_ORIGINS adds others.
if PORTAL_BASE_URL and PORTAL_BASE_URL.rstrip("/") not in CSRF_TRUSTED_ORIGINS:
    CSRF_TRUSTED_ORIGINS = [*CSRF_TRUSTED_ORIGINS, PORTAL_BASE_URL.rstrip("/")]

# The documented layout has nginx in front on the same machine (docs/deployment.md): the
# client is the last address nginx appended to X-Forwarded-For, believed only on connections
# from TRUSTED_PROXY_ADDRESSES (a client reaching gunicorn directly cannot choose its address).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1"))

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
STORAGES["staticfiles"] = {
    "BACKEND": "doingoai.core.storage.MinifiedManifestStaticFilesStorage",
}
# Wagtail's live preview shows the page in a same-origin iframe, so frames stay SAMEORIGIN
# (set in base.py) rather than DENY.
SILENCED_SYSTEM_CHECKS = ["security.W019"]
# Every address the pages load from is HTTPS.
for _policy in (CONTENT_SECURITY_POLICY, BACKOFFICE_CONTENT_SECURITY_POLICY):
    _policy["DIRECTIVES"]["upgrade-insecure-requests"] = True
