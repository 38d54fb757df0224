"""SMS: a channel of the outbound messages (core.models.OutboundMessage, channel "sms").

core.mail.queue_sms() records the text in the workflow's transaction, as queue_email() does for an
email, and core.tasks.deliver_message sends it once through the provider that
SMS_PROVIDER names, retrying with backoff when the provider fails or does not answer.
The provider's status callback (core.views.sms_status) marks a message that could not be
delivered, and its number as failing (core.reach).

One provider: Twilio's Messages API (POST /2010-04-01/Accounts/{AccountSid}/Messages.json
with To, From, Body and StatusCallback, HTTP basic auth with the account SID and auth
token; status callbacks are form posts signed in X-Twilio-Signature: base64 of
HMAC-SHA1, keyed with the auth token, of the callback URL followed by every posted
parameter's name and value, sorted by name).
"""

import base64
import hashlib
import hmac
import http.client
import json
import logging
import urllib.parse
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from core import outgoing_http, reach
from core.models import OutboundMessage

logger = logging.getLogger(__name__)

# An SMS longer than this is cut (Twilio accepts 1600 characters, sent as segments).
MAX_LENGTH = 1600


class SmsError(Exception):
    """The provider did not take the message. ``permanent``: trying again cannot help (the
    number is invalid, not a mobile); otherwise the task retries with backoff."""

    def __init__(self, message: str, *, permanent: bool = False, number_failed: bool = False):
        super().__init__(message)
        self.permanent = permanent
        self.number_failed = number_failed


@dataclass(frozen=True)
class StatusReport:
    """What a delivery-status callback says about one message."""

    provider_ref: str
    delivered: bool
    failed: bool
    number_failed: bool  # the number itself is undeliverable or invalid
    error: str


class Provider:
    """What an SMS provider does for the platform."""

    def send(self, to: str, body: str, *, status_callback: str) -> str:
        """Send ``body`` to ``to`` (E.164); return the provider's id of the message.
        Raises SmsError."""
        raise NotImplementedError

    def parse_status_callback(self, url: str, params: dict, headers) -> StatusReport | None:
        """The status report of a callback posted to ``url``, or None when its signature
        does not verify."""
        raise NotImplementedError


# Twilio's error codes that say the number cannot receive SMS (not a passing failure):
# 21211 invalid 'To' number, 21214 not a mobile number, 21614 'To' is not a mobile number,
# 21610 the recipient unsubscribed (STOP), 30003 unreachable handset, 30005 unknown
# handset, 30006 landline or unreachable carrier.
TWILIO_NUMBER_ERRORS = {"21211", "21214", "21614", "21610", "30003", "30005", "30006"}


def twilio_signature(auth_token: str, url: str, params: dict) -> str:
    """X-Twilio-Signature of a request to ``url`` posting ``params``."""
    data = url + "".join(f"{key}{params[key]}" for key in sorted(params))
    digest = hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


class Twilio(Provider):
    def __init__(self, *, account_sid, auth_token, sender, api_url, timeout):
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.sender = sender
        self.api_url = api_url
        self.timeout = timeout

    def send(self, to: str, body: str, *, status_callback: str) -> str:
        url = f"{self.api_url}/2010-04-01/Accounts/{self.account_sid}/Messages.json"
        form = {"To": to, "From": self.sender, "Body": body[:MAX_LENGTH]}
        if status_callback:
            form["StatusCallback"] = status_callback
        credentials = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode())
        try:
            status, data = outgoing_http.post(
                url,
                urllib.parse.urlencode(form).encode(),
                {
                    "Authorization": f"Basic {credentials.decode('ascii')}",
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Accept": "application/json",
                },
                timeout=self.timeout,
                guarded=False,  # the operator's own setting, http(s) only (config.settings)
            )
        except (OSError, http.client.HTTPException) as error:  # timeouts are OSErrors
            raise SmsError(f"{type(error).__name__}: {error}") from error
        try:
            answer = json.loads(data or b"{}")
        except ValueError:
            answer = {}
        if not 200 <= status < 300:
            code = str(answer.get("code", ""))
            text = f"HTTP {status} {code}: {answer.get('message', '')}".strip()
            # 4xx: the request is wrong (a bad number, the account): sending it again will
            # not help; 429, 5xx (and a redirect, which is not followed) pass.
            permanent = 400 <= status < 500 and status != 429
            raise SmsError(text, permanent=permanent, number_failed=code in TWILIO_NUMBER_ERRORS)
        sid = str(answer.get("sid", ""))
        if not sid:
            raise SmsError("The provider's answer has no message id")
        return sid

    def parse_status_callback(self, url: str, params: dict, headers) -> StatusReport | None:
        given = headers.get("X-Twilio-Signature", "")
        expected = twilio_signature(self.auth_token, url, params)
        if not given or not hmac.compare_digest(given, expected):
            return None
        status = params.get("MessageStatus", "")
        code = params.get("ErrorCode", "")
        failed = status in ("failed", "undelivered")
        return StatusReport(
            provider_ref=params.get("MessageSid", ""),
            delivered=status == "delivered",
            failed=failed,
            number_failed=failed and code in TWILIO_NUMBER_ERRORS,
            error=f"{status} {code}".strip(),
        )


def provider() -> Provider | None:
    """The configured provider (SMS_PROVIDER), or None: then no SMS is sent."""
    if settings.SMS_PROVIDER == "twilio":
        return Twilio(
            account_sid=settings.TWILIO_ACCOUNT_SID,
            auth_token=settings.TWILIO_AUTH_TOKEN,
            sender=settings.TWILIO_FROM,
            api_url=settings.TWILIO_API_URL,
            timeout=settings.SMS_TIMEOUT_SECONDS,
        )
    return None


def status_callback_url() -> str:
    return settings.SITE_URL + reverse("core:sms_status")


@transaction.atomic
def apply_status_report(report: StatusReport) -> OutboundMessage | None:
    """Record what the provider says of a sent SMS: undelivered marks it failed (staff see
    it, and may resend) and, when the number itself failed, the number as failing; a
    delivery clears the number's mark."""

    message = (
        OutboundMessage.objects.select_for_update()
        .filter(channel=OutboundMessage.Channel.SMS, provider_ref=report.provider_ref)
        .exclude(provider_ref="")
        .first()
    )
    if message is None:
        return None
    if report.failed:
        message.status = OutboundMessage.Status.FAILED
        message.last_error = f"Provider: {report.error}"[:2000]
        message.save(update_fields=["status", "last_error"])
        if report.number_failed:
            reach.mark_failing(
                OutboundMessage.Channel.SMS, message.recipient, report.error, message=message
            )
    elif report.delivered:
        reach.clear_failing(OutboundMessage.Channel.SMS, message.recipient)
    return message
