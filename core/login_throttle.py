"""The login throttle: django-axes counts failed logins; these are the project's pieces of it.

Failed logins are counted per username and client address (see AXES_* in settings); after
AXES_FAILURE_LIMIT of them that pair is locked out for AXES_COOLOFF_TIME.
"""

import math

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.utils.translation import ngettext

from core.ratelimit import too_many_requests


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuse locked-out logins; pass on authenticate() calls that come without a request.

    Every login over HTTP (the login page, the admin's) passes its request. A call without
    one comes from code (the test client's login(), a shell), where there is no client
    address to throttle by; axes itself would raise an error there.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def locked_out(request, original_response=None, credentials=None):
    """Answer a locked-out login with a page that says so, 429 and Retry-After."""
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    minutes = math.ceil(seconds / 60)
    message = ngettext(
        "Too many failed logins. Logging in is blocked for %(minutes)d minute; "
        "if you have forgotten your password, you can reset it.",
        "Too many failed logins. Logging in is blocked for %(minutes)d minutes; "
        "if you have forgotten your password, you can reset it.",
        minutes,
    ) % {"minutes": minutes}
    return too_many_requests(request, retry_after=seconds, message=message)


def client_description(username, ip_address, user_agent, path_info, request) -> str:
    """Describe a failed login in the log without username or address (a child's name?)."""
    return f"a client at {path_info}"
