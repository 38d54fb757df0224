"""Who attends what: session plans, attendance and absence, leaves, private calendar tokens.

A rehearsal weekend is an events.Event (kind rehearsal_weekend) and its sessions are its
children (kind session). A SessionPlan says which groups and sections attend a session
and who leads it; the members expected at a session follow from the plan, the members'
groups and main instruments, and their leaves. Attendance rows hold what was answered
and recorded for one member at one session; a member expected with no row has not
answered yet.
"""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Event, Period
from orchestra.models.members import Group, Guardian, Member, Section


class SessionPlan(models.Model):
    """Which groups and sections attend a session (or a concert), and who leads it."""

    event = models.OneToOneField(
        Event,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="orchestra_plan",
    )
    groups = models.ManyToManyField(Group, verbose_name=_("groups"), related_name="session_plans")
    # Empty: every section of the groups. Otherwise Section values, e.g. ["strings"].
    sections = models.JSONField(
        _("sections"),
        default=list,
        blank=True,
        help_text=_("Leave empty when every section attends (a tutti)."),
    )
    tutors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tutors"),
        blank=True,
        related_name="tutored_session_plans",
        help_text=_("The conductor or teachers who lead the session and take attendance."),
    )

    class Meta:
        verbose_name = _("session plan")
        verbose_name_plural = _("session plans")
        ordering = ["event__start", "pk"]

    def __str__(self):
        return str(self.event)

    def clean(self):
        unknown = set(self.sections or []) - set(Section.values)
        if unknown:
            raise ValidationError(
                {"sections": _("Unknown sections: %s") % ", ".join(sorted(map(str, unknown)))}
            )
        if self.event_id and self.event.kind not in (
            Event.Kind.SESSION,
            Event.Kind.CONCERT,
            Event.Kind.MASTER_CLASS,
            Event.Kind.REHEARSAL_WEEKEND,
        ):
            raise ValidationError(
                {"event": _("Plan a session, a rehearsal weekend, a concert or a master class.")}
            )

    def admits_section(self, section: str) -> bool:
        return not self.sections or section in self.sections


class AbsenceReason(models.TextChoices):
    ILLNESS = "illness", _("Illness")
    SCHOOL = "school", _("School")
    TRAVEL = "travel", _("Travel")
    OTHER = "other", _("Other")


class Attendance(models.Model):
    """One member at one session: the guardian's answer ahead, and what the leader recorded."""

    class Reply(models.TextChoices):
        COMING = "coming", _("Coming")
        NOT_COMING = "not_coming", _("Not coming")

    class Status(models.TextChoices):
        EXPECTED = "expected", _("Expected")
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="attendances"
    )
    session = models.ForeignKey(
        Event, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attendances"
    )
    reply = models.CharField(_("answer"), max_length=20, choices=Reply.choices, blank=True)
    reason = models.CharField(
        _("reason for absence"), max_length=20, choices=AbsenceReason.choices, blank=True
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    replied_at = models.DateTimeField(_("answered"), null=True, blank=True)
    status = models.CharField(
        _("attendance"), max_length=20, choices=Status.choices, default=Status.EXPECTED
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)
    checkin = models.ForeignKey(
        "ticketing.Checkin",
        verbose_name=_("check-in"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The scan that recorded the member as present, when scanned."),
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["session__start", "member", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["member", "session"], name="attendance_once"),
            models.CheckConstraint(
                condition=~Q(reply="not_coming") | ~Q(reason=""),
                name="attendance_absence_has_reason",
            ),
        ]

    def __str__(self):
        return f"member {self.member_id} at {self.session_id}: {self.status}"

    def clean(self):
        if self.reply == self.Reply.NOT_COMING and not self.reason:
            raise ValidationError({"reason": _("Give the reason for the absence.")})


class LeaveOfAbsence(models.Model):
    """A member away for a while: sessions in the range are excused without an answer each."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="leaves"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    reason = models.CharField(_("reason"), max_length=20, choices=AbsenceReason.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("leave of absence")
        verbose_name_plural = _("leaves of absence")
        ordering = ["member", "starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="leave_ends_after_start"
            )
        ]

    def __str__(self):
        return f"member {self.member_id}: {self.starts_on}–{self.ends_on}"

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The leave ends before it starts.")})


class MemberCard(models.Model):
    """A member's personal QR card for a season: a ticketing Ticket, scanned at sessions.

    The ticket belongs to the season's "member cards" event; the check-in list of a
    planned session admits the cards of its season (orchestra.services.attendance
    registers that rule with ticketing), and an accepted scan marks the member present.
    A lost card is replaced: the row keeps its place and points at a new ticket.
    """

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="cards"
    )
    season = models.ForeignKey(
        Period, verbose_name=_("season"), on_delete=models.PROTECT, related_name="member_cards"
    )
    ticket = models.OneToOneField(
        "ticketing.Ticket",
        verbose_name=_("ticket"),
        on_delete=models.PROTECT,
        related_name="member_card",
    )
    issued_at = models.DateTimeField(_("issued"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("member card")
        verbose_name_plural = _("member cards")
        ordering = ["season", "member", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["member", "season"], name="member_card_per_season"),
        ]

    def __str__(self):
        return f"card of member {self.member_id} ({self.season_id})"


def hash_calendar_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarToken(models.Model):
    """The secret of a private calendar link, stored hashed: one of a guardian's or a
    member's own, each named for the device or person it is for ("Family iPad").

    An owner may have several links; each is made and stopped on its own, so a new link
    never stops another one. The feed's URL holds the token itself; only its SHA-256 is
    kept, so a database dump opens no calendar. Deleting the row revokes that link (its
    feed then answers 404).
    """

    guardian = models.ForeignKey(
        Guardian,
        verbose_name=_("guardian"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_tokens",
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_tokens",
    )
    name = models.CharField(
        _("name"),
        max_length=60,
        blank=True,
        help_text=_("Which device or person the link is for, such as “Family iPad”."),
    )
    token_hash = models.CharField(_("token (SHA-256)"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("private calendar")
        verbose_name_plural = _("private calendars")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(guardian__isnull=False, member__isnull=True)
                | Q(guardian__isnull=True, member__isnull=False),
                name="calendar_token_one_owner",
            )
        ]

    def __str__(self):
        owner = f"guardian {self.guardian_id}" if self.guardian_id else f"member {self.member_id}"
        return f"calendar {self.pk} of {owner}"


class GuestEnsemble(models.Model):
    """Another orchestra invited to a weekend, a session or a concert."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="guest_ensembles"
    )
    name = models.CharField(_("name"), max_length=200)
    contact_name = models.CharField(_("contact"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    players = models.PositiveSmallIntegerField(_("players"), default=0)

    class Meta:
        verbose_name = _("guest ensemble")
        verbose_name_plural = _("guest ensembles")
        ordering = ["event__start", "name", "pk"]

    def __str__(self):
        return self.name


class MasterClassSignUp(models.Model):
    """Which member a master class's ticketing registration signs up.

    Ticketing holds the place, the waitlist and the expiring offers (the registration);
    this row says whose child the place is for. One row per member and class: signing up
    again after a cancellation points the row at the new registration.
    """

    event = models.ForeignKey(
        Event,
        verbose_name=_("master class"),
        on_delete=models.CASCADE,
        related_name="orchestra_sign_ups",
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="master_class_sign_ups",
    )
    registration = models.OneToOneField(
        "ticketing.Registration",
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="orchestra_sign_up",
    )
    signed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed up by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("master class sign-up")
        verbose_name_plural = _("master class sign-ups")
        ordering = ["event__start", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "member"], name="orchestra_one_sign_up_per_member_and_class"
            )
        ]

    def __str__(self):
        # Ids only: the member is a child.
        return f"{self.event_id}/{self.member_id}"

    def clean(self):
        if self.registration_id and self.event_id and self.registration.event_id != self.event_id:
            raise ValidationError({"registration": _("The registration belongs to another event.")})
