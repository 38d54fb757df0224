"""Spreadsheet import and export (CSV and XLSX) of artists, for staff.

Made for bringing in the ~300 earlier participants of the art round. As with the events
core, an import is all or nothing: every row is checked with the model's rules, one bad
row rolls the whole file back, and the preview (a dry run) lists every bad row by its
number (data rows counted from 1, the header not counted).

Columns:

- ``id``: optional. A known id updates that artist. Without an id, a row whose ``email``
  matches an artist's updates that artist; any other row adds an artist.
- ``name``: required. The address of the public page is made from it for a new artist.
- ``email``, ``phone``: private contact details. An email address may appear once per file.
- ``home_municipality``, ``studio_municipality``: official numbers such as ``3203``
  (zeros a spreadsheet dropped are restored); when several municipalities have held a
  number, the one valid today is taken, else the newest.
- ``disciplines``: slugs separated by commas, e.g. ``painting, ceramics``.
- ``website`` (``www.example.no`` gets ``https://``), ``instagram`` (``@handle`` or the
  profile's address are accepted), ``is_professional`` (1/0, default 1),
  ``language`` (``nb`` or ``en``, default ``nb``), ``bio_nb``, ``bio_en``.
- ``home_municipality_name``, ``studio_municipality_name``, ``has_login``: exported
  for reading, ignored on import.

A login is never made by the import: an imported artist who signs up later with the same
email address gets this profile.
"""

from django.core.exceptions import ValidationError
from django.db.models.functions import Upper
from django.utils.translation import gettext as _
from import_export import fields, widgets
from import_export.instance_loaders import ModelInstanceLoader

from artists.models import Artist, Discipline
from artists.services.profiles import fill_artist_record, save_artist_record
from events.resources import (
    AllOrNothingResource,
    MunicipalityByNumberWidget,
    looked_up,
    text_field,
)


class PhoneWidget(widgets.CharWidget):
    """A phone number as text, also when a spreadsheet stored it as a number."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return "" if value is None else str(value).strip()


class DisciplinesWidget(widgets.ManyToManyWidget):
    """Disciplines by slug, separated by commas; an unknown slug is a row error."""

    def __init__(self, **kwargs):
        super().__init__(Discipline, separator=",", field="slug", **kwargs)

    def clean(self, value, row=None, **kwargs):
        slugs = [slug.strip().lower() for slug in str(value or "").split(",") if slug.strip()]
        # The few disciplines are read once per import, whatever lists the rows name.
        by_slug = looked_up(
            "disciplines", "all", lambda: {d.slug: d for d in Discipline.objects.all()}
        )
        unknown = sorted(set(slugs) - set(by_slug))
        if unknown:
            raise ValueError(
                _("Unknown discipline: %(slugs)s. Use: %(known)s.")
                % {"slugs": ", ".join(unknown), "known": ", ".join(by_slug)}
            )
        return [by_slug[slug] for slug in dict.fromkeys(slugs)]


class ArtistInstanceLoader(ModelInstanceLoader):
    """Find the artist of a row by its id, else by its email address.

    Which of the file's email addresses artists have is read for the whole file first
    (a query per 900 rows, under SQLite's 999 parameters), so that a row whose address no
    artist can have (a new artist's) looks nobody up.
    """

    emails_per_query = 900

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        emails = []
        if dataset is not None and "email" in (dataset.headers or []):
            # A cell with a NUL character is refused before its row is read (and would
            # fail the query on PostgreSQL).
            emails = [
                email for email in map(email_of, dataset.dict) if email and "\x00" not in email
            ]
        # Upper-cased on both sides, as the database compares them for email__iexact.
        keys = list(dict.fromkeys(email.upper() for email in emails))
        self.emails_of_artists = set()
        for start in range(0, len(keys), self.emails_per_query):
            self.emails_of_artists.update(
                Artist.objects.annotate(key=Upper("email"))
                .filter(key__in=keys[start : start + self.emails_per_query])
                .values_list("key", flat=True)
            )
        self.emails_of_earlier_rows = set()

    def get_instance(self, row):
        email = email_of(row)
        key = email.upper()
        # Python's upper() equates at least the addresses in ASCII that the database's
        # UPPER() or LIKE does; any other address is looked up. So is one an earlier row
        # of the file may have given an artist.
        may_be_known = (
            not email.isascii()
            or key in self.emails_of_artists
            or key in self.emails_of_earlier_rows
        )
        self.emails_of_earlier_rows.add(key)
        raw_id = row.get("id")
        if raw_id not in (None, ""):
            try:
                pk = int(float(raw_id))
            except (OverflowError, TypeError, ValueError):  # OverflowError: infinity
                raise ValueError(_("The id must be a whole number.")) from None
            artist = Artist.objects.filter(pk=pk).first()
            if artist is None:
                raise ValueError(_("No artist has the id %(id)s.") % {"id": pk})
            return artist
        if email and may_be_known:
            return Artist.objects.filter(email__iexact=email).order_by("pk").first()
        return None


def email_of(row) -> str:
    return str(row.get("email") or "").strip()


class ArtistResource(AllOrNothingResource):
    """Artists: the earlier participants imported, every artist exported."""

    id = fields.Field(attribute="id", column_name="id", widget=widgets.IntegerWidget())
    name = text_field("name")
    email = text_field("email")
    phone = fields.Field(attribute="phone", column_name="phone", widget=PhoneWidget())
    home_municipality = fields.Field(
        attribute="home_municipality",
        column_name="home_municipality",
        widget=MunicipalityByNumberWidget(),
    )
    home_municipality_name = fields.Field(
        attribute="home_municipality__name", column_name="home_municipality_name", readonly=True
    )
    studio_municipality = fields.Field(
        attribute="studio_municipality",
        column_name="studio_municipality",
        widget=MunicipalityByNumberWidget(),
    )
    studio_municipality_name = fields.Field(
        attribute="studio_municipality__name",
        column_name="studio_municipality_name",
        readonly=True,
    )
    disciplines = fields.Field(
        attribute="disciplines", column_name="disciplines", widget=DisciplinesWidget()
    )
    website = text_field("website")
    instagram = text_field("instagram")
    is_professional = fields.Field(
        attribute="is_professional",
        column_name="is_professional",
        widget=widgets.BooleanWidget(),
        default=True,
    )
    language = fields.Field(
        attribute="language", column_name="language", widget=widgets.CharWidget(), default="nb"
    )
    bio_nb = text_field("bio_nb")
    bio_en = text_field("bio_en")
    has_login = fields.Field(column_name="has_login", readonly=True)

    class Meta:
        model = Artist
        fields = (
            "id",
            "name",
            "email",
            "phone",
            "home_municipality",
            "home_municipality_name",
            "studio_municipality",
            "studio_municipality_name",
            "disciplines",
            "website",
            "instagram",
            "is_professional",
            "language",
            "bio_nb",
            "bio_en",
            "has_login",
        )
        # A list, as import-export's default: then a file without an id column is fine.
        import_id_fields = ["id"]
        instance_loader_class = ArtistInstanceLoader
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("home_municipality", "studio_municipality").prefetch_related(
            "disciplines"
        )

    def dehydrate_has_login(self, artist) -> str:
        return "1" if artist.user_id else "0"

    def get_instance(self, instance_loader, row):
        # Rows without an id column still find their artist by email.
        return instance_loader.get_instance(row)

    def before_import(self, dataset, **kwargs):
        self.rows_by_email = {}
        if "name" not in (dataset.headers or []):
            raise ValidationError(_("The file needs a “name” column."))
        super().before_import(dataset, **kwargs)

    def import_row(self, row, instance_loader, **kwargs):
        try:
            return super().import_row(row, instance_loader, **kwargs)
        finally:
            email = str(row.get("email") or "").strip().lower()
            if email:
                self.rows_by_email.setdefault(email, kwargs.get("row_number"))

    def import_instance(self, instance, row, **kwargs):
        # A new artist has no disciplines yet: import_field() adds them without reading.
        instance._import_is_new = instance._state.adding
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if "disciplines" in row:
            try:
                self.fields["disciplines"].clean(row)
            except ValueError as exc:
                errors["disciplines"] = ValidationError(str(exc), code="invalid")
        email = str(row.get("email") or "").strip().lower()
        earlier = self.rows_by_email.get(email) if email else None
        if earlier is not None:
            errors["email"] = ValidationError(
                _("This email address is also in row %(row)s.") % {"row": earlier},
                code="duplicate",
            )
        fill_artist_record(instance)
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as exc:
            errors = exc.error_dict
            if "name" in errors:
                # The address is made from the name: one error is enough.
                errors.pop("slug", None)
            raise ValidationError(errors) from None

    def do_instance_save(self, instance, is_create):
        # import_instance() filled the record and validate_instance() checked it with
        # full_clean() just now (clean_model_instances): the service need not again.
        save_artist_record(artist=instance, checked=self._meta.clean_model_instances)

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if is_m2m and instance._import_is_new and field.column_name in row:
            # set() would first read the new artist's disciplines, of which there are none.
            getattr(instance, field.attribute).add(*field.clean(row, **kwargs))
            return
        super().import_field(field, instance, row, is_m2m=is_m2m, **kwargs)
