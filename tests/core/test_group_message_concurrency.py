"""A message to a group sent twice at the same moment (a double click on two app servers,
the due sender beside the staff's "send now") is sent once: the first locks the message
and sends it, the second waits, then finds it sent. Real threads on PostgreSQL."""

import pytest
from django.utils import timezone

from core import group_messages
from core.due import send_due_messages
from core.models import GroupMessage, OutboundMessage
from core.roles import Role
from tests.concurrency import run_together
from tests.factories import EventFactory, PeriodFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_sends_at_once_send_each_email_once(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    leader = UserFactory(username="leader", is_staff=True, roles=[Role.PROJECT_LEADER])
    edition = PeriodFactory()
    event = EventFactory(period=edition)
    event.hosts.add(*[UserFactory(username=f"vert{n}") for n in range(5)])
    message = group_messages.save_draft(
        by=leader,
        audience="events.hosts",
        audience_params={"period": str(edition.pk)},
        category="group_message",
        subject_nb="Vakt",
        text_nb="Tekst",
    )
    group_messages.schedule_message(
        message, by=leader, at=timezone.now() + timezone.timedelta(seconds=1)
    )
    later = timezone.now() + timezone.timedelta(minutes=1)

    def work(i):
        if i % 2:
            return send_due_messages(later)
        return group_messages.send_message(message, by=leader)

    results = run_together(4, work)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert OutboundMessage.objects.filter(kind=group_messages.KIND).count() == 5
    assert message.recipients.count() == 5
    assert GroupMessage.objects.get(pk=message.pk).status == "sent"
