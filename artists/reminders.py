"""The art round's reminders, sent by send_due_messages (core.due): artists with a draft
application before the call closes, and hosts of places with visitor counts missing the
morning after an open day. Each goes once: its key names the thing and the reminder."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from artists.models import Application, Call, ExhibitionHours, StudioHours
from artists.selectors.tallies import art_round_editions
from artists.services import tallies
from core.due import Upcoming, due_sender
from core.reminders import remind, render_email, when

DRAFTS = "artists.draft_reminders"
TALLIES = "artists.tally_reminders"


# Drafts ------------------------------------------------------------------------------------


def _ahead() -> timedelta:
    return timedelta(days=settings.DRAFT_APPLICATION_REMINDER_DAYS)


def drafts_to_remind(now: datetime):
    """The draft applications whose call closes within DRAFT_APPLICATION_REMINDER_DAYS of
    ``now``, started before the reminder's moment (a draft started later is not reminded)."""
    return (
        Application.objects.filter(
            state=Application.State.DRAFT,
            call__closes_at__gt=now,
            call__closes_at__lte=now + _ahead(),
            created_at__lt=F("call__closes_at") - _ahead(),
        )
        .select_related("artist", "artist__user", "call", "call__period")
        .order_by("call__closes_at", "pk")
    )


def _artist_person(artist):
    """Whom to reach: the artist's login, else their private address, else nobody."""
    if artist.user_id and artist.user.email:
        return artist.user
    return artist.email or ""


@due_sender(
    DRAFTS,
    order=220,
    label=gettext_lazy("Draft applications before the deadline"),
    upcoming=lambda now, until: upcoming_draft_reminders(now, until),
)
def remind_draft_applications(now: datetime) -> int:
    """Remind each artist whose application is still a draft, once per deadline."""
    queued = 0
    for application in drafts_to_remind(now):
        person = _artist_person(application.artist)
        if not person:
            continue
        call = application.call
        url = settings.SITE_URL + reverse("artists:application", args=[call.pk])

        def email(address, application=application, call=call, url=url):
            return render_email(
                to=address,
                subject=_("Your application is not sent yet: %(edition)s")
                % {"edition": call.period.name},
                template="artists/email/draft_reminder",
                context={
                    "artist": application.artist,
                    "edition": call.period.name,
                    "closes": when(call.closes_at),
                    "url": url,
                },
            )

        def sms(call=call, url=url):
            return _(
                "Kunst rett vest: your application for %(edition)s is still a draft. Send it "
                "before %(closes)s: %(url)s"
            ) % {"edition": call.period.name, "closes": when(call.closes_at), "url": url}

        queued += remind(
            person,
            kind="artists.draft_reminder",
            about=application,
            occasion=f"closes-{call.closes_at:%Y%m%d%H%M}",
            email=email,
            sms=sms,
            language=application.artist.language,
        )
    return queued


def upcoming_draft_reminders(now: datetime, until: datetime) -> list[Upcoming]:
    """Per call, the drafts to be reminded between now and ``until`` (one query)."""
    calls = (
        Call.objects.filter(closes_at__gt=now + _ahead(), closes_at__lte=until + _ahead())
        .select_related("period")
        .annotate(
            drafts=Count(
                "applications",
                filter=Q(applications__state=Application.State.DRAFT),
            )
        )
        .order_by("closes_at")
    )
    return [
        Upcoming(
            sender=DRAFTS,
            what=_("Draft applications: %(edition)s") % {"edition": call.period.name},
            at=call.closes_at - _ahead(),
            recipients=call.drafts,
        )
        for call in calls
        if call.drafts
    ]


# Visitor counts ----------------------------------------------------------------------------


def _reminder_moment(day) -> datetime:
    """The morning after ``day`` at TALLY_REMINDER_HOUR, local time."""
    return timezone.make_aware(
        datetime.combine(day + timedelta(days=1), time(settings.TALLY_REMINDER_HOUR))
    )


@due_sender(
    TALLIES,
    order=230,
    label=gettext_lazy("Visitor counts missing"),
    upcoming=lambda now, until: upcoming_tally_reminders(now, until),
)
def remind_missing_tallies(now: datetime) -> int:
    """From TALLY_REMINDER_HOUR, remind the hosts of the places that counted nothing on
    yesterday's open day (artists.services.tallies.remind_missing_tallies); returns the
    reminders recorded (one per place and day, each emailing every host)."""
    if now < _reminder_moment(timezone.localdate(now) - timedelta(days=1)):
        return 0
    return len(tallies.remind_missing_tallies(now=now).reminders)


def upcoming_tally_reminders(now: datetime, until: datetime) -> list[Upcoming]:
    """The open days whose morning-after reminder falls between now and ``until``, with the
    hosts of the places open that day (two queries; a place that counts meanwhile is not
    reminded)."""
    first = timezone.localdate(now) - timedelta(days=1)
    last = timezone.localdate(until)
    editions = art_round_editions()
    hosts: dict = {}
    for rows in (
        StudioHours.objects.filter(date__range=(first, last), studio__edition__in=editions)
        .values("date")
        .annotate(people=Count("studio__artists", distinct=True)),
        ExhibitionHours.objects.filter(
            date__range=(first, last), exhibition__event__period__in=editions
        )
        .values("date")
        .annotate(people=Count("exhibition__event__hosts", distinct=True)),
    ):
        for row in rows.order_by():
            hosts[row["date"]] = hosts.get(row["date"], 0) + row["people"]
    found = []
    for day, people in sorted(hosts.items()):
        moment = _reminder_moment(day)
        if now < moment <= until and people:
            found.append(
                Upcoming(
                    sender=TALLIES,
                    what=_("Visitor counts missing from the open day %(day)s")
                    % {"day": formats.date_format(day, "SHORT_DATE_FORMAT")},
                    at=moment,
                    recipients=people,
                )
            )
    return found
