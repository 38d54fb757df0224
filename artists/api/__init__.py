"""The REST API of Kunst rett vest: each module registers its own routes."""

from artists.api import applications, exhibitions, jury, profiles, statistics, tallies


def register(router):
    """Register the routes of every API module of the app, in the schema's order."""
    profiles.register(router)
    applications.register(router)
    jury.register(router)
    exhibitions.register(router)
    tallies.register(router)
    statistics.register(router)
