"""Sign-in throttling: django-axes' database handler with two limits.

``AXES_LOCKOUT_PARAMETERS`` names the two things counted — a username at a client address,
and a client address whatever the username (``[["username", "ip_address"], "ip_address"]``);
the client address is the real one behind the proxy (``core.client_address``). Axes has one
limit for all of them; this handler gives each its own:

- a username from one address is locked after ``AXES_FAILURE_LIMIT`` wrong passwords
  (``LOGIN_FAILURE_LIMIT``, 5): a stranger's guesses lock only the stranger, never the officer
  signing in from elsewhere;
- an address is locked after ``LOGIN_ADDRESS_FAILURE_LIMIT`` (30) wrong passwords on any
  accounts: one machine trying many accounts is stopped too.

Both last ``AXES_COOLOFF_TIME``. A successful sign-in clears the failures of its own username
at its address only, so signing in to one's own account does not wipe the address's record of
guesses at others.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_lockout_parameters
from django.conf import settings
from django.db.models import Sum


def address_failure_limit() -> int:
    return int(getattr(settings, "LOGIN_ADDRESS_FAILURE_LIMIT", 30))


class PairAndAddressHandler(AxesDatabaseHandler):
    def _counts(self, request, credentials) -> list[tuple[object, int]]:
        parameters = get_lockout_parameters(request, credentials)
        attempts_list = self.get_user_attempts(request, credentials)
        return [
            (parameter, attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0)
            for parameter, attempts in zip(parameters, attempts_list, strict=True)
        ]

    def get_failures(self, request, credentials: dict | None = None) -> int:
        """The failures that count against the pair limit, or the pair limit itself when the
        address alone has reached its own limit (axes compares this with one number)."""
        counts = self._counts(request, credentials)
        pair_failures = max((n for parameter, n in counts if parameter != "ip_address"), default=0)
        address_failures = max(
            (n for parameter, n in counts if parameter == "ip_address"), default=0
        )
        if address_failures >= address_failure_limit():
            return max(settings.AXES_FAILURE_LIMIT, pair_failures)
        return pair_failures

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        parameters = get_lockout_parameters(request, credentials)
        attempts_list = self.filter_user_attempts(request, credentials)
        count = 0
        for parameter, attempts in zip(parameters, attempts_list, strict=True):
            if parameter != "ip_address":
                count += attempts.delete()[0]
        return count
