"""Reads of the access log of sensitive data: staff read all of it; a guardian reads who
saw their own child's health data (on the "My children" page)."""

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from orchestra.models import SensitiveDataAccess
from orchestra.selectors.members import is_orchestra_staff

# The guardian's page lists the latest views per child: at most this many, this recent.
SHOWN_TO_GUARDIANS = 20
SHOWN_DAYS = 365


def access_log_visible_to(user) -> QuerySet[SensitiveDataAccess]:
    """Return the access log a login may read: staff all of it, anyone else nothing."""
    if not is_orchestra_staff(user):
        return SensitiveDataAccess.objects.none()
    return SensitiveDataAccess.objects.select_related("member", "viewer")


def sensitive_accesses_of(member_ids: list[int]) -> dict[int, list[SensitiveDataAccess]]:
    """Return, per member id, the latest views of their health data, newest first, with
    the viewer; one query. For the member's own guardians (the caller checks that)."""
    result: dict[int, list[SensitiveDataAccess]] = {}
    if not member_ids:
        return result
    rows = (
        SensitiveDataAccess.objects.filter(
            member__in=member_ids, accessed_at__gte=timezone.now() - timedelta(days=SHOWN_DAYS)
        )
        .select_related("viewer")
        .order_by("-accessed_at", "-pk")
    )
    for row in rows:
        shown = result.setdefault(row.member_id, [])
        if len(shown) < SHOWN_TO_GUARDIANS:
            shown.append(row)
    return result
