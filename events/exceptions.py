from core.exceptions import DomainRuleError


class EventsError(DomainRuleError):
    """A domain rule of the events app was broken; the message is for the user."""
