"""Who is asking: the client's address, as far as the proxies in front of us can be trusted."""

from django.conf import settings


def client_address(request) -> str:
    """Return the client's IP address, for rate limits (never stored).

    Behind TRUSTED_PROXY_COUNT reverse proxies, each appends the address it got the request
    from to X-Forwarded-For; the entry that many places from the right was written by our
    own outermost proxy, so a client cannot forge it. Without proxies, REMOTE_ADDR.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")
