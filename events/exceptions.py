class DomainRuleError(Exception):
    """A rule of the domain was broken; the message is for the user.

    Each app raises its own subclass; the API turns every one into a 400 in one place
    (events.api.exception_handler).
    """


class EventsError(DomainRuleError):
    """A domain rule of the events app was broken; the message is for the user."""
