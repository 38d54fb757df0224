"""Reads about calls and applications."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from artists.models import Application, Artist, Call
from artists.selectors.jury import applicant_feedback, application_scores


def calls_open_to(artist: Artist, *, now=None) -> QuerySet[Call]:
    """Return the calls open now that the artist may see (invited, or open to all)."""
    now = now or timezone.now()
    return (
        Call.objects.filter(opens_at__lte=now, closes_at__gt=now)
        .filter(Q(invitation_only=False) | Q(invited=artist))
        .select_related("period")
        .distinct()
        .order_by("closes_at")
    )


def outcome_for_applicant(application: Application) -> dict | None:
    """Return what the applicant may know of the decision: nothing until it is released."""
    decision = getattr(application, "decision", None)
    if decision is None or not decision.is_released:
        return None
    scores = {}
    if application.call.feedback_to_applicants:
        scores = application_scores(application.call)
    return {"decision": decision, "feedback": applicant_feedback(application, scores)}


def applications_for_staff(call: Call) -> QuerySet[Application]:
    """Return a call's applications with what the staff lists show, in constant queries."""
    return (
        Application.objects.filter(call=call)
        .select_related("artist", "decision")
        .annotate(image_count=Count("images", distinct=True))
        .order_by("artist__name", "pk")
    )
