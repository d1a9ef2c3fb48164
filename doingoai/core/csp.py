"""Content-Security-Policy: a strict one for the public portal, its own for the back office.

django-csp writes the header; the public policy is ``CONTENT_SECURITY_POLICY`` (the portal's
pages run no JavaScript at all), the back office's is ``BACKOFFICE_CONTENT_SECURITY_POLICY``
(Wagtail's admin needs scripts and inline styles of its own). The middleware sits outside the
page cache, so a page answered from the cache carries the same header as a fresh render.
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings

BACKOFFICE_PREFIXES = ("/quan-tri/", "/phien/", "/jsi18n/", "/tai-lieu/")


def is_back_office(path: str) -> bool:
    return path.startswith(BACKOFFICE_PREFIXES)


class PortalCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and is_back_office(request.path_info):
            parts.config = settings.BACKOFFICE_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        return parts
