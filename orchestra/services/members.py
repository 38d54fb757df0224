"""Workflows of the orchestra: members, their status, guardians, logins and consents.

Every function checks the domain's rules and raises OrchestraError with a message for
the user when one is broken. Logging names ids only: never a child's name.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as AuthGroup
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.audit import compute_changes, created, diff, field_values, log_action
from core.roles import Role
from core.stamps import bump_for
from core.webhooks import emit
from events.models import Municipality
from orchestra import webhooks
from orchestra.exceptions import OrchestraError
from orchestra.models import (
    ConsentAcceptance,
    ConsentText,
    ConsentWithdrawal,
    Group,
    Guardian,
    Guardianship,
    Instrument,
    Member,
    MemberInstrument,
    Membership,
    StatusChange,
    TourParticipant,
)
from orchestra.selectors import is_orchestra_staff, latest_status_of
from orchestra.selectors.consents import WITHDRAWABLE, has_consent

# The audit log keeps the package's name, whichever module of it writes.
logger = logging.getLogger("orchestra.services")


@dataclass(frozen=True)
class PlayedInstrument:
    instrument: Instrument
    is_main: bool = False
    years_played: int | None = None


@transaction.atomic
def add_member(
    *,
    first_name: str,
    last_name: str,
    birth_date: date,
    municipality: Municipality,
    instruments: Sequence[PlayedInstrument] = (),
    groups: Sequence[Group] = (),
    status: str = StatusChange.Status.APPLICANT,
    since: date | None = None,
    by,
    **details,
) -> Member:
    """Add a member with their instruments, groups and first status.

    ``details`` are the other fields of Member (gender, origin, origin_name,
    years_played, medical_notes); the photo flag follows the consents
    (sync_photo_flag). At most one instrument is the main one; when none is marked,
    the first one is. Groups are joined on ``since``
    (default today). ``by``: who adds them (None: the system), for the audit trail.
    """
    since = since or timezone.localdate()
    if status == StatusChange.Status.LEFT:
        raise OrchestraError(_("A new member cannot start as having left."))
    member = Member(
        first_name=first_name,
        last_name=last_name,
        birth_date=birth_date,
        municipality=municipality,
        **details,
    )
    member.full_clean()
    member.save()
    set_instruments(member=member, instruments=instruments)
    for group in groups:
        _new_membership(member=member, group=group, joined_on=since).save()
    record = StatusChange(member=member, status=status, since=since, recorded_by=_user(by))
    record.full_clean()
    record.save()
    log_action(
        member,
        "orchestra.member.created",
        by,
        changes={
            **created(member),
            "status": [None, status],
            "groups": [None, [group.pk for group in groups]],
            "instruments": [None, [played.instrument.pk for played in instruments]],
        },
    )
    logger.info("orchestra member %s added as %s", member.pk, status)
    return member


def set_instruments(
    *, member: Member, instruments: Sequence[PlayedInstrument], is_new: bool = False
) -> None:
    """Replace the instruments a member plays; the first is the main one unless one is marked.

    ``is_new``: the member was added in this transaction and plays nothing yet, so there
    is nothing to replace (the spreadsheet import says so for the members it adds).
    """
    instruments = list(instruments)
    seen = set()
    for played in instruments:
        if played.instrument.pk in seen:
            raise OrchestraError(_("An instrument is listed twice."))
        seen.add(played.instrument.pk)
    mains = [played for played in instruments if played.is_main]
    if len(mains) > 1:
        raise OrchestraError(_("A member has one main instrument."))
    if instruments and not mains:
        first = instruments[0]
        instruments[0] = PlayedInstrument(first.instrument, True, first.years_played)
    # The rules are checked above; from here on only writes, which need no savepoint of
    # their own: an error rolls back the caller's transaction (or this one) with them.
    with transaction.atomic(savepoint=False):
        if not is_new:
            member.member_instruments.all().delete()
        added = MemberInstrument.objects.bulk_create(
            MemberInstrument(
                member=member,
                instrument=played.instrument,
                is_main=played.is_main,
                years_played=played.years_played,
            )
            for played in instruments
        )
        # bulk_create sends no signal: the calendars showing the member change.
        bump_for(added)


def _user(by):
    """Return the login to record as the doer on a row: None for the system."""
    return by if by is not None and by.is_authenticated else None


def join_group(*, member: Member, group: Group, by, joined_on: date | None = None) -> Membership:
    """Put a member in a group from a date; the group's season must not have ended then."""
    membership = _new_membership(member=member, group=group, joined_on=joined_on)
    # The rules are checked; the row and its audit entry go together, without a savepoint
    # of their own (an import joins a group on each row).
    with transaction.atomic(savepoint=False):
        membership.save()
        log_action(
            member,
            "orchestra.member.joined_group",
            by,
            changes={"group": [None, group.pk], "joined_on": [None, membership.joined_on]},
        )
    return membership


def _new_membership(*, member: Member, group: Group, joined_on: date | None = None) -> Membership:
    """Return a checked, unsaved membership of the member in the group."""
    joined_on = joined_on or timezone.localdate()
    if member.memberships.filter(group=group, left_on__isnull=True).exists():
        raise OrchestraError(_("The member is in this group already."))
    if joined_on > group.season.end:
        raise OrchestraError(_("The group's season has ended by then."))
    membership = Membership(member=member, group=group, joined_on=joined_on)
    # Both of the model's constraints hold already (left_on is empty; no open membership
    # in the group, checked above with the same message) and the database enforces them:
    # Django would check each again with a query in a savepoint of its own.
    membership.full_clean(validate_constraints=False)
    return membership


def leave_group(*, membership: Membership, by, left_on: date | None = None) -> Membership:
    left_on = left_on or timezone.localdate()
    if membership.left_on is not None:
        raise OrchestraError(_("The member has left this group already."))
    if left_on < membership.joined_on:
        raise OrchestraError(_("The member left before joining."))
    membership.left_on = left_on
    with transaction.atomic(savepoint=False):
        membership.save(update_fields=["left_on"])
        log_action(
            membership.member,
            "orchestra.member.left_group",
            by,
            changes={"group": [membership.group_id, None], "left_on": [None, left_on]},
        )
    return membership


def check_status_change(
    *, member: Member, status: str, since: date, reason: str = "", is_new: bool = False
) -> StatusChange | None:
    """Raise OrchestraError unless the status change may be recorded; return the current
    status (None for a new member).

    The date may not come before the current status's date, the status must differ
    from the current one, and a reason is given when, and only when, the member leaves.
    ``is_new``: the member was added in this transaction and has no status yet.
    """
    current = latest_status_of(member) if member.pk and not is_new else None
    if current is not None:
        if current.status == status:
            raise OrchestraError(_("The member has this status already."))
        if since < current.since:
            raise OrchestraError(
                _("The new status cannot start before the current one (%(date)s).")
                % {"date": date_format(current.since)}
            )
    if status == StatusChange.Status.LEFT and not reason:
        raise OrchestraError(_("Give the reason for leaving."))
    if status != StatusChange.Status.LEFT and reason:
        raise OrchestraError(_("A reason is given only when a member leaves."))
    return current


def set_status(
    *,
    member: Member,
    status: str,
    since: date | None = None,
    reason: str = "",
    note: str = "",
    by,
    is_new: bool = False,
) -> StatusChange:
    """Record a member's new status from a date (see check_status_change for the rules).

    Leaving closes the member's open group memberships on that date. ``is_new``: the
    member was added in this transaction and has no status yet, so none is read (the
    spreadsheet import says so for the members it adds). ``by``: who records it (None:
    the system). The status history stays the record of statuses; the audit entry says
    who wrote each step.
    """
    since = since or timezone.localdate()
    current = check_status_change(
        member=member, status=status, since=since, reason=reason, is_new=is_new
    )
    change = StatusChange(
        member=member,
        status=status,
        since=since,
        reason=reason,
        note=note,
        recorded_by=_user(by),
    )
    # check_status_change() and StatusChange.clean() check both of the model's constraints
    # (a reason when, and only when, leaving) and the database enforces them: Django would
    # check each again with a query in a savepoint of its own.
    change.full_clean(validate_constraints=False)
    # The rules are checked above; from here on only writes, which need no savepoint of
    # their own: an error rolls back the caller's transaction (or this one) with them.
    with transaction.atomic(savepoint=False):
        change.save()
        if status == StatusChange.Status.LEFT:
            for membership in member.memberships.filter(left_on__isnull=True):
                membership.left_on = max(since, membership.joined_on)
                membership.save(update_fields=["left_on"])
            emit(webhooks.MEMBER_LEFT, change)
        log_action(
            member,
            "orchestra.member.status_changed",
            by,
            changes={
                "status": [current.status if current else None, status],
                **compute_changes(
                    StatusChange, {}, {"since": since, "reason": reason, "note": note}
                ),
            },
        )
    logger.info("orchestra member %s status %s from %s", member.pk, status, since)
    return change


# Guardians ------------------------------------------------------------------------------


@transaction.atomic
def add_guardian(
    *,
    member: Member,
    relation: str,
    first_name: str,
    last_name: str,
    email: str,
    phone: str = "",
    by,
) -> Guardian:
    """Name a guardian of a member; a guardian already known by the email is reused.

    A known guardian keeps their stored name and phone (they change those
    themselves); only the link to this member is added.
    """
    email = email.strip().lower()
    guardian = Guardian.objects.filter(email=email).first()
    changes = {}
    if guardian is None:
        guardian = Guardian(first_name=first_name, last_name=last_name, email=email, phone=phone)
        guardian.full_clean()
        guardian.save()
        changes = created(guardian)
    guardianship = _link_guardian(member=member, guardian=guardian, relation=relation)
    log_action(
        guardian,
        "orchestra.guardian.created" if changes else "orchestra.guardian.linked",
        by,
        changes={**changes, **created(guardianship, ["member", "relation"])},
    )
    return guardian


@transaction.atomic
def link_guardian(*, member: Member, guardian: Guardian, relation: str, by) -> Guardianship:
    """Make a known guardian a guardian of a member, too."""
    guardianship = _link_guardian(member=member, guardian=guardian, relation=relation)
    log_action(
        guardian,
        "orchestra.guardian.linked",
        by,
        changes=created(guardianship, ["member", "relation"]),
    )
    return guardianship


def _link_guardian(*, member: Member, guardian: Guardian, relation: str) -> Guardianship:
    if Guardianship.objects.filter(member=member, guardian=guardian).exists():
        raise OrchestraError(_("This guardian is linked to the member already."))
    guardianship = Guardianship(member=member, guardian=guardian, relation=relation)
    guardianship.full_clean()
    guardianship.save()
    logger.info("orchestra guardian %s linked to member %s", guardian.pk, member.pk)
    return guardianship


@transaction.atomic
def update_guardian(*, guardian: Guardian, by, **values) -> Guardian:
    """Change a guardian's name and contact details; the login's email follows."""
    allowed = {"first_name", "last_name", "email", "phone"}
    unknown = set(values) - allowed
    if unknown:
        raise OrchestraError(_("These details cannot be changed here."))
    before = field_values(guardian, allowed)
    for name, value in values.items():
        setattr(guardian, name, value.strip() if isinstance(value, str) else value)
    guardian.email = guardian.email.lower()
    guardian.full_clean()
    guardian.save()
    if guardian.user_id and "email" in values and guardian.user.email != guardian.email:
        guardian.user.email = guardian.email
        guardian.user.save(update_fields=["email"])
    log_action(guardian, "orchestra.guardian.updated", by, changes=diff(guardian, before))
    return guardian


def new_login(*, username: str, email: str, first_name: str, last_name: str):
    """Create a login without a password: its owner sets one through password reset."""
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise OrchestraError(_("This username is taken."))
    user = User(username=username, email=email, first_name=first_name, last_name=last_name)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def create_guardian_login(*, guardian: Guardian, by):
    """Give a guardian their own login (username: their email) in the guardian role."""
    if guardian.user_id:
        raise OrchestraError(_("This guardian has a login already."))
    user = new_login(
        username=guardian.email,
        email=guardian.email,
        first_name=guardian.first_name,
        last_name=guardian.last_name,
    )
    user.groups.add(AuthGroup.objects.get_or_create(name=Role.GUARDIAN)[0])
    guardian.user = user
    guardian.save(update_fields=["user"])
    log_action(
        guardian, "orchestra.guardian.login_created", by, changes=created(guardian, ["user"])
    )
    return user


@transaction.atomic
def create_member_login(*, member: Member, username: str, by, email: str = "", today=None):
    """Give a member their own login, from the age set in ORCHESTRA_OWN_LOGIN_AGE."""
    today = today or timezone.localdate()
    if member.user_id:
        raise OrchestraError(_("This member has a login already."))
    if member.anonymised_at:
        raise OrchestraError(_("This member's data has been anonymised."))
    if not member.may_have_own_login_on(today):
        raise OrchestraError(
            _("Members get their own login from the age of %(age)d.")
            % {"age": settings.ORCHESTRA_OWN_LOGIN_AGE}
        )
    user = new_login(
        username=username, email=email, first_name=member.first_name, last_name=member.last_name
    )
    return link_member_login(member=member, user=user, by=by, today=today)


def link_member_login(*, member: Member, user, by, today=None):
    """Make an existing login the member's own (the demo's, or one made by
    create_member_login). Preconditions as create_member_login; the login is no one
    else's member login."""
    today = today or timezone.localdate()
    if member.user_id:
        raise OrchestraError(_("This member has a login already."))
    if not member.may_have_own_login_on(today):
        raise OrchestraError(
            _("Members get their own login from the age of %(age)d.")
            % {"age": settings.ORCHESTRA_OWN_LOGIN_AGE}
        )
    if Member.objects.filter(user=user).exists():
        raise OrchestraError(_("This login belongs to another member."))
    member.user = user
    member.save(update_fields=["user"])
    log_action(member, "orchestra.member.login_linked", by, changes=created(member, ["user"]))
    logger.info("orchestra member %s got a login", member.pk)
    return user


# Consents -------------------------------------------------------------------------------


@transaction.atomic
def create_consent_text(*, kind: str, text_nb: str, text_en: str = "") -> ConsentText:
    """Write a new draft version of a consent text; earlier versions stay as they are."""
    newest = ConsentText.objects.select_for_update().filter(kind=kind).aggregate(Max("version"))
    text = ConsentText(
        kind=kind,
        version=(newest["version__max"] or 0) + 1,
        text_nb=text_nb,
        text_en=text_en,
    )
    text.full_clean()
    text.save()
    return text


def update_consent_text(*, text: ConsentText, **values) -> ConsentText:
    """Change a draft; a published text is fixed, because acceptances point at it."""
    if text.is_published:
        raise OrchestraError(_("A published consent text cannot change: write a new version."))
    for name in ("text_nb", "text_en"):
        if name in values:
            setattr(text, name, values[name])
    text.full_clean()
    text.save(update_fields=["text_nb", "text_en"])
    return text


def publish_consent_text(*, text: ConsentText) -> ConsentText:
    if text.is_published:
        raise OrchestraError(_("This consent text is published already."))
    text.published_at = timezone.now()
    text.save(update_fields=["published_at"])
    return text


def _consent_capacity(*, member: Member, by, guardian: Guardian | None, today: date) -> str:
    """Return in which capacity ``by`` gives or withdraws a consent for a member, or raise.

    With ``guardian``: that guardian, who must be one of the member's, and ``by`` is their
    own login or staff recording a form on paper. Without: the member themself, from
    ORCHESTRA_SELF_CONSENT_AGE, and ``by`` is their own login or staff.
    """
    if member.anonymised_at:
        raise OrchestraError(_("This member's data has been anonymised."))
    staff = is_orchestra_staff(by)
    if guardian is not None:
        if not Guardianship.objects.filter(member=member, guardian=guardian).exists():
            raise OrchestraError(_("Only the member's own guardians can consent for them."))
        if not staff and (by is None or guardian.user_id != by.pk):
            raise OrchestraError(_("Guardians consent for themselves only."))
        return ConsentAcceptance.Capacity.GUARDIAN
    if not member.may_consent_themself_on(today):
        raise OrchestraError(
            _("Members consent themselves from the age of %(age)d; a guardian must consent.")
            % {"age": settings.ORCHESTRA_SELF_CONSENT_AGE}
        )
    if not staff and (by is None or member.user_id != by.pk):
        raise OrchestraError(_("Only the member themself can give this consent."))
    return ConsentAcceptance.Capacity.MEMBER


def sync_photo_flag(member: Member) -> None:
    """Keep Member.photo_consent equal to has_consent(member, PHOTO)."""
    allowed = has_consent(member, ConsentText.Kind.PHOTO)
    if member.photo_consent != allowed:
        member.photo_consent = allowed
        member.save(update_fields=["photo_consent"])


@transaction.atomic
def give_consent(
    *,
    text: ConsentText,
    member: Member,
    by,
    guardian: Guardian | None = None,
    today: date | None = None,
) -> ConsentAcceptance:
    """Record a consent to one version of a text for a member.

    With ``guardian``, that guardian consents: they must be a guardian of the
    member, and ``by`` is their own login or staff recording a form on paper.
    Without it, the member consents themself: they must have reached
    ORCHESTRA_SELF_CONSENT_AGE, and ``by`` is their own login or staff. Giving the
    same consent twice returns the first while it stands; after a withdrawal it is given
    anew. A photo consent also sets the member's photo flag.
    """
    today = today or timezone.localdate()
    if not text.is_published:
        raise OrchestraError(_("This consent text is not published."))
    capacity = _consent_capacity(member=member, by=by, guardian=guardian, today=today)
    existing = ConsentAcceptance.objects.filter(
        text=text, member=member, capacity=capacity, guardian=guardian, withdrawal__isnull=True
    ).first()
    if existing is not None:
        return existing
    acceptance = ConsentAcceptance.objects.create(
        text=text,
        member=member,
        capacity=capacity,
        guardian=guardian,
        accepted_by=by if by is not None and by.is_authenticated else None,
    )
    if text.kind == ConsentText.Kind.PHOTO:
        sync_photo_flag(member)
    log_action(
        member,
        "orchestra.member.consent_given",
        by,
        changes={"consent": [None, f"{text.kind} v{text.version}"], "capacity": [None, capacity]},
    )
    logger.info("orchestra consent %s v%s for member %s", text.kind, text.version, member.pk)
    return acceptance


@transaction.atomic
def withdraw_consent(
    *,
    kind: str,
    member: Member,
    by,
    guardian: Guardian | None = None,
    today: date | None = None,
) -> list[ConsentWithdrawal]:
    """Withdraw a member's consent of a kind: every consent of that kind that stands now
    (whoever gave it, whatever its version) gets a withdrawal row, and the consent is gone
    everywhere it is checked (orchestra.selectors.consents).

    Who may: as for give_consent(): a guardian of the member (their own login, or staff
    recording a letter), or the member themself from ORCHESTRA_SELF_CONSENT_AGE.
    Preconditions: a consent of the kind stands.
    """
    today = today or timezone.localdate()
    if kind not in WITHDRAWABLE:
        raise OrchestraError(_("This kind of consent cannot be withdrawn on its own."))
    capacity = _consent_capacity(member=member, by=by, guardian=guardian, today=today)
    standing = list(
        ConsentAcceptance.objects.select_for_update(of=("self",)).filter(
            member=member, text__kind=kind, withdrawal__isnull=True
        )
    )
    if not standing:
        raise OrchestraError(_("This consent is not given, so there is nothing to withdraw."))
    now = timezone.now()
    withdrawals = ConsentWithdrawal.objects.bulk_create(
        [
            ConsentWithdrawal(
                acceptance=acceptance,
                capacity=capacity,
                guardian=guardian,
                withdrawn_by=by if by is not None and by.is_authenticated else None,
                withdrawn_at=now,
            )
            for acceptance in standing
        ]
    )
    if kind == ConsentText.Kind.PHOTO:
        sync_photo_flag(member)
    if kind == ConsentText.Kind.MEDICAL:
        # Without the consent there is no ground to hold the child's health data: the notes
        # on the member and on their trips go now (a tour's leaders learn it on the sheet).
        Member.objects.filter(pk=member.pk).update(medical_notes="")
        TourParticipant.objects.filter(member=member).update(medical_notes="")
        member.medical_notes = ""
    log_action(
        member,
        "orchestra.member.consent_withdrawn",
        by,
        changes={"consent": [kind, None], "capacity": [None, capacity]},
    )
    logger.info("orchestra consent %s withdrawn for member %s", kind, member.pk)
    return withdrawals


MEMBER_FIELDS = {
    "first_name",
    "last_name",
    "birth_date",
    "gender",
    "municipality",
    "origin",
    "origin_name",
    "years_played",
    "medical_notes",
}


@transaction.atomic
def update_member(
    *, member: Member, by, instruments: list[PlayedInstrument] | None = None, **values
) -> Member:
    """Change a member's details; ``instruments``, when given, replace the ones played."""
    unknown = set(values) - MEMBER_FIELDS
    if unknown:
        raise OrchestraError(_("These details cannot be changed here."))
    if member.anonymised_at:
        raise OrchestraError(_("This member's data has been anonymised."))
    before = field_values(member, values)
    for name, value in values.items():
        setattr(member, name, value)
    member.full_clean()
    if values:
        member.save(update_fields=sorted(values))
    changes = diff(member, before)
    if instruments is not None:
        set_instruments(member=member, instruments=instruments)
        changes["instruments"] = [None, [played.instrument.pk for played in instruments]]
    log_action(member, "orchestra.member.updated", by, changes=changes)
    return member
