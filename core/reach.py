"""How people are reached: message categories, a person's channels and language, mobile
numbers, one-click unsubscribe (RFC 8058) and addresses that fail.

The notices, reminders and group messages ask ``reach_for(person or address, category)``
which channels and which language to use, then queue each message (core.mail.queue_email,
core.mail.queue_sms) with its category. Essential categories are always sent by email (and
by SMS when asked for and possible); a non-essential one goes only where the person has
not turned it off, and its email carries a one-click unsubscribe.
"""

import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import (
    ContactPreference,
    FailingAddress,
    GroupMessageRecipient,
    OutboundMessage,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    essential: bool


# Every kind of message, in one place. Essential ones are always sent; a person can turn
# off the others (their page, or the unsubscribe link of such a message).
CATEGORIES = {
    c.key: c
    for c in (
        Category("notice", _("Changes and cancellations"), essential=True),
        Category("safety", _("A child's safety"), essential=True),
        Category("receipt", _("Receipts and confirmations"), essential=True),
        Category("ticket", _("Tickets"), essential=True),
        Category("account", _("Your login"), essential=True),
        Category("reminder", _("Reminders"), essential=False),
        Category("group_message", _("Messages to groups"), essential=False),
    )
}


def category(key: str) -> Category:
    try:
        return CATEGORIES[key]
    except KeyError:
        raise ValueError(f"Unknown message category {key!r}") from None


def optional_categories() -> list[Category]:
    """The categories a person may turn off."""
    return [c for c in CATEGORIES.values() if not c.essential]


# Mobile numbers --------------------------------------------------------------------------

_SEPARATORS = re.compile(r"[\s\-().]")
# Norwegian mobile numbers: eight digits starting with 4 or 9.
_NORWEGIAN_MOBILE = re.compile(r"[49]\d{7}")
_E164 = re.compile(r"\+[1-9]\d{6,14}")


def normalise_mobile(value: str) -> str:
    """Return the mobile number ``value`` in E.164 (+47… for a Norwegian one).

    Accepts 8 digits, +47 / 0047 / 47 in front of them, and other countries' numbers in
    E.164 (+ or 00 in front). Raises ValidationError for what cannot be a mobile number
    (a Norwegian landline, too short, letters).
    """
    number = _SEPARATORS.sub("", value or "")
    if number.startswith("00"):
        number = "+" + number[2:]
    if not number.startswith("+"):
        if len(number) == 10 and number.startswith("47"):
            number = "+" + number
        elif len(number) == 8:
            number = "+47" + number
    if number.startswith("+47"):
        if _NORWEGIAN_MOBILE.fullmatch(number[3:]):
            return number
    elif _E164.fullmatch(number):
        return number
    raise ValidationError(_("Enter a mobile number, such as 912 34 567."), code="mobile")


# A person's channels and language ---------------------------------------------------------


@dataclass(frozen=True)
class Reach:
    """How to reach one person with one category of message."""

    email: str  # empty: not by email
    mobile: str  # empty: not by SMS
    language: str

    @property
    def channels(self) -> list[str]:
        return [
            channel
            for channel, address in (
                (OutboundMessage.Channel.EMAIL, self.email),
                (OutboundMessage.Channel.SMS, self.mobile),
            )
            if address
        ]


def sms_configured() -> bool:
    return bool(settings.SMS_PROVIDER)


def preference_of(*, user=None, email: str = "") -> ContactPreference | None:
    """The stored preference of a login, or of an address without a login, if any."""
    if user is not None:
        return ContactPreference.objects.filter(user=user).first()
    if email:
        # An address's login, if it has one, else the address's own preference.
        return (
            ContactPreference.objects.filter(
                Q(user__email__iexact=email) | Q(user=None, email__iexact=email)
            )
            .order_by(F("user_id").asc(nulls_last=True))  # a login's first
            .first()
        )
    return None


def reach_for(person, category_key: str, *, urgent: bool = False) -> Reach:
    """Which channels and language to reach ``person`` (a login, or an email address)
    with a message of ``category_key``.

    Email: a non-essential message goes only if the person has not turned email or the
    category off. SMS: when a provider is configured, the person has a mobile number and
    wants SMS, for an urgent essential message (a change less than 48 hours ahead) or a
    non-essential one they have not turned off. Language: theirs, else the site's.
    """
    cat = category(category_key)
    if isinstance(person, str):
        user, email = None, person
    else:
        user, email = person, getattr(person, "email", "") or ""
    pref = preference_of(user=user, email=email)
    muted = set(pref.muted or []) if pref else set()
    wants = cat.essential or cat.key not in muted
    language = (pref.language if pref and pref.language else "") or settings.LANGUAGE_CODE
    send_email = (
        email if (cat.essential or (wants and (pref is None or pref.email_enabled))) else ""
    )
    mobile = ""
    sms_wanted = pref and pref.mobile and pref.sms and sms_configured() and wants
    if sms_wanted and (urgent or not cat.essential):
        mobile = pref.mobile
    return Reach(email=send_email, mobile=mobile, language=language)


def is_muted(address: str, category_key: str) -> bool:
    """Whether the person at this email address turned this (non-essential) category off."""
    cat = category(category_key)
    if cat.essential or not address:
        return False
    prefs = ContactPreference.objects.filter(
        Q(user__email__iexact=address) | Q(user=None, email__iexact=address)
    )
    return any(cat.key in (p.muted or []) or not p.email_enabled for p in prefs)


@transaction.atomic
def save_preference(
    user, *, language: str, mobile: str, sms: bool, email_enabled: bool, muted
) -> ContactPreference:
    """Store a login's language, mobile number (normalised), channels and muted categories."""
    if language not in ("", *dict(settings.LANGUAGES)):
        raise ValidationError({"language": _("Choose a language.")})
    mobile = normalise_mobile(mobile) if mobile else ""
    muted = sorted({category(key).key for key in muted if not category(key).essential})
    pref, _created = ContactPreference.objects.select_for_update().get_or_create(user=user)
    pref.language = language
    pref.mobile = mobile
    pref.sms = sms
    pref.email_enabled = email_enabled
    pref.muted = muted
    pref.updated_at = timezone.now()
    pref.save()
    return pref


# One-click unsubscribe (RFC 8058) -----------------------------------------------------------

_UNSUBSCRIBE_SALT = "core.reach.unsubscribe"


def unsubscribe_token(address: str, category_key: str) -> str:
    """A signed token naming the address and the category (it holds no name)."""
    return signing.dumps(
        {"a": address.lower(), "c": category(category_key).key},
        salt=_UNSUBSCRIBE_SALT,
        compress=True,
    )


def read_unsubscribe_token(token: str) -> tuple[str, str]:
    """Return (address, category) of a token; raises signing.BadSignature (forged) or
    signing.SignatureExpired (older than UNSUBSCRIBE_LINK_DAYS)."""
    data = signing.loads(
        token, salt=_UNSUBSCRIBE_SALT, max_age=settings.UNSUBSCRIBE_LINK_DAYS * 86400
    )
    address, key = data.get("a", ""), data.get("c", "")
    if not address or key not in CATEGORIES or CATEGORIES[key].essential:
        raise signing.BadSignature("Not an unsubscribe token")
    return address, key


def unsubscribe_url(address: str, category_key: str) -> str:
    return settings.SITE_URL + reverse(
        "core:unsubscribe", args=[unsubscribe_token(address, category_key)]
    )


def unsubscribe_headers(address: str, category_key: str) -> dict[str, str]:
    """The RFC 8058 headers of a non-essential email to ``address``; none for an essential
    one."""
    if category(category_key).essential:
        return {}
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(address, category_key)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


@transaction.atomic
def unsubscribe(address: str, category_key: str) -> None:
    """Turn ``category_key`` off for the person at ``address`` (their login's preference,
    or the address's own when it has no login). Idempotent."""
    from django.contrib.auth import get_user_model

    cat = category(category_key)
    if cat.essential:
        return
    users = list(get_user_model().objects.filter(email__iexact=address))
    targets = []
    for user in users:
        pref, _created = ContactPreference.objects.select_for_update().get_or_create(user=user)
        targets.append(pref)
    if not users:
        try:
            with transaction.atomic():
                pref, _created = ContactPreference.objects.select_for_update().get_or_create(
                    user=None, email=address.lower()
                )
        except IntegrityError:
            pref = ContactPreference.objects.get(user=None, email=address.lower())
        targets.append(pref)
    for pref in targets:
        if cat.key not in (pref.muted or []):
            pref.muted = sorted({*(pref.muted or []), cat.key})
            pref.updated_at = timezone.now()
            pref.save(update_fields=["muted", "updated_at"])


# Addresses that fail -------------------------------------------------------------------------


def mark_failing(channel: str, address: str, reason: str, message=None) -> None:
    """Record that ``address`` could not be reached for good (one row per address)."""
    now = timezone.now()
    address = address.lower() if channel == OutboundMessage.Channel.EMAIL else address
    updated = FailingAddress.objects.filter(channel=channel, address=address).update(
        reason=reason[:300], last_failed_at=now, message=message, failures=F("failures") + 1
    )
    if not updated:
        try:
            with transaction.atomic():
                FailingAddress.objects.create(
                    channel=channel, address=address, reason=reason[:300], message=message
                )
        except IntegrityError:
            pass  # marked at the same moment by another delivery
    logger.info("Marked a failing %s address (message %s)", channel, getattr(message, "pk", "-"))


def clear_failing(channel: str, address: str) -> int:
    """A message reached ``address``: it no longer fails. Returns how many marks went."""
    address = address.lower() if channel == OutboundMessage.Channel.EMAIL else address
    deleted, _by_model = FailingAddress.objects.filter(channel=channel, address=address).delete()
    return deleted


def failing_for(user) -> list[FailingAddress]:
    """The failing addresses of a login: its email and its mobile number."""
    pref = preference_of(user=user)
    q = Q(channel=OutboundMessage.Channel.EMAIL, address=(user.email or "").lower())
    if pref and pref.mobile:
        q |= Q(channel=OutboundMessage.Channel.SMS, address=pref.mobile)
    if not user.email and not (pref and pref.mobile):
        return []
    return list(FailingAddress.objects.filter(q))


@transaction.atomic
def forget(*, logins=(), emails=(), mobiles=()) -> int:
    """Delete what reaching these people left behind; return how many rows went.

    For erasure (a member's anonymisation takes a child's own login, email and mobile
    number with it): the logins' preferences, the preferences of these email addresses
    without a login, and the failing marks of the addresses and numbers (the logins' own
    and their preferences' mobile numbers too), and their rows in the reports of messages
    to groups. Call it before deleting the logins.
    """
    emails = {e.strip().lower() for e in emails if e and e.strip()}
    numbers = set()
    for value in mobiles:
        try:
            numbers.add(normalise_mobile(value))
        except ValidationError:
            continue  # not a mobile number: no SMS went to it
    prefs = ContactPreference.objects.filter(user__in=[login.pk for login in logins])
    for login in logins:
        if login.email:
            emails.add(login.email.lower())
    numbers.update(number for number in prefs.values_list("mobile", flat=True) if number)
    deleted, _by_model = prefs.delete()
    gone, _by_model = ContactPreference.objects.filter(user=None, email__in=emails).delete()
    marks, _by_model = FailingAddress.objects.filter(
        Q(channel=OutboundMessage.Channel.EMAIL, address__in=emails)
        | Q(channel=OutboundMessage.Channel.SMS, address__in=numbers)
    ).delete()
    # The messages to groups they were sent: their name and address in the staff's report.
    received, _by_model = GroupMessageRecipient.objects.filter(
        Q(user__in=[login.pk for login in logins]) | Q(email__in=emails)
    ).delete()
    return deleted + gone + marks + received


def failing_addresses():
    return FailingAddress.objects.order_by("-last_failed_at", "-pk")
