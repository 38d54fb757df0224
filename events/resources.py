"""Spreadsheet import and export (CSV and XLSX) of municipalities, venues and events.

Every import is all or nothing: each row is cleaned with the model's
``full_clean``, and one invalid row rolls back the whole file, so that the
preview lists every bad row by its number and nothing is written until every
row is valid. Row numbers count the data rows from 1; the header is not counted.
"""

from collections.abc import Callable
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from core.spreadsheets import unquote_cell
from events.models import Event, Municipality, Period, Venue, new_event_uid


def four_digits(value) -> str:
    """Return an official number or postcode as text, restoring the zeros a spreadsheet drops."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if text.isdigit() and len(text) < 4:
        text = text.zfill(4)
    return text


def text_field(name: str) -> fields.Field:
    """Return a resource field for free text; an empty spreadsheet cell is empty text."""
    return fields.Field(attribute=name, column_name=name, widget=widgets.CharWidget())


class FourDigitWidget(widgets.CharWidget):
    """Four-digit codes (municipality numbers, postcodes), also when typed as numbers."""

    def clean(self, value, row=None, **kwargs):
        return four_digits(value)


class IsoDateWidget(widgets.Widget):
    """Dates as YYYY-MM-DD; a spreadsheet's date cell is read as its date."""

    def clean(self, value, row=None, **kwargs):
        if value is None or value == "":
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValueError(
                _("Enter a date as YYYY-MM-DD, not “%(value)s”.") % {"value": value}
            ) from None

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if kwargs.get("force_native_type"):
            return value
        return value.isoformat()


class LocalDateTimeWidget(widgets.Widget):
    """ISO 8601 date-times; one without an offset is local time (Europe/Oslo).

    CSV gets the offset written out; XLSX cells cannot hold a time zone, so they
    get the local time, which reads back as local time.
    """

    def clean(self, value, row=None, **kwargs):
        if value is None or value == "":
            return None
        if isinstance(value, datetime):
            moment = value
        else:
            try:
                moment = datetime.fromisoformat(str(value).strip())
            except ValueError:
                raise ValueError(
                    _("Enter a date and time as YYYY-MM-DD HH:MM, not “%(value)s”.")
                    % {"value": value}
                ) from None
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, timezone.get_default_timezone())
        return moment

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        local = timezone.localtime(value, timezone.get_default_timezone())
        if kwargs.get("force_native_type"):
            return local.replace(tzinfo=None)
        return local.isoformat()


class WholeNumberWidget(widgets.IntegerWidget):
    """Whole numbers; a cell that is none (text, infinity) is a row error, not a crash."""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        # Decimal's InvalidOperation and int()'s OverflowError are ArithmeticErrors.
        except (ArithmeticError, TypeError, ValueError):
            raise ValueError(
                _("Enter a whole number, not “%(value)s”.") % {"value": value}
            ) from None


class PlainDecimalWidget(widgets.Widget):
    """Decimals with a point on export; a decimal comma is accepted on import."""

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        try:
            return Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            raise ValueError(_("Enter a number, not “%(value)s”.") % {"value": value}) from None

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if kwargs.get("force_native_type"):
            return value
        return str(value)


class LookupWidget(widgets.ForeignKeyWidget):
    """A foreign key found by one field; a value that matches nothing is a row error."""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        # A value of the wrong type (a spreadsheet's date in an id column) matches nothing too.
        except (ObjectDoesNotExist, TypeError, ValueError):
            raise ValueError(
                _("No %(model)s has %(field)s “%(value)s”.")
                % {
                    "model": self.model._meta.verbose_name,
                    "field": self.field if self.field != "pk" else "id",
                    "value": value,
                }
            ) from None


# Reference data (municipalities, instruments, groups, disciplines) looked up during one
# import, so that a file of 10,000 rows naming one municipality reads it once, not 10,000
# times. Set by AllOrNothingResource.import_data for the length of one import.
_import_lookups: ContextVar[dict | None] = ContextVar("import_lookups", default=None)


def looked_up(kind: str, key, find: Callable):
    """Return find(), remembered under (kind, key) for the rest of the current import.

    Outside an import it just calls find(). A lookup that raises is not remembered.
    """
    found = _import_lookups.get()
    if found is None:
        return find()
    if (kind, key) not in found:
        found[(kind, key)] = find()
    return found[(kind, key)]


class MunicipalityByNumberWidget(widgets.ForeignKeyWidget):
    """A municipality by official number: the row valid today, else the newest row."""

    def __init__(self, **kwargs):
        super().__init__(Municipality, field="number", **kwargs)

    def clean(self, value, row=None, **kwargs):
        number = four_digits(value)
        if not number:
            return None
        return looked_up("municipality", number, lambda: self.find(number))

    @staticmethod
    def find(number: str) -> Municipality:
        candidates = list(Municipality.objects.filter(number=number))
        if not candidates:
            raise ValueError(_("No municipality has the number “%(value)s”.") % {"value": number})
        today = timezone.localdate()
        in_force = [municipality for municipality in candidates if municipality.is_valid_on(today)]
        return max(in_force or candidates, key=lambda m: m.valid_from or date.min)


class PeriodWidget(widgets.ForeignKeyWidget):
    """An edition or season as ``programme-slug/period-slug``, e.g. ``kunst-rett-vest/2016``."""

    def __init__(self, **kwargs):
        super().__init__(Period, **kwargs)

    def clean(self, value, row=None, **kwargs):
        if value is None or value == "":
            return None
        programme_slug, slash, period_slug = str(value).strip().partition("/")
        if not slash or not programme_slug or not period_slug:
            raise ValueError(
                _("Write the edition or season as programme/period, e.g. kunst-rett-vest/2016.")
            )
        try:
            return Period.objects.select_related("programme").get(
                programme__slug=programme_slug, slug=period_slug
            )
        except Period.DoesNotExist:
            raise ValueError(
                _("No edition or season “%(value)s”.") % {"value": str(value).strip()}
            ) from None

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return f"{value.programme.slug}/{value.slug}"


class UnshownDiff:
    """Stands in for import-export's row diff in an import whose diff no one sees."""

    def __init__(self, resource, instance, new):
        pass

    def compare_with(self, resource, instance):
        pass

    def as_html(self):
        return None


class AllOrNothingResource(resources.ModelResource):
    """Import every row or none: an invalid row rolls the whole file back."""

    # The admin shows each row's changes in the preview (a dry run) only; the import
    # that writes reports counts. There the diff, which reads every field of each row
    # again after saving it (for an artist, a query for the disciplines), is left out.
    # Set by import_data(); skip_unchanged still compares with the row's original.
    shows_diff = True

    def get_diff_class(self):
        return resources.Diff if self.shows_diff else UnshownDiff

    def before_import_row(self, row, **kwargs):
        # PostgreSQL cannot store a NUL character in text, and a lookup with one fails
        # with a database error: refuse such a cell as that column's error, on every
        # database alike, before anything reads the row.
        errors = {
            str(column): ValidationError(_("This cell holds a NUL character (0x00)."))
            for column, value in row.items()
            if isinstance(value, str) and "\x00" in value
        }
        if errors:
            raise ValidationError(errors)
        # A file this site exported marks text such as "+47 ..." with an apostrophe.
        for column, value in row.items():
            row[column] = unquote_cell(value)
        super().before_import_row(row, **kwargs)

    def import_data(
        self,
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=None,
        collect_failed_rows=False,
        rollback_on_validation_errors=True,
        **kwargs,
    ):
        # Without a transaction, or with rollback off, the good rows of a file
        # with bad rows would be written: both are forced on.
        token = _import_lookups.set({})
        self.shows_diff = dry_run
        try:
            return super().import_data(
                dataset,
                dry_run=dry_run,
                raise_errors=raise_errors,
                use_transactions=True,
                collect_failed_rows=collect_failed_rows,
                rollback_on_validation_errors=True,
                **kwargs,
            )
        finally:
            _import_lookups.reset(token)


class MunicipalityResource(AllOrNothingResource):
    """Municipalities keyed by (number, valid_from); dates as YYYY-MM-DD.

    A row whose number and start date match an existing municipality updates
    it; any other row adds a municipality to the map.
    """

    number = fields.Field(attribute="number", column_name="number", widget=FourDigitWidget())
    valid_from = fields.Field(
        attribute="valid_from", column_name="valid_from", widget=IsoDateWidget()
    )
    valid_to = fields.Field(attribute="valid_to", column_name="valid_to", widget=IsoDateWidget())

    class Meta:
        model = Municipality
        fields = ("number", "name", "county", "valid_from", "valid_to")
        import_id_fields = ("number", "valid_from")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def get_instance(self, instance_loader, row):
        # A key cell that is no date matches no municipality; import_instance() then
        # reports it as that column's error, instead of the row failing with a traceback.
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            return None


class VenueResource(AllOrNothingResource):
    """Venues keyed by ``id``; an empty id adds a venue.

    ``municipality`` is the official number. When several municipalities have
    held that number, the one valid today is taken, else the newest; a venue
    that already has a municipality with that number keeps it.
    ``municipality_name`` is exported for reading and ignored on import.
    Latitude and longitude are decimal degrees; a decimal comma is accepted.
    """

    municipality = fields.Field(
        attribute="municipality",
        column_name="municipality",
        widget=MunicipalityByNumberWidget(),
    )
    municipality_name = fields.Field(
        attribute="municipality__name", column_name="municipality_name", readonly=True
    )
    postcode = fields.Field(attribute="postcode", column_name="postcode", widget=FourDigitWidget())
    latitude = fields.Field(
        attribute="latitude", column_name="latitude", widget=PlainDecimalWidget()
    )
    longitude = fields.Field(
        attribute="longitude", column_name="longitude", widget=PlainDecimalWidget()
    )
    id = fields.Field(attribute="id", column_name="id", widget=WholeNumberWidget())
    capacity = fields.Field(
        attribute="capacity", column_name="capacity", widget=WholeNumberWidget()
    )
    accessibility = text_field("accessibility")
    description = text_field("description")

    class Meta:
        model = Venue
        fields = (
            "id",
            "name",
            "address",
            "postcode",
            "place",
            "municipality",
            "municipality_name",
            "latitude",
            "longitude",
            "capacity",
            "accessibility",
            "description",
        )
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("municipality")

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # Keep a historical municipality that still has the number in the row,
        # so that exporting and importing again moves no venue to another map.
        if (
            field.attribute == "municipality"
            and field.column_name in row
            and instance.municipality_id is not None
            and four_digits(row[field.column_name]) == instance.municipality.number
        ):
            return
        super().import_field(field, instance, row, is_m2m=is_m2m, **kwargs)


class EventResource(AllOrNothingResource):
    """Events keyed by their calendar ``uid``.

    Columns:

    - ``uid``: required column. A known uid updates that event; an empty cell
      creates a new event with a new uid; an unknown uid creates a new event
      that keeps it (so events moved from another system keep their identity
      in subscribers' calendars).
    - ``period``: one column ``programme-slug/period-slug``, e.g.
      ``kunst-rett-vest/2016``.
    - ``parent``: the uid of the event this one is part of, or empty. The parent
      must exist already or come in an earlier row; exports list top-level
      events first for this reason.
    - ``venue``: the venue's id, or empty.
    - ``start``, ``end``: ISO 8601 date-times such as ``2016-09-10 12:00`` or
      ``2016-09-10T12:00:00+02:00``; without an offset they are Oslo time.
    - ``kind``, ``visibility``: the stored values, e.g. ``concert``, ``public``.
    - ``status``: exported for reading. Cancelling and reinstating go through
      the admin actions (``events.services``), which also cancel sessions; a
      row that asks for another status than the event has is refused.
    """

    uid = fields.Field(
        attribute="uid", column_name="uid", widget=widgets.CharWidget(), default=new_event_uid
    )
    period = fields.Field(attribute="period", column_name="period", widget=PeriodWidget())
    parent = fields.Field(
        attribute="parent", column_name="parent", widget=LookupWidget(Event, field="uid")
    )
    venue = fields.Field(attribute="venue", column_name="venue", widget=LookupWidget(Venue))
    start = fields.Field(attribute="start", column_name="start", widget=LocalDateTimeWidget())
    end = fields.Field(attribute="end", column_name="end", widget=LocalDateTimeWidget())
    status = fields.Field(attribute="status", column_name="status", readonly=True)
    description_nb = text_field("description_nb")
    description_en = text_field("description_en")

    class Meta:
        model = Event
        fields = (
            "uid",
            "period",
            "parent",
            "kind",
            "title_nb",
            "title_en",
            "description_nb",
            "description_en",
            "venue",
            "start",
            "end",
            "status",
            "visibility",
        )
        import_id_fields = ("uid",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def filter_export(self, queryset, **kwargs):
        # Parents before their sessions, so the file imports into an empty database.
        return queryset.select_related("period__programme", "parent", "venue").order_by(
            F("parent_id").asc(nulls_first=True), "start", "pk"
        )

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        requested = str(row.get("status") or "").strip()
        if requested and requested != instance.status:
            errors["status"] = ValidationError(
                _(
                    "Status changes are not imported: cancel or reinstate the event "
                    "with the actions in the event list."
                ),
                code="status_change",
            )
        if errors:
            raise ValidationError(errors)
