"""The youth symphony's members, guardians, groups, instruments and consents.

Members are children: their personal data is read through
``orchestra.selectors.members_visible_to(user)``, never straight from these models in
a view. ``Member.__str__`` names the child, so it is for staff screens only; logs and
URLs use ids.
"""

from datetime import date

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from events.models import Municipality, Period, Programme, localized


def age_on(birth_date: date, day: date) -> int:
    """Return the age in whole years on a day of someone born on birth_date."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday


class Section(models.TextChoices):
    STRINGS = "strings", _("Strings")
    WOODWIND = "woodwind", _("Woodwind")
    BRASS = "brass", _("Brass")
    PERCUSSION = "percussion", _("Percussion")
    OTHER = "other", _("Other")


class Instrument(models.Model):
    name_nb = models.CharField(_("name (Norwegian)"), max_length=100, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    section = models.CharField(_("section"), max_length=20, choices=Section.choices)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Score order: lower numbers come first.")
    )

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ["position", "name_nb"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return localized(self.name_nb, self.name_en)


class Group(models.Model):
    """A group of the orchestra in one season, such as the youth or the junior symphony."""

    season = models.ForeignKey(
        Period,
        verbose_name=_("season"),
        on_delete=models.PROTECT,
        related_name="orchestra_groups",
        limit_choices_to={"programme__kind": Programme.Kind.ORCHESTRA},
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"))
    min_age = models.PositiveSmallIntegerField(
        _("youngest age"), validators=[MaxValueValidator(99)]
    )
    max_age = models.PositiveSmallIntegerField(_("oldest age"), validators=[MaxValueValidator(99)])
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["season__start", "-max_age", "name"]
        constraints = [
            models.UniqueConstraint(fields=["season", "slug"], name="orchestra_group_unique_slug"),
            models.CheckConstraint(
                condition=Q(max_age__gte=F("min_age")), name="orchestra_group_age_range"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.min_age is not None and self.max_age is not None and self.max_age < self.min_age:
            errors["max_age"] = _("The oldest age is below the youngest age.")
        if self.season_id and self.season.programme.kind != Programme.Kind.ORCHESTRA:
            errors["season"] = _("Choose a season of an orchestra programme.")
        if errors:
            raise ValidationError(errors)

    def admits_age(self, age: int) -> bool:
        return self.min_age <= age <= self.max_age


class Member(models.Model):
    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other")

    class Origin(models.TextChoices):
        MUSIC_SCHOOL = "music_school", _("Municipal music or culture school")
        SCHOOL_ORCHESTRA = "school_orchestra", _("School orchestra")
        SCHOOL_BAND = "school_band", _("School band")
        UPPER_SECONDARY = "upper_secondary", _("Upper secondary school")
        OTHER = "other", _("Other")

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("birth date"))
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="orchestra_members",
    )
    origin = models.CharField(
        _("comes from"), max_length=20, choices=Origin.choices, default=Origin.MUSIC_SCHOOL
    )
    origin_name = models.CharField(_("name of the school or band"), max_length=200, blank=True)
    years_played = models.PositiveSmallIntegerField(
        _("years played"), default=0, validators=[MaxValueValidator(20)]
    )
    photo_consent = models.BooleanField(_("photos allowed"), default=False)
    medical_notes = models.TextField(
        _("medical and allergy notes"),
        blank=True,
        help_text=_("Visible to staff (and tour leaders during their tour) only."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("own login"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orchestra_member",
        help_text=_("Only for members old enough to have their own login."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)
    # The answers to a season's own questions on the registration form (core.questions).
    answers = GenericRelation(
        "core.Answer", content_type_field="record_type", object_id_field="record_id"
    )

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["last_name", "first_name", "pk"]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    def clean(self):
        today = timezone.localdate()
        if self.user_id and self.birth_date and not self.may_have_own_login_on(today):
            raise ValidationError(
                {
                    "user": _("Members get their own login from the age of %(age)d.")
                    % {"age": settings.ORCHESTRA_OWN_LOGIN_AGE}
                }
            )

    def age_on(self, day: date) -> int:
        """Return the member's age in whole years on a day."""
        return age_on(self.birth_date, day)

    def may_have_own_login_on(self, day: date) -> bool:
        return self.age_on(day) >= settings.ORCHESTRA_OWN_LOGIN_AGE

    def may_consent_themself_on(self, day: date) -> bool:
        return self.age_on(day) >= settings.ORCHESTRA_SELF_CONSENT_AGE


class MemberInstrument(models.Model):
    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="member_instruments",
    )
    instrument = models.ForeignKey(
        Instrument,
        verbose_name=_("instrument"),
        on_delete=models.PROTECT,
        related_name="member_instruments",
    )
    is_main = models.BooleanField(_("main instrument"), default=False)
    years_played = models.PositiveSmallIntegerField(
        _("years played"), null=True, blank=True, validators=[MaxValueValidator(20)]
    )

    class Meta:
        verbose_name = _("instrument of a member")
        verbose_name_plural = _("instruments of members")
        ordering = ["-is_main", "instrument__position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "instrument"], name="orchestra_member_instrument_unique"
            ),
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(is_main=True),
                name="orchestra_member_one_main_instrument",
                violation_error_message=_("A member has one main instrument."),
            ),
        ]

    def __str__(self):
        return str(self.instrument)


class Membership(models.Model):
    """A member's place in a group, from one date to another (open: still there)."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="memberships"
    )
    group = models.ForeignKey(
        Group, verbose_name=_("group"), on_delete=models.PROTECT, related_name="memberships"
    )
    joined_on = models.DateField(_("joined"))
    left_on = models.DateField(_("left"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["-joined_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="orchestra_membership_dates",
            ),
            models.UniqueConstraint(
                fields=["member", "group"],
                condition=Q(left_on__isnull=True),
                name="orchestra_membership_one_open",
                violation_error_message=_("The member is in this group already."),
            ),
        ]

    def __str__(self):
        return str(self.group)

    def clean(self):
        if self.joined_on and self.left_on and self.left_on < self.joined_on:
            raise ValidationError({"left_on": _("The member left before joining.")})

    def is_current_on(self, day: date) -> bool:
        return self.joined_on <= day and (self.left_on is None or day <= self.left_on)


class StatusChange(models.Model):
    """One step of a member's history; the latest (by date, then entry) is the current status."""

    class Status(models.TextChoices):
        APPLICANT = "applicant", _("Applicant")
        TRIAL = "trial", _("Trial")
        ACTIVE = "active", _("Active")
        ON_LEAVE = "on_leave", _("On leave")
        LEFT = "left", _("Left")

    class Reason(models.TextChoices):
        AGE_LIMIT = "age_limit", _("Reached the upper age limit")
        TALENT_PROGRAMME = "talent_programme", _("National talent programme")
        MUSIC_LINE = "music_line", _("Music line in upper secondary school")
        HIGHER_EDUCATION = "higher_education", _("Higher music education")
        OTHER = "other", _("Other")

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="status_changes"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    since = models.DateField(_("since"))
    reason = models.CharField(
        _("reason for leaving"), max_length=20, choices=Reason.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)

    # The order in which the last change is the current status.
    LATEST_FIRST = ("-since", "-recorded_at", "-pk")

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status history")
        ordering = ["member", "-since", "-recorded_at", "-pk"]
        indexes = [models.Index(fields=["member", "-since"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="left") | Q(reason=""),
                name="orchestra_status_reason_only_when_left",
            ),
            models.CheckConstraint(
                condition=~Q(status="left") | ~Q(reason=""),
                name="orchestra_status_left_needs_reason",
            ),
        ]

    def __str__(self):
        return f"{self.get_status_display()} ({date_format(self.since)})"

    def clean(self):
        if self.status == self.Status.LEFT and not self.reason:
            raise ValidationError({"reason": _("Give the reason for leaving.")})
        if self.status != self.Status.LEFT and self.reason:
            raise ValidationError({"reason": _("A reason is given only when a member leaves.")})


class Guardian(models.Model):
    """A parent or other guardian, with the contact details the orchestra uses.

    The login is optional: a guardian named on a registration or in an imported sheet
    exists before they have logged in, and the demo has no login for each parent.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orchestra_guardian",
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("email"), unique=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("guardian")
        verbose_name_plural = _("guardians")
        ordering = ["last_name", "first_name", "pk"]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class Guardianship(models.Model):
    class Relation(models.TextChoices):
        MOTHER = "mother", _("Mother")
        FATHER = "father", _("Father")
        GUARDIAN = "guardian", _("Other guardian")
        FOSTER_PARENT = "foster_parent", _("Foster parent")

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="guardianships"
    )
    guardian = models.ForeignKey(
        Guardian,
        verbose_name=_("guardian"),
        on_delete=models.CASCADE,
        related_name="guardianships",
    )
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)

    class Meta:
        verbose_name = _("guardianship")
        verbose_name_plural = _("guardianships")
        ordering = ["member", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "guardian"], name="orchestra_guardianship_unique"
            ),
        ]

    def __str__(self):
        return self.get_relation_display()


class ConsentText(models.Model):
    """One version of a consent text; a new version is a new row, and old ones stay."""

    class Kind(models.TextChoices):
        MEMBERSHIP = "membership", _("Membership and data")
        PHOTO = "photo", _("Photos and video")
        TRAVEL = "travel", _("Travel")
        MEDICAL = "medical", _("Medical information")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    version = models.PositiveSmallIntegerField(_("version"), editable=False)
    text_nb = models.TextField(_("text (Norwegian)"))
    text_en = models.TextField(_("text (English)"), blank=True)
    published_at = models.DateTimeField(
        _("published"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("A draft until published; a published text never changes."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="orchestra_consent_version"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} v{self.version}"

    @property
    def text(self) -> str:
        return localized(self.text_nb, self.text_en)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class ConsentAcceptance(models.Model):
    """A consent given to one version of a text, by a guardian or by the member themself."""

    class Capacity(models.TextChoices):
        GUARDIAN = "guardian", _("Guardian")
        MEMBER = "member", _("The member themself")

    text = models.ForeignKey(
        ConsentText,
        verbose_name=_("consent text"),
        on_delete=models.PROTECT,
        related_name="acceptances",
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="consents"
    )
    capacity = models.CharField(_("given by"), max_length=10, choices=Capacity.choices)
    guardian = models.ForeignKey(
        Guardian,
        verbose_name=_("guardian"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consents",
        help_text=_("The guardian who consented, when a guardian did."),
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The login that gave the consent, or the staff member who recorded it."),
    )
    accepted_at = models.DateTimeField(_("accepted"), default=timezone.now)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-accepted_at", "-pk"]

    def __str__(self):
        return str(self.text)


class ConsentWithdrawal(models.Model):
    """The withdrawal of one given consent (one version of a text): who withdrew it, in
    which capacity, and when. The acceptance stays, so the history stays readable; a
    consent given again after it is a new acceptance.

    Whether a member has a consent now is answered by
    ``orchestra.selectors.consents.has_consent()`` and nowhere else.
    """

    acceptance = models.OneToOneField(
        ConsentAcceptance,
        verbose_name=_("consent"),
        on_delete=models.CASCADE,
        related_name="withdrawal",
    )
    capacity = models.CharField(
        _("withdrawn by"), max_length=10, choices=ConsentAcceptance.Capacity.choices
    )
    guardian = models.ForeignKey(
        Guardian,
        verbose_name=_("guardian"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consent_withdrawals",
        help_text=_("The guardian who withdrew the consent, when a guardian did."),
    )
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The login that withdrew the consent, or the staff member who recorded it."),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), default=timezone.now)

    class Meta:
        verbose_name = _("consent withdrawal")
        verbose_name_plural = _("consent withdrawals")
        ordering = ["-withdrawn_at", "-pk"]

    def __str__(self):
        return f"{self.acceptance.text} #{self.acceptance_id}"
