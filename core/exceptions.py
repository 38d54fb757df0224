class DomainRuleError(Exception):
    """A rule of the domain was broken; the message is for the user.

    Each app raises its own subclass; the API turns every one into a 400 in one place
    (core.api.exception_handler).
    """
