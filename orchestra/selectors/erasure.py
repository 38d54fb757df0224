"""Reads for erasure requests: the list staff work through, and what completing one
erases and keeps (the kept part read from the declared table in the apps' retention.py)."""

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Count, F, QuerySet

from core.retention import declared_fields
from orchestra.models import (
    Attendance,
    CalendarToken,
    ConsentAcceptance,
    ErasureRequest,
    Guardian,
    Guardianship,
    LeaveOfAbsence,
    MasterClassSignUp,
    Member,
    MemberCard,
    TourParticipant,
)

# The records a member's erasure touches, whose kept fields the staff are shown.
KEPT_FROM = (
    "orchestra.member",
    "orchestra.memberinstrument",
    "orchestra.membership",
    "orchestra.statuschange",
    "orchestra.attendance",
    "orchestra.leaveofabsence",
    "orchestra.masterclasssignup",
    "orchestra.tourparticipant",
    "orchestra.erasurerequest",
    "ticketing.registration",
    "ticketing.payment",
)


def erasure_requests() -> QuerySet[ErasureRequest]:
    """Return every erasure request, open ones first, with what the list shows."""
    return ErasureRequest.objects.select_related("member", "guardian", "completed_by").order_by(
        F("completed_at").desc(nulls_first=True), "-requested_at", "-pk"
    )


@dataclass(frozen=True)
class ErasureOverview:
    erased: list[tuple[str, int]]
    kept: list[tuple[str, str]]


def erasure_overview(member: Member) -> ErasureOverview:
    """Return what erasing a member clears (what, how many) and what stays (what, why)."""
    lone_guardians = (
        Guardian.objects.filter(pk__in=member.guardianships.values("guardian_id"))
        .annotate(children=Count("guardianships"))
        .filter(children=1)
        .count()
    )
    erased = [
        (Member._meta.verbose_name, 0 if member.anonymised_at else 1),
        (Guardianship._meta.verbose_name_plural, member.guardianships.count()),
        (Guardian._meta.verbose_name_plural, lone_guardians),
        (ConsentAcceptance._meta.verbose_name_plural, member.consents.count()),
        (MemberCard._meta.verbose_name_plural, MemberCard.objects.filter(member=member).count()),
        (
            MasterClassSignUp._meta.verbose_name_plural,
            MasterClassSignUp.objects.filter(member=member).count(),
        ),
        (
            TourParticipant._meta.verbose_name_plural,
            TourParticipant.objects.filter(member=member).count(),
        ),
        (
            Attendance._meta.verbose_name_plural,
            Attendance.objects.filter(member=member).exclude(note="").count(),
        ),
        (
            LeaveOfAbsence._meta.verbose_name_plural,
            LeaveOfAbsence.objects.filter(member=member).exclude(note="").count(),
        ),
        (
            CalendarToken._meta.verbose_name_plural,
            CalendarToken.objects.filter(member=member).count(),
        ),
    ]
    table = declared_fields()
    kept = []
    for label in KEPT_FROM:
        model = apps.get_model(label)
        for name, use in table.get(label, {}).items():
            if use.reason:
                field = model._meta.get_field(name)
                kept.append((f"{model._meta.verbose_name}: {field.verbose_name}", str(use.reason)))
    return ErasureOverview(erased=erased, kept=kept)
