"""Orchestra API: calendars (being built)."""


def register(router):
    """Register this module's routes (none yet)."""
