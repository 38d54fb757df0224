"""A real webhook receiver for the tests: an HTTP server on 127.0.0.1 in a thread that
checks each delivery's signature and answers with the statuses it is given."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from core.models import WebhookEndpoint


class Receiver:
    """Records every POST (headers, body, whether its signature holds) and answers with
    the next of ``statuses``, then with ``then``."""

    def __init__(self, statuses=(), then=200):
        self.statuses = list(statuses)
        self.then = then
        self.received = []
        self.secret = ""
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append(
                    {
                        "headers": dict(self.headers),
                        "body": body,
                        "json": json.loads(body),
                        "signed": receiver.signature_holds(self.headers, body),
                    }
                )
                status = receiver.statuses.pop(0) if receiver.statuses else receiver.then
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"ok" if status < 300 else b"not now")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook?source=kv"

    def signature_holds(self, headers, body: bytes) -> bool:
        """Check Kulturvest-Signature as the README tells a receiver to."""
        parts = dict(item.split("=", 1) for item in headers["Kulturvest-Signature"].split(","))
        expected = hmac.new(
            self.secret.encode(), parts["t"].encode() + b"." + body, hashlib.sha256
        ).hexdigest()
        return hmac.compare_digest(expected, parts["v1"])

    def payloads(self, event_type=None) -> list[dict]:
        return [r["json"] for r in self.received if event_type in (None, r["json"]["type"])]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def subscribe(receiver: Receiver, *event_types, **fields) -> WebhookEndpoint:
    """An endpoint for the receiver (made directly: the tests allow 127.0.0.1)."""
    endpoint = WebhookEndpoint.objects.create(
        url=receiver.url, event_types=list(event_types), **fields
    )
    receiver.secret = endpoint.secret
    return endpoint
