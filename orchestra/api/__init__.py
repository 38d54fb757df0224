"""The REST API of the youth orchestra under /api/v1/: one module per area.

Members are children. Every endpoint that shows a member reads them through the
orchestra's selectors: staff see all, a guardian their own children, a member with their
own login themself, anyone else nobody (an empty list, and 404 for one member). URLs hold
ids, never names. The modules build on ``orchestra.api.base`` and do not import this
package's ``__init__``.
"""

from orchestra.api import (
    access_log,
    attendance,
    calendars,
    consents,
    erasure,
    groups,
    guardians,
    guest_ensembles,
    masterclasses,
    members,
    registration,
    tours,
)


def register(router):
    """Register this app's API routes, in the order the schema lists them."""
    groups.register(router)
    members.register(router)
    guardians.register(router)
    consents.register(router)
    access_log.register(router)
    guest_ensembles.register(router)
    registration.register(router)
    attendance.register(router)
    calendars.register(router)
    masterclasses.register(router)
    tours.register(router)
    erasure.register(router)
