"""A local fake of Vipps MobilePay's ePayment API, for the payment tests (ticketing.payments.
vipps): a thread serving HTTP on 127.0.0.1, answering as the API guide says.

POST /accesstoken/get (client_id, client_secret, Ocp-Apim-Subscription-Key and
Merchant-Serial-Number headers) gives a Bearer token. POST /epayment/v1/payments creates a
payment and answers its redirectUrl: the fake's "app" at /app/{reference}, which plays the
payer (authorises or aborts, as scripted), sends the signed webhook and redirects to the
returnUrl. GET /epayment/v1/payments/{reference} answers its state and aggregate; POST
.../capture, .../refund and .../cancel change them. Every POST needs an Idempotency-Key: a
request sent again with the same key gets the first answer and changes nothing.

Scripting: ``script`` answers the next API requests, in order: "ok" or ("timeout",
seconds) (the request is done, its answer comes too late) or ("error", status). Each new
payment takes the next of ``payers``: "authorize" (the default), "abort"; and the next of
``webhooks``: 1 (the default), 2 (the same webhook twice) or 0 (never: found by polling).
Webhooks are POSTed to ``webhook_url`` when set, else kept in ``pending_webhooks`` as
(path, body, headers) for the test to deliver.
"""

import contextlib
import http.client
import json
import threading
import time
from email.utils import formatdate
from urllib.parse import urlsplit

from tests.fake_http import JsonHandler, LocalServer
from ticketing.payments.vipps import authorization, content_hash

CLIENT_ID, CLIENT_SECRET = "fake-client-id", "fake-client-secret"
SUBSCRIPTION_KEY, MSN = "fake-subscription-key", "123456"
WEBHOOK_SECRET = "fake-webhook-secret"


class FakeVipps(LocalServer):
    def __init__(self, script=(), payers=(), webhooks=()):
        self.script = list(script)
        self.payers = list(payers)
        self.webhooks = list(webhooks)
        self.webhook_url = ""
        self.pending_webhooks: list[tuple[str, bytes, dict]] = []
        self.requests: list[dict] = []
        self.payments: dict[str, dict] = {}
        self.answers: dict[tuple[str, str], tuple[int, dict]] = {}
        self.tokens: set[str] = set()
        self.lock = threading.Lock()
        fake = self

        class Handler(JsonHandler):
            def _body(self) -> dict:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                return json.loads(raw) if raw else {}

            def do_POST(self):
                body = self._body()
                fake.requests.append(
                    {"method": "POST", "path": self.path, "body": body, "headers": self.headers}
                )
                if self.path == "/accesstoken/get":
                    return self.answer(*fake.token(self.headers))
                refused = fake.refuse(self.headers)
                if refused:
                    return self.answer(*refused)
                key = self.headers.get("Idempotency-Key")
                if not key:
                    return self.answer(400, {"title": "Idempotency-Key is required"})
                step = fake.script.pop(0) if fake.script else "ok"
                if step != "ok" and step[0] == "error":
                    return self.answer(step[1], {"title": f"Error {step[1]}"})
                with fake.lock:
                    if (self.path, key) in fake.answers:
                        answer = fake.answers[(self.path, key)]
                    else:
                        answer = fake.post(self.path, body)
                        fake.answers[(self.path, key)] = answer
                if step != "ok" and step[0] == "timeout":
                    time.sleep(step[1])
                return self.answer(*answer)

            def do_GET(self):
                fake.requests.append(
                    {"method": "GET", "path": self.path, "body": None, "headers": self.headers}
                )
                if self.path.startswith("/app/"):
                    return fake.payer(self, self.path.removeprefix("/app/"))
                refused = fake.refuse(self.headers)
                if refused:
                    return self.answer(*refused)
                step = fake.script.pop(0) if fake.script else "ok"
                if step != "ok" and step[0] == "error":
                    return self.answer(step[1], {"title": f"Error {step[1]}"})
                if step != "ok" and step[0] == "timeout":
                    time.sleep(step[1])
                reference = self.path.removeprefix("/epayment/v1/payments/")
                payment = fake.payments.get(reference)
                if payment is None:
                    return self.answer(404, {"title": "Not found"})
                return self.answer(200, fake.describe(payment))

        self.serve(Handler)

    # The API ----------------------------------------------------------------------------

    def token(self, headers):
        if (
            headers.get("client_id") != CLIENT_ID
            or headers.get("client_secret") != CLIENT_SECRET
            or headers.get("Ocp-Apim-Subscription-Key") != SUBSCRIPTION_KEY
            or headers.get("Merchant-Serial-Number") != MSN
        ):
            return 401, {"error": "unauthorized_client"}
        token = f"fake-token-{len(self.tokens) + 1}"
        self.tokens.add(token)
        return 200, {
            "token_type": "Bearer",
            "expires_in": "3600",
            "ext_expires_in": "3600",
            "access_token": token,
        }

    def refuse(self, headers):
        auth = headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or auth.removeprefix("Bearer ") not in self.tokens:
            return 401, {"title": "Unauthorized"}
        if (
            headers.get("Ocp-Apim-Subscription-Key") != SUBSCRIPTION_KEY
            or headers.get("Merchant-Serial-Number") != MSN
        ):
            return 401, {"title": "Bad subscription key or merchant"}
        return None

    def post(self, path: str, body: dict) -> tuple[int, dict]:
        if path == "/epayment/v1/payments":
            reference = body.get("reference", "")
            if reference in self.payments:
                return 409, {"title": "The reference is used"}
            if body.get("amount", {}).get("currency") != "NOK" or body.get("userFlow") != (
                "WEB_REDIRECT"
            ):
                return 400, {"title": "Bad request"}
            self.payments[reference] = {
                "reference": reference,
                "amount": body["amount"]["value"],
                "state": "CREATED",
                "authorized": 0,
                "captured": 0,
                "refunded": 0,
                "cancelled": 0,
                "returnUrl": body["returnUrl"],
                "payer": self.payers.pop(0) if self.payers else "authorize",
                "webhooks": self.webhooks.pop(0) if self.webhooks else 1,
            }
            return 201, {"redirectUrl": f"{self.url}/app/{reference}", "reference": reference}
        prefix, _, action = path.removeprefix("/epayment/v1/payments/").rpartition("/")
        payment = self.payments.get(prefix)
        if payment is None:
            return 404, {"title": "Not found"}
        value = (body.get("modificationAmount") or {}).get("value", 0)
        if action == "capture":
            if (
                payment["state"] != "AUTHORIZED"
                or payment["captured"] + value > payment["authorized"]
            ):
                return 400, {"title": "Cannot capture"}
            payment["captured"] += value
        elif action == "refund":
            if payment["refunded"] + value > payment["captured"]:
                return 400, {"title": "Cannot refund more than captured"}
            payment["refunded"] += value
        elif action == "cancel":
            if payment["captured"]:
                return 400, {"title": "Cannot cancel a captured payment"}
            payment["cancelled"] = payment["authorized"]
            payment["state"] = "TERMINATED" if payment["state"] != "CREATED" else "ABORTED"
        else:
            return 404, {"title": "Not found"}
        return 200, self.describe(payment)

    def describe(self, payment: dict) -> dict:
        def nok(value):
            return {"currency": "NOK", "value": value}

        return {
            "reference": payment["reference"],
            "state": payment["state"],
            "amount": nok(payment["amount"]),
            "aggregate": {
                "authorizedAmount": nok(payment["authorized"]),
                "capturedAmount": nok(payment["captured"]),
                "refundedAmount": nok(payment["refunded"]),
                "cancelledAmount": nok(payment["cancelled"]),
            },
            "paymentMethod": {"type": "WALLET"},
            "pspReference": f"psp-{payment['reference']}",
        }

    # The payer and the webhooks ---------------------------------------------------------

    def pay(self, reference: str) -> None:
        """What the payer does in the app (the scripted outcome), and its webhooks."""
        payment = self.payments[reference]
        if payment["state"] != "CREATED":
            return
        if payment["payer"] == "authorize":
            payment["state"] = "AUTHORIZED"
            payment["authorized"] = payment["amount"]
            name = "AUTHORIZED"
        else:
            payment["state"] = "ABORTED"
            name = "ABORTED"
        for _i in range(payment["webhooks"]):
            self.webhook(reference, name)

    def payer(self, handler, reference: str):
        payment = self.payments.get(reference)
        if payment is None:
            return handler.answer(404, {"title": "Not found"})
        self.pay(reference)
        handler.send_response(302)
        handler.send_header("Location", payment["returnUrl"])
        handler.send_header("Content-Length", "0")
        handler.end_headers()
        return None

    def webhook(self, reference: str, name: str) -> None:
        payment = self.payments[reference]
        event = {
            "msn": MSN,
            "reference": reference,
            "pspReference": f"psp-{reference}",
            "name": name,
            "amount": {"currency": "NOK", "value": payment["amount"]},
            "timestamp": "2026-12-07T20:00:00.000Z",
            "idempotencyKey": None,
            "success": True,
        }
        body = json.dumps(event).encode()
        if self.webhook_url:
            parts = urlsplit(self.webhook_url)
            headers = signed_headers(parts.path, parts.netloc, body)
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
            with contextlib.suppress(OSError):
                connection.request("POST", parts.path, body=body, headers=headers)
                connection.getresponse().read()
            connection.close()
        else:
            self.pending_webhooks.append((reference, body))


def signed_headers(path: str, host: str, body: bytes, secret: str = WEBHOOK_SECRET) -> dict:
    """The headers Vipps signs a webhook with (Webhooks API, "request authentication")."""
    date = formatdate(usegmt=True)
    return {
        "Content-Type": "application/json",
        "x-ms-date": date,
        "x-ms-content-sha256": content_hash(body),
        "Authorization": authorization(secret, path=path, date=date, host=host, body=body),
    }
