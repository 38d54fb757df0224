"""The art round's audiences of messages to groups (core.audiences): an edition's
accepted artists (decisions released), and a call's applicants by the state of their
application or its released outcome. Artists are reached at their private address (else
their login's), in the language they chose for letters. One query each.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from artists.models import Application, Artist, Call, Decision
from artists.selectors.profiles import accepted_artists
from core import audiences
from core.audiences import Param, Recipient, int_param
from events.models import Period, Programme

# The states staff choose applicants by: the application's own, then a released outcome.
STATES = {
    "submitted": gettext_lazy("Submitted (all)"),
    "draft": gettext_lazy("Draft, not submitted"),
    "withdrawn": gettext_lazy("Withdrawn"),
    "accepted": gettext_lazy("Accepted (released)"),
    "waitlisted": gettext_lazy("Waitlisted (released)"),
    "rejected": gettext_lazy("Not accepted (released)"),
}


def _artist(artist: Artist, role: str) -> Recipient:
    return Recipient(
        label=artist.name,
        role=role,
        email=artist.email or (artist.user.email if artist.user_id else ""),
        user_id=artist.user_id,
        language=artist.language,
    )


def _editions() -> list[tuple[str, str]]:
    editions = Period.objects.filter(programme__kind=Programme.Kind.ART_ROUND).order_by("-start")
    return [(str(e.pk), e.name) for e in editions]


def _calls() -> list[tuple[str, str]]:
    calls = Call.objects.select_related("period").order_by("-opens_at")
    return [(str(c.pk), c.period.name) for c in calls]


def _edition_artists(params: dict) -> list[Recipient]:
    edition = Period(pk=int_param(params, "edition"))
    artists = (
        Artist.objects.filter(pk__in=accepted_artists(edition).values("pk"))
        .select_related("user")
        .order_by("name", "pk")
    )
    return [_artist(a, "artist") for a in artists]


def _applicants(params: dict) -> list[Recipient]:
    state = params["state"]
    applications = Application.objects.filter(call=int_param(params, "call"))
    if (
        state in (Application.State.DRAFT, Application.State.WITHDRAWN)
        or state == Application.State.SUBMITTED
    ):
        applications = applications.filter(state=state)
    else:
        applications = applications.filter(
            state=Application.State.SUBMITTED,
            decision__outcome=state,
            decision__released_at__isnull=False,
        )
    applications = applications.select_related("artist", "artist__user").order_by(
        "artist__name", "pk"
    )
    return [_artist(a.artist, "applicant") for a in applications]


def _edition_name(params: dict, key: str) -> str:
    return (
        Period.objects.filter(pk=int_param(params, key)).values_list("name", flat=True).first()
        or "–"
    )


def register() -> None:
    assert set(Decision.Outcome.values) <= set(STATES)
    audiences.register(
        "artists.edition_artists",
        gettext_lazy("An edition's artists"),
        params=(Param("edition", gettext_lazy("Edition"), _editions),),
        recipients=_edition_artists,
        describe=lambda p: _("Artists: %(edition)s") % {"edition": _edition_name(p, "edition")},
        order=30,
    )
    audiences.register(
        "artists.applicants",
        gettext_lazy("A call's applicants, by state"),
        params=(
            Param("call", gettext_lazy("Call for applications"), _calls),
            Param("state", gettext_lazy("State"), lambda: [(k, str(v)) for k, v in STATES.items()]),
        ),
        recipients=_applicants,
        describe=lambda p: (
            _("Applicants: %(call)s, %(state)s")
            % {
                "call": Call.objects.filter(pk=int_param(p, "call"))
                .values_list("period__name", flat=True)
                .first()
                or "–",
                "state": STATES.get(p["state"], ""),
            }
        ),
        order=31,
    )
