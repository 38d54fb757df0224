"""The events' audience of messages to groups (core.audiences): the hosts of the events
of an edition or a season (events.Event.hosts: who counts visitors and scans tickets),
by their login. One query.
"""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audiences
from core.audiences import Param, Recipient, int_param
from events.models import Period


def _periods() -> list[tuple[str, str]]:
    periods = Period.objects.select_related("programme").order_by("-start", "pk")
    return [(str(p.pk), f"{p.programme.name}: {p.name}") for p in periods]


def _hosts(params: dict) -> list[Recipient]:
    hosts = (
        get_user_model()
        .objects.filter(hosted_events__period=int_param(params, "period"), is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )
    return [
        Recipient(
            label=user.get_full_name() or user.username,
            role="host",
            email=user.email,
            user_id=user.pk,
        )
        for user in hosts
    ]


def register() -> None:
    audiences.register(
        "events.hosts",
        gettext_lazy("Hosts of an edition's or a season's events"),
        params=(Param("period", gettext_lazy("Edition or season"), _periods),),
        recipients=_hosts,
        describe=lambda p: (
            _("Hosts: %(period)s")
            % {
                "period": Period.objects.filter(pk=int_param(p, "period"))
                .values_list("name", flat=True)
                .first()
                or "–"
            }
        ),
        order=40,
    )
