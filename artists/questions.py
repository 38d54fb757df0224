"""A call's own questions (core.questions): asked on the application form, saved with the
application, shown to staff on the decisions page and to jurors on the review page, except
the questions marked identifying (blind review)."""

from django.urls import reverse

from artists.models import Call
from artists.policies import DECIDE_ON_APPLICATIONS
from core import questions


def register() -> None:
    questions.register_owner_kind(
        questions.OwnerKind(
            key="artists.call",
            title=str,
            back_url=lambda call: reverse("artists:decisions", args=[call.pk]),
            queryset=lambda: Call.objects.select_related("period"),
            policy=DECIDE_ON_APPLICATIONS,
        )
    )
