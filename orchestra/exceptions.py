from core.exceptions import DomainRuleError


class OrchestraError(DomainRuleError):
    """A rule of the youth orchestra was broken; the message is for the user."""
