"""Tours and study trips: the tour, its participants in roles with their checklists, and
its actual costs.

A tour is an event of kind tour; its child events are the itinerary (travel days,
concerts abroad). Players are members (children): their medical notes and emergency
contacts for the trip are read through ``orchestra.selectors.tours``, never straight
from here in a view.
"""

from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Event
from orchestra.models.members import Member, age_on

# Tour leaders see restricted data from this many days before the first day of the tour.
TOUR_LEADER_DAYS_BEFORE = 7


def validate_time_zone(value: str) -> None:
    """Accept IANA time zone names only (Europe/Madrid)."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            _("%(value)s is not a known time zone name, such as Europe/Madrid."),
            params={"value": value},
        ) from exc


class Tour(models.Model):
    event = models.OneToOneField(
        Event,
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="tour",
        limit_choices_to={"kind": Event.Kind.TOUR},
    )
    destination = models.CharField(_("destination"), max_length=200)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Oslo",
        validators=[validate_time_zone],
        help_text=_("The destination's time zone (IANA name), for local times on itineraries."),
    )
    budget = models.DecimalField(
        _("budget (NOK)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("tour")
        verbose_name_plural = _("tours")
        ordering = ["-event__start", "pk"]

    def __str__(self):
        return f"{self.event.title_nb} ({self.destination})"

    def clean(self):
        if self.event_id and self.event.kind != Event.Kind.TOUR:
            raise ValidationError({"event": _("A tour's event must be of kind tour.")})

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def first_day(self) -> date:
        return timezone.localtime(self.event.start, self.zone).date()

    @property
    def last_day(self) -> date:
        return timezone.localtime(self.event.end, self.zone).date()

    def leader_access_window(self) -> tuple[date, date]:
        """Return the days a tour leader sees restricted data: a week before, to the last day."""
        return self.first_day - timedelta(days=TOUR_LEADER_DAYS_BEFORE), self.last_day

    def leader_window_open_on(self, day: date) -> bool:
        """Return True if the day is in the leaders' window (leader_access_window())."""
        first, last = self.leader_access_window()
        return first <= day <= last


class TourCost(models.Model):
    class Category(models.TextChoices):
        TRAVEL = "travel", _("Travel")
        LODGING = "lodging", _("Lodging")
        FOOD = "food", _("Food")
        VENUES = "venues", _("Venues and concerts")
        INSURANCE = "insurance", _("Insurance")
        OTHER = "other", _("Other")

    tour = models.ForeignKey(
        Tour, verbose_name=_("tour"), on_delete=models.CASCADE, related_name="costs"
    )
    description = models.CharField(_("description"), max_length=200)
    amount = models.DecimalField(_("amount (NOK)"), max_digits=12, decimal_places=2)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.OTHER
    )

    class Meta:
        verbose_name = _("tour cost")
        verbose_name_plural = _("tour costs")
        ordering = ["tour", "paid_on", "pk"]

    def __str__(self):
        return f"{self.description}: {self.amount} NOK"


class TourParticipant(models.Model):
    class Role(models.TextChoices):
        PLAYER = "player", _("Player")
        CONDUCTOR = "conductor", _("Conductor")
        TEACHER = "teacher", _("Teacher")
        TOUR_LEADER = "tour_leader", _("Tour leader")
        COMPANION = "companion", _("Companion")
        GUEST = "guest", _("Guest ensemble member")

    # Adults in these roles are responsible for children: a police certificate is checked.
    RESPONSIBLE_ROLES = (Role.CONDUCTOR, Role.TEACHER, Role.TOUR_LEADER, Role.COMPANION)

    tour = models.ForeignKey(
        Tour, verbose_name=_("tour"), on_delete=models.CASCADE, related_name="participants"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tour_participations",
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    birth_date = models.DateField(
        _("birth date"),
        null=True,
        blank=True,
        help_text=_("Only for guest ensemble members who may be minors."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tour_participations",
    )
    passport_valid_until = models.DateField(_("passport valid until"), null=True, blank=True)
    ehic = models.BooleanField(_("European health insurance card"), default=False)
    share_paid = models.BooleanField(_("share paid"), default=False)
    share_amount = models.DecimalField(
        _("share paid (NOK)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    police_certificate_seen_on = models.DateField(
        _("police certificate seen on"),
        null=True,
        blank=True,
        help_text=_("Only the date it was seen; the certificate itself is never stored."),
    )
    emergency_contacts = models.TextField(_("emergency contacts"), blank=True)
    dietary_needs = models.TextField(_("dietary needs"), blank=True)
    medical_notes = models.TextField(
        _("medical notes for the trip"),
        blank=True,
        help_text=_("Seen by staff, and by the tour leaders during the tour period only."),
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("tour participant")
        verbose_name_plural = _("tour participants")
        ordering = ["tour", "role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tour", "member"],
                condition=models.Q(member__isnull=False),
                name="orchestra_tour_member_once",
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()} #{self.pk}"

    def clean(self):
        errors = {}
        if self.role == self.Role.PLAYER:
            if self.member_id is None:
                errors["member"] = _("A player must be a member of the orchestra.")
        elif self.member_id is not None:
            errors["member"] = _("Only players are members; give the adult's name instead.")
        elif not self.name:
            errors["name"] = _("Give the participant's name.")
        if self.police_certificate_seen_on and self.role not in self.RESPONSIBLE_ROLES:
            errors["police_certificate_seen_on"] = _(
                "Police certificates are checked for adults in responsible roles only."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def display_name(self) -> str:
        if self.member_id:
            return f"{self.member.first_name} {self.member.last_name}"
        return self.name

    @property
    def is_responsible(self) -> bool:
        return self.role in self.RESPONSIBLE_ROLES

    def is_minor_on(self, day: date) -> bool:
        """Return True if under 18 on the day; adults without a birth date count as adults."""
        if self.member_id:
            return self.member.age_on(day) < 18
        if self.birth_date:
            return age_on(self.birth_date, day) < 18
        return False
