"""A Wagtail frontend-cache backend for stock nginx (no purge module, e.g. nginx-light).

nginx can only delete cache entries with the commercial or third-party purge modules. It can
*refresh* one, though: a request through a server with ``proxy_cache_bypass 1`` goes to Django
and stores the fresh answer under the same cache key. ``NginxRefreshBackend`` sends a GET per
URL to that loopback-only server (``FRONTEND_CACHE_PURGE_URL``, see docs/deployment.md) with
the page's ``Host``; Wagtail's ``HTTPBackend`` (``PURGE`` requests) is the one for Varnish,
nginx with ``ngx_cache_purge`` or a CDN gateway.
"""

from __future__ import annotations

import logging
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import Request, urlopen

from wagtail.contrib.frontend_cache.backends.http import HTTPBackend

logger = logging.getLogger("wagtail.frontendcache")

# A bot's user agent: the refresh is not a visit (doingoai.visitors.bots).
USER_AGENT = "doingoai-cache-refresh-bot/1.0"


class NginxRefreshBackend(HTTPBackend):
    timeout = 10

    def purge(self, url: str) -> None:
        parts = urlsplit(url)
        host = parts.hostname + (f":{parts.port}" if parts.port else "")
        target = urlunsplit([self.cache_scheme, self.cache_netloc, parts.path, parts.query, ""])
        headers = {"Host": host, "User-Agent": USER_AGENT}
        # the scheme is the configured FRONTEND_CACHE_PURGE_URL's
        request = Request(target, headers=headers, method="GET")  # noqa: S310
        try:
            with urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                response.read()
        except HTTPError as error:
            if error.code != 404:  # an unpublished or deleted page: nothing to store
                logger.error("Couldn't refresh '%s' in nginx: HTTP %d", url, error.code)
        except URLError as error:
            logger.error("Couldn't refresh '%s' in nginx: %s", url, error.reason)
