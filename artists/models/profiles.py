"""Artists, their disciplines and their work images."""

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Municipality, localized


def upload_path(instance, filename: str) -> str:
    """Store every upload under a random name: only the extension of the file is kept.

    A juror in a blind review must not learn the artist from a filename.
    """
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in {"jpg", "png", "webp"}:
        extension = "jpg"
    return f"artists/{uuid.uuid4().hex}.{extension}"


class Discipline(models.Model):
    """An art form an artist works in (painting, ceramics, …), shipped as data."""

    slug = models.SlugField(_("slug"), unique=True)
    name_nb = models.CharField(_("name (Norwegian)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("discipline")
        verbose_name_plural = _("disciplines")
        ordering = ["position", "slug"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return localized(self.name_nb, self.name_en)


class Artist(models.Model):
    """A professional visual or craft artist and their public profile.

    An artist imported from an earlier edition may have no login yet; they get one
    when they sign up with the same email address.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="artist",
    )
    name = models.CharField(_("name as shown"), max_length=200)
    slug = models.SlugField(_("address name"), max_length=200, unique=True)
    disciplines = models.ManyToManyField(
        Discipline, verbose_name=_("disciplines"), blank=True, related_name="artists"
    )
    home_municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("home municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    studio_municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("studio municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    bio_nb = models.TextField(_("short bio (Norwegian)"), blank=True, max_length=2000)
    bio_en = models.TextField(_("short bio (English)"), blank=True, max_length=2000)
    statement_nb = models.TextField(_("artist statement (Norwegian)"), blank=True, max_length=4000)
    statement_en = models.TextField(_("artist statement (English)"), blank=True, max_length=4000)
    website = models.URLField(_("website"), blank=True)
    instagram = models.CharField(
        _("Instagram handle"),
        max_length=30,
        blank=True,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9._]{1,30}$",
                _("Letters, digits, full stops and underscores only, without @."),
            )
        ],
    )
    # Private: shown to the artist and staff only, never on a public page or in the API.
    email = models.EmailField(_("email (private)"), blank=True)
    phone = models.CharField(_("phone (private)"), max_length=30, blank=True)
    portrait = models.ImageField(_("portrait"), upload_to=upload_path, blank=True)
    portrait_thumbnail = models.ImageField(upload_to=upload_path, blank=True, editable=False)
    language = models.CharField(
        _("language for letters"), max_length=10, choices=settings.LANGUAGES, default="nb"
    )
    is_professional = models.BooleanField(
        _("professional artist"),
        default=True,
        help_text=_("Member of a professional organisation or with equivalent practice."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("artist")
        verbose_name_plural = _("artists")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["name"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("artists:artist_detail", args=[self.slug])

    @property
    def bio(self) -> str:
        return localized(self.bio_nb, self.bio_en)

    @property
    def statement(self) -> str:
        return localized(self.statement_nb, self.statement_en)

    @property
    def instagram_url(self) -> str:
        return f"https://www.instagram.com/{self.instagram}/" if self.instagram else ""


class ArtistImage(models.Model):
    """A work in an artist's gallery; the artist chooses which are public."""

    artist = models.ForeignKey(
        Artist, verbose_name=_("artist"), on_delete=models.CASCADE, related_name="images"
    )
    image = models.ImageField(_("image"), upload_to=upload_path)
    display = models.ImageField(upload_to=upload_path, editable=False)
    thumbnail = models.ImageField(upload_to=upload_path, editable=False)
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, validators=[MinValueValidator(1900)]
    )
    technique = models.CharField(_("technique"), max_length=200, blank=True)
    dimensions = models.CharField(
        _("dimensions"), max_length=100, blank=True, help_text=_("For example 60 × 80 cm.")
    )
    is_public = models.BooleanField(_("public"), default=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("work image")
        verbose_name_plural = _("work images")
        ordering = ["artist", "position", "pk"]

    def __str__(self):
        return self.title
