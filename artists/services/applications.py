"""An artist's application to a call: draft, edit, submit, withdraw."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from artists import emails, webhooks
from artists.exceptions import ArtistsError
from artists.models import Application, ApplicationImage, Artist, ArtistImage, Call
from core import formats
from core.audit import diff, field_values, log_action
from core.mail import queue_in_transaction
from core.webhooks import emit


def eligibility_problems(call: Call, artist: Artist) -> list[str]:
    """Return why the artist may not apply to the call (empty: they may)."""
    problems = []
    if call.invitation_only and not call.invited.filter(pk=artist.pk).exists():
        problems.append(_("This call is by invitation only."))
    if call.requires_professional and not artist.is_professional:
        problems.append(_("This call is for professional artists."))
    eligible = set(call.eligible_municipalities.values_list("pk", flat=True))
    if eligible and not {artist.home_municipality_id, artist.studio_municipality_id} & eligible:
        problems.append(
            _("Your home or studio must be in one of the municipalities of the art round.")
        )
    return problems


def _check_open(call: Call, now) -> None:
    if now < call.opens_at:
        raise ArtistsError(_("The call opens %(when)s.") % {"when": formats.when(call.opens_at)})
    if now >= call.closes_at:
        raise ArtistsError(
            _("The deadline was %(when)s: applications can no longer be sent or changed.")
            % {"when": formats.when(call.closes_at)}
        )


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("call", "artist")
        .get(pk=application.pk)
    )


@transaction.atomic
def start_application(*, call: Call, artist: Artist, by, now=None) -> Application:
    """Start (or return) the artist's draft for a call.

    Preconditions: the call is open and the artist is eligible.
    """
    now = now or timezone.now()
    _check_open(call, now)
    existing = Application.objects.filter(call=call, artist=artist).first()
    if existing is not None:
        return existing
    problems = eligibility_problems(call, artist)
    if problems:
        raise ArtistsError(" ".join(problems))
    application = Application(call=call, artist=artist, created_at=now)
    application.full_clean()
    application.save()
    log_action(
        application,
        "artists.application.started",
        by,
        changes={"call": [None, call.pk], "artist": [None, artist.pk]},
    )
    return application


@transaction.atomic
def update_application(
    *,
    application: Application,
    statement: str,
    cv: str,
    previous_exhibitions: str,
    images: list[ArtistImage],
    by,
    now=None,
) -> Application:
    """Change a draft or submitted application before the deadline; images in their order."""
    now = now or timezone.now()
    application = _lock(application)
    if application.state == Application.State.WITHDRAWN:
        raise ArtistsError(_("The application is withdrawn."))
    _check_open(application.call, now)
    foreign = [image for image in images if image.artist_id != application.artist_id]
    if foreign:
        raise ArtistsError(_("Choose only images from your own gallery."))
    if len({image.pk for image in images}) != len(images):
        raise ArtistsError(_("Each image can be chosen once."))
    most = application.call.max_images
    if len(images) > most:
        raise ArtistsError(
            ngettext("Choose at most %(count)d image.", "Choose at most %(count)d images.", most)
            % {"count": most}
        )
    before = field_values(application, ["statement", "cv", "previous_exhibitions"])
    application.statement = statement.strip()
    application.cv = cv.strip()
    application.previous_exhibitions = previous_exhibitions.strip()
    application.full_clean()
    application.save(update_fields=["statement", "cv", "previous_exhibitions", "updated_at"])
    ApplicationImage.objects.filter(application=application).delete()
    ApplicationImage.objects.bulk_create(
        [
            ApplicationImage(application=application, image=image, position=position)
            for position, image in enumerate(images)
        ]
    )
    log_action(
        application,
        "artists.application.updated",
        by,
        changes={**diff(application, before), "images": [None, [image.pk for image in images]]},
    )
    return application


def completeness_problems(application: Application) -> list[str]:
    """Return what an application lacks before it can be submitted (empty: complete)."""
    problems = []
    call = application.call
    count = ApplicationImage.objects.filter(application=application).count()
    if count < call.min_images:
        problems.append(
            ngettext(
                "Choose at least %(count)d work image.",
                "Choose at least %(count)d work images.",
                call.min_images,
            )
            % {"count": call.min_images}
        )
    if not application.statement:
        problems.append(_("Write a statement."))
    return problems


@transaction.atomic
def submit_application(*, application: Application, by, now=None) -> Application:
    """Submit a complete application before the deadline; the artist gets a receipt."""
    now = now or timezone.now()
    application = _lock(application)
    if application.state == Application.State.WITHDRAWN:
        raise ArtistsError(_("The application is withdrawn."))
    if application.state == Application.State.SUBMITTED:
        raise ArtistsError(_("The application is already submitted."))
    _check_open(application.call, now)
    problems = completeness_problems(application)
    if problems:
        raise ArtistsError(" ".join(problems))
    application.state = Application.State.SUBMITTED
    application.submitted_at = now
    application.save(update_fields=["state", "submitted_at", "updated_at"])
    log_action(
        application,
        "artists.application.submitted",
        by,
        changes={"state": [Application.State.DRAFT, application.state]},
    )
    emit(webhooks.APPLICATION_SUBMITTED, application)
    queue_in_transaction(emails.send_application_receipt, application.pk)
    return application


@transaction.atomic
def withdraw_application(*, application: Application, by, now=None) -> Application:
    """Withdraw an application; it leaves the jury's list. Not after a released decision."""
    now = now or timezone.now()
    application = _lock(application)
    if application.state == Application.State.WITHDRAWN:
        raise ArtistsError(_("The application is already withdrawn."))
    decision = getattr(application, "decision", None)
    if decision is not None and decision.is_released:
        raise ArtistsError(_("The decision has been made: contact the organisers."))
    before = field_values(application, ["state"])
    application.state = Application.State.WITHDRAWN
    application.withdrawn_at = now
    application.save(update_fields=["state", "withdrawn_at", "updated_at"])
    log_action(application, "artists.application.withdrawn", by, changes=diff(application, before))
    return application
