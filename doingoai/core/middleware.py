"""Refuse unknown language prefixes with a 404 instead of redirecting them."""

import re

from django.conf import settings
from django.http import Http404
from django.urls import Resolver404, resolve

LANGUAGE_PREFIX = re.compile(r"^/(?P<code>[a-z]{2,3}(?:[-_][a-z0-9]{2,8})?)(?:/|$)", re.I)


class UnknownLanguagePrefixMiddleware:
    """``/fr/…`` is a language the portal does not publish in: say so with a 404.

    Without this, Django's LocaleMiddleware would redirect it to ``/vi/fr/…``.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.known = {code.lower() for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        match = LANGUAGE_PREFIX.match(request.path_info)
        if match and match.group("code").lower() not in self.known:
            try:
                resolve(request.path_info)  # e.g. /tai-lieu/… is a route, not a language
            except Resolver404:
                raise Http404("Unknown language prefix") from None
        return self.get_response(request)


class PeriodicJobsStarterMiddleware:
    """Starts the periodic-jobs thread in each process that serves requests (embedded profile).

    Disabled (and removed from the chain) unless ``PERIODIC_JOBS_IN_PROCESS`` is true.
    """

    def __init__(self, get_response):
        from django.core.exceptions import MiddlewareNotUsed

        from .periodic import start_background_thread

        if not settings.PERIODIC_JOBS_IN_PROCESS:
            raise MiddlewareNotUsed
        start_background_thread()
        raise MiddlewareNotUsed  # nothing to do per request
