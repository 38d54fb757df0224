class ArtistsError(Exception):
    """A rule of Kunst rett vest was broken; the message is for the user."""
