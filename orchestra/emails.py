"""Emails of the orchestra: a registration received, approved, and a request to delete.

Each function takes ids, reads the records afresh and sends in the given language.
Services build them inside their transaction with core.mail.queue_in_transaction(), so
nothing is sent for a transaction that rolls back. Emails to guardians may name their own
child; emails to staff name the member by id only.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core.mail import queue_email
from core.roles import Role
from events.models import Period
from orchestra.models import ErasureRequest, Group, Guardian, Member


def _send(
    *,
    to: list[str],
    subject: str,
    template: str,
    context: dict,
    html=True,
    about=None,
    occasion="",
) -> None:
    """Render templates/orchestra/email/<template>.txt (and .html) and send them."""
    if not to:
        return
    context = {"site_url": settings.SITE_URL, **context}
    text = render_to_string(f"orchestra/email/{template}.txt", context)
    message = EmailMultiAlternatives(subject=subject, body=text, from_email=None, to=to)
    if html:
        message.attach_alternative(
            render_to_string(f"orchestra/email/{template}.html", context), "text/html"
        )
    queue_email(message, kind=f"orchestra.{template}", about=about, occasion=occasion)


def _guardians(member: Member) -> list[Guardian]:
    return list(Guardian.objects.filter(guardianships__member=member).order_by("pk"))


def send_registration_received(
    member_id: int, season_id: int, suggested_group_id: int | None, language: str
) -> None:
    """Confirm a registration (or a trial request) to the child's guardians."""
    member = Member.objects.get(pk=member_id)
    guardians = _guardians(member)
    with translation.override(language):
        _send(
            about=member,
            occasion=f"season-{season_id}",  # a member registers once a season
            to=[guardian.email for guardian in guardians],
            subject=_("Registration received: the youth symphony"),
            template="registration_received",
            context={
                "member": member,
                "guardians": guardians,
                "season": Period.objects.get(pk=season_id),
                "suggested_group": Group.objects.filter(pk=suggested_group_id).first(),
                "trial": member.status_changes.filter(status="trial").exists(),
                "my_children_url": settings.SITE_URL + reverse("orchestra:my_children"),
            },
        )


def send_registration_approved(
    member_id: int, group_ids: list[int], status: str, language: str
) -> None:
    """Tell the child's guardians which groups the child was taken into."""
    member = Member.objects.get(pk=member_id)
    with translation.override(language):
        _send(
            about=member,
            occasion="groups-" + "-".join(str(pk) for pk in sorted(group_ids)),
            to=[guardian.email for guardian in _guardians(member)],
            subject=_("Welcome to the youth symphony"),
            template="registration_approved",
            context={
                "member": member,
                "groups": list(Group.objects.filter(pk__in=group_ids).select_related("season")),
                "trial": status == "trial",
                "my_children_url": settings.SITE_URL + reverse("orchestra:my_children"),
                "password_reset_url": settings.SITE_URL + reverse("password_reset"),
            },
        )


def project_leader_emails() -> list[str]:
    User = get_user_model()
    return sorted(
        User.objects.filter(groups__name=Role.PROJECT_LEADER, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


def send_deletion_request(erasure_id: int) -> None:
    """Tell the project leaders that a guardian asks to erase a member's data (by id).

    The request itself is recorded; staff complete it on its page.
    """
    erasure = ErasureRequest.objects.select_related("guardian").get(pk=erasure_id)
    with translation.override(settings.LANGUAGE_CODE):
        _send(
            about=erasure,
            to=project_leader_emails(),
            subject=_("Request to delete a member's data (member %(id)d)")
            % {"id": erasure.member_id},
            template="deletion_request",
            context={
                "member_id": erasure.member_id,
                "guardian": erasure.guardian,
                "note": erasure.note,
                "request_url": settings.SITE_URL
                + reverse("orchestra:erasure_request", args=[erasure.pk]),
            },
            html=False,
        )
