"""Registration: a guardian registers a child (or asks for a trial weekend); staff approve or
decline.

Rules about ages come from the season's groups (their youngest and oldest ages), never
from constants. Every error is a ValidationError keyed by the input's field, so that the
form and the API show it next to the field; nothing is saved when one is raised. Logging
names ids only, never a child's name.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.mail import queue_in_transaction
from core.webhooks import emit
from events.models import Municipality, Period, Programme
from orchestra import webhooks
from orchestra.exceptions import OrchestraError
from orchestra.models import (
    ConsentAcceptance,
    ConsentText,
    Group,
    Guardian,
    Member,
    StatusChange,
)
from orchestra.selectors import current_consent_text, latest_status_of, with_current_status
from orchestra.selectors.registration import (
    PENDING,
    REQUIRED_CONSENTS,
    age_at_start,
    guardians_of,
    suggested_group,
)
from orchestra.services.members import (
    PlayedInstrument,
    add_guardian,
    add_member,
    create_guardian_login,
    join_group,
    set_status,
    sync_photo_flag,
)

logger = logging.getLogger("orchestra.services")


@dataclass(frozen=True)
class GuardianDetails:
    first_name: str
    last_name: str
    email: str
    relation: str
    phone: str = ""


# The registration ---------------------------------------------------------------------


@dataclass(frozen=True)
class Registration:
    member: Member
    guardians: list[Guardian]
    suggested_group: Group | None


def _check(
    *,
    season: Period,
    first_name: str,
    last_name: str,
    birth_date: date,
    municipality: Municipality,
    instruments: Sequence[PlayedInstrument],
    guardians: Sequence[GuardianDetails],
    consents: Sequence[ConsentText],
    today: date,
) -> Group | None:
    errors: dict[str, list[str]] = {}

    def error(field, message):
        errors.setdefault(field, []).append(message)

    suggestion = None
    if season.end < today or season.programme.kind != Programme.Kind.ORCHESTRA:
        error("season", _("This season is not open for registration."))
    else:
        groups = list(Group.objects.filter(season=season))
        if not groups:
            error("season", _("This season is not open for registration."))
        elif birth_date is not None:
            youngest = min(group.min_age for group in groups)
            oldest = max(group.max_age for group in groups)
            age = age_at_start(birth_date, season)
            if not youngest <= age <= oldest:
                error(
                    "birth_date",
                    _(
                        "The orchestra is for ages %(youngest)d to %(oldest)d at the start of "
                        "the season (%(start)s); the child is %(age)d then."
                    )
                    % {
                        "youngest": youngest,
                        "oldest": oldest,
                        "start": date_format(season.start),
                        "age": age,
                    },
                )
            else:
                suggestion = suggested_group(groups, age)
    if not municipality.is_valid_on(today):
        error("municipality", _("Choose a municipality as it is today."))
    if not instruments:
        error("instruments", _("Choose the instrument the child plays."))
    if not guardians:
        error("guardians", _("Name at least one guardian."))
    elif len(guardians) > 2:
        error("guardians", _("Name one or two guardians."))
    else:
        emails = [details.email.strip().lower() for details in guardians]
        if len(set(emails)) < len(emails):
            error("guardians", _("The two guardians need different email addresses."))
        elif birth_date is not None and (
            with_current_status(
                Member.objects.filter(
                    first_name__iexact=first_name.strip(),
                    last_name__iexact=last_name.strip(),
                    birth_date=birth_date,
                    guardianships__guardian__email__in=emails,
                )
            )
            .exclude(current_status=StatusChange.Status.LEFT)
            .exists()
        ):
            error("first_name", _("This child is registered already."))
    given = {text.kind: text for text in consents}
    if len(given) < len(consents):
        error("consents", _("Give each consent once."))
    for text in consents:
        if text != current_consent_text(text.kind):
            error("consents", _("A consent text has changed: read the new version and consent."))
            break
    for kind in REQUIRED_CONSENTS:
        if kind not in given:
            if current_consent_text(kind) is None:
                error("consents", _("Registration is not open yet."))
            else:
                error("consents", _("The membership consent is required."))
    if errors:
        raise ValidationError(errors)
    return suggestion


@transaction.atomic
def register_child(
    *,
    season: Period,
    first_name: str,
    last_name: str,
    birth_date: date,
    municipality: Municipality,
    instruments: Sequence[PlayedInstrument],
    guardians: Sequence[GuardianDetails],
    consents: Sequence[ConsentText] = (),
    origin: str = Member.Origin.MUSIC_SCHOOL,
    origin_name: str = "",
    trial: bool = False,
    gender: str = "",
    by,
    language: str = "nb",
    today: date | None = None,
) -> Registration:
    """Register a child for a season, as an applicant or (``trial``) for a trial weekend.

    Preconditions, each a ValidationError keyed by field when broken: the season has not
    ended and has groups; the child's age at the season's start lies within the
    youngest and oldest ages of its groups; the municipality is valid today; at least one
    instrument (the first is the main one unless one is marked); one or two guardians with
    different emails; ``consents`` are the newest published texts and include the
    membership consent. A guardian already known by email is linked, not duplicated, and
    keeps their stored details. The first guardian gives the consents. The guardians get
    a confirmation email after the commit.
    """
    today = today or timezone.localdate()
    suggestion = _check(
        season=season,
        first_name=first_name,
        last_name=last_name,
        birth_date=birth_date,
        municipality=municipality,
        instruments=instruments,
        guardians=guardians,
        consents=consents,
        today=today,
    )
    main = next((played for played in instruments if played.is_main), instruments[0])
    status = StatusChange.Status.TRIAL if trial else StatusChange.Status.APPLICANT
    try:
        member = add_member(
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            birth_date=birth_date,
            municipality=municipality,
            instruments=instruments,
            status=status,
            since=today,
            by=by,
            origin=origin,
            origin_name=origin_name.strip(),
            years_played=main.years_played or 0,
            gender=gender,
        )
        records = [_add_guardian(member=member, details=details, by=by) for details in guardians]
    except OrchestraError as exc:
        raise ValidationError(str(exc)) from exc
    consenting = records[0]
    login = by if by is not None and by.is_authenticated and consenting.user_id == by.pk else None
    for text in consents:
        _accept(text=text, member=member, guardian=consenting, login=login)
    emit(webhooks.MEMBER_REGISTERED, latest_status_of(member))
    logger.info(
        "orchestra registration: member %s as %s for season %s, guardians %s",
        member.pk,
        status,
        season.pk,
        ",".join(str(record.pk) for record in records),
    )
    from orchestra import emails

    queue_in_transaction(
        emails.send_registration_received,
        member.pk,
        season.pk,
        suggestion.pk if suggestion else None,
        language,
    )
    return Registration(member=member, guardians=records, suggested_group=suggestion)


def _add_guardian(*, member: Member, details: GuardianDetails, by) -> Guardian:
    """Add or link a guardian.

    When a sibling's registration creates the same guardian at the same moment, the
    unique email refuses the second insert; that one then links the first's guardian.
    """

    def add():
        return add_guardian(
            member=member,
            relation=details.relation,
            first_name=details.first_name.strip(),
            last_name=details.last_name.strip(),
            email=details.email,
            phone=details.phone.strip(),
            by=by,
        )

    try:
        with transaction.atomic():
            return add()
    except (IntegrityError, ValidationError):
        return add()


def _accept(*, text: ConsentText, member: Member, guardian: Guardian, login) -> None:
    """Record the consent the registering guardian gave on the form.

    services.give_consent() wants the guardian's own login or staff; on the public form
    the guardian consents without a login, so the acceptance names the guardian and,
    when they were logged in, their login.
    """
    ConsentAcceptance.objects.create(
        text=text,
        member=member,
        capacity=ConsentAcceptance.Capacity.GUARDIAN,
        guardian=guardian,
        accepted_by=login,
    )
    if text.kind == ConsentText.Kind.PHOTO:
        sync_photo_flag(member)


# Staff decisions ----------------------------------------------------------------------


def _pending_status(member: Member) -> StatusChange:
    current = latest_status_of(member)
    if current is None or current.status not in PENDING:
        raise OrchestraError(_("This registration has been decided already."))
    return current


@transaction.atomic
def approve_registration(
    *,
    member: Member,
    groups: Sequence[Group],
    status: str = StatusChange.Status.ACTIVE,
    by,
    language: str = "nb",
    today: date | None = None,
) -> Member:
    """Take an applicant (or a trial request) into one or more groups of one season.

    The member's status becomes ``status`` (active or trial), they join each group from
    today (or the season's start, if later), their age at the season's start must suit
    each group. Guardians without a login get one (they set a password through password
    reset), and all get an email after the commit.
    """
    today = today or timezone.localdate()
    # Two staff members deciding at once: the second waits, then finds it decided.
    Member.objects.select_for_update().filter(pk=member.pk).first()
    current = _pending_status(member)
    if status not in (StatusChange.Status.ACTIVE, StatusChange.Status.TRIAL):
        raise OrchestraError(_("Approve as active or as trial."))
    groups = list(groups)
    if not groups:
        raise OrchestraError(_("Choose at least one group."))
    if len({group.season_id for group in groups}) > 1:
        raise OrchestraError(_("Choose groups of one season."))
    for group in groups:
        age = age_at_start(member.birth_date, group.season)
        if not group.admits_age(age):
            raise OrchestraError(
                _("%(group)s is for ages %(youngest)d to %(oldest)d.")
                % {"group": group.name, "youngest": group.min_age, "oldest": group.max_age}
            )
    joined_on = max(today, groups[0].season.start)
    if current.status != status:
        set_status(member=member, status=status, since=max(today, current.since), by=by)
    for group in groups:
        join_group(member=member, group=group, joined_on=joined_on, by=by)
    _give_guardians_logins(member, by=by)
    logger.info(
        "orchestra registration approved: member %s as %s in groups %s",
        member.pk,
        status,
        ",".join(str(group.pk) for group in groups),
    )
    from orchestra import emails

    queue_in_transaction(
        emails.send_registration_approved,
        member.pk,
        [group.pk for group in groups],
        status,
        language,
    )
    return member


def _give_guardians_logins(member: Member, *, by) -> None:
    """Give each guardian of an approved child a login (username: their email) for their
    pages; they set a password through password reset. One whose email is some other
    login's username already is left to staff."""
    for guardian in guardians_of(member):
        if guardian.user_id:
            continue
        try:
            with transaction.atomic():
                create_guardian_login(guardian=guardian, by=by)
        except OrchestraError:
            logger.warning("orchestra guardian %s: the email is another login's", guardian.pk)


@transaction.atomic
def decline_registration(
    *, member: Member, by, note: str = "", today: date | None = None
) -> StatusChange:
    """Decline an applicant or a trial request: the member is recorded as having left."""
    today = today or timezone.localdate()
    Member.objects.select_for_update().filter(pk=member.pk).first()
    current = _pending_status(member)
    change = set_status(
        member=member,
        status=StatusChange.Status.LEFT,
        since=max(today, current.since),
        reason=StatusChange.Reason.OTHER,
        note=note or _("Registration declined."),
        by=by,
    )
    logger.info("orchestra registration declined: member %s", member.pk)
    return change
