"""The access log of sensitive data: the one function that records who saw a child's
medical notes or emergency contacts (orchestra.models.SensitiveDataAccess).

Every page, API answer, admin page and export that shows them calls
record_sensitive_access() once per request, with every child it showed: one insert,
however many children. The log line names ids only, never a child.
"""

import logging
from collections.abc import Iterable, Mapping

from orchestra.models import Guardianship, Member, SensitiveDataAccess
from orchestra.selectors.members import is_orchestra_staff

logger = logging.getLogger("orchestra.services")


def record_sensitive_access(
    *, viewer, seen: Mapping[int, Iterable[str]], path: str, channel: str
) -> list[SensitiveDataAccess]:
    """Record that ``viewer`` saw, for each member id in ``seen``, the kinds of data given
    (SensitiveDataAccess.Data), by ``path`` through ``channel``. One row per child, in one
    insert; the viewer's role for each child is worked out here (staff; else guardian of
    the child, the child themself, or their tour leader), in a fixed number of queries.
    Members with nothing seen are left out. A single insert needs no transaction of
    its own; inside a request's it is written with the rest.
    """
    seen = {member_id: sorted(set(kinds)) for member_id, kinds in seen.items() if kinds}
    if not seen or viewer is None or not viewer.is_authenticated:
        return []
    Role = SensitiveDataAccess.Role
    if is_orchestra_staff(viewer):
        roles = dict.fromkeys(seen, Role.STAFF)
    else:
        own_children = set(
            Guardianship.objects.filter(guardian__user=viewer, member__in=list(seen)).values_list(
                "member_id", flat=True
            )
        )
        themself = set(
            Member.objects.filter(user=viewer, pk__in=list(seen)).values_list("pk", flat=True)
        )
        roles = {
            member_id: Role.GUARDIAN
            if member_id in own_children
            else Role.MEMBER
            if member_id in themself
            else Role.TOUR_LEADER
            for member_id in seen
        }
    rows = SensitiveDataAccess.objects.bulk_create(
        [
            SensitiveDataAccess(
                member_id=member_id,
                viewer=viewer,
                role=roles[member_id],
                data=kinds,
                channel=channel,
                path=path[:500],
            )
            for member_id, kinds in seen.items()
        ]
    )
    logger.info(
        "orchestra sensitive data of %d members seen by user %s via %s",
        len(rows),
        viewer.pk,
        channel,
    )
    return rows
