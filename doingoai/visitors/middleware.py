"""Count portal page views without touching the database in the request path."""

import hashlib

from django.conf import settings
from django.utils import timezone, translation

from doingoai.core.client_address import client_address

from .bots import is_bot
from .buffer import get_visit_store
from .referrers import referrer_kind


def visitor_key(request, day) -> str:
    """A daily, anonymous visitor id: no cookie, and the IP never leaves this function."""
    ip = client_address(request)  # the client's own behind trusted proxies (TRUSTED_PROXY_*)
    user_agent = request.META.get("HTTP_USER_AGENT", "")
    raw = f"{settings.SECRET_KEY}|{day.isoformat()}|{ip}|{user_agent}"
    return hashlib.sha256(raw.encode()).hexdigest()[:20]


def should_count(request, response) -> bool:
    return (
        request.method == "GET"
        and response.status_code == 200
        and getattr(request, "visit_page_id", None) is not None
        and not getattr(request, "is_preview", False)
        and not (hasattr(request, "user") and request.user.is_authenticated)
        and not is_bot(request.META.get("HTTP_USER_AGENT", ""))
    )


class VisitCounterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if should_count(request, response):
            day = timezone.localdate()
            get_visit_store().record(
                page_id=request.visit_page_id,
                locale=getattr(request, "visit_language", None)
                or translation.get_language()
                or settings.LANGUAGE_CODE,
                visitor=visitor_key(request, day),
                day=day,
                referrer=referrer_kind(request.META.get("HTTP_REFERER", ""), request.get_host()),
            )
        return response
