"""The demo's messages to groups: one sent with a failed delivery, one scheduled; the
demo guardian reads the sent one, staff see the failure; a second load adds nothing."""

import pytest
from django.urls import reverse

from core.models import GroupMessage, OutboundMessage
from tests.demo import demo_loaded, load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _demo(django_db_setup, django_db_blocker, tmp_path_factory):
    with demo_loaded(django_db_blocker, tmp_path_factory.mktemp("demo-media")) as output:
        yield output


@pytest.fixture
def demo(_demo, db):
    return _demo


def test_the_demo_has_a_sent_message_with_a_failed_delivery_and_a_scheduled_one(demo, client):
    sent = GroupMessage.objects.get(status="sent")
    scheduled = GroupMessage.objects.get(status="scheduled")
    assert sent.recipients.count() > 10
    failed = sent.recipients.filter(email_message__status=OutboundMessage.Status.FAILED)
    assert failed.count() == 1 and "550" in failed.get().email_message.last_error
    assert scheduled.scheduled_at > sent.sent_at

    assert client.login(username="leder", password="demo")
    listing = client.get(reverse("core:group_messages")).content.decode()
    assert f'id="group-message-{sent.pk}" data-status="sent"' in listing
    assert 'data-failed="1"' in listing
    dashboard = client.get(reverse("core:dashboard")).content.decode()
    assert 'data-count="failed-messages"' in dashboard

    assert client.login(username="forelder", password="demo")
    page = client.get(reverse("core:my_messages")).content.decode()
    assert f'id="my-message-{sent.pk}"' in page
    dashboard = client.get(reverse("core:dashboard")).content.decode()
    assert 'id="panel-core-messages-to-me"' in dashboard


def test_a_second_load_adds_no_message(demo):
    before = list(GroupMessage.objects.values_list("pk", "status", "scheduled_at", "sent_at"))
    outbound = OutboundMessage.objects.count()
    output = load_demo("--force")
    assert "messages to groups" not in output
    assert (
        list(GroupMessage.objects.values_list("pk", "status", "scheduled_at", "sent_at")) == before
    )
    assert OutboundMessage.objects.count() == outbound
