"""A season's own questions on the orchestra's registration form (core.questions): asked
when the season is chosen, saved with the member registered, shown to staff on the list
of registrations; a look at health-data answers goes into the access log of sensitive
data (orchestra.services.access_log) too."""

from django.urls import reverse

from core import questions
from events.models import Period, Programme
from orchestra.models import Member, SensitiveDataAccess
from orchestra.policies import MANAGE_REGISTRATIONS
from orchestra.services.access_log import record_sensitive_access

CHANNELS = {"page": "page", "api": "api", "export": "export", "admin": "admin"}


def _log_members_answers(*, viewer, answers, path, channel) -> None:
    member_type = questions.content_type_id(Member)
    seen = {
        answer.record_id: [SensitiveDataAccess.Data.QUESTION_ANSWERS]
        for answer in answers
        if answer.record_type_id == member_type
    }
    if seen:
        record_sensitive_access(
            viewer=viewer, seen=seen, path=path, channel=CHANNELS.get(channel, "page")
        )


def register() -> None:
    questions.register_owner_kind(
        questions.OwnerKind(
            key="events.period",
            title=lambda season: season.name,
            back_url=lambda season: reverse("orchestra:applications") + f"?sesong={season.pk}",
            queryset=lambda: Period.objects.filter(programme__kind=Programme.Kind.ORCHESTRA),
            # A child's answers: the orchestra's project leaders only.
            policy=MANAGE_REGISTRATIONS,
        )
    )
    questions.register_health_read_listener(_log_members_answers)
