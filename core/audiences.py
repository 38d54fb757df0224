"""The audiences of messages to groups (core.group_messages): a registry the apps fill, as
they fill the dashboard (core.dashboard) and the menu, so that the core imports none of
them.

An audience has a key ("orchestra.group_guardians"), a label, the parameters staff choose
(a group, an edition, a state; each with its choices), a function that describes a chosen
audience in words ("Guardians: Ungdomssymfonien 2026") and one that returns its
recipients: each a login or an address, a label and the reason they are reached, in a
constant number of queries however many people it holds. The label of a recipient is the
name of the adult reached (a guardian, an artist, an attendee); a member with their own
login is labelled by number, never by name, so a child's name lands in no message list.

``recipients_of(key, params)`` checks the parameters against their choices and returns
the recipients deduplicated by email address (a guardian of two members in the group is
reached once; a person who is both an artist and a host too).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Param:
    """One thing staff choose for an audience: a group, an edition, an application state."""

    name: str
    label: str
    choices: Callable[[], list[tuple[str, str]]]  # (value, label), values as strings


@dataclass(frozen=True)
class Recipient:
    """One person an audience reaches: their email (or a login's), login id, a label
    that never names a child, why they are reached, and the language their records say
    they read (empty: their preference or the site's)."""

    label: str
    role: str
    email: str = ""
    user_id: int | None = None
    language: str = ""


@dataclass(frozen=True)
class Audience:
    key: str
    label: str
    params: tuple[Param, ...]
    recipients: Callable[[dict], list[Recipient]]
    describe: Callable[[dict], str]
    order: int = 100


AUDIENCES: dict[str, Audience] = {}


def register(
    key: str,
    label,
    *,
    params: tuple[Param, ...] | list[Param] = (),
    recipients: Callable[[dict], list[Recipient]],
    describe: Callable[[dict], str],
    order: int = 100,
) -> Audience:
    """Add an audience; registering a key again replaces it (a module imported twice)."""
    audience = Audience(key, label, tuple(params), recipients, describe, order)
    AUDIENCES[key] = audience
    return audience


def audiences() -> list[Audience]:
    return sorted(AUDIENCES.values(), key=lambda a: (a.order, a.key))


def audience(key: str) -> Audience:
    try:
        return AUDIENCES[key]
    except KeyError:
        raise ValidationError({"audience": _("Choose who the message is for.")}) from None


def clean_params(key: str, params: dict) -> dict:
    """Return the audience's parameters as strings, each one of its choices; raises
    ValidationError naming the parameter that is missing or not a choice."""
    found = audience(key)
    cleaned, errors = {}, {}
    for param in found.params:
        value = str((params or {}).get(param.name, "") or "")
        if value not in {choice for choice, _label in param.choices()}:
            errors[param.name] = _("Choose one of the choices.")
        else:
            cleaned[param.name] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


def describe(key: str, params: dict) -> str:
    return str(audience(key).describe(params))


def recipients_of(key: str, params: dict) -> list[Recipient]:
    """The audience's recipients, one per email address (or per login without one), in
    the order the audience gave them."""
    seen: set[str] = set()
    found = []
    for recipient in audience(key).recipients(clean_params(key, params)):
        address = recipient.email.strip().lower()
        marker = address or f"user:{recipient.user_id}"
        if (not address and recipient.user_id is None) or marker in seen:
            continue
        seen.add(marker)
        found.append(
            Recipient(
                label=recipient.label,
                role=recipient.role,
                email=address,
                user_id=recipient.user_id,
                language=recipient.language,
            )
        )
    return found


def int_param(params: dict, name: str) -> int:
    """A parameter checked by clean_params() as an integer id."""
    return int(params[name])
