"""The audit trail's one helper: ``log_action(obj, action, by, changes)``, called by every
service that changes someone's record, inside its transaction (pretix's ``log_action``,
Zulip's ``RealmAuditLog`` written with the acting user).

An entry names its record by kind and number ("member 12"), never by ``str()``: a
member's or a guardian's child's name never lands in the trail. The values of a field
that a retention rule clears (core.retention's table of fields: a child's name, medical
notes, contacts) are recorded as ``"changed"`` without them, so that the trail, kept for
AUDIT_RETENTION_YEARS, never keeps what the rules clear sooner.

The histories that were there before stay as they are, because each carries more than an
entry would and is read as data: a member's StatusChange rows are their status (the
latest is the current one, statistics count them); an application's DecisionChange rows
keep the note and outlive the trail with the call's record; check-in scans (Checkin) are
the visitor counts and the scanner's answers; a tally's TallyCorrection keeps the reason
the tally pages show; consents and their withdrawals are the consent itself. The
services that set a status, a decision or a consent log an entry as well; scans and
tally corrections, about visits rather than a person's record, write none.
"""

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.db.models.fields.files import FieldFile

from core.models import AuditEntry
from core.retention import declared_fields

CHANGED = "changed"


def object_label(obj: Model) -> str:
    """Name a record by its kind and number, never by its ``str()``."""
    return f"{obj._meta.model_name} {obj.pk}"


def _redacted(model: type[Model]) -> set[str]:
    """Return the fields of a model whose values a retention rule clears, other than
    references to other records (an id names no one)."""
    table = declared_fields().get(model._meta.label_lower, {})
    references = {field.name for field in model._meta.concrete_fields if field.is_relation}
    return {name for name, use in table.items() if use.cleared_by and name not in references}


def _plain(value):
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, Iterable) and not isinstance(value, bytes):
        return [_plain(item) for item in value]
    return str(value)


def field_values(obj: Model, fields: Iterable[str] | None = None) -> dict:
    """Return a record's concrete field values (foreign keys by id), to compare later."""
    values = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields and field.attname not in fields:
            continue
        if fields is None and getattr(field, "auto_now", False):
            continue  # "updated at": the entry's own time says it
        value = getattr(obj, field.attname)
        if isinstance(value, FieldFile):
            value = value.name
        values[field.name] = value
    return values


def compute_changes(
    model: type[Model], old: Mapping, new: Mapping, *, sensitive: Iterable[str] = ()
) -> dict:
    """Return ``{field: [old, new]}`` for the fields whose values differ.

    A field in ``sensitive``, or one whose values a retention rule clears, is recorded
    as ``"changed"`` without its values. A field only in ``new`` counts as changed from
    None.
    """
    hidden = _redacted(model) | set(sensitive)
    changes = {}
    for name, value in new.items():
        before = old.get(name)
        if before == value:
            continue
        changes[name] = CHANGED if name in hidden else [_plain(before), _plain(value)]
    return changes


def diff(obj: Model, before: Mapping, *, sensitive: Iterable[str] = ()) -> dict:
    """Return what changed on ``obj`` since ``field_values(obj)`` returned ``before``."""
    return compute_changes(type(obj), before, field_values(obj, before.keys()), sensitive=sensitive)


def created(obj: Model, fields: Iterable[str] | None = None) -> dict:
    """Return a new record's values as changes from nothing (redacted as above)."""
    values = {name: value for name, value in field_values(obj, fields).items() if name != "id"}
    values = {name: value for name, value in values.items() if value not in (None, "")}
    return compute_changes(type(obj), {}, values)


def _actor(by):
    if by is None or not getattr(by, "is_authenticated", False):
        return None
    return by


def log_action(obj: Model, action: str, by, changes: Mapping | None = None) -> AuditEntry:
    """Record that ``by`` (a user, or None for the system) did ``action`` to ``obj``.

    ``action`` is a dotted name: the app label, the model's name, a verb
    (``orchestra.member.updated``, ``orchestra.tourparticipant.added``), so that the
    entries of a kind of record share a prefix with those the admin and the API write.
    ``changes`` maps a field to ``[old, new]`` (compute_changes) or to ``"changed"``;
    dates, decimals and records (by id) are made JSON here. One insert: call it inside
    the service's transaction.
    """
    return AuditEntry.objects.create(
        actor=_actor(by),
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
        object_repr=object_label(obj),
        changes={name: _plain(change) for name, change in (changes or {}).items()},
    )


def log_actions(objs: Iterable[Model], action: str, by, changes: Mapping | None = None) -> list:
    """Record the same action on several records of one kind, in one insert."""
    objs = list(objs)
    if not objs:
        return []
    content_type = ContentType.objects.get_for_model(objs[0], for_concrete_model=False)
    plain = {name: _plain(change) for name, change in (changes or {}).items()}
    return AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=_actor(by),
            action=action,
            content_type=content_type,
            object_id=obj.pk,
            object_repr=object_label(obj),
            changes=plain,
        )
        for obj in objs
    )


def history_of(obj: Model):
    """Return the audit entries of one record, newest first, with their actors."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
    ).select_related("actor")
