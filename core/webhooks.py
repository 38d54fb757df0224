"""Outgoing webhooks: other systems (a municipality's site, an accounting tool, a door
display) hear what happens here.

- The apps register the event types they emit, each with the serializer of its payload
  (``register_event_type`` from their AppConfig.ready()), so the core imports none of them;
  every payload is documented in the OpenAPI schema (SCHEMA_WEBHOOKS, read by
  drf-spectacular through SPECTACULAR_SETTINGS["WEBHOOKS"]).
- A service calls ``emit(event_type, obj)`` inside its transaction: one WebhookDelivery per
  active endpoint that subscribes, committed with the change; the task ``deliver_webhook``
  posts it after commit (core.jobs.enqueue).
- A delivery is a POST of JSON signed with HMAC-SHA256 over ``"<timestamp>.<body>"`` with
  the endpoint's secret (``Kulturvest-Signature: t=<timestamp>,v1=<hex>``). A 2xx answer
  delivers it; anything else is retried with exponential backoff for about a day, and each
  attempt is logged on the delivery. A run of deliveries that failed for good disables the
  endpoint and emails staff. Staff replay a delivery (the same delivery id again).
- Addresses that resolve to private, loopback or link-local networks are refused when an
  endpoint is saved and again when a delivery connects (to the address checked, so DNS
  cannot move it in between), but for the networks in WEBHOOK_ALLOWED_NETWORKS.
"""

import hashlib
import hmac
import http.client
import json
import logging
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, OpenApiWebhook, extend_schema
from rest_framework import serializers

from core import audit, outgoing_http
from core.jobs import enqueue, requeue_stalled
from core.mail import queue_email
from core.models import WebhookDelivery, WebhookEndpoint, new_webhook_secret
from core.outgoing_http import UnsafeAddress, resolve_allowed
from core.roles import Role

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "Kulturvest-Signature"
EVENT_HEADER = "Kulturvest-Event"
DELIVERY_HEADER = "Kulturvest-Delivery"
USER_AGENT = "Kulturvest-Webhooks/1"

# A delivery is tried once and retried this many times, with backoff(): about a day.
MAX_RETRIES = 29
# How many attempts a delivery's log keeps (the newest).
ATTEMPT_LOG_LENGTH = 30
# How much of an answer (or an error) a delivery keeps.
EXCERPT_LENGTH = 500


def backoff(retries: int) -> int:
    """Seconds before retry number ``retries + 1``: 1, 2, 4 ... minutes, at most an hour
    (the first is WEBHOOK_RETRY_BACKOFF_SECONDS).

    Not longer: a task waiting for its retry is held by the broker no longer than its
    visibility timeout (CELERY_VISIBILITY_TIMEOUT, an hour), after which Redis hands it
    out again.
    """
    return min(settings.WEBHOOK_RETRY_BACKOFF_SECONDS * 2**retries, 3600)


# Event types ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EventType:
    name: str  # "registration.created"
    label: str  # translated lazily
    serializer: type[serializers.Serializer]  # the payload's "data", from one record


EVENT_TYPES: dict[str, EventType] = {}
# The OpenAPI schema's webhooks: one per event type, filled by register_event_type().
SCHEMA_WEBHOOKS: list[OpenApiWebhook] = []

SIGNATURE_DOC = (
    "Sent as a POST of JSON to each endpoint subscribed to the event, with the headers "
    f"`{EVENT_HEADER}` (the event type), `{DELIVERY_HEADER}` (the delivery's id: a retry "
    "or a replay sends the same id, so do the work once per id) and "
    f"`{SIGNATURE_HEADER}: t=<unix time>,v1=<hex>`, where v1 is the HMAC-SHA256 of "
    "`<t>.<the body's bytes>` keyed with the endpoint's secret. Check the signature and "
    "that t is recent (a few minutes) before trusting a delivery. Answer with a 2xx status "
    "within a few seconds; any other answer, or none, is retried with exponential backoff "
    "for about a day. The payload holds ids and public fields only."
)


class WebhookEnvelope(serializers.Serializer):
    """The body of every delivery: the event's id, type and time; ``data`` per type."""

    id = serializers.CharField(help_text="The event's id, the same for every endpoint.")
    type = serializers.CharField(help_text="The event type.")
    created = serializers.DateTimeField(help_text="When the event happened.")


def register_event_type(name: str, label, serializer: type[serializers.Serializer]) -> EventType:
    """Declare an event type the apps may emit, and document its payload in the schema."""
    if name in EVENT_TYPES:
        raise ValueError(f"The webhook event type {name} is registered already.")
    event_type = EventType(name, label, serializer)
    EVENT_TYPES[name] = event_type
    camel = "".join(part.capitalize() for part in name.replace(".", "_").split("_"))
    envelope = type(
        f"{camel}Webhook",
        (WebhookEnvelope,),
        {"data": serializer(), "__doc__": f"The body of a {name} delivery."},
    )
    SCHEMA_WEBHOOKS.append(
        OpenApiWebhook(
            name=name,
            decorator=extend_schema(
                summary=label,
                description=SIGNATURE_DOC,
                request=envelope,
                responses={200: OpenApiResponse(description="Received (any 2xx status).")},
            ),
        )
    )
    return event_type


def event_type_choices() -> list[tuple[str, str]]:
    return [(name, kind.label) for name, kind in sorted(EVENT_TYPES.items())]


# Emitting ------------------------------------------------------------------------------


def emit(event_type: str, obj) -> list[WebhookDelivery]:
    """Queue an event for every active endpoint subscribed to it; post after commit.

    Call it inside the service's transaction: the deliveries are saved with the change
    and are sent only if it commits. The payload is the event type's serializer of ``obj``.
    """
    kind = EVENT_TYPES[event_type]
    endpoints = [pk for pk, types in active_endpoints() if event_type in types]
    if not endpoints:
        return []
    event_id = uuid.uuid4().hex
    payload = {
        "id": event_id,
        "type": event_type,
        "created": timezone.now().isoformat(),
        "data": kind.serializer(obj).data,
    }
    deliveries = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                endpoint_id=endpoint_id,
                event_type=event_type,
                key=f"{event_id}-{endpoint_id}",
                payload=payload,
            )
            for endpoint_id in endpoints
        ]
    )
    for delivery in deliveries:
        enqueue(deliver_webhook, delivery.pk, 0)
    return deliveries


# Endpoints -----------------------------------------------------------------------------

ENDPOINTS_CACHE_KEY = "core.webhooks.active_endpoints"
# Seconds a process may go on with its cached list of endpoints (with a cache per process,
# another app server sees a change this late at most; a shared cache sees it at once).
ENDPOINTS_CACHE_SECONDS = 60


def active_endpoints() -> list[tuple[int, list[str]]]:
    """Return (id, event types) of the active endpoints, cached: emit() runs in every
    service that tells of an event, and most sites have no endpoint at all."""
    found = cache.get(ENDPOINTS_CACHE_KEY)
    if found is None:
        found = [
            (pk, list(types or []))
            for pk, types in WebhookEndpoint.objects.filter(active=True)
            .order_by("pk")
            .values_list("pk", "event_types")
        ]
        cache.set(ENDPOINTS_CACHE_KEY, found, ENDPOINTS_CACHE_SECONDS)
    return found


def forget_endpoints(**kwargs) -> None:
    """Drop the cached list of endpoints (post_save and post_delete of WebhookEndpoint),
    now and again after the commit, whoever changed one (a service, the admin, the API)."""
    cache.delete(ENDPOINTS_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(ENDPOINTS_CACHE_KEY))


def check_endpoint(endpoint: WebhookEndpoint) -> None:
    """Raise ValidationError unless the endpoint's URL and event types may be used."""
    errors = {}
    parts = urlsplit(endpoint.url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        errors["url"] = _("Give an http or https address.")
    elif parts.username or parts.password:
        errors["url"] = _("Leave the login out of the address; the signature proves the sender.")
    else:
        try:
            resolve_allowed(parts.hostname, parts.port or 443)
        except UnsafeAddress:
            errors["url"] = _(
                "This address leads to a private or local network, which webhooks may not reach."
            )
        except (OSError, ValueError):
            errors["url"] = _("This address's host cannot be found.")
    types = endpoint.event_types
    if not isinstance(types, list) or not types:
        errors["event_types"] = _("Choose at least one event.")
    elif unknown := sorted(set(map(str, types)) - set(EVENT_TYPES)):
        errors["event_types"] = _("Unknown events: %(names)s.") % {"names": ", ".join(unknown)}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_endpoint(
    *, url: str, event_types: list[str], by, description: str = "", active: bool = True
):
    """Add an endpoint (a new secret is made for it); it is checked with check_endpoint."""
    endpoint = WebhookEndpoint(
        url=url,
        active=active,
        event_types=sorted(set(event_types)),
        description=description,
        created_by=by if by is not None and by.is_authenticated else None,
    )
    endpoint.full_clean()
    check_endpoint(endpoint)
    endpoint.save()
    audit.log_action(
        endpoint,
        "core.webhookendpoint.created",
        by,
        changes=audit.created(endpoint, ["url", "description", "event_types", "active"]),
    )
    return endpoint


@transaction.atomic
def update_endpoint(endpoint: WebhookEndpoint, *, by, new_secret: bool = False, **values):
    """Change an endpoint's URL, description, events or active flag (or give it a new
    secret). Turning it on again starts its count of failures afresh."""
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    before = audit.field_values(endpoint, ["url", "description", "event_types", "active"])
    for name, value in values.items():
        if name not in before:
            raise TypeError(f"update_endpoint() does not change {name}")
        setattr(endpoint, name, sorted(set(value)) if name == "event_types" else value)
    if endpoint.active and not before["active"]:
        endpoint.consecutive_failures = 0
        endpoint.disabled_at = None
        endpoint.disabled_reason = ""
    if new_secret:
        endpoint.secret = new_webhook_secret()
    endpoint.full_clean()
    check_endpoint(endpoint)
    endpoint.save()
    changes = audit.diff(endpoint, before)
    if new_secret:
        changes["secret"] = audit.CHANGED
    audit.log_action(endpoint, "core.webhookendpoint.updated", by, changes=changes)
    return endpoint


@transaction.atomic
def replay_delivery(delivery: WebhookDelivery, *, by) -> WebhookDelivery:
    """Send a delivery again (failed or delivered; one pending is on its way already)."""
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.status == WebhookDelivery.Status.PENDING:
        return delivery
    before = delivery.status
    delivery.status = WebhookDelivery.Status.PENDING
    delivery.queued_at = timezone.now()
    delivery.save(update_fields=["status", "queued_at"])
    audit.log_action(
        delivery,
        "core.webhookdelivery.replayed",
        by,
        changes={"status": [before, delivery.status], "at": timezone.now()},
    )
    enqueue(deliver_webhook, delivery.pk, delivery.attempts)
    return delivery


# Delivering ----------------------------------------------------------------------------


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """Return the v1 signature: HMAC-SHA256 of ``b"<timestamp>." + body`` with the secret."""
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Attempt:
    status: int | None  # the HTTP status, None when there was no answer
    ms: int
    excerpt: str

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def post(delivery: WebhookDelivery, endpoint: WebhookEndpoint) -> Attempt:
    """POST the delivery's payload, signed, to its endpoint; never follows a redirect."""
    body = json.dumps(delivery.payload, sort_keys=True, separators=(",", ":")).encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        EVENT_HEADER: delivery.event_type,
        DELIVERY_HEADER: delivery.key,
        SIGNATURE_HEADER: f"t={timestamp},v1={sign(endpoint.secret, timestamp, body)}",
    }
    started = time.monotonic()
    try:
        status, answer = outgoing_http.post(
            endpoint.url,
            body,
            headers,
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
            guarded=True,
            limit=EXCERPT_LENGTH,
        )
    except (OSError, http.client.HTTPException) as error:
        return Attempt(
            None, _ms_since(started), f"{type(error).__name__}: {error}"[:EXCERPT_LENGTH]
        )
    text = answer.decode("utf-8", "replace")
    return Attempt(status, _ms_since(started), text[:EXCERPT_LENGTH])


def _ms_since(started: float) -> int:
    return round((time.monotonic() - started) * 1000)


@shared_task(bind=True, max_retries=MAX_RETRIES, acks_late=True)
def deliver_webhook(self, delivery_id: int, attempts_before: int | None = None) -> str:
    """Post one pending delivery; retry with backoff until it is delivered or retries end.

    The row is locked for the attempt, so a second run of the task (a redelivery after a
    worker died) waits, then finds it delivered and does nothing. ``attempts_before`` is
    the number of attempts the delivery had when this run was queued: a copy of the same
    run delivered twice by the broker (Redis hands an unacknowledged task out again after
    its visibility timeout, shorter than the longest backoff) finds the attempt made and
    does nothing, so copies never grow into parallel chains of retries. Every attempt is
    logged on the delivery (HTTP status, response time, an excerpt of the answer or the
    error).
    """
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(of=("self",))
            .select_related("endpoint")
            .filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING)
            .first()
        )
        if delivery is None:
            return "skipped"  # delivered (or failed for good) already
        if attempts_before is not None and delivery.attempts != attempts_before:
            return "skipped"  # another copy of this run made the attempt
        endpoint = delivery.endpoint
        if not endpoint.active:
            _record(delivery, Attempt(None, 0, _("The endpoint is disabled.")), final=True)
            return "failed"
        attempt = post(delivery, endpoint)
        failed_for_good = not attempt.delivered and self.request.retries >= self.max_retries
        _record(delivery, attempt, final=attempt.delivered or failed_for_good)
        if attempt.delivered:
            if endpoint.consecutive_failures:
                WebhookEndpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=0)
            return "delivered"
        logger.warning(
            "Webhook delivery %s (%s) to endpoint %s failed, attempt %s: %s",
            delivery.pk,
            delivery.event_type,
            endpoint.pk,
            delivery.attempts,
            attempt.status or attempt.excerpt[:100],
        )
        if failed_for_good:
            _count_failure(endpoint)
            return "failed"
    # Retry outside the transaction, so the attempt stays recorded.
    raise self.retry(args=(delivery_id, delivery.attempts), countdown=backoff(self.request.retries))


# A delivery pending this long with no attempt had its task lost (the process died after
# the commit, or the broker was down): requeue_stalled_deliveries hands it out again.
STALLED_AFTER = timedelta(minutes=5)


@shared_task(acks_late=True)
def requeue_stalled_deliveries() -> int:
    """Enqueue each delivery still pending, with no attempt, for longer than STALLED_AFTER
    (core.jobs.requeue_stalled), as core.tasks does for emails; scheduled every few
    minutes. deliver_webhook locks the row and checks its attempts, so a delivery enqueued
    twice is posted once. Returns how many."""
    waiting = WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING, attempts=0)
    return requeue_stalled(waiting, deliver_webhook, 0, older_than=STALLED_AFTER)


def _record(delivery: WebhookDelivery, attempt: Attempt, *, final: bool) -> None:
    now = timezone.now()
    delivery.attempts += 1
    delivery.attempt_log = [
        *delivery.attempt_log,
        {
            "at": now.isoformat(),
            "status": attempt.status,
            "ms": attempt.ms,
            "excerpt": attempt.excerpt,
        },
    ][-ATTEMPT_LOG_LENGTH:]
    if attempt.delivered:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = now
    elif final:
        delivery.status = WebhookDelivery.Status.FAILED
    delivery.save(
        update_fields=[
            "attempts",
            "attempt_log",
            "status",
            "delivered_at",
        ]
    )


def _count_failure(endpoint: WebhookEndpoint) -> None:
    """Count a delivery that failed for good; a run of them disables the endpoint."""
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    endpoint.consecutive_failures += 1
    fields = ["consecutive_failures"]
    limit = settings.WEBHOOK_DISABLE_AFTER_FAILURES
    if endpoint.active and endpoint.consecutive_failures >= limit:
        endpoint.active = False
        endpoint.disabled_at = timezone.now()
        with translation.override(settings.LANGUAGE_CODE):
            endpoint.disabled_reason = _(
                "%(count)s deliveries in a row failed after a day of retries."
            ) % {"count": endpoint.consecutive_failures}
        fields += ["active", "disabled_at", "disabled_reason"]
        audit.log_action(
            endpoint,
            "core.webhookendpoint.disabled",
            None,
            changes={
                "active": [True, False],
                "consecutive_failures": endpoint.consecutive_failures,
            },
        )
        _email_staff_disabled(endpoint)
    endpoint.save(update_fields=fields)


def staff_addresses() -> list[str]:
    """Return the email addresses of the active superusers and project leaders."""
    return sorted(
        set(
            get_user_model()
            .objects.filter(is_active=True)
            .filter(Q(is_superuser=True) | Q(groups__name=Role.PROJECT_LEADER))
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


def _email_staff_disabled(endpoint: WebhookEndpoint) -> None:
    to = staff_addresses()
    if endpoint.created_by_id and endpoint.created_by.email:
        to = sorted({*to, endpoint.created_by.email})
    link = settings.SITE_URL + reverse("core:webhook_endpoint", args=[endpoint.pk])
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Webhook disabled: %(url)s") % {"url": endpoint.url}
        body = _(
            "The webhook endpoint %(url)s is disabled: %(reason)s\n\n"
            "Nothing more is sent to it until it is turned on again. See its deliveries "
            "and turn it on when the receiver works again:\n%(link)s\n"
        ) % {"url": endpoint.url, "reason": endpoint.disabled_reason, "link": link}
    queue_email(
        EmailMessage(subject=subject, body=body, to=to),
        kind="core.webhook_disabled",
        about=endpoint,
        # Each time it is disabled is its own message (it may be enabled and fail again).
        occasion=endpoint.disabled_at.isoformat() if endpoint.disabled_at else "",
    )


# What staff read -----------------------------------------------------------------------


def webhooks_panel(user, now) -> dict | None:
    """The dashboard's "webhooks that need attention" for staff: failed deliveries and
    disabled endpoints, when there are any (one query)."""
    figures = WebhookEndpoint.objects.aggregate(
        failed=Count("deliveries", filter=Q(deliveries__status=WebhookDelivery.Status.FAILED)),
        disabled=Count("pk", filter=Q(disabled_at__isnull=False), distinct=True),
    )
    return figures if figures["failed"] or figures["disabled"] else None


def endpoints_with_counts():
    """Every endpoint with its number of failed and pending deliveries (one query)."""
    return WebhookEndpoint.objects.annotate(
        failed_count=Count(
            "deliveries", filter=Q(deliveries__status=WebhookDelivery.Status.FAILED)
        ),
        pending_count=Count(
            "deliveries", filter=Q(deliveries__status=WebhookDelivery.Status.PENDING)
        ),
    ).order_by("pk")


def deliveries_of(endpoint: WebhookEndpoint):
    """An endpoint's deliveries, newest first."""
    return WebhookDelivery.objects.filter(endpoint=endpoint).order_by("-created_at", "-pk")
