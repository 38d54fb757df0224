"""Emails of Kunst rett vest: the receipt for an application, and decision letters."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from artists.models import Application, Letter
from artists.selectors.jury import LETTER_KIND
from core.mail import queue_email


def applicant_email(application: Application) -> str:
    artist = application.artist
    return artist.email or (artist.user.email if artist.user_id else "")


def send_application_receipt(application_id: int) -> None:
    application = Application.objects.select_related(
        "artist", "artist__user", "call", "call__period"
    ).get(pk=application_id)
    to = applicant_email(application)
    if not to:
        return
    with translation.override(application.artist.language):
        body = render_to_string(
            "artists/email/application_receipt.txt",
            {
                "application": application,
                "call": application.call,
                "site_url": settings.SITE_URL,
            },
        )
        message = EmailMessage(
            subject=_("Application received: %(edition)s")
            % {"edition": application.call.period.name},
            body=body,
            to=[to],
        )
        queue_email(message, kind="artists.application_receipt", about=application)


def send_letter(letter: Letter) -> None:
    message = EmailMessage(subject=letter.subject, body=letter.body, to=[letter.to_email])
    queue_email(message, kind=LETTER_KIND, about=letter)
