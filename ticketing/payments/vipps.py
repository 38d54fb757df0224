"""Vipps MobilePay's ePayment API (https://developer.vippsmobilepay.com/docs/APIs/epayment-api/).

An access token from /accesstoken/get; a payment created with POST /epayment/v1/payments
(amount in øre, our reference, a return URL, the WEB_REDIRECT flow), then captured,
refunded or cancelled at /epayment/v1/payments/{reference}/...; its state read with GET
/epayment/v1/payments/{reference}. Webhooks are verified as the Webhooks API's "request
authentication" says: an HMAC-SHA256, with the webhook's secret, of
"POST\\n{path and query}\\n{x-ms-date};{host};{x-ms-content-sha256}".

Requests go through core.outgoing_http to the operator's VIPPS_API_URL (not guarded, as
the SMS provider's); each carries an Idempotency-Key, and a timeout is retried once with
the same key, so a retried capture or refund is the same one.
"""

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from decimal import Decimal

from django.conf import settings

from core import json_input, outgoing_http
from ticketing.payments.base import Provider, ProviderError, Refused, Started, Status

_tokens: dict[tuple[str, str], tuple[str, float]] = {}
_tokens_lock = threading.Lock()

# The payment's state (GET) and the webhook's event name, in the services' words.
_PAYMENT_STATES = {
    "CREATED": Status.PENDING,
    "AUTHORIZED": Status.AUTHORIZED,
    "ABORTED": Status.FAILED,
    "EXPIRED": Status.FAILED,
    "TERMINATED": Status.FAILED,
}
_EVENT_STATES = {
    "CREATED": Status.PENDING,
    "AUTHORIZED": Status.AUTHORIZED,
    "CAPTURED": Status.CAPTURED,
    "ABORTED": Status.FAILED,
    "EXPIRED": Status.FAILED,
    "TERMINATED": Status.FAILED,
    "CANCELLED": Status.FAILED,
}


def ore(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def kroner(value) -> Decimal:
    return (Decimal(int(value or 0)) / 100).quantize(Decimal("0.01"))


def content_hash(body: bytes) -> str:
    return base64.b64encode(hashlib.sha256(body).digest()).decode("ascii")


def signature(secret: str, *, path: str, date: str, host: str, body_hash: str) -> str:
    signed = f"POST\n{path}\n{date};{host};{body_hash}"
    digest = hmac.new(secret.encode(), signed.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def authorization(secret: str, *, path: str, date: str, host: str, body: bytes) -> str:
    """The Authorization header Vipps sends with a webhook (and the fake, in tests)."""
    sig = signature(secret, path=path, date=date, host=host, body_hash=content_hash(body))
    return f"HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature={sig}"


class VippsProvider(Provider):
    key = "vipps"
    label = "Vipps"

    @classmethod
    def is_configured(cls) -> bool:
        return all(
            (
                settings.VIPPS_CLIENT_ID,
                settings.VIPPS_CLIENT_SECRET,
                settings.VIPPS_SUBSCRIPTION_KEY,
                settings.VIPPS_MSN,
            )
        )

    # HTTP -------------------------------------------------------------------------------

    def _send(self, method: str, path: str, *, body=None, headers: dict) -> tuple[int, dict]:
        data = json.dumps(body).encode() if body is not None else None
        headers = {
            "Ocp-Apim-Subscription-Key": settings.VIPPS_SUBSCRIPTION_KEY,
            "Merchant-Serial-Number": settings.VIPPS_MSN,
            "Vipps-System-Name": "kulturvest",
            "Vipps-System-Version": "1",
            **({"Content-Type": "application/json"} if data is not None else {}),
            **headers,
        }
        url = settings.VIPPS_API_URL + path
        for attempt in (1, 2):
            try:
                status, answer = outgoing_http.request(
                    method,
                    url,
                    data,
                    headers,
                    timeout=settings.PAYMENT_PROVIDER_TIMEOUT,
                    guarded=False,
                    limit=65536,
                )
                break
            except TimeoutError as exc:
                if attempt == 2:
                    raise ProviderError(f"Vipps did not answer {method} {path}") from exc
            except OSError as exc:
                raise ProviderError(f"Vipps could not be reached: {exc}") from exc
        try:
            parsed = json_input.loads(answer) if answer else {}
        except ValueError:
            parsed = {}
        return status, parsed

    def _token(self) -> str:
        key = (settings.VIPPS_API_URL, settings.VIPPS_CLIENT_ID)
        with _tokens_lock:
            token, expires = _tokens.get(key, ("", 0.0))
            if token and expires > time.monotonic() + 60:
                return token
        status, answer = self._send(
            "POST",
            "/accesstoken/get",
            headers={
                "client_id": settings.VIPPS_CLIENT_ID,
                "client_secret": settings.VIPPS_CLIENT_SECRET,
                "Content-Length": "0",
            },
        )
        if status != 200 or not answer.get("access_token"):
            raise ProviderError(f"Vipps refused the access token: {status}")
        token = answer["access_token"]
        with _tokens_lock:
            _tokens[key] = (token, time.monotonic() + int(answer.get("expires_in") or 3600))
        return token

    def _api(self, method: str, path: str, *, body=None, key: str = "") -> dict:
        headers = {"Authorization": f"Bearer {self._token()}"}
        if method == "POST":
            headers["Idempotency-Key"] = key or secrets.token_hex(16)
        status, answer = self._send(method, path, body=body, headers=headers)
        if not 200 <= status < 300:
            detail = answer.get("title") or answer.get("detail") or ""
            raise ProviderError(f"Vipps answered {status} to {method} {path}: {detail}"[:200])
        return answer

    # The provider -----------------------------------------------------------------------

    def start(self, *, reference: str, amount: Decimal, description: str, return_url: str):
        answer = self._api(
            "POST",
            "/epayment/v1/payments",
            body={
                "amount": {"currency": "NOK", "value": ore(amount)},
                "paymentMethod": {"type": "WALLET"},
                "reference": reference,
                "returnUrl": return_url,
                "userFlow": "WEB_REDIRECT",
                "paymentDescription": description[:100],
            },
            key=f"create-{reference}",
        )
        if not answer.get("redirectUrl"):
            raise ProviderError("Vipps gave no redirect URL")
        return Started(redirect_url=answer["redirectUrl"])

    def status(self, reference: str) -> Status:
        answer = self._api("GET", f"/epayment/v1/payments/{reference}")
        aggregate = answer.get("aggregate") or {}
        captured = kroner((aggregate.get("capturedAmount") or {}).get("value"))
        refunded = kroner((aggregate.get("refundedAmount") or {}).get("value"))
        state = _PAYMENT_STATES.get(answer.get("state"), Status.PENDING)
        if state == Status.AUTHORIZED and captured > 0:
            state = Status.CAPTURED
        return Status(reference=reference, state=state, captured=captured, refunded=refunded)

    def handle_callback(self, request) -> Status:
        secret = settings.VIPPS_WEBHOOK_SECRET
        body = request.body
        date = request.headers.get("x-ms-date", "")
        body_hash = request.headers.get("x-ms-content-sha256", "")
        given = request.headers.get("Authorization", "")
        if not (secret and date and body_hash and given):
            raise Refused("unsigned")
        if not hmac.compare_digest(body_hash.encode(), content_hash(body).encode()):
            raise Refused("the content does not match its hash")
        expected = authorization(
            secret, path=request.get_full_path(), date=date, host=request.get_host(), body=body
        )
        if not hmac.compare_digest(given.encode(), expected.encode()):
            raise Refused("bad signature")
        try:
            event = json_input.loads(body)
        except ValueError as exc:
            raise Refused("not JSON") from exc
        if str(event.get("msn", "")) != settings.VIPPS_MSN or not event.get("reference"):
            raise Refused("not for this merchant")
        amount = kroner((event.get("amount") or {}).get("value"))
        state = _EVENT_STATES.get(event.get("name"), Status.PENDING)
        return Status(
            reference=str(event["reference"]),
            state=state,
            captured=amount if state == Status.CAPTURED else Decimal("0"),
        )

    def _modify(self, reference: str, action: str, amount: Decimal | None, key: str) -> None:
        body = (
            {"modificationAmount": {"currency": "NOK", "value": ore(amount)}}
            if amount is not None
            else {}
        )
        self._api("POST", f"/epayment/v1/payments/{reference}/{action}", body=body, key=key)

    def capture(self, reference: str, amount: Decimal) -> None:
        self._modify(reference, "capture", amount, f"capture-{reference}")

    def refund(self, reference: str, amount: Decimal, *, key: str) -> None:
        self._modify(reference, "refund", amount, key)

    def cancel(self, reference: str) -> None:
        self._modify(reference, "cancel", None, f"cancel-{reference}")
