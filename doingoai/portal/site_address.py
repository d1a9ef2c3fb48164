"""The portal's one public address (``PORTAL_BASE_URL``), used by every absolute link.

Canonical links, ``og:url``, hreflang alternates, feeds, sitemaps, JSON-LD and the footer all
build absolute URLs from the root URL of the Wagtail ``Site`` that serves the page (Wagtail's
own ``get_full_url``). ``PORTAL_BASE_URL`` is written into the default site's host name and
port on every ``migrate`` (and by ``load_demo``), so that root URL is the configured address,
never the request's host nor a stale ``localhost:80``; a deploy check says when they differ.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

DEFAULT_PORTS = {"http": 80, "https": 443}


def parse_base_url(url: str) -> tuple[str, int]:
    """(host name, port) of a base URL such as ``https://thongtindoingoai.laocai.gov.vn``.

    Wagtail writes a site's root URL as ``https://host`` for port 443 and ``http://host:port``
    otherwise, so other combinations (HTTPS on another port, a path) cannot be expressed."""
    parts = urlsplit(url.strip())
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise ImproperlyConfigured(
            f"PORTAL_BASE_URL must look like https://portal.example.vn, not {url!r}."
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ImproperlyConfigured("PORTAL_BASE_URL must not have a path: the portal is at /.")
    port = parts.port or DEFAULT_PORTS[parts.scheme]
    if parts.scheme == "https" and port != 443:
        raise ImproperlyConfigured("An HTTPS PORTAL_BASE_URL must use the standard port 443.")
    return parts.hostname, port


def configured_base_url() -> str:
    return (getattr(settings, "PORTAL_BASE_URL", "") or "").strip().rstrip("/")


def apply_to_site(site) -> bool:
    """Give ``site`` the configured host name and port; True when it changed."""
    base = configured_base_url()
    if not base:
        return False
    hostname, port = parse_base_url(base)
    if (site.hostname, site.port) == (hostname, port):
        return False
    site.hostname, site.port = hostname, port
    return True


def sync_default_site(**kwargs) -> None:
    """post_migrate: the default site takes ``PORTAL_BASE_URL`` (nothing when it is unset)."""
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first()
    if site is not None and apply_to_site(site):
        site.save(update_fields=["hostname", "port"])


def public_base_url(request: HttpRequest) -> str:
    """Scheme and host of the request's Wagtail site (the request's own as a fallback)."""
    from wagtail.models import Site

    site = Site.find_for_request(request)
    return site.root_url if site else f"{request.scheme}://{request.get_host()}"


@checks.register(checks.Tags.urls, deploy=True)
def check_base_url(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    base = configured_base_url()
    if not base:
        return [
            checks.Warning(
                "PORTAL_BASE_URL is not set.",
                hint="Set it to the portal's public address (https://…): canonical links, "
                "feeds and sitemaps use it.",
                id="portal.W001",
            )
        ]
    try:
        parse_base_url(base)
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="portal.E001")]
    return []
