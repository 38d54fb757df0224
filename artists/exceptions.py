from core.exceptions import DomainRuleError


class ArtistsError(DomainRuleError):
    """A rule of Kunst rett vest was broken; the message is for the user."""
