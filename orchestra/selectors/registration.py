"""Reads of registration: the seasons open for it, the ages their groups admit, the group
to suggest, the consents asked for, and a member's guardians."""

from collections.abc import Sequence
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from events.models import Period, Programme
from orchestra.models import ConsentText, Group, Guardian, Guardianship, Member, StatusChange
from orchestra.models.members import age_on
from orchestra.selectors.members import current_consent_text

# The consents a registration asks for: the first is required, the others optional.
REGISTRATION_CONSENTS = (ConsentText.Kind.MEMBERSHIP, ConsentText.Kind.PHOTO)
REQUIRED_CONSENTS = (ConsentText.Kind.MEMBERSHIP,)

# Statuses that wait for a staff decision.
PENDING = (StatusChange.Status.APPLICANT, StatusChange.Status.TRIAL)


def registration_seasons(today: date | None = None) -> QuerySet[Period]:
    """Return the orchestra seasons open for registration: not ended, with groups."""
    today = today or timezone.localdate()
    return (
        Period.objects.filter(
            programme__kind=Programme.Kind.ORCHESTRA,
            end__gte=today,
            orchestra_groups__isnull=False,
        )
        .distinct()
        .order_by("start", "pk")
    )


def age_at_start(birth_date: date, season: Period) -> int:
    """Return a child's age when the season starts: the age the groups' limits are for."""
    return age_on(birth_date, season.start)


def suggested_group(groups: Sequence[Group], age: int) -> Group | None:
    """Return the group to suggest for an age: of those admitting it, the narrowest range.

    With the youth symphony (8–18) and the junior symphony (8–13), an 11-year-old is
    suggested the junior group and a 15-year-old the youth symphony.
    """
    admitting = [group for group in groups if group.admits_age(age)]
    if not admitting:
        return None
    return min(admitting, key=lambda g: (g.max_age - g.min_age, g.max_age, g.pk))


def registration_consent_texts() -> list[ConsentText]:
    """Return the newest published text of each kind a registration asks for."""
    texts = [current_consent_text(kind) for kind in REGISTRATION_CONSENTS]
    return [text for text in texts if text is not None]


def guardians_of(member: Member) -> list[Guardian]:
    return list(
        Guardian.objects.filter(
            pk__in=Guardianship.objects.filter(member=member).values("guardian_id")
        ).order_by("pk")
    )
