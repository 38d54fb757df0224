"""Retention in Kunst rett vest: rejected (and withdrawn) applications lose their texts and
images, and artists who have not applied or logged in for years lose their login and
private contacts.

The public profile and works stay: they are the published catalogue of the editions the
artist took part in. The rules are declared in artists/retention.py.
"""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import DateTimeField, Exists, Max, OuterRef, Q
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from artists.models import (
    Application,
    ApplicationImage,
    Artist,
    Conflict,
    Decision,
    Letter,
    Review,
)
from core import questions, reach
from core.retention import (
    Pending,
    due_years_after,
    months_after,
    months_before,
    start_of,
    years_before,
)
from core.roles import Role


def _rejected_with_data_left():
    """Applications turned down (the rejection sent) or withdrawn, with something to clear."""
    closed = Q(
        decision__outcome=Decision.Outcome.REJECTED, decision__released_at__isnull=False
    ) | Q(state=Application.State.WITHDRAWN, withdrawn_at__isnull=False)
    return closed & (
        ~Q(statement="")
        | ~Q(cv="")
        | ~Q(previous_exhibitions="")
        | Exists(ApplicationImage.objects.filter(application=OuterRef("pk")))
        | Exists(Letter.objects.filter(application=OuterRef("pk")).exclude(to_email=""))
        | Exists(Review.objects.filter(application=OuterRef("pk")).exclude(comment=""))
        | Exists(Conflict.objects.filter(application=OuterRef("pk")).exclude(reason=""))
    )


def rejected_applications_pending(until: date) -> list[Pending]:
    """Return the rejected or withdrawn applications whose texts and images go by a day."""
    months = settings.ARTISTS_REJECTED_APPLICATION_MONTHS
    rows = (
        Application.objects.filter(_rejected_with_data_left())
        .annotate(closed_at=Coalesce("decision__released_at", "withdrawn_at"))
        .filter(closed_at__lt=start_of(months_before(until, months)))
        .values_list("pk", "closed_at")
        .order_by("closed_at", "pk")
    )
    return [
        Pending(
            kind="artists.application",
            pk=pk,
            due_on=months_after(timezone.localdate(closed), months) + timedelta(days=1),
        )
        for pk, closed in rows
    ]


@transaction.atomic
def clear_rejected_applications(records: list[Pending]) -> int:
    """Clear the texts, images, letters, comments and conflict reasons of applications.

    Scores, the decision and its history stay (the call's record); the images stay in
    the artist's own gallery, only their link to the application goes.
    """
    ids = [record.pk for record in records]
    applications = Application.objects.filter(pk__in=ids).filter(_rejected_with_data_left())
    ids = list(applications.values_list("pk", flat=True))
    ApplicationImage.objects.filter(application__in=ids).delete()
    Letter.objects.filter(application__in=ids).update(to_email="", body="")
    Review.objects.filter(application__in=ids).update(comment="")
    Conflict.objects.filter(application__in=ids).update(reason="")
    Application.objects.filter(pk__in=ids).update(statement="", cv="", previous_exhibitions="")
    questions.forget_answers(Application, ids)  # answers to the call's own questions
    return len(ids)


def _inactive_artists(until: date):
    years = settings.ARTISTS_INACTIVE_YEARS
    cutoff = start_of(years_before(until, years))
    return (
        Artist.objects.filter(Q(user__isnull=False) | ~Q(email="") | ~Q(phone=""))
        .annotate(
            last_active=Greatest(
                "created_at",
                Coalesce(Max("applications__created_at"), "created_at"),
                Coalesce("user__last_login", "created_at"),
                output_field=DateTimeField(),
            )
        )
        .filter(last_active__lt=cutoff)
    )


def inactive_artists_pending(until: date) -> list[Pending]:
    """Return the artists whose login and private contacts go on or before a day."""
    years = settings.ARTISTS_INACTIVE_YEARS
    rows = _inactive_artists(until).values_list("pk", "last_active").order_by("last_active", "pk")
    return [
        Pending(
            kind="artists.artist",
            pk=pk,
            due_on=due_years_after(timezone.localdate(last_active), years),
        )
        for pk, last_active in rows
    ]


@transaction.atomic
def clear_inactive_artists(records: list[Pending]) -> int:
    """Delete the logins of artists gone quiet and clear their private contacts.

    A login that also holds another role (a juror, staff) stays, unlinked.
    """
    artists = list(
        Artist.objects.select_for_update()
        .filter(pk__in=[record.pk for record in records])
        .filter(Q(user__isnull=False) | ~Q(email="") | ~Q(phone=""))
    )
    logins = [artist.user_id for artist in artists if artist.user_id]
    Artist.objects.filter(pk__in=[artist.pk for artist in artists]).update(
        user=None, email="", phone=""
    )
    going = list(
        get_user_model()
        .objects.filter(pk__in=logins, is_staff=False, is_superuser=False)
        .exclude(groups__name__in=[role for role in Role if role != Role.ARTIST])
    )
    # Their contact preferences and the marks on their failing addresses go with them.
    reach.forget(
        logins=going,
        emails=[artist.email for artist in artists],
        mobiles=[artist.phone for artist in artists],
    )
    get_user_model().objects.filter(pk__in=[login.pk for login in going]).delete()
    return len(artists)
