"""Retention: members who left long enough ago are anonymised, and guardians with no other
child are deleted; a guardian's erasure request does the same when staff complete it; the
players' health and contact data for a tour is cleared some days after the tour.

What stays for statistics: the birth year, gender if recorded, instruments, municipality,
groups and status history (dates and reasons), and attendance statuses. Everything that
names or reaches the child or a guardian goes: names, exact birth date, medical notes,
the school's name, the own login, private calendars, answers' notes, leaves' notes,
consents (who gave them), member cards (their tickets hold the child's name), the names
and contacts on master class registrations, and what tours held (medical notes, emergency
contacts, dietary needs, passport dates). The rules are registered in orchestra/retention.py.
"""

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import questions, reach
from core.audit import log_action
from core.mail import delete_messages_about, queue_in_transaction
from core.retention import (
    ANONYMOUS,
    Pending,
    due_years_after,
    months_after,
    months_before,
    start_of,
    years_before,
)
from orchestra.exceptions import OrchestraError
from orchestra.models import (
    Attendance,
    CalendarToken,
    ConsentAcceptance,
    ErasureRequest,
    Guardian,
    Guardianship,
    GuestEnsemble,
    LeaveOfAbsence,
    MasterClassSignUp,
    Member,
    MemberCard,
    StatusChange,
    TourParticipant,
)
from orchestra.selectors import latest_status_of, members_with_status
from orchestra.services.members import set_status
from ticketing.models import Registration
from ticketing.retention import anonymise_registrations

logger = logging.getLogger("orchestra.services")

__all__ = ["ANONYMOUS", "months_before"]


# What a tour participant's trip data becomes once it is no longer needed.
_TOUR_DATA_CLEARED = {
    "medical_notes": "",
    "emergency_contacts": "",
    "dietary_needs": "",
    "passport_valid_until": None,
}


@dataclass(frozen=True)
class RetentionResult:
    members: int
    guardians: int


def members_due_for_anonymisation(today: date | None = None):
    """Return the members who left more than ORCHESTRA_RETENTION_MONTHS ago, not yet done."""
    today = today or timezone.localdate()
    cutoff = months_before(today, settings.ORCHESTRA_RETENTION_MONTHS)
    return members_with_status([StatusChange.Status.LEFT]).filter(
        status_since__lt=cutoff, anonymised_at__isnull=True
    )


@transaction.atomic
def anonymise_member(member: Member, *, by) -> int:
    """Anonymise one member; return how many guardians were deleted with them.

    ``by``: who erases them on request, or None for the retention rule.
    """
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.anonymised_at is not None:  # done by a run that held the lock before us
        return 0
    guardian_ids = list(
        Guardianship.objects.filter(member=member).values_list("guardian_id", flat=True)
    )
    # The member's cards and master class places: tickets and registrations hold the
    # child's name and the guardian's contacts. A card replaced (lost) left its old,
    # cancelled ticket behind with no link to the member: it is found by the child's
    # name on a child's ticket registered by one of their guardians.
    guardian_emails = Guardian.objects.filter(pk__in=guardian_ids).values("email")
    anonymise_registrations(
        Registration.objects.filter(
            Q(tickets__member_card__member=member)
            | Q(orchestra_sign_up__member=member)
            | Q(
                email__in=guardian_emails,
                tickets__attendee_is_child=True,
                tickets__attendee_name=f"{member.first_name} {member.last_name}",
            )
        ).distinct()
    )
    MemberCard.objects.filter(member=member).delete()
    MasterClassSignUp.objects.filter(member=member).update(signed_up_by=None)
    TourParticipant.objects.filter(member=member).update(**_TOUR_DATA_CLEARED, user=None)
    ErasureRequest.objects.filter(member=member).update(note="")
    # The emails about the member and their erasure requests name them and their guardians.
    delete_messages_about(Member, [member.pk])
    delete_messages_about(
        ErasureRequest, ErasureRequest.objects.filter(member=member).values_list("pk", flat=True)
    )
    CalendarToken.objects.filter(member=member).delete()
    questions.forget_answers(Member, [member.pk])  # answers on the registration form
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
    log_action(member, "orchestra.member.anonymised", by, changes={"guardians": [guardian_ids, []]})
    # A member of 13 or more may have their own login, email and mobile number: their
    # contact preference and failing marks go with it.
    reach.forget(logins=[own_login] if own_login is not None else [])
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
        reach.forget(
            logins=[login] if only_a_guardian else [],
            emails=[guardian.email],
            mobiles=[guardian.phone],
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
        guardians += anonymise_member(member, by=None)
        members += 1
    return RetentionResult(members=members, guardians=guardians)


def departed_members_pending(until: date) -> list[Pending]:
    """Return the members the departed-members rule anonymises on or before a day."""
    months = settings.ORCHESTRA_RETENTION_MONTHS
    return [
        Pending(
            kind="orchestra.member",
            pk=member.pk,
            due_on=months_after(member.status_since, months) + timedelta(days=1),
        )
        for member in members_due_for_anonymisation(until).order_by("status_since", "pk")
    ]


def anonymise_pending_members(records: list[Pending]) -> int:
    """Anonymise the members listed, each in its own transaction; return how many this
    run anonymised (one done meanwhile by another run or an erasure is not counted)."""
    done = 0
    for record in records:
        with transaction.atomic():
            member = (
                Member.objects.select_for_update()
                .filter(pk=record.pk, anonymised_at__isnull=True)
                .first()
            )
            if member is not None:
                anonymise_member(member, by=None)
                done += 1
    return done


# Tour participants' data with something left to clear.
_TOUR_DATA_LEFT = (
    ~Q(medical_notes="")
    | ~Q(emergency_contacts="")
    | ~Q(dietary_needs="")
    | Q(passport_valid_until__isnull=False)
    | (Q(member__isnull=True) & (~Q(email="") | ~Q(phone="") | Q(birth_date__isnull=False)))
)


def tour_data_pending(until: date) -> list[Pending]:
    """Return the tour participants whose trip data is cleared on or before a day."""
    days = settings.ORCHESTRA_TOUR_DATA_DAYS
    rows = (
        TourParticipant.objects.filter(
            tour__event__end__lt=start_of(until - timedelta(days=days - 1))
        )
        .filter(_TOUR_DATA_LEFT)
        .values_list("pk", "tour__event__end")
        .order_by("tour__event__end", "pk")
    )
    return [
        Pending(
            kind="orchestra.tourparticipant",
            pk=pk,
            due_on=timezone.localdate(end) + timedelta(days=days),
        )
        for pk, end in rows
    ]


@transaction.atomic
def clear_tour_data(records: list[Pending]) -> int:
    """Clear the trip data of the tour participants listed; safe to run twice."""
    participants = TourParticipant.objects.filter(pk__in=[record.pk for record in records])
    changed = participants.filter(_TOUR_DATA_LEFT).update(**_TOUR_DATA_CLEARED)
    # The adults' contacts go too; their names stay with the tour's accounts.
    participants.filter(member__isnull=True).update(email="", phone="", birth_date=None)
    return changed


# Visiting ensembles' contact people.
_GUEST_CONTACT_LEFT = ~Q(contact_name="") | ~Q(contact_email="") | ~Q(contact_phone="")


def guest_contacts_pending(until: date) -> list[Pending]:
    """Return the guest ensembles whose contact person goes on or before a day."""
    years = settings.ORCHESTRA_GUEST_CONTACT_YEARS
    rows = (
        GuestEnsemble.objects.filter(event__end__lt=start_of(years_before(until, years)))
        .filter(_GUEST_CONTACT_LEFT)
        .values_list("pk", "event__end")
        .order_by("event__end", "pk")
    )
    return [
        Pending(
            kind="orchestra.guestensemble",
            pk=pk,
            due_on=due_years_after(timezone.localdate(end), years),
        )
        for pk, end in rows
    ]


def clear_guest_contacts(records: list[Pending]) -> int:
    """Clear the contact person of the guest ensembles listed; safe to run twice."""
    return (
        GuestEnsemble.objects.filter(pk__in=[record.pk for record in records])
        .filter(_GUEST_CONTACT_LEFT)
        .update(contact_name="", contact_email="", contact_phone="")
    )


# Erasure on request ----------------------------------------------------------------------


def request_erasure(*, member: Member, guardian: Guardian, note: str = "") -> ErasureRequest:
    """Record a guardian's request to erase a child's data; one open request per child.

    Precondition: the guardian is one of the member's guardians (the view checks it).
    """
    with transaction.atomic():
        Member.objects.select_for_update().filter(pk=member.pk).first()
        existing = ErasureRequest.objects.filter(member=member, completed_at__isnull=True).first()
        if existing is not None:
            return existing
        erasure = ErasureRequest(member=member, guardian=guardian, note=note)
        erasure.full_clean()
        erasure.save()
        from orchestra import emails

        queue_in_transaction(emails.send_deletion_request, erasure.pk)
    logger.info("orchestra erasure of member %s requested (request %s)", member.pk, erasure.pk)
    return erasure


@transaction.atomic
def complete_erasure(*, erasure: ErasureRequest, by) -> ErasureRequest:
    """Erase the member of an open request: they leave, and are anonymised at once.

    What the law lets us keep stays, as with the retention rule (see the module's
    docstring and orchestra/retention.py).
    """
    erasure = ErasureRequest.objects.select_for_update().get(pk=erasure.pk)
    if erasure.completed_at is not None:
        raise OrchestraError(_("This erasure request is already completed."))
    member = erasure.member
    current = latest_status_of(member)
    if current is None or current.status != StatusChange.Status.LEFT:
        set_status(
            member=member,
            status=StatusChange.Status.LEFT,
            since=max(timezone.localdate(), current.since) if current else None,
            reason=StatusChange.Reason.OTHER,
            by=by,
        )
    if member.anonymised_at is None:
        anonymise_member(member, by=by)
    erasure.completed_at = timezone.now()
    erasure.completed_by = by
    erasure.note = ""
    erasure.save(update_fields=["completed_at", "completed_by", "note"])
    logger.info("orchestra erasure request %s completed", erasure.pk)
    return erasure
