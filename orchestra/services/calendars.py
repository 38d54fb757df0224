"""Private calendar links of guardians and of members with their own login.

The token is made here, handed to its owner once and never stored: only its SHA-256
(CalendarToken.token_hash) is kept. The pages keep a new token in the owner's session
until the page after the POST has shown it (orchestra.views.calendars); the API answers
it once in the response to the POST. After that nobody can read the address again.

An owner may keep several links, each named for a device or a person ("Mum's phone"):
making one never stops another, and each is stopped on its own.
"""

import logging
import secrets
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from orchestra.exceptions import OrchestraError
from orchestra.models import CalendarToken, Guardian, Member, hash_calendar_token

logger = logging.getLogger(__name__)

# 32 random bytes: 256 bits, 43 URL-safe characters.
TOKEN_BYTES = 32
# last_used_at is written at most this often, so that a feed fetched every few minutes by
# many calendar apps does not write to the database on every request.
LAST_USED_PRECISION = timedelta(hours=1)
# Enough for every device of a family; a bound, so that a script cannot fill the table.
MAX_LINKS_PER_OWNER = 10


def _owner_field(owner: Guardian | Member) -> str:
    return "guardian" if isinstance(owner, Guardian) else "member"


@transaction.atomic
def create_calendar_token(*, owner: Guardian | Member, name: str = "", today=None) -> str:
    """Make a new private calendar link for a guardian, or for a member with their own
    login old enough to have one; return its token.

    The owner's other links keep working. An owner has at most MAX_LINKS_PER_OWNER. The
    returned token is not stored anywhere: show it to its owner now, or it is lost.
    """
    field = _owner_field(owner)
    if isinstance(owner, Member):
        today = today or timezone.localdate()
        if not owner.user_id or not owner.may_have_own_login_on(today):
            raise OrchestraError(_("Only members with their own login have a private calendar."))
    # Lock the owner, so that two requests at once cannot pass the limit together.
    type(owner).objects.select_for_update().filter(pk=owner.pk).first()
    if CalendarToken.objects.filter(**{field: owner}).count() >= MAX_LINKS_PER_OWNER:
        raise OrchestraError(
            _("You have %(count)d calendar links already. Stop one you no longer use first.")
            % {"count": MAX_LINKS_PER_OWNER}
        )
    token = secrets.token_urlsafe(TOKEN_BYTES)
    calendar = CalendarToken(
        **{field: owner}, name=name.strip(), token_hash=hash_calendar_token(token)
    )
    calendar.full_clean()
    calendar.save()
    logger.info("private calendar link %s made for %s %s", calendar.pk, field, owner.pk)
    return token


@transaction.atomic
def revoke_calendar_token(*, owner: Guardian | Member, pk: int) -> bool:
    """Stop one of the owner's private calendar links; return False if the owner has no
    link with that id (another owner's link is never touched)."""
    field = _owner_field(owner)
    deleted, _by_model = CalendarToken.objects.filter(**{field: owner}, pk=pk).delete()
    if deleted:
        logger.info("private calendar link %s stopped for %s %s", pk, field, owner.pk)
    return bool(deleted)


def note_calendar_use(*, calendar: CalendarToken, now=None) -> None:
    """Record that a private feed was read, at most once per LAST_USED_PRECISION."""
    now = now or timezone.now()
    stale_before = now - LAST_USED_PRECISION
    if calendar.last_used_at is not None and calendar.last_used_at >= stale_before:
        return
    # The condition again in the UPDATE: of several requests at once, one writes.
    CalendarToken.objects.filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=stale_before), pk=calendar.pk
    ).update(last_used_at=now)
    calendar.last_used_at = now
