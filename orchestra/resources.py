"""Spreadsheet import and export (CSV and XLSX) of members and guardians, for staff.

As in the events core, an import is all or nothing: every row is checked with the
model's rules, one bad row rolls the whole file back, and the preview (a dry run) lists
every bad row by its number.

Members' columns:

- ``id``: optional; a known id updates that member, an empty one adds a member.
- ``first_name``, ``last_name``, ``birth_date`` (YYYY-MM-DD), ``gender`` (``female``,
  ``male``, ``other`` or empty), ``municipality`` (official number such as ``3203``),
  ``origin`` (``music_school``, ``school_orchestra``, ``school_band``,
  ``upper_secondary``, ``other``), ``origin_name``, ``years_played``,
  ``photo_consent`` (1/0, exported for reading; ignored on import, since consents are
  given and withdrawn by guardians, versioned).
- ``main_instrument``: the instrument's Norwegian or English name.
- ``groups``: ``season-slug/group-slug`` separated by commas; the member joins the
  groups they are not in yet (from today, or from the season's start if later). Leaving
  a group is done in the admin or the API, never by leaving it out of a file.
- ``status``: a new member starts with it (default ``applicant``); a different status
  for a known member is recorded as a change from today. ``leaving_reason`` is required
  with ``left`` (``age_limit``, ``talent_programme``, ``music_line``,
  ``higher_education``, ``other``).
- ``municipality_name``: exported for reading, ignored on import.

Medical notes are never in the default export; the separate resource "members with
medical notes" adds them when staff choose it explicitly. No import writes them.

Guardians' columns: ``email`` (the key), ``first_name``, ``last_name``, ``phone``,
``children`` (``member-id:relation`` separated by semicolons, e.g. ``12:mother; 15:mother``;
links are added, never removed), and ``has_login`` for reading.
"""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, widgets

from events.resources import (
    AllOrNothingResource,
    IsoDateWidget,
    MunicipalityByNumberWidget,
    WholeNumberWidget,
    looked_up,
    text_field,
)
from orchestra import services
from orchestra.models import (
    Group,
    Guardian,
    Guardianship,
    Instrument,
    Member,
    Membership,
    StatusChange,
)
from orchestra.selectors import latest_status_of, members_with_details


class PhoneWidget(widgets.CharWidget):
    """A phone number as text, also when a spreadsheet stored it as a number."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return "" if value is None else str(value).strip()


class LowerCaseWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return "" if value is None else str(value).strip().lower()


def cell(row, name: str) -> str:
    value = row.get(name)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def find_instrument(name: str) -> Instrument:
    return looked_up("instrument", name.lower(), lambda: _find_instrument(name))


def _find_instrument(name: str) -> Instrument:
    instrument = Instrument.objects.filter(
        Q(name_nb__iexact=name) | Q(name_en__iexact=name)
    ).first()
    if instrument is None:
        raise ValidationError(_("No instrument is called “%(name)s”.") % {"name": name})
    return instrument


def find_groups(text: str) -> list[Group]:
    groups = []
    for key in (part.strip() for part in text.split(",")):
        if not key:
            continue
        season_slug, slash, group_slug = key.partition("/")
        group = (
            looked_up(
                "group",
                key,
                lambda season_slug=season_slug, group_slug=group_slug: (
                    Group.objects.filter(season__slug=season_slug, slug=group_slug)
                    .select_related("season")
                    .first()
                ),
            )
            if slash
            else None
        )
        if group is None:
            raise ValidationError(
                _("No group “%(key)s”: write season/group, e.g. 2026-2027/junior.") % {"key": key}
            )
        groups.append(group)
    return groups


def group_key(group: Group) -> str:
    return f"{group.season.slug}/{group.slug}"


class MemberResource(AllOrNothingResource):
    """Members without medical notes: the import, and the export staff get by default."""

    id = fields.Field(attribute="id", column_name="id", widget=WholeNumberWidget())
    first_name = text_field("first_name")
    last_name = text_field("last_name")
    birth_date = fields.Field(
        attribute="birth_date", column_name="birth_date", widget=IsoDateWidget()
    )
    gender = text_field("gender")
    municipality = fields.Field(
        attribute="municipality", column_name="municipality", widget=MunicipalityByNumberWidget()
    )
    municipality_name = fields.Field(
        attribute="municipality__name", column_name="municipality_name", readonly=True
    )
    origin = fields.Field(
        attribute="origin",
        column_name="origin",
        widget=widgets.CharWidget(),
        default=Member.Origin.MUSIC_SCHOOL,
    )
    origin_name = text_field("origin_name")
    years_played = fields.Field(
        attribute="years_played",
        column_name="years_played",
        widget=WholeNumberWidget(),
        default=0,
    )
    # Exported for reading: a consent is given (and withdrawn) by a guardian or the member,
    # versioned, through orchestra.services; a spreadsheet cannot set it.
    photo_consent = fields.Field(
        attribute="photo_consent",
        column_name="photo_consent",
        widget=widgets.BooleanWidget(),
        readonly=True,
    )
    main_instrument = fields.Field(column_name="main_instrument")
    groups = fields.Field(column_name="groups")
    status = fields.Field(column_name="status")
    leaving_reason = fields.Field(column_name="leaving_reason")

    class Meta:
        model = Member
        fields = (
            "id",
            "first_name",
            "last_name",
            "birth_date",
            "gender",
            "municipality",
            "municipality_name",
            "origin",
            "origin_name",
            "years_played",
            "photo_consent",
            "main_instrument",
            "groups",
            "status",
            "leaving_reason",
        )
        name = gettext_lazy("Members (without medical notes)")
        import_id_fields = ["id"]
        clean_model_instances = True
        # The extra columns (status, groups, instrument) are not fields of the member.
        skip_unchanged = False

    def filter_export(self, queryset, **kwargs):
        return members_with_details(queryset)

    def dehydrate_main_instrument(self, member) -> str:
        mains = [played for played in member.member_instruments.all() if played.is_main]
        return mains[0].instrument.name_nb if mains else ""

    def dehydrate_groups(self, member) -> str:
        return ", ".join(
            group_key(membership.group)
            for membership in member.memberships.all()
            if membership.left_on is None
        )

    def dehydrate_status(self, member) -> str:
        return getattr(member, "current_status", None) or ""

    def dehydrate_leaving_reason(self, member) -> str:
        if getattr(member, "current_status", None) != StatusChange.Status.LEFT:
            return ""
        change = latest_status_of(member)
        return change.reason if change else ""

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        # A member the file adds plays nothing yet, is in no group and has no status:
        # after_save_instance() and the services need not read those.
        plan = {
            "is_new": instance._state.adding,
            "instrument": None,
            "groups": [],
            "status": "",
            "reason": "",
        }
        try:
            name = cell(row, "main_instrument")
            plan["instrument"] = find_instrument(name) if name else None
        except ValidationError as exc:
            errors["main_instrument"] = exc
        try:
            plan["groups"] = find_groups(cell(row, "groups"))
        except ValidationError as exc:
            errors["groups"] = exc
        status, reason = cell(row, "status"), cell(row, "leaving_reason")
        if status and status not in StatusChange.Status.values:
            errors["status"] = ValidationError(_("Unknown status “%(value)s”.") % {"value": status})
        elif status == StatusChange.Status.LEFT and reason not in StatusChange.Reason.values:
            errors["leaving_reason"] = ValidationError(_("Give the reason for leaving."))
        elif status == StatusChange.Status.LEFT and instance.pk is None:
            errors["status"] = ValidationError(_("A new member cannot start as having left."))
        plan["status"], plan["reason"] = status, reason
        instance._import_plan = plan
        if errors:
            raise ValidationError(errors)

    def after_save_instance(self, instance, row, **kwargs):
        plan = instance._import_plan
        is_new = plan["is_new"]
        today = timezone.localdate()
        if plan["instrument"] is not None:
            played = (
                [] if is_new else list(instance.member_instruments.select_related("instrument"))
            )
            if not any(p.is_main and p.instrument_id == plan["instrument"].pk for p in played):
                services.set_instruments(
                    member=instance,
                    instruments=[
                        services.PlayedInstrument(plan["instrument"], True),
                        *(
                            services.PlayedInstrument(p.instrument, False, p.years_played)
                            for p in played
                            if p.instrument_id != plan["instrument"].pk
                        ),
                    ],
                    is_new=is_new,
                )
        current = (
            set()
            if is_new
            else set(
                Membership.objects.filter(member=instance, left_on__isnull=True).values_list(
                    "group_id", flat=True
                )
            )
        )
        for group in plan["groups"]:
            if group.pk not in current:
                services.join_group(
                    member=instance,
                    group=group,
                    joined_on=max(today, group.season.start),
                    by=kwargs.get("user"),
                )
        latest = None if is_new else latest_status_of(instance)
        wanted = plan["status"] or (None if latest else StatusChange.Status.APPLICANT)
        if wanted and (latest is None or latest.status != wanted):
            services.set_status(
                member=instance,
                status=wanted,
                since=max(today, latest.since) if latest else today,
                reason=plan["reason"] if wanted == StatusChange.Status.LEFT else "",
                is_new=is_new,
                by=kwargs.get("user"),
            )


class MemberWithMedicalNotesResource(MemberResource):
    """Members with their medical notes: an export staff must choose explicitly."""

    medical_notes = fields.Field(attribute="medical_notes", column_name="medical_notes")

    class Meta(MemberResource.Meta):
        fields = (*MemberResource.Meta.fields, "medical_notes")
        name = gettext_lazy("Members with medical notes")


class ChildrenWidget(widgets.Widget):
    """Children as ``member-id:relation`` separated by semicolons."""

    def clean(self, value, row=None, **kwargs):
        links = []
        for part in str(value or "").split(";"):
            if not part.strip():
                continue
            raw_id, colon, relation = part.partition(":")
            relation = relation.strip().lower()
            try:
                member_id = int(float(raw_id.strip()))
            except ValueError:
                member_id = None
            if (
                member_id is None
                or not colon
                or relation not in Guardianship.Relation.values
                or not Member.objects.filter(pk=member_id).exists()
            ):
                raise ValueError(
                    _("Write each child as member-id:relation, e.g. 12:mother; not “%(part)s”.")
                    % {"part": part.strip()}
                )
            links.append((member_id, relation))
        return links


class GuardianResource(AllOrNothingResource):
    """Guardians keyed by email, with the members they are guardians of."""

    email = fields.Field(attribute="email", column_name="email", widget=LowerCaseWidget())
    first_name = text_field("first_name")
    last_name = text_field("last_name")
    phone = fields.Field(attribute="phone", column_name="phone", widget=PhoneWidget())
    children = fields.Field(column_name="children")
    has_login = fields.Field(column_name="has_login", readonly=True)

    class Meta:
        model = Guardian
        fields = ("email", "first_name", "last_name", "phone", "children", "has_login")
        import_id_fields = ["email"]
        clean_model_instances = True
        skip_unchanged = False

    def filter_export(self, queryset, **kwargs):
        return queryset.prefetch_related("guardianships")

    def dehydrate_has_login(self, guardian) -> str:
        return "1" if guardian.user_id else "0"

    def dehydrate_children(self, guardian) -> str:
        return "; ".join(
            f"{link.member_id}:{link.relation}" for link in guardian.guardianships.all()
        )

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        try:
            instance._import_children = ChildrenWidget().clean(row.get("children"))
        except ValueError as exc:
            errors["children"] = ValidationError(str(exc))
        if errors:
            raise ValidationError(errors)

    def after_save_instance(self, instance, row, **kwargs):
        linked = set(instance.guardianships.values_list("member_id", flat=True))
        for member_id, relation in instance._import_children:
            if member_id not in linked:
                services.link_guardian(
                    member=Member.objects.get(pk=member_id),
                    guardian=instance,
                    relation=relation,
                    by=kwargs.get("user"),
                )
                linked.add(member_id)
