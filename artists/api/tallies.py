"""API of Kunst rett vest: tallies (being built)."""


def register(router):
    """Register this module's routes (none yet)."""
