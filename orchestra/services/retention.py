"""Retention: members who left long enough ago are anonymised, and guardians with no other
child are deleted.

What stays for statistics: the birth year, gender if recorded, instruments, municipality,
groups and status history (dates and reasons), and attendance statuses. Everything that
names or reaches the child or a guardian goes: names, exact birth date, medical notes,
the school's name, the own login, private calendars, answers' notes, leaves' notes,
consents (who gave them), member cards (their tickets hold the child's name).
"""

import logging
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from orchestra.models import (
    Attendance,
    CalendarToken,
    ConsentAcceptance,
    Guardian,
    Guardianship,
    LeaveOfAbsence,
    Member,
    MemberCard,
    StatusChange,
)
from orchestra.selectors import members_with_status

logger = logging.getLogger("orchestra.services")

ANONYMOUS = "Anonymisert"


@dataclass(frozen=True)
class RetentionResult:
    members: int
    guardians: int


def months_before(day: date, months: int) -> date:
    """The same day of the month, some months earlier (the month's last day if shorter)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def members_due_for_anonymisation(today: date | None = None):
    """Return the members who left more than ORCHESTRA_RETENTION_MONTHS ago, not yet done."""
    today = today or timezone.localdate()
    cutoff = months_before(today, settings.ORCHESTRA_RETENTION_MONTHS)
    return members_with_status([StatusChange.Status.LEFT]).filter(
        status_since__lt=cutoff, anonymised_at__isnull=True
    )


@transaction.atomic
def anonymise_member(member: Member) -> int:
    """Anonymise one member; return how many guardians were deleted with them."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    guardian_ids = list(
        Guardianship.objects.filter(member=member).values_list("guardian_id", flat=True)
    )
    for card in MemberCard.objects.filter(member=member).select_related("ticket__registration"):
        ticket = card.ticket
        ticket.attendee_name = ANONYMOUS
        ticket.save(update_fields=["attendee_name"])
        registration = ticket.registration
        registration.name, registration.email, registration.phone = ANONYMOUS, "", ""
        registration.save(update_fields=["name", "email", "phone"])
    MemberCard.objects.filter(member=member).delete()
    CalendarToken.objects.filter(member=member).delete()
    ConsentAcceptance.objects.filter(member=member).delete()
    LeaveOfAbsence.objects.filter(member=member).update(note="", created_by=None)
    Attendance.objects.filter(member=member).update(note="", replied_by=None, recorded_by=None)
    StatusChange.objects.filter(member=member).update(note="", recorded_by=None)
    Guardianship.objects.filter(member=member).delete()
    own_login = member.user
    member.first_name = ANONYMOUS
    member.last_name = ""
    member.birth_date = date(member.birth_date.year, 1, 1)
    member.medical_notes = ""
    member.origin_name = ""
    member.photo_consent = False
    member.user = None
    member.anonymised_at = timezone.now()
    member.save()
    if own_login is not None:
        own_login.delete()
    orphans = Guardian.objects.filter(pk__in=guardian_ids).filter(
        ~Q(pk__in=Guardianship.objects.values("guardian_id"))
    )
    deleted = 0
    for guardian in orphans.select_related("user"):
        login = guardian.user
        CalendarToken.objects.filter(guardian=guardian).delete()
        guardian.delete()
        # A login that is only this guardian's goes too; one with another role stays.
        only_a_guardian = (
            login is not None
            and not login.is_staff
            and not login.is_superuser
            and not login.groups.exclude(name="guardian").exists()
        )
        if only_a_guardian:
            login.delete()
        deleted += 1
    logger.info("orchestra member %s anonymised; %s guardian(s) deleted", member.pk, deleted)
    return deleted


def anonymise_departed_members(today: date | None = None) -> RetentionResult:
    """Anonymise every member due; each in its own transaction."""
    members = guardians = 0
    for member in members_due_for_anonymisation(today):
        guardians += anonymise_member(member)
        members += 1
    return RetentionResult(members=members, guardians=guardians)
