"""Outgoing webhooks (core.webhooks): signed deliveries to a real HTTP receiver, retried
with backoff, replayed by staff, an endpoint disabled after a run of failures with an
email to staff, addresses in private networks refused, the staff pages and the API."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core import webhooks
from core.models import AuditEntry, OutboundMessage, WebhookDelivery, WebhookEndpoint
from core.retention import WEBHOOK_DELIVERIES, apply_retention
from tests.factories import EventFactory
from tests.webhooks import subscribe

pytestmark = pytest.mark.django_db

CHANGED = webhooks.EVENT_TYPES["event.changed"].name


def change(event, title="Ny tittel"):
    """Change a public event (event.changed, through the post_save of events.webhooks)."""
    event.title_nb = title
    event.save()


@pytest.fixture
def event(db):
    return EventFactory(title_nb="Konsert")


def test_a_receiver_that_fails_three_times_gets_it_once_signed_with_four_attempts_logged(
    webhook_receiver, event, django_capture_on_commit_callbacks
):
    receiver = webhook_receiver(statuses=[500, 503, 404])
    subscribe(receiver, CHANGED)
    with django_capture_on_commit_callbacks(execute=False):
        change(event)
    delivery = WebhookDelivery.objects.get()
    # In a worker the task retries (eagerly here, without the backoff's waits).
    webhooks.deliver_webhook.apply(args=[delivery.pk])
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert delivery.attempts == 4
    assert [attempt["status"] for attempt in delivery.attempt_log] == [500, 503, 404, 200]
    assert all(isinstance(attempt["ms"], int) for attempt in delivery.attempt_log)
    assert (delivery.last_status, delivery.last_response) == (200, "ok")
    assert delivery.delivered_at is not None
    assert len(receiver.received) == 4
    assert all(request["signed"] for request in receiver.received)
    # One delivery, one id: a receiver does its work once per Kulturvest-Delivery.
    assert {r["headers"]["Kulturvest-Delivery"] for r in receiver.received} == {delivery.key}
    assert {r["headers"]["Kulturvest-Event"] for r in receiver.received} == {"event.changed"}
    body = receiver.received[-1]["json"]
    assert body["type"] == "event.changed"
    assert body["data"]["id"] == event.pk
    assert body["data"]["title_nb"] == "Ny tittel"
    # Delivered: a second run of the task (a redelivery) sends nothing.
    assert webhooks.deliver_webhook.apply(args=[delivery.pk]).get() == "skipped"
    assert len(receiver.received) == 4


def test_a_wrong_secret_does_not_verify(
    webhook_receiver, event, django_capture_on_commit_callbacks
):
    receiver = webhook_receiver()
    subscribe(receiver, CHANGED)
    receiver.secret = "not-the-secret"
    with django_capture_on_commit_callbacks(execute=True):
        change(event)
    assert [request["signed"] for request in receiver.received] == [False]


def test_after_commit_only_and_nothing_on_rollback(
    webhook_receiver, event, django_capture_on_commit_callbacks
):
    receiver = webhook_receiver()
    subscribe(receiver, CHANGED)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        change(event)
        raise RuntimeError("the workflow fails")
    assert not WebhookDelivery.objects.exists()
    assert receiver.received == []


def test_only_active_endpoints_subscribed_to_the_event_get_it(
    webhook_receiver, event, django_capture_on_commit_callbacks
):
    wants, other, off = webhook_receiver(), webhook_receiver(), webhook_receiver()
    subscribe(wants, CHANGED, "event.cancelled")
    subscribe(other, "registration.created")
    subscribe(off, CHANGED, active=False)
    with django_capture_on_commit_callbacks(execute=True):
        change(event)
    assert len(wants.received) == 1
    assert other.received == off.received == []


def test_backoff_grows_exponentially_over_about_a_day():
    assert [webhooks.backoff(n) for n in range(4)] == [60, 120, 240, 480]
    total = sum(webhooks.backoff(n) for n in range(webhooks.MAX_RETRIES))
    assert timedelta(hours=20) <= timedelta(seconds=total) <= timedelta(hours=28)
    # No wait outlasts the broker's visibility timeout (Redis would hand the task out again).
    longest = max(webhooks.backoff(n) for n in range(webhooks.MAX_RETRIES))
    assert longest <= settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]


def test_without_a_broker_a_failing_receiver_costs_one_attempt(
    webhook_receiver, event, django_capture_on_commit_callbacks
):
    receiver = webhook_receiver(then=500)
    subscribe(receiver, CHANGED)
    with django_capture_on_commit_callbacks(execute=True):
        change(event)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status) == ("failed", 1, 500)
    assert len(receiver.received) == 1


def test_replay_sends_a_delivery_again_with_the_same_id_and_is_audited(
    webhook_receiver, event, project_leader, django_capture_on_commit_callbacks
):
    receiver = webhook_receiver(statuses=[500])
    subscribe(receiver, CHANGED)
    with django_capture_on_commit_callbacks(execute=True):
        change(event)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.FAILED
    with django_capture_on_commit_callbacks(execute=True):
        webhooks.replay_delivery(delivery, by=project_leader)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (WebhookDelivery.Status.DELIVERED, 2)
    assert [r["headers"]["Kulturvest-Delivery"] for r in receiver.received] == [delivery.key] * 2
    entry = AuditEntry.objects.get(action="core.webhookdelivery.replayed")
    assert (entry.actor, entry.object_id) == (project_leader, delivery.pk)


def test_a_run_of_failures_disables_the_endpoint_and_emails_staff(
    webhook_receiver, event, project_leader, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 3
    receiver = webhook_receiver(then=500)
    endpoint = subscribe(receiver, CHANGED)
    for number in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            change(event, f"Tittel {number}")
    endpoint.refresh_from_db()
    assert not endpoint.active
    assert endpoint.disabled_at is not None
    assert endpoint.consecutive_failures == 3
    assert "3" in endpoint.disabled_reason
    (message,) = OutboundMessage.objects.filter(kind="core.webhook_disabled")
    assert project_leader.email in message.recipient
    assert endpoint.url in message.subject
    assert [m.to for m in mail.outbox] == [message.recipient.split(", ")]
    assert reverse("core:webhook_endpoint", args=[endpoint.pk]) in mail.outbox[0].body
    # Disabled: the next event is not sent to it.
    with django_capture_on_commit_callbacks(execute=True):
        change(event, "Tittel 4")
    assert len(receiver.received) == 3
    assert WebhookDelivery.objects.count() == 3
    # Turned on again, it counts afresh.
    webhooks.update_endpoint(endpoint, by=project_leader, active=True)
    endpoint.refresh_from_db()
    assert (endpoint.active, endpoint.consecutive_failures, endpoint.disabled_at) == (
        True,
        0,
        None,
    )


def test_a_delivered_event_ends_a_run_of_failures(
    webhook_receiver, event, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 2
    receiver = webhook_receiver(statuses=[500, 200, 500])
    endpoint = subscribe(receiver, CHANGED)
    for number in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            change(event, f"Tittel {number}")
    endpoint.refresh_from_db()
    assert endpoint.active
    assert endpoint.consecutive_failures == 1


# Addresses ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
    ],
)
def test_private_loopback_and_link_local_addresses_are_refused(url, settings, project_leader):
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    with pytest.raises(ValidationError) as refused:
        webhooks.create_endpoint(url=url, event_types=[CHANGED], by=project_leader)
    assert "url" in refused.value.message_dict
    assert not WebhookEndpoint.objects.exists()


def test_a_setting_allows_a_network(settings, project_leader):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    endpoint = webhooks.create_endpoint(
        url="http://127.0.0.1:9/hook", event_types=[CHANGED], by=project_leader
    )
    assert endpoint.created_by == project_leader
    assert len(endpoint.secret) == 64


@pytest.mark.parametrize(
    ("url", "types"),
    [("ftp://127.0.0.1/x", [CHANGED]), ("http://127.0.0.1/x", []), ("http://127.0.0.1/x", ["x"])],
)
def test_other_schemes_and_unknown_events_are_refused(url, types, settings, project_leader):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    with pytest.raises(ValidationError):
        webhooks.create_endpoint(url=url, event_types=types, by=project_leader)


def test_a_delivery_never_connects_to_a_private_address_even_if_saved_before(
    webhook_receiver, event, settings, django_capture_on_commit_callbacks
):
    receiver = webhook_receiver()
    subscribe(receiver, CHANGED)
    settings.WEBHOOK_ALLOWED_NETWORKS = []  # e.g. DNS now points the host elsewhere
    with django_capture_on_commit_callbacks(execute=True):
        change(event)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert delivery.last_status is None
    assert "UnsafeAddress" in delivery.last_response
    assert receiver.received == []


# Staff pages -------------------------------------------------------------------------------


def deliveries(receiver, count, event):
    endpoint = subscribe(receiver, CHANGED)
    for number in range(count):
        change(event, f"Tittel {number}")  # the test's transaction never commits: pending
    WebhookDelivery.objects.update(status=WebhookDelivery.Status.FAILED, attempts=3)
    return endpoint


@pytest.mark.parametrize("count", [2, 10])
def test_endpoint_list_in_constant_queries(
    client, project_leader, webhook_receiver, count, django_assert_max_num_queries
):
    for _ in range(count):
        subscribe(webhook_receiver(), CHANGED, "member.left")
    client.force_login(project_leader)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("core:webhook_endpoints"))
    assert response.status_code == 200
    assert response.content.decode().count('id="endpoint-') == count


@pytest.mark.parametrize("count", [2, 10])
def test_endpoint_page_lists_deliveries_in_constant_queries(
    client, project_leader, webhook_receiver, event, count, django_assert_max_num_queries
):
    endpoint = deliveries(webhook_receiver(), count, event)
    client.force_login(project_leader)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("core:webhook_endpoint", args=[endpoint.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('id="delivery-') == count
    assert page.count("/send-igjen/") == count
    assert endpoint.secret in page


def test_staff_add_an_endpoint_and_see_its_secret(client, project_leader, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    client.force_login(project_leader)
    assert client.get(reverse("core:webhook_endpoint_add")).status_code == 200
    response = client.post(
        reverse("core:webhook_endpoint_add"),
        {"url": "http://127.0.0.1:9/hook", "description": "Dørskjerm", "event_types": [CHANGED]},
    )
    endpoint = WebhookEndpoint.objects.get()
    assert response["Location"] == reverse("core:webhook_endpoint", args=[endpoint.pk])
    assert endpoint.event_types == [CHANGED]
    assert endpoint.secret in client.get(response["Location"]).content.decode()
    assert AuditEntry.objects.filter(action="core.webhookendpoint.created").exists()


def test_staff_page_refuses_a_private_address(client, project_leader, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    client.force_login(project_leader)
    response = client.post(
        reverse("core:webhook_endpoint_add"),
        {"url": "http://10.0.0.1/hook", "event_types": [CHANGED]},
    )
    assert response.status_code == 200
    assert "privat eller lokalt nettverk" in response.content.decode()  # the site speaks nb
    assert not WebhookEndpoint.objects.exists()


def test_staff_change_an_endpoint_and_make_a_new_secret(client, project_leader, webhook_receiver):
    endpoint = subscribe(webhook_receiver(), CHANGED)
    old_secret = endpoint.secret
    client.force_login(project_leader)
    response = client.post(
        reverse("core:webhook_endpoint", args=[endpoint.pk]),
        {"url": endpoint.url, "event_types": ["member.left"], "new_secret": "on"},
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.event_types == ["member.left"]
    assert not endpoint.active  # the box was left empty
    assert endpoint.secret != old_secret


def test_staff_replay_from_the_page(
    client, project_leader, nobody, webhook_receiver, event, django_capture_on_commit_callbacks
):
    receiver = webhook_receiver()
    endpoint = deliveries(receiver, 1, event)
    delivery = WebhookDelivery.objects.get()
    url = reverse("core:webhook_delivery_replay", args=[delivery.pk])
    client.force_login(nobody)
    assert client.post(url).status_code == 403
    client.force_login(project_leader)
    assert client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response["Location"] == reverse("core:webhook_endpoint", args=[endpoint.pk])
    assert len(receiver.received) == 1
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED


def test_pages_are_for_staff_only(client, juror, nobody, project_leader, webhook_receiver):
    endpoint = subscribe(webhook_receiver(), CHANGED)
    urls = [
        reverse("core:webhook_endpoints"),
        reverse("core:webhook_endpoint_add"),
        reverse("core:webhook_endpoint", args=[endpoint.pk]),
    ]
    for url in urls:
        client.logout()
        assert client.get(url).status_code == 302
        for user in (nobody, juror):
            client.force_login(user)
            assert client.get(url).status_code == 403
        client.force_login(project_leader)
        assert client.get(url).status_code == 200


# The API -----------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [2, 10])
def test_api_lists_endpoints_and_deliveries_for_staff_only(
    api_as,
    project_leader,
    nobody,
    webhook_receiver,
    event,
    count,
    django_assert_max_num_queries,
    check_schema,
):
    for _ in range(count - 1):
        subscribe(webhook_receiver(), "member.left")
    deliveries(webhook_receiver(), count, event)
    for url in ("/api/v1/webhook-endpoints/", "/api/v1/webhook-deliveries/"):
        assert api_as(None).get(url).status_code == 401
        assert api_as(nobody).get(url).status_code == 403
        with django_assert_max_num_queries(8):
            response = api_as(project_leader).get(url)
        assert response.status_code == 200
        check_schema(response)
        assert len(response.json()["results"]) == count


def test_api_creates_an_endpoint_and_refuses_a_private_one(
    api_as, project_leader, settings, check_schema
):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    api = api_as(project_leader)
    response = api.post(
        "/api/v1/webhook-endpoints/",
        {"url": "http://127.0.0.1:9/hook", "event_types": [CHANGED, "member.left"]},
    )
    assert response.status_code == 201, response.json()
    check_schema(response)
    assert len(response.json()["secret"]) == 64
    refused = api.post(
        "/api/v1/webhook-endpoints/",
        {"url": "http://192.168.1.1/hook", "event_types": [CHANGED]},
    )
    assert refused.status_code == 400
    assert "url" in refused.json()
    unknown = api.post(
        "/api/v1/webhook-endpoints/", {"url": "http://127.0.0.1:9/x", "event_types": ["nope"]}
    )
    assert unknown.status_code == 400
    assert "event_types" in unknown.json()
    endpoint_id = response.json()["id"]
    patched = api.patch(f"/api/v1/webhook-endpoints/{endpoint_id}/", {"active": False})
    assert patched.status_code == 200
    assert patched.json()["active"] is False
    assert WebhookEndpoint.objects.get().active is False


def test_api_replay(
    api_as, project_leader, nobody, webhook_receiver, event, django_capture_on_commit_callbacks
):
    receiver = webhook_receiver()
    deliveries(receiver, 1, event)
    delivery = WebhookDelivery.objects.get()
    url = f"/api/v1/webhook-deliveries/{delivery.pk}/replay/"
    assert api_as(nobody).post(url).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(project_leader).post(url)
    assert response.status_code == 200
    assert len(receiver.received) == 1
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED


def test_the_schema_documents_every_event_type_and_its_signature(api_as, nobody):
    schema = api_as(None).get("/api/v1/schema/?format=json").json()
    assert set(schema["webhooks"]) == set(webhooks.EVENT_TYPES)
    operation = schema["webhooks"]["member.registered"]["post"]
    assert "Kulturvest-Signature" in operation["description"]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    data_ref = (
        body["properties"]["data"]["allOf"][0]["$ref"]
        if "allOf" in body["properties"]["data"]
        else body["properties"]["data"]["$ref"]
    )
    data = schema["components"]["schemas"][data_ref.rsplit("/", 1)[1]]
    assert set(data["properties"]) == {"member", "status", "since"}


# Retention ---------------------------------------------------------------------------------


def test_retention_deletes_old_deliveries_but_pending_ones(settings, webhook_receiver, event):
    settings.WEBHOOK_DELIVERY_RETENTION_DAYS = 30
    subscribe(webhook_receiver(), CHANGED)
    for number in range(3):
        change(event, f"Tittel {number}")
    old_done, old_pending, recent = WebhookDelivery.objects.order_by("pk")
    WebhookDelivery.objects.filter(pk__in=[old_done.pk, recent.pk]).update(status="delivered")
    now = timezone.now()
    WebhookDelivery.objects.exclude(pk=recent.pk).update(created_at=now - timedelta(days=32))
    runs = {run.rule.key: run for run in apply_retention()}
    assert [r.pk for r in runs[WEBHOOK_DELIVERIES].records] == [old_done.pk]
    assert set(WebhookDelivery.objects.values_list("pk", flat=True)) == {
        old_pending.pk,
        recent.pk,
    }


def test_a_copy_of_a_run_the_broker_hands_out_twice_makes_no_second_attempt(
    webhook_receiver, event, django_capture_on_commit_callbacks
):
    receiver = webhook_receiver(then=500)
    subscribe(receiver, CHANGED)
    with django_capture_on_commit_callbacks(execute=False):
        change(event)
    delivery = WebhookDelivery.objects.get()
    last_try = webhooks.MAX_RETRIES  # a run with no retries left: one attempt
    assert webhooks.deliver_webhook.apply(args=[delivery.pk, 0], retries=last_try).get() == (
        "failed"
    )
    delivery.status = WebhookDelivery.Status.PENDING  # as if still retrying
    delivery.save(update_fields=["status"])
    # The same run (queued when the delivery had no attempt) again: nothing is sent.
    assert webhooks.deliver_webhook.apply(args=[delivery.pk, 0]).get() == "skipped"
    assert len(receiver.received) == 1


def test_a_delivery_whose_task_was_lost_is_swept_up_and_posted_once(
    webhook_receiver, event, django_capture_on_commit_callbacks
):
    receiver = webhook_receiver()
    subscribe(receiver, CHANGED)
    with django_capture_on_commit_callbacks(execute=False):
        change(event)  # committed, but its task never reaches a worker
    delivery = WebhookDelivery.objects.get()
    # Too young: its task may still be in the broker.
    with django_capture_on_commit_callbacks(execute=True):
        assert webhooks.requeue_stalled_deliveries.apply().get() == 0
    assert receiver.received == []
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        queued_at=timezone.now() - webhooks.STALLED_AFTER - timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert webhooks.requeue_stalled_deliveries.apply().get() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (WebhookDelivery.Status.DELIVERED, 1)
    assert len(receiver.received) == 1
    # Run twice: nothing left to sweep; the original task arriving late posts nothing.
    with django_capture_on_commit_callbacks(execute=True):
        assert webhooks.requeue_stalled_deliveries.apply().get() == 0
    assert webhooks.deliver_webhook.apply(args=[delivery.pk, 0]).get() == "skipped"
    assert len(receiver.received) == 1


def test_dashboard_panel_counts_failed_deliveries_and_disabled_endpoints_for_staff(
    client, project_leader, nobody, webhook_receiver, event, django_capture_on_commit_callbacks
):
    client.force_login(project_leader)
    assert "failed-webhook-deliveries" not in client.get(reverse("core:dashboard")).content.decode()
    endpoint = subscribe(webhook_receiver(then=500), CHANGED)
    with django_capture_on_commit_callbacks(execute=True):
        change(event)  # without a broker: one attempt, failed
    WebhookEndpoint.objects.create(
        url="https://example.org/hook",
        event_types=[CHANGED],
        active=False,
        disabled_at=timezone.now(),
        disabled_reason="test",
    )
    assert WebhookDelivery.objects.get(endpoint=endpoint).status == WebhookDelivery.Status.FAILED
    page = client.get(reverse("core:dashboard")).content.decode()
    assert 'data-count="failed-webhook-deliveries">1<' in page
    assert 'data-count="disabled-webhook-endpoints">1<' in page
    assert reverse("core:webhook_endpoints") in page
    client.force_login(nobody)
    assert "failed-webhook-deliveries" not in client.get(reverse("core:dashboard")).content.decode()
