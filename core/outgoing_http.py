"""The platform's outgoing HTTP requests (webhook deliveries, core.webhooks; the SMS
provider's API, core.sms): http.client, one request per connection, with a timeout, never
following a redirect (so a request's credentials go nowhere else).

``guarded``: connect only to public addresses, or to the networks WEBHOOK_ALLOWED_NETWORKS
names, checked when the connection is made (to the address checked, so DNS cannot move it
in between). For addresses that others give us (a webhook endpoint); an address the
operator sets (TWILIO_API_URL) is not guarded.
"""

import http.client
import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings


def address_allowed(address: str) -> bool:
    """Say whether a delivery may connect to an IP address: a public one, or one of the
    networks WEBHOOK_ALLOWED_NETWORKS names."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    for network in settings.WEBHOOK_ALLOWED_NETWORKS:
        if ip in ipaddress.ip_network(network, strict=False):
            return True
    return ip.is_global and not ip.is_multicast


class UnsafeAddress(OSError):
    """The endpoint's host resolves to an address deliveries may not reach."""


def resolve_allowed(host: str, port: int) -> list[tuple]:
    """Return the host's addresses (getaddrinfo), or raise UnsafeAddress if any is refused."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    for info in infos:
        if not address_allowed(info[4][0]):
            raise UnsafeAddress(f"{host} resolves to a private or local address")
    return infos


def _guarded_connection(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None):
    """socket.create_connection to an address checked by resolve_allowed, never another."""
    host, port = address
    error = None
    for family, kind, proto, _name, sockaddr in resolve_allowed(host, port):
        sock = socket.socket(family, kind, proto)
        try:
            if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:
                sock.settimeout(timeout)
            sock.connect(sockaddr)
            return sock
        except OSError as exc:
            error = exc
            sock.close()
    raise error or OSError(f"{host} has no address")


class _GuardedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _guarded_connection


class _GuardedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _guarded_connection


def post(
    url: str, body: bytes, headers: dict, *, timeout: float, guarded: bool, limit: int = -1
) -> tuple[int, bytes]:
    """POST ``body`` to ``url``; return the answer's status and body (its first ``limit``
    bytes when given). Raises OSError (no connection, a timeout, UnsafeAddress) or
    http.client.HTTPException."""
    return request("POST", url, body, headers, timeout=timeout, guarded=guarded, limit=limit)


def request(
    method: str,
    url: str,
    body: bytes | None,
    headers: dict,
    *,
    timeout: float,
    guarded: bool,
    limit: int = -1,
) -> tuple[int, bytes]:
    """Send one ``method`` request (as post(); GET for a payment provider's status)."""
    parts = urlsplit(url)
    secure = parts.scheme == "https"
    if guarded:
        connection_class = _GuardedHTTPSConnection if secure else _GuardedHTTPConnection
    else:
        connection_class = http.client.HTTPSConnection if secure else http.client.HTTPConnection
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection = connection_class(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read(limit if limit >= 0 else None)
    finally:
        connection.close()
